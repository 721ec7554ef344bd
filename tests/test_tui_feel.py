"""The annotation screen as it reads after a day's use (issue 11's standard: what it shows is
true and readable at 80x24 and wide). What was left: the byline fell off a one-line header
behind a long title; label names were cut to HEDG/UNVE/EDIT at 80 columns; a message went at
the next key, before it could be read; at 200x50 toasts covered the side panel's empty half.
Pilot for the widgets at a size, a real pty for the terminal, the database after the keys."""

from pathlib import Path

import pytest

from annotator.labeling import SentenceState
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.legend import render_legend_line
from tests.ptyterm import annotate
from tests.test_tui_annotate import LONG, SHORT, annotations, make_app
from tests.test_tui_narrow import stored

NAMES = (
    "ATTRIBUTED",
    "QUOTE",
    "HEDGED",
    "UNVERIFIED",
    "EDITORIAL",
    "LOADED",
    "BOILERPLATE",
    "NONE",
)


def _lines(widget: object) -> list[str]:
    """The widget's rows as the terminal gets them (CSS cut and ellipsis included; its
    padding left out)."""
    from textual.widget import Widget

    assert isinstance(widget, Widget)
    return [widget.render_line(y).text for y in range(widget.size.height)]


@pytest.mark.parametrize("cols", [80, 66])
async def test_a_one_line_header_cuts_the_title_not_the_byline(
    imported_db: Path, cols: int
) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(cols, 24)) as pilot:
        await pilot.pause()
        (line,) = _lines(app.screen.query_one("#article-header"))
        assert line.startswith("Biden Admin Confirms North")
        assert "…  · Veronika Kyrylenko · 2024-10-24" in line  # the title gave way
        assert len(line) <= cols
        await pilot.resize_terminal(120, 40)  # room: title and byline whole, two lines
        await pilot.pause()
        await pilot.pause()
        title, byline = _lines(app.screen.query_one("#article-header"))
        assert "Consider Direct Military Action" in title and "…" not in title
        assert byline.strip().startswith("Veronika Kyrylenko · 2024-10-24")


async def test_a_one_line_header_without_byline_is_as_it_was(imported_db: Path) -> None:
    # the attack: no author, no date: nothing to make room for, the opening is not cut short
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (line,) = _lines(app.screen.query_one("#article-header"))
        assert line.startswith("untitled 000_60cc46f11ca30d04  In a major shift from previous")


