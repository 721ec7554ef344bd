"""The annotation screen, driven with real keys through Pilot; assertions on the SQLite file."""

import json
import sqlite3
from pathlib import Path

from textual import events
from textual.binding import Binding
from textual.widgets import Input, TextArea

from annotator.keys import NAVIGATION_KEYS, YIELDING_KEYS
from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.app import AnnotatorApp, create_app
from annotator.tui.dialogs.guideline import GuidelineModal
from annotator.tui.dialogs.picker import ArticlePicker
from annotator.tui.dialogs.text_prompt import TextPrompt
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.article_view import ArticleView
from tests.conftest import RunCli, write

SIZE = (120, 40)
LONG = "004_2bd55176b4b53eb1"
SHORT = "000_60cc46f11ca30d04"


def make_app(db: Path, name: str = "alice", **kw: object) -> AnnotatorApp:
    store = open_store(db)
    g, _ = use_guidelines(store)
    return create_app(AnnotationSession(store, g, name, **kw))  # type: ignore[arg-type]


def annotations(
    db: Path, name: str = "alice"
) -> list[tuple[int, list[str], dict, int, str | None]]:
    """The annotator's own labels, as the screen shows them: a draft's while one waits (the
    answer downstream reads is `labels`: tests/test_drafts.py)."""
    conn = sqlite3.connect(db)
    return [
        (r[0], json.loads(r[1]), json.loads(r[2]), r[3], r[4])
        for r in conn.execute(
            "SELECT s.position, coalesce(a.draft_labels, a.labels), "
            "coalesce(a.draft_fields, a.fields), a.confirmed, a.comment FROM annotations a "
            "JOIN annotators n ON n.id = a.annotator_id JOIN sentences s ON s.id = a.sentence_id "
            "WHERE n.name = ? ORDER BY s.id",
            [name],
        )
    ]


def screen_text(app: AnnotatorApp) -> str:
    """What the widgets of the screen hold: the Statics, and the article's rows."""
    parts = [str(w.render()) for w in app.screen.query("Static")]
    for view in app.screen.query(ArticleView):
        parts += [view.plain(i) for i in range(len(view.rows))]
    return "\n".join(parts)


async def test_keys_toggle_none_confirm_and_move(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "enter")  # the byline: BOILERPLATE, confirm, next
        await pilot.press("a", "q", "n")  # NONE clears the others
        await pilot.press("space")
        await pilot.press("j", "h", "e")  # move without confirming
        await pilot.press("k", "enter")
    assert annotations(imported_db) == [
        (0, ["BOILERPLATE"], {}, 1, None),
        (1, ["NONE"], {}, 1, None),
        (2, ["NONE"], {}, 1, None),  # confirmed with nothing marked
        (3, ["HEDGED", "EDITORIAL"], {}, 0, None),
    ]


