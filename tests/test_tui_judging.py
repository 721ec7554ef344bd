"""What the guidelines ask the annotator to judge is on the screen: links and their URLs, the
source type ATTRIBUTED needs, a change to a confirmed sentence, status in monochrome."""

import sqlite3
from pathlib import Path

from textual.content import Content
from textual.widgets import TextArea

from annotator.tui.dialogs.guideline import GuidelineModal
from annotator.tui.widgets.article_view import ArticleView
from annotator.tui.widgets.header import ProgressLine
from annotator.tui.widgets.legend import Legend, LegendLine
from tests.conftest import RunCli
from tests.test_tui_annotate import LONG, SHORT, SIZE, annotations, make_app


async def test_links_are_underlined_and_the_url_under_the_cursor_is_shown(
    imported_db: Path,
) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        # the media segment of two links (position 12): both underlined in its row
        content = view.contents[12]
        underlined = [
            content.plain[sp.start : sp.end] for sp in content.spans if "underline" in str(sp.style)
        ]
        assert "https://t.co/uqCAZCMLjy" in underlined
        assert "pic.twitter.com/TiOI7MjewV" in underlined
        legend = str(app.screen.query_one(Legend).render())
        assert "Links here" in legend and "Veronika Kyrylenko → #" in legend  # the byline's
        for _ in range(12):
            await pilot.press("j")
        await pilot.pause()
        legend = str(app.screen.query_one(Legend).render())
        assert "https://t.co/uqCAZCMLjy\npic.twitter.com/TiOI7MjewV" in legend  # bare links
        await pilot.press("j")
        await pilot.pause()
        assert "Links here" in str(app.screen.query_one(Legend).render())  # the TIME embed
    async with make_app(imported_db, article=LONG).run_test(size=(80, 24)) as pilot:
        # reopened where the first screen was (the TIME embed): back up to the byline
        await pilot.pause()
        assert pilot.app.session.index == 13  # type: ignore[attr-defined]
        for _ in range(13):
            await pilot.press("k")
        await pilot.pause()
        line = str(pilot.app.screen.query_one(LegendLine).render())
        assert "Veronika Kyrylenko → #" in line  # narrow: the one-line legend carries it


async def test_attributed_is_never_confirmed_without_a_source_type(imported_db: Path) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", "enter")
        await pilot.pause()
        assert annotations(imported_db) == [(0, ["ATTRIBUTED"], {}, 0, None)]
        messages = [n.message for n in app._notifications]
        assert any("needs its source type first: 1 Named person" in m for m in messages)
        assert app.screen.query_one(ArticleView).cursor == 0  # stayed on it
        await pilot.press("2", "enter")
        await pilot.pause()
    assert annotations(imported_db) == [
        (0, ["ATTRIBUTED"], {"source_type": "named_organisation"}, 1, None)
    ]


async def test_a_confirmed_sentence_changed_later_is_marked_and_undo_brings_it_back(
    imported_db: Path,
) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", "1", "enter", "k", "n")
        await pilot.pause()
        assert annotations(imported_db) == [(0, ["NONE"], {}, 1, None)]
        view = app.screen.query_one(ArticleView)
        assert "changed after confirmation" in view.plain(0)
        messages = [n.message for n in app._notifications]
        assert any("was ATTRIBUTED, source_type=named_person" in m for m in messages)
        await pilot.press("z")
        await pilot.pause()
        assert annotations(imported_db) == [
            (0, ["ATTRIBUTED"], {"source_type": "named_person"}, 1, None)
        ]
        assert "·named_person" in view.plain(0)
        await pilot.press("n", "enter")  # changed again, then confirmed: no longer marked
        await pilot.pause()
        assert "changed after confirmation" not in view.plain(0)
    assert annotations(imported_db) == [(0, ["NONE"], {}, 1, None)]


def _revised(db: Path) -> list[tuple[int, int]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute("SELECT sentence_id, revised FROM annotations ORDER BY 1"))
    finally:
        conn.close()