async def test_80_columns_show_every_label_name_whole(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = app.screen.query_one("#legend-line")
        row = _lines(line)[0]
        assert row.startswith("▸ATTRIBUTED  QUOTE  HEDGED  UNVERIFIED")
        assert all(f" {name} " in f"{row} " or f"▸{name} " in row for name in NAMES)
        # the cursor moves, labels go on: the row keeps its length (no layout, no wrap)
        await pilot.press("tab", "tab")
        await pilot.pause()
        moved = _lines(line)[0]
        assert "▸HEDGED" in moved and len(moved.rstrip()) == len(row.rstrip())
        await pilot.press("h", "u")  # the cursor follows the last label used
        await pilot.pause()
        on = _lines(line)[0]
        assert "▸UNVERIFIED" in on and len(on.rstrip()) == len(row.rstrip())
    assert annotations(imported_db)[0][1] == ["HEDGED", "UNVERIFIED"]


def test_the_key_letter_is_marked_only_where_it_is_the_first_letter() -> None:
    from annotator.guidelines import load_guidelines

    schema = load_guidelines().schema
    state = SentenceState(("QUOTE",), (), None, False)
    row = render_legend_line(schema, state, width=78, cursor=0)
    first = row.split("\n")[0]
    assert first.plain.startswith("▸ATTRIBUTED  QUOTE")
    # the key letter is the name's first, underlined: the way a menu shows its keys
    spans = [s for s in first.spans if "underline" in str(s.style)]
    assert len(spans) == len(NAMES) and all(s.end - s.start == 1 for s in spans)
    # a schema whose key is not the name's first letter: "k NAME" as before, never a
    # marked letter that is not the key
    other = schema.model_copy(
        update={"labels": (schema.labels[0].model_copy(update={"key": "x"}), *schema.labels[1:])}
    )
    keyed = render_legend_line(other, state, width=200, cursor=0).split("\n")[0]
    assert keyed.plain.startswith("▸x ATTRIBUTED  q QUOTE  h HEDGED")
    assert not [s for s in keyed.spans if "underline" in str(s.style)]


async def test_a_narrow_message_stays_through_the_next_key_until_read(
    imported_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(imported_db, article=SHORT)
    monkeypatch.setattr(AnnotateScreen, "READ_MIN_S", 3600.0)
    monkeypatch.setattr(AnnotateScreen, "READ_MAX_S", 3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q", "z", "j")  # undone, then the next key at once
        await pilot.pause()
        keys, said = _lines(app.screen.query_one("#legend-line"))
        assert said.strip() == "undone: toggle QUOTE"
        assert "▸QUOTE  HEDGED" in keys  # a one-line message leaves the keys be
        assert "2/12" in _lines(app.screen.query_one("#progress"))[0]  # the key did its work
        assert not app._notifications
        # a message in view long enough (here at once): the next key takes it away
        monkeypatch.setattr(AnnotateScreen, "READ_MIN_S", 0.0)
        monkeypatch.setattr(AnnotateScreen, "READ_MAX_S", 0.0)
        await pilot.press("z")
        await pilot.pause()
        assert _lines(app.screen.query_one("#legend-line"))[1].strip() == "nothing to undo"
        await pilot.press("k")
        await pilot.pause()
        keys, line = _lines(app.screen.query_one("#legend-line"))
        assert "nothing to undo" not in line and line.startswith("QUOTE: ")  # the definition
    assert annotations(imported_db) == []


async def test_the_source_type_message_goes_once_it_is_given(
    imported_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # however long a message stays, one about the missing source type is answered by it
    app = make_app(imported_db, article=SHORT)
    monkeypatch.setattr(AnnotateScreen, "READ_MIN_S", 3600.0)
    monkeypatch.setattr(AnnotateScreen, "READ_MAX_S", 3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "enter")
        await pilot.pause()
        line = app.screen.query_one("#legend-line")
        assert "needs its source type first" in _lines(line)[0]
        await pilot.press("1")
        await pilot.pause()
        keys, choice = _lines(line)
        assert keys.startswith("▸ATTRIBUTED") and "●1 named_person" in choice
    assert stored(imported_db) == [(["ATTRIBUTED"], {"source_type": "named_person"}, 0)]


async def test_wide_messages_go_to_the_side_panel_not_over_it(imported_db: Path) -> None:
    from annotator.tui.widgets.messages import MessageLog

    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("z", "q", "z", "j")
        await pilot.pause()
        log = app.screen.query_one(MessageLog)
        shown = _lines(log)
        assert shown[0].startswith("Messages")
        assert shown[1].endswith("undone: toggle QUOTE") and shown[2].endswith("nothing to undo")
        assert not app._notifications  # no toast over the panel
        # in view: inside the screen, below the article fields
        fields = app.screen.query_one("#article-fields")
        assert log.region.y >= fields.region.bottom and log.region.bottom <= 50 - 1
    async with make_app(imported_db, article=SHORT).run_test(size=(130, 40)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        # in between, the panel is full: a toast, as before
        assert [n.message for n in pilot.app._notifications] == ["nothing to undo"]
    assert annotations(imported_db) == []


async def test_what_was_said_narrow_is_in_the_list_once_wide(imported_db: Path) -> None:
    from annotator.tui.widgets.messages import MessageLog

    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        assert "nothing to undo" in _lines(app.screen.query_one("#legend-line"))[1]
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        await pilot.pause()
        shown = _lines(app.screen.query_one(MessageLog))
        assert shown[0] == "Messages" and shown[1].endswith("nothing to undo")


@pytest.mark.slow
def test_80x24_in_a_real_terminal_byline_names_and_a_message(imported_db: Path) -> None:
    app = annotate(imported_db, "alice", "--article", LONG, cols=80, rows=24)
    try:
        text = app.wait_for(lambda t: "▶·" in t and "^q Quit" in t)
        lines = text.splitlines()
        assert "Veronika Kyrylenko · 2024-10-24" in lines[0]
        assert lines[2].split() == ["▸ATTRIBUTED", *NAMES[1:]]
        app.send("b")
        app.send("z")  # undone; the next key comes before anyone could read it
        app.wait_for("undone: toggle BOILERPLATE")
        app.send("j")
        text = app.wait_for(lambda t: t.splitlines()[1].startswith(" 2/86"))
        assert "undone: toggle BOILERPLATE" in text.splitlines()[3]
    finally:
        app.stop()
    assert stored(imported_db) == []


async def test_a_comment_that_grows_the_row_keeps_the_next_sentence_in_view(
    imported_db: Path,
) -> None:
    """Found in tmux at 80x24: after a long comment was saved, the current sentence and its
    comment filled the foot of the view and the next sentence was hidden."""
    from annotator.tui.widgets.article_view import ArticleView

    app = make_app(imported_db, article=SHORT)
    assert app.session is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"jjjjjjjj")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)

        def shown(i: int) -> bool:
            row, top = view.row_region(i), round(view.scroll_offset.y)
            return top <= row.y and row.bottom <= top + view.size.height

        i = app.session.index
        assert shown(i) and shown(i + 1)
        note = "a long comment that goes on over several lines of the view " * 3
        await pilot.press("c", *note.strip(), "ctrl+s")
        await pilot.pause()
        assert app.session.index == i
        assert shown(i) and shown(i + 1)
    assert annotations(imported_db)[0][4] == note.strip()