async def test_source_type_after_attribution(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # no ATTRIBUTED yet: refused, nothing stored
        assert annotations(imported_db) == []
        await pilot.press("a", "3", "enter")
        await pilot.press("a", "1", "1")  # the same key again clears it
    assert annotations(imported_db) == [
        (0, ["ATTRIBUTED"], {"source_type": "unnamed_specific"}, 1, None),
        (1, ["ATTRIBUTED"], {}, 0, None),
    ]


async def test_undo_after_reopening(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u", "l", "enter")
    assert annotations(imported_db) == [(0, ["UNVERIFIED", "LOADED"], {}, 1, None)]
    app = make_app(imported_db)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
        assert annotations(imported_db) == [(0, ["UNVERIFIED", "LOADED"], {}, 0, None)]
        await pilot.press("backspace")
        assert annotations(imported_db) == [(0, ["UNVERIFIED"], {}, 0, None)]
        assert app.session.index == 0  # undo brings the cursor to what it changed


async def test_comment(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.press(*"check [Reuters] byline", "ctrl+s")
        await pilot.press("j", "c", *"draft", "escape")  # escape keeps nothing
    assert annotations(imported_db) == [(0, [], {}, 0, "check [Reuters] byline")]


async def test_article_form(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        await pilot.press("4")  # genre: the 4th value
        await pilot.press("j", "2")  # opinion labelled: No
        await pilot.press("j", "j", "j", "j", "j", "3")  # credibility: Medium
        await pilot.press("k", "x")  # tone: cleared (never set)
        await pilot.press("question_mark")  # the guideline of the field under the cursor
        assert isinstance(app.screen, GuidelineModal)
        assert app.screen.section.startswith("### emotional_tone")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, AnnotateScreen)
    conn = sqlite3.connect(imported_db)
    rows = dict(conn.execute("SELECT field, value FROM article_annotations"))
    assert rows == {
        "genre": '"news_with_commentary"',
        "opinion_labelled": '"no"',
        "credibility": "3",
    }
    n = conn.execute("SELECT count(*) FROM events WHERE kind = 'article_field'").fetchone()[0]
    assert n == 3


async def test_the_chosen_value_in_the_form_is_marked_in_the_text(imported_db: Path) -> None:
    """audit9a F13(e): the chosen value was marked by reverse video only, which tmux
    capture, screen readers and mono themes lose: it carries a ● in its text, and no
    option moves for it."""
    from annotator.tui.dialogs.article_form import ArticleForm

    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        form = app.screen
        assert isinstance(form, ArticleForm)

        def shown(i: int) -> str:
            return str(form.rows[i].render())

        before = shown(0)
        assert "●" not in before
        await pilot.press("4", "j", "2")
        genre, opinion = shown(0), shown(1)
        assert genre.count("●") == 1 and "●4 News with commentary" in genre
        assert opinion.count("●") == 1 and "●2 No" in opinion
        # the mark takes the place of a space: every option stays where it was
        assert genre.replace("●", " ").split("\n")[1:] == before.split("\n")[1:]
        await pilot.press("x")  # cleared: no mark
        assert "●" not in shown(1)


async def test_resume_where_they_were(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "j", "j")
    app = make_app(imported_db)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.article.external_id == LONG
        assert app.session.index == 4
        assert app.screen.query_one(ArticleView).cursor == 4


async def test_article_navigation_and_next_unconfirmed(imported_db: Path) -> None:
    app = make_app(imported_db, article=SHORT)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        assert app.session.article.external_id == LONG

        def shown() -> list[str]:  # the view's rows, all of them, after a change of article
            view = app.screen.query_one(ArticleView)
            return [view.plain(i).split("\n")[0] for i in range(len(view.rows))]

        assert len(shown()) == 86
        assert shown()[5].endswith(app.session.sentences[5].text)
        await pilot.press("left_square_bracket")
        assert app.session.article.external_id == SHORT
        assert shown() == [s.text for s in app.session.sentences]
        await pilot.press("enter", "enter", "k", "k", "g")
        assert app.session.index == 2
        await pilot.press("o")  # the picker, filtered by typing
        await pilot.press(*"biden", "enter")
        assert app.session.article.external_id == LONG


async def test_blind_and_show_others(imported_db: Path) -> None:
    app = make_app(imported_db, "bob", article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "enter")
    app = make_app(imported_db, "alice", article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "bob" not in screen_text(app)
    app = make_app(imported_db, "alice", article=LONG, show_others=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "bob" in text and "BOILERPLATE" in text
    assert annotations(imported_db, "alice") == []


async def test_guideline_modal_and_full_guidelines(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "question_mark")  # the label just used is under the cursor
        modal = app.screen
        assert modal.__class__.__name__ == "GuidelineModal"
        assert isinstance(modal, GuidelineModal)
        assert modal.section.startswith("## HEDGED")
        await pilot.press("question_mark")
        assert modal.showing_full
        await pilot.press("escape")
        assert isinstance(app.screen, AnnotateScreen)


async def test_a_failed_write_is_shown_and_not_pretended(imported_db: Path) -> None:
    app = make_app(imported_db, article=LONG)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        # a real SQLite failure: the connection may no longer write
        app.session.store.conn.execute("PRAGMA query_only = 1")
        await pilot.press("e", "enter")
        await pilot.pause()
        assert app.session.current_state.labels == ("QUOTE",)
        assert app.session.index == 0  # did not move on as if confirmed
        progress = str(app.screen.query_one("#progress").render())
        assert "NOT SAVED" in progress and "read-only" in progress
    assert annotations(imported_db) == [(0, ["QUOTE"], {}, 0, None)]


async def test_navigation_keys_are_the_reserved_ones() -> None:
    bound = set()
    for b in AnnotateScreen.BINDINGS:
        assert isinstance(b, Binding)
        if b.id and b.id.startswith(("label.", "field.")):
            continue
        for key in b.key.split(","):
            bound.add(
                {"question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]"}.get(
                    key, key
                )
            )
    for b in AnnotatorApp.BINDINGS:
        assert isinstance(b, Binding)
        bound.add(b.key)
    assert bound <= set(NAVIGATION_KEYS) | set(YIELDING_KEYS), bound - set(NAVIGATION_KEYS)


async def test_reopening_shows_the_current_sentence(imported_db: Path) -> None:
    """Regression (found in tmux): reopening at sentence 40 showed the top of the article,
    because the scroll happened before the rows had a size."""
    app = make_app(imported_db, article=LONG)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(40):
            app.session.move(1)
    app = make_app(imported_db)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert app.session.index == 40
        row = view.row_region(40)  # in the article's lines
        top = round(view.scroll_offset.y)
        assert top <= row.y and row.bottom <= top + view.size.height, (row, top)


async def test_moving_keeps_the_neighbours_in_view(imported_db: Path) -> None:
    """Regression (found in tmux): moving down left the current sentence on the last line
    of the view, the next one hidden until the cursor reached it."""
    app = make_app(imported_db, article=LONG)
    assert app.session is not None
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)

        def shown(i: int) -> bool:
            row, top = view.row_region(i), round(view.scroll_offset.y)
            return top <= row.y and row.bottom <= top + view.size.height

        for key, step in [("j", 1)] * 30 + [("k", -1)] * 20:
            before = app.session.index
            await pilot.press(key)
            i = app.session.index
            assert i == before + step
            assert shown(i) and shown(i + 1) and shown(i - 1), (key, i)
        assert round(view.scroll_offset.y) > 0  # it did scroll, both ways


async def test_untitled_article_header(imported_db: Path) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#article-header").render())
        assert header.startswith("untitled 000_60cc46f11ca30d04  In a major shift")


async def test_a_full_disk_is_said_plainly(imported_db: Path) -> None:
    from textual.widgets import TextArea

    app = make_app(imported_db, article=LONG)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        conn = app.session.store.conn
        # the real SQLITE_FULL: the file may not grow by another page, and a long comment
        # needs several new ones
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        await pilot.press("c")
        app.screen.query_one(TextArea).text = "a long note " * 2000
        await pilot.press("ctrl+s")
        await pilot.pause()
        progress = str(app.screen.query_one("#progress").render())
        assert "NOT SAVED" in progress and "disk is full" in progress
        assert app.session.current_state.comment is None  # the screen shows what is stored
    assert sqlite3.connect(imported_db).execute("SELECT count(*) FROM annotations").fetchone() == (
        0,
    )


async def test_moves_still_move_when_nothing_can_be_saved(imported_db: Path) -> None:
    """audit7 F8: on a database that cannot be written, `j` said NOT SAVED and did not
    move, and after `]` the screen showed one article's title over the other's sentences.
    Moving is reading: only an edit says NOT SAVED."""
    app = make_app(imported_db, article=SHORT)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        # a real SQLite failure: the connection may no longer write
        app.session.store.conn.execute("PRAGMA query_only = 1")
        await pilot.press("j")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert app.session.index == view.cursor == 1
        assert "NOT SAVED" not in str(app.screen.query_one("#progress").render())
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.session.article.external_id == LONG
        view = app.screen.query_one(ArticleView)
        rows = [view.plain(i).split("\n")[0] for i in range(len(view.rows))]
        assert len(rows) == len(app.session.sentences)  # a kind's label may open a row
        assert all(r.endswith(s.text) for r, s in zip(rows, app.session.sentences, strict=True))
        title = app.session.article.title or ""
        assert title and title[:20] in str(app.screen.query_one("#article-header").render())
        await pilot.press("e")  # an edit: said, not pretended
        await pilot.pause()
        assert "NOT SAVED" in str(app.screen.query_one("#progress").render())


async def test_a_long_comment_does_not_push_the_article_off_the_screen(imported_db: Path) -> None:
    """audit7 F27: a comment of 3,000 words filled 18 lines under its sentence at 80x24,
    and the sentences after it were out of view. It shows whole up to a few lines."""
    from annotator.tui.widgets.rows import COMMENT_SHOWN

    app = make_app(imported_db, article=SHORT)
    assert app.session is not None
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.comment(("word " * 3000).strip())
        await pilot.press("j", "k")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        first = view.plain(0)
        assert "… (c shows all)" in first
        assert len(first) < COMMENT_SHOWN + len(app.session.sentences[0].text) + 80
        assert "word " * 3000 not in first
    short = "check [Reuters] byline"
    app = make_app(imported_db, article=SHORT)
    assert app.session is not None
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.comment(short)
        await pilot.press("j", "k")
        await pilot.pause()
        assert f"“{short}”" in app.screen.query_one(ArticleView).plain(0)


def burst(app: AnnotatorApp, text: str) -> None:
    """Keys that arrive in one read (a paste without bracketed paste, ssh batching, keys
    typed while the app was busy): all in the app's queue before the first is handled."""
    for ch in text:
        app.post_message(events.Key(ch, ch))


async def test_keys_typed_right_after_c_or_o_go_to_the_dialog_it_opens(
    imported_db: Path,
) -> None:
    """audit9a F1: "cHello" in one read opened an empty comment editor and "oOne" a
    filter reading "e": the keys after the first went to a screen that no longer had the
    keys, and were lost (nor were they applied there: no label, no event)."""
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "cHello")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(TextArea).text == "Hello"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session is not None
        assert app.session.current_state.comment == "Hello"
        assert app.session.current_state.labels == ()  # the e and l were not labels
        burst(app, "oOne")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ArticlePicker)
        assert app.screen.query_one(Input).value == "One"
        await pilot.press("escape")


async def test_the_keys_panel_lists_what_each_key_does_here(imported_db: Path) -> None:
    """audit9a F7: ctrl+p, Keys listed ten scroll keys of the side panel (focused, and so
    first for pgdn and, once it overflowed, the arrows) that did nothing, and the label and
    source-type keys with no word. Every key active here says what it does; none scrolls
    the side panel."""
    app = make_app(imported_db, article=LONG)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.focused is None  # the screen's own keys come first
        active = app.screen.active_bindings
        described = {key: b.binding.description for key, b in active.items()}
        assert not [k for k, d in described.items() if not d], described
        scrolls = {f"scroll_{w}" for w in ("up", "down", "left", "right", "home", "end")}
        scrolls |= {f"page_{w}" for w in ("up", "down", "left", "right")}
        assert not [k for k, b in active.items() if b.binding.action in scrolls]
        assert described["h"] == "HEDGED" and described["1"].endswith("named_person")
        assert active["pagedown"].binding.action == "scroll_sentence(1)"
        await pilot.press("down")  # the arrows move the sentence, whatever the panel holds
        assert app.session is not None and app.session.index == 1


async def test_an_import_elsewhere_updates_the_totals_shown(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit9a F6: after another process imported a batch, the progress line kept the
    totals of when the screen opened ("art 7/6", the corpus share of the old corpus)."""
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "enter")
        progress = app.screen.query_one("#progress")
        assert "Article 1/2 " in str(progress.render())
        assert app.session is not None
        before = app.session.corpus_percent
        batch = "".join(
            json.dumps({"id": f"new{i}", "text": f"Batch {i} said one thing. And another."}) + "\n"
            for i in range(3)
        )
        write(tmp_path / "batch.jsonl", batch)
        assert run_cli("import", str(tmp_path / "batch.jsonl")).exit_code == 0  # elsewhere
        screen = app.screen
        assert isinstance(screen, AnnotateScreen)
        await screen._poll_others()  # what the screen does each second, or before a key
        await pilot.pause()
        assert "Article 1/5 " in str(progress.render())
        assert app.session.corpus_percent < before


async def test_the_agreement_key_is_advertised_only_where_it_opens(imported_db: Path) -> None:
    """audit14 F7: a served annotator of a blind project saw "R Agree" in the footer, and R
    answered "Not available". Now the footer offers it only where it opens; R still says
    why where it does not."""
    from textual.widgets import Footer

    def footer(app: AnnotatorApp) -> list[str]:
        return [str(getattr(k, "description", "")) for k in app.screen.query_one(Footer).children]

    for allowed in (True, False):
        store = open_store(imported_db)
        g, _ = use_guidelines(store)
        app = create_app(AnnotationSession(store, g, "alice"), agreement_allowed=allowed)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert ("Agree" in footer(app)) == allowed, footer(app)
            if not allowed:
                await pilot.press("R")
                await pilot.pause()
                assert any("not available" in str(n.message) for n in app._notifications), list(
                    app._notifications
                )
        store.close()


async def test_the_same_refusal_again_is_one_toast(imported_db: Path) -> None:
    """audit15d F6: six Enters on an ATTRIBUTED sentence without its source type stacked six
    copies of one four-line toast over the sentences and the label panel (between the
    narrow and the wide layouts, where messages are toasts)."""
    app = make_app(imported_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        for _ in range(6):
            await pilot.press("enter")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert len(said) == 1 and "source type" in said[0], said
