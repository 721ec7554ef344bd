"""Scraped text is shown as written and never acts: no markup, no terminal control codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.safetext import printable
from annotator.tui.commands import highlight
from annotator.tui.widgets.article_view import ArticleView
from tests.conftest import RunCli
from tests.test_tui_annotate import SIZE, make_app, screen_text

ESC_COLOR = "\x1b[31mred\x1b[0m"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
BIDI = "\u202egnp.exe"
SENTENCES = [
    "Clicking [@click=app.quit]quit[/] does nothing.",
    "A lone [/] closes nothing.",
    "[Reuters] said the [bold]talks[/bold] failed.",
    f"Colours {ESC_COLOR} and a clipboard write {OSC52} stay inert.",
    f"A bidi override {BIDI} is shown, not obeyed.",
    "Right to left: قالت الوكالة إن المحادثات فشلت.",
    "Combining marks: cafe\u0301 and emoji 👍🏽🇺🇦 keep the layout.",
]


@pytest.fixture
def hostile_db(run_cli: RunCli, db_path: Path, tmp_path: Path) -> Path:
    rec = {
        "id": "hostile",
        "title": "[@click=app.quit]Breaking[/] [b]news[/b] \x1b[2J",
        "outlet": "[Reuters]",
        "author": "[/]",
        "text": "\n\n".join(SENTENCES),
    }
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    assert run_cli("import", str(src)).exit_code == 0
    return db_path


def test_printable_is_one_for_one() -> None:
    for s in SENTENCES:
        shown = printable(s)
        assert len(shown) == len(s)
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert printable("a\x00b\x1bc") == "a\u2400b\u241bc"


async def test_hostile_text_is_displayed_literally(hostile_db: Path) -> None:
    app = make_app(hostile_db, "[b]eve[/b]")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for literal in (
            "[@click=app.quit]quit[/]",
            "A lone [/] closes",
            "[Reuters] said",
            "[bold]talks[/bold]",
            "[@click=app.quit]Breaking[/] [b]news[/b]",
            "[b]eve[/b]",
            "قالت الوكالة",
            "cafe\u0301",
            "👍🏽",
        ):
            assert literal in text, literal
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert "\u241b[31mred\u241b[0m" in text  # ESC shown as ␛, the rest as written
        assert "\u241b]52;c;" in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg


async def test_clicking_hostile_text_runs_nothing(hostile_db: Path) -> None:
    app = make_app(hostile_db)
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(ArticleView)

        def at(i: int) -> tuple[int, int]:  # a point on the first line of row i
            return 10, view.row_region(i).y - round(view.scroll_offset.y)

        await pilot.click(ArticleView, offset=at(0))  # the [@click=app.quit] sentence
        await pilot.pause()
        assert app.is_running
        assert app.session.index == 0
        await pilot.click(ArticleView, offset=at(2))  # moves the cursor there, nothing else
        await pilot.pause()
        assert app.is_running and app.session.index == 2
        await pilot.click("#article-header")  # the hostile title
        await pilot.pause()
        assert app.is_running


async def test_hostile_comment_and_palette(hostile_db: Path) -> None:
    app = make_app(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"[/] [@click=app.quit]x", "ctrl+s")
        await pilot.pause()
        assert "[/] [@click=app.quit]x" in screen_text(app)
        assert app.is_running
    # the command palette highlights titles literally (Textual's own highlighter parses markup)
    content = highlight("Open article: [/] [b]x[/b]", "x")
    assert content.plain == "Open article: [/] [b]x[/b]"


def test_stored_text_is_unchanged(hostile_db: Path) -> None:
    rows = [
        r[0]
        for r in sqlite3.connect(hostile_db).execute("SELECT text FROM sentences ORDER BY position")
    ]
    assert rows == SENTENCES