async def test_the_changed_after_confirmation_mark_survives_restarts_and_undo(
    imported_db: Path,
) -> None:
    # confirm, quit; reopen, change it, quit; reopen: still marked (it was kept in memory
    # only, so a restart dropped it); undo, even in a later run, brings back the labels,
    # the source type and the unmarked state
    async with make_app(imported_db, article=SHORT).run_test(size=SIZE) as pilot:
        await pilot.press("a", "1", "enter")
        await pilot.pause()
    async with make_app(imported_db, article=SHORT).run_test(size=SIZE) as pilot:
        await pilot.press("k", "n")
        await pilot.pause()
    assert annotations(imported_db) == [(0, ["NONE"], {}, 1, None)]
    (sid, revised), *_ = _revised(imported_db)
    assert revised == 1
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert "✎ changed after confirmation" in view.plain(0)
        await pilot.press("z")
        await pilot.pause()
        assert "changed after confirmation" not in view.plain(0)
        assert "ATTRIBUTED·named_person" in view.plain(0)
        assert _revised(imported_db) == [(sid, 0)]
        assert annotations(imported_db) == [
            (0, ["ATTRIBUTED"], {"source_type": "named_person"}, 1, None)
        ]
        await pilot.press("n")  # changed again: marked; Enter confirms and clears the mark
        await pilot.pause()
        assert "changed after confirmation" in view.plain(0)
        await pilot.press("enter")
        await pilot.pause()
        assert "changed after confirmation" not in view.plain(0)
        assert _revised(imported_db) == [(sid, 0)]
    # and undoing that confirm (in a new run) marks it again: the undo chain is whole
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        await pilot.pause()
        assert "changed after confirmation" in app.screen.query_one(ArticleView).plain(0)
        assert _revised(imported_db) == [(sid, 1)]
        await pilot.press("z")  # and the change before it
        await pilot.pause()
        assert _revised(imported_db) == [(sid, 0)]
    assert annotations(imported_db) == [
        (0, ["ATTRIBUTED"], {"source_type": "named_person"}, 1, None)
    ]


async def test_confirmed_unconfirmed_and_current_have_glyphs_not_only_colours(
    imported_db: Path,
) -> None:
    # NO_COLOR or a theme without colour leaves only these to tell the rows apart
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        lines = [view.render_line(y).text for y in range(view.size.height)]
        firsts = [ln for ln in lines if ln[:1] in "▌▶" and ln[1:2] in "✓·"]
        assert firsts[0].startswith("▌✓") and firsts[1].startswith("▌✓")
        assert firsts[2].startswith("▶·")  # the current one: not confirmed yet
        assert firsts[3].startswith("▌·")
    assert [r[0] for r in annotations(imported_db)] == [0, 1]


async def test_finishing_an_article_stays_on_it_and_A_opens_its_form(
    imported_db: Path, run_cli
) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["enter"] * 12)
        await pilot.pause()
        line = app.screen.query_one(ProgressLine).render()
        assert isinstance(line, Content) and line.plain.startswith("Sentence 12/12")
        messages = [n.message for n in app._notifications]
        assert any("article complete: its article form needs 7 of 7" in m for m in messages)
        await pilot.press("A", "4", "escape")  # the genre of THIS article
        await pilot.pause()
    conn = sqlite3.connect(imported_db)
    rows = conn.execute(
        "SELECT a.external_id, aa.field FROM article_annotations aa "
        "JOIN articles a ON a.id = aa.article_id"
    ).fetchall()
    conn.close()
    assert rows == [(SHORT, "genre")]
    out = run_cli("status").output
    # sentence work and article forms are counted apart
    assert "sentences: 1 of 2 articles complete; article forms: 0 of 2 complete" in out
    assert "12/12    form 1/7" in out


async def test_a_comment_of_several_lines_is_written_kept_and_shown_whole(
    imported_db: Path,
) -> None:
    long = "the source is a relative of the minister, which the article never says"
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c", *"doubt:", "enter", *long, "ctrl+s")
        await pilot.pause()
        shown = app.screen.query_one(ArticleView).plain(0)
        assert f"“doubt: / {long}”" in shown  # whole: the chip was cut at ~45 characters
        await pilot.press("c")  # the editor opens with the comment, start in view
        await pilot.pause()
        assert app.screen.query_one("#prompt-area", TextArea).text == f"doubt:\n{long}"
        await pilot.press("escape")
    assert annotations(imported_db) == [(0, [], {}, 0, f"doubt:\n{long}")]


