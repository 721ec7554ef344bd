"""The annotation screen at 80x24 and below, in a real terminal (issue 11): every row counts.
What the annotator needs stays in view: the current sentence, the label cursor, the blind
marker, the footer's keys (`?`, `^q`); messages never cover the article (no toast at this
width: they take the legend's lines; how long they stay is tests/test_tui_feel.py's); and at
200 columns the article keeps a readable measure while the side panel takes the rest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.tui.widgets.article_view import ArticleView
from tests.conftest import RunCli, write
from tests.ptyterm import annotate
from tests.test_tui_annotate import LONG, SHORT, make_app
from tests.test_tui_status import screen_lines

SIDE_BORDER = "│"


def stored(db: Path) -> list[tuple[list[str], dict[str, str], int]]:
    conn = sqlite3.connect(db)
    try:
        return [
            (json.loads(r[0]), json.loads(r[1]), r[2])
            for r in conn.execute("SELECT labels, fields, confirmed FROM annotations ORDER BY 1")
        ]
    finally:
        conn.close()


@pytest.mark.slow
def test_80x24_keeps_what_the_annotator_needs_and_messages_cover_no_text(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "blind", "true").exit_code == 0  # "blind" is said
    app = annotate(imported_db, "alice", "--article", SHORT, cols=80, rows=24)
    try:
        app.wait_for("1/12 art 1/2")
        app.wait_for(lambda t: "▶·" in t and "^q Quit" in t)
        lines = app.lines()
        assert "untitled 000_60cc46f11ca30d04" in lines[0]  # the header: one line
        assert "blind" in lines[1] and "alice" in lines[1]
        assert "▸ATTRIBUTED" in lines[2]  # the label cursor, every label whole on one line
        assert all(f" {n} " in lines[2] for n in ("QUOTE", "HEDGED", "UNVERIFIED", "BOILERPLATE"))
        assert lines[3].strip().startswith("ATTRIBUTED:")  # the definition under the cursor
        assert lines[4].startswith("▶· In a major shift")  # the current sentence, at once
        assert "? Guide" in lines[-1] and "^q Quit" in lines[-1]
        text_rows = lines[4:-1]
        app.send("a")
        app.wait_for("○1 named_person")
        app.send("\r")  # refused: ATTRIBUTED needs its source type
        text = app.wait_for("needs its source type first")
        lines = text.splitlines()
        assert "needs its source type first" in lines[2]
        assert "Source type ○1 named_person ○2 named_organisation" in lines[3]
        # the message covers no sentence: every row of the article is as it was, but the
        # current sentence's chip line, which now shows ATTRIBUTED (the scrollbar's two
        # columns at the right edge left out: its thumb may be redrawn)
        rows = zip(text_rows, lines[4:-1], strict=True)
        changed = [i for i, (a, b) in enumerate(rows) if a[:-2] != b[:-2]]
        assert changed == [2] and "ATTRIBUTED" in lines[4 + 2]
        assert stored(imported_db) == [(["ATTRIBUTED"], {}, 0)]
        app.send("1")  # the next key clears the message: the keys are back
        app.wait_for(lambda t: "▸ATTRIBUTED" in t.splitlines()[2])
        assert "●1 named_person" in app.lines()[3]
        app.send("\r")
        app.wait_for("2/12 art 1/2 here 1/12")
        assert stored(imported_db) == [(["ATTRIBUTED"], {"source_type": "named_person"}, 1)]
    finally:
        app.stop()


@pytest.mark.slow
def test_below_80_columns_the_footer_keeps_every_key(imported_db: Path, run_cli: RunCli) -> None:
    assert run_cli("project", "set", "blind", "true").exit_code == 0  # "blind" is said
    app = annotate(imported_db, "alice", "--article", SHORT, cols=66, rows=24)
    try:
        text = app.wait_for("^q Quit")
        footer = text.splitlines()[-1]
        for key in ("⏎ OK", "g To do", "z Undo", "c Note", "A Form", "o Open", "? Help"):
            assert key in footer, footer
        assert "blind" in text.splitlines()[1]
    finally:
        app.stop()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cols", "shown"),
    [
        (80, ["? Help", "y Accept ", "B Boiler ", "^q Quit"]),
        (100, ["? Help", "y Acc", "B Boil", "^q Quit"]),
        (120, ["? Help", "y Accept all", "B Boilerplate", "^q Quit"]),
        (160, ["? Guide", "y Accept suggestions", "B Accept boilerplate", "^q Quit"]),
    ],
)
def test_with_suggestions_the_footer_still_shows_every_key(
    imported_db: Path, run_cli: RunCli, cols: int, shown: list[str]
) -> None:
    # the two accept keys made the footer too long below 140 columns: Textual cut it at the
    # right edge, and `B` and `^q` were the keys lost
    assert run_cli("project", "set", "suggestions", "on", db=imported_db).exit_code == 0
    app = annotate(imported_db, "alice", "--article", LONG, cols=cols, rows=24)
    try:
        footer = app.wait_for(lambda t: "Quit" in t.splitlines()[-1]).splitlines()[-1]
        for key in shown:
            assert key in footer, footer
    finally:
        app.stop()


@pytest.mark.parametrize(("cols", "text_width"), [(200, 112), (220, 112), (130, 92)])
async def test_wide_terminals_give_the_side_panel_the_room(
    imported_db: Path, cols: int, text_width: int
) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(cols, 50)) as pilot:
        await pilot.pause()
        view = app.screen.query_one("#sentences")
        side = app.screen.query_one("#side")
        assert view.size.width + side.outer_size.width == cols
        assert view.outer_size.width == text_width


async def test_narrow_messages_stay_until_the_next_key_and_never_as_toasts(
    imported_db: Path,
) -> None:
    from annotator.tui.widgets.legend import LegendLine

    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(12):
            await pilot.press("n", "enter")
        await pilot.pause()
        line = app.screen.query_one(LegendLine)
        assert "article complete: its article form needs 7 of 7" in str(line.render())
        assert not app._notifications  # no toast over the article at this width
        await pilot.press("A", "1", "escape")  # the form: genre News report
        await pilot.pause()
        # the message about the empty form is gone with the form (it was stale after it)
        shown = str(line.render())
        assert "article complete" not in shown and "▸" in shown
        # the side panel that lists the form is hidden here: the progress line counts it
        from annotator.tui.widgets.header import ProgressLine

        assert "form 1/7" in str(app.screen.query_one(ProgressLine).render())
    conn = sqlite3.connect(imported_db)
    try:
        assert conn.execute("SELECT count(*) FROM annotations WHERE confirmed = 1").fetchone() == (
            12,
        )
        assert conn.execute("SELECT field, value FROM article_annotations").fetchall() == [
            ("genre", '"news_report"')
        ]
    finally:
        conn.close()


async def test_resizing_between_narrow_and_wide_redraws_header_legend_and_footer(
    imported_db: Path,
) -> None:
    from textual.widgets._footer import FooterKey

    from annotator.tui.widgets.header import ArticleHeader
    from annotator.tui.widgets.legend import LegendLine

    app = make_app(imported_db, article=LONG)

    def footer() -> list[str]:
        return [k.description for k in app.screen.query(FooterKey)]

    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(ArticleHeader)
        assert header.size.height == 2 and "Confirm" in footer()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert header.size.height == 1
        line = app.screen.query_one(LegendLine)
        assert line.size.height == 2 and "▸ATTRIBUTED" in str(line.render())
        assert "Confirm" in footer()  # 80 columns: the words still fit
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        await pilot.pause()
        assert "OK" in footer() and "Help" in footer() and "Quit" in footer()
        await pilot.press("q")  # a key at the new size: the database as always
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        await pilot.pause()
        assert header.size.height == 2 and "Confirm" in footer()
        assert not line.display or line.size.height == 0
    assert stored(imported_db) == [(["QUOTE"], {}, 0)]


async def test_narrow_a_chosen_source_type_leaves_room_for_the_links(imported_db: Path) -> None:
    from annotator.tui.widgets.legend import LegendLine

    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["j"] * 13, "a")  # the embed's signature, whose date is a link
        await pilot.pause()
        line = app.screen.query_one(LegendLine)
        assert "○1 named_person ○2 named_organisation" in str(line.render())
        await pilot.press("2")
        await pilot.pause()
        second = str(line.render()).splitlines()[1]
        assert "●2 named_organisation (1-4)" in second and "October 23, 2024 → #" in second
        assert "○1" not in second
    assert stored(imported_db) == [(["ATTRIBUTED"], {"source_type": "named_organisation"}, 0)]


async def test_the_progress_line_says_blind_only_in_a_blind_project(
    imported_db: Path, run_cli: RunCli
) -> None:
    # "blind" means "others' labels are not shown": in a project whose blind setting is
    # false it read as "this project is blind" (audit2 F14), so it is not said there
    from annotator.tui.widgets.header import ProgressLine

    for setting, said in (("false", False), ("true", True)):
        assert run_cli("project", "set", "blind", setting).exit_code == 0
        for size in ((80, 24), (200, 50)):
            app = make_app(imported_db, article=SHORT)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                line = str(app.screen.query_one(ProgressLine).render())
                assert ("blind" in line) is said, (setting, size, line)
                assert "alice" in line


def test_80x24_header_keeps_a_non_english_language_in_view(db_path: Path, run_cli: RunCli) -> None:
    """audit5 F4: at 80 columns the header is one line cut at its end, where "language fr"
    was: a French page with a title, an outlet and a date showed no language at all. It
    comes first in the byline now, and the title gives way to it."""
    from tests.conftest import SHARED

    page = SHARED / "news_corpus" / "html" / "dw.com-elephants.html"
    if not page.is_file():
        pytest.skip("../shared/news_corpus is not beside this checkout")
    assert run_cli("import", str(page)).exit_code == 0
    app = annotate(db_path, "alice", cols=80, rows=24)
    try:
        app.wait_for("^q Quit")
        header = app.lines()[0]
        assert "language fr" in header and "DW.COM" in header, header
        assert header.lstrip().startswith("La perte")  # the title, cut, still first
    finally:
        app.stop()


@pytest.mark.slow
@pytest.mark.parametrize("cols", [50, 44])
def test_narrower_still_the_footer_keeps_help_and_quit(imported_db: Path, cols: int) -> None:
    """audit7 F23: from 50 columns down `^q` fell off the footer, and `?` at 40: the keys
    now go without their words when even the short words do not fit."""
    app = annotate(imported_db, "alice", "--article", SHORT, cols=cols, rows=24)
    try:
        text = app.wait_for(lambda t: "^q" in t.splitlines()[-1])
        footer = text.splitlines()[-1]
        assert "?" in footer and "⏎" in footer and "z" in footer, footer
        assert "Quit" not in footer  # the words went first, not the keys
    finally:
        app.stop()


LONG_SENTENCE = (
    "The report, "
    + "compiled over many months by a committee of experts who interviewed witnesses, " * 12
    + "concluded nothing."
)


@pytest.mark.parametrize("size", [(60, 20), (120, 14)])
async def test_a_sentence_taller_than_the_view_says_it_goes_on_and_keeps_its_labels(
    db_path: Path, run_cli: RunCli, tmp_path: Path, size: tuple[int, int]
) -> None:
    """audit9a F2: at 60x20 a 1,000-character sentence filled the article pane; its end,
    the chips of the labels just set and its comment were below the fold, with no sign.
    The last line says how much more and shows the chips; pgdn/pgup scroll within it (with
    the side panel too: it used to hold the focus, and with it pgdn and the arrows)."""
    article = {"id": "long", "title": "Long sentence", "text": LONG_SENTENCE + " It was late."}
    write(tmp_path / "long.jsonl", json.dumps(article) + "\n")
    assert run_cli("import", str(tmp_path / "long.jsonl")).exit_code == 0
    app = make_app(db_path, article="long")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("h", "e")  # HEDGED, EDITORIAL on the long sentence
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        region = view.region

        def shown() -> list[str]:  # the article's column only
            rows = screen_lines(app)[region.y : region.bottom]
            return [row[region.x : region.right] for row in rows]

        lines = shown()
        assert lines[0].startswith("▶· The report,")
        assert not any("concluded nothing." in line for line in lines)  # it does not fit
        assert lines[-1].startswith("↓") and "more lines: pgdn" in lines[-1], lines[-1]
        assert "HEDGED" in lines[-1] and "EDITORIAL" in lines[-1]  # the labels, in view
        for _ in range(5):
            await pilot.press("pagedown")
            await pilot.pause()
            if any("concluded nothing." in line for line in shown()):
                break
        lines = shown()
        assert any("concluded nothing." in line for line in lines)  # its end
        assert lines[0].startswith("↑")  # it began above
        assert not lines[-1].startswith("↓")
        assert any(line.split() == ["▌", "HEDGED", "EDITORIAL"] for line in lines)  # chips
        assert app.session is not None
        assert app.session.index == 0  # still on the same sentence, nothing confirmed
        for _ in range(5):
            await pilot.press("pageup")
        await pilot.pause()
        assert shown()[0].startswith("▶· The report,")


async def test_a_message_about_an_article_goes_when_the_article_is_left(
    db_path: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit9a F12: "article complete ... press A" stayed on the legend line after g had
    moved to the next article, where A opens that other article's form."""
    rows = [
        {"id": "one", "title": "One sentence", "text": "It rained."},
        {"id": "two", "title": "Two sentences", "text": "The sun came out. Then it rained."},
    ]
    write(tmp_path / "two.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    assert run_cli("import", str(tmp_path / "two.jsonl")).exit_code == 0
    app = make_app(db_path, article="one")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        line = app.screen.query_one("#legend-line")
        assert "article complete" in str(line.render())
        await pilot.press("g")  # on to the next unconfirmed sentence: the other article
        await pilot.pause()
        assert app.session is not None and app.session.article.external_id == "two"
        assert "article complete" not in str(line.render())


async def test_80x24_a_long_author_list_is_cut_before_the_date(
    db_path: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit9a F8: three authors pushed the date off the one-line header at 80 columns,
    where the title is cut first "so that who wrote the article and when stay in view"."""
    article = {
        "id": "multi",
        "title": "Biden Admin Confirms North Korean Troops in Russia",
        "outlet": "The New American",
        "author": "Veronika Kyrylenko, Jonathan Harrington and Maria Gonzalez",
        "published": "2024-10-24",
        "text": "The U.S. government has confirmed it. Officials said more could follow.",
    }
    write(tmp_path / "multi.jsonl", json.dumps(article) + "\n")
    assert run_cli("import", str(tmp_path / "multi.jsonl")).exit_code == 0
    app = make_app(db_path, article="multi")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = screen_lines(app)[0]
        assert "2024-10-24" in header, header
        assert "Veronika Kyr" in header and "The New American" in header
        assert header.lstrip().startswith("Biden Admin Confirms")