async def test_the_full_guidelines_are_rendered_once_and_kept(imported_db: Path) -> None:
    from annotator.tui.widgets.document import Document

    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "question_mark", "question_mark")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, GuidelineModal)
        doc = modal.query_one(Document)
        assert modal.showing_full and "Annotation guidelines" in doc.render_line(0).text
        width = doc.scrollable_content_region.width
        full = doc.lines_at(width)
        await pilot.press("question_mark", "escape")  # back to the label, then closed
        await pilot.press("tab", "question_mark")  # another label: its section
        await pilot.pause()
        assert app.screen is modal
        assert isinstance(modal, GuidelineModal) and modal.section.startswith("## UNVERIFIED")
        assert "UNVERIFIED" in doc.render_line(0).text
        await pilot.press("question_mark")
        await pilot.pause()
        assert doc.lines_at(width) is full  # the same lines: not rendered again
        await pilot.press("escape")
        await pilot.press("question_mark")  # opens on the section, not the full text
        await pilot.pause()
        assert not modal.showing_full


async def test_80x24_keeps_the_essential_keys_blind_and_the_label_cursor_in_view(
    imported_db: Path, run_cli: RunCli
) -> None:
    from textual.widgets._footer import FooterKey

    from annotator.tui.widgets.header import ProgressLine

    assert run_cli("project", "set", "blind", "true").exit_code == 0  # "blind" is said
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = {k.key_display: k for k in app.screen.query(FooterKey)}
        for key in ("o", "?", "R", "^q", "⏎", "z", "c", "A"):
            assert key in keys, sorted(keys)
            assert keys[key].region.right <= 80, (key, keys[key].region)  # not cut off
        progress = app.screen.query_one(ProgressLine)
        assert "blind" in str(progress.render())
        assert len(str(progress.render())) <= 78  # "blind" is not past the edge
        await pilot.press("tab", "tab")
        await pilot.pause()
        line = str(app.screen.query_one(LegendLine).render())
        assert "▸HEDGED" in line  # the label cursor, where tab put it
        await pilot.press("h")
        await pilot.pause()
    assert annotations(imported_db) == [(0, ["HEDGED"], {}, 0, None)]


async def test_a_wide_terminal_gives_the_room_to_the_side_panel(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(220, 60)) as pilot:
        await pilot.pause()
        side = app.screen.query_one("#side")
        assert side.region.width >= 70
        assert app.screen.query_one(ArticleView).region.width <= 150


async def test_an_article_comment_of_several_lines_from_the_form_and_undo(
    imported_db: Path,
) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A", *["j"] * 7, "enter")  # past the seven fields: the comment
        await pilot.pause()
        await pilot.press(*"genre unclear:", "enter", *"half report, half op-ed", "ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        side = str(app.screen.query_one("#article-fields").render())
        assert "Comment: genre unclear: / half report, half op-ed" in side
        conn = sqlite3.connect(imported_db)
        stored = conn.execute("SELECT field, value FROM article_comments").fetchall()
        assert stored == [("comment", '"genre unclear:\\nhalf report, half op-ed"')]
        # a comment is not a judgement: agreement and gold never see it
        assert conn.execute("SELECT count(*) FROM article_annotations").fetchone()[0] == 0
        await pilot.press("z")
        await pilot.pause()
        assert conn.execute("SELECT count(*) FROM article_comments").fetchone()[0] == 0
        kinds = [r[0] for r in conn.execute("SELECT kind FROM events ORDER BY id")]
        conn.close()
        assert kinds == ["article_comment", "article_comment"]
        assert "Comment:" not in str(app.screen.query_one("#article-fields").render())


async def test_the_outlet_is_settable_in_the_article_form_and_then_its_fields(
    imported_db: Path,
) -> None:
    from annotator.tui.widgets.header import ArticleHeader

    app = make_app(imported_db, article=SHORT)  # the samples have no outlet
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A", *["j"] * 8, "enter", *"The New American", "enter", "escape")
        await pilot.pause()
        assert "The New American" in str(app.screen.query_one(ArticleHeader).render())
        await pilot.press("A", *["j"] * 9, "2", "escape")  # its first field: No
        await pilot.pause()
        conn = sqlite3.connect(imported_db)
        outlet = conn.execute(
            "SELECT o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id "
            "WHERE a.external_id = ?",
            [SHORT],
        ).fetchone()
        assert outlet == ("The New American",)
        assert conn.execute("SELECT field, value FROM outlet_annotations").fetchall() == [
            ("corrections_policy", '"no"')
        ]
        await pilot.press("z", "z")  # the field, then the outlet
        await pilot.pause()
        row = conn.execute("SELECT outlet_id FROM articles WHERE external_id = ?", [SHORT])
        assert row.fetchone() == (None,)
        conn.close()
        assert "The New American" not in str(app.screen.query_one(ArticleHeader).render())
