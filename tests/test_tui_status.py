"""The status screen (`annotator status --tui`; a manager's URL/status when served): the
figures `annotator status --format json` gives, as tables, with hostile names and titles
shown as written and never run as markup; gold agreement for managers only; r reads again.
Served and in a browser: tests/test_serve.py and tests/test_serve_browser.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from annotator.adjudication import AdjudicationSession
from annotator.safetext import printable
from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.screens.status import StatusScreen
from annotator.tui.status_app import create_status_app
from annotator.tui.widgets.fitted_table import FittedTable
from tests.conftest import ROOT, write
from tests.ptyterm import PtyApp
from tests.served import EVIL_TITLE, cli, evil_annotator

SIZE = (140, 40)
LABELS = ROOT / "demo" / "team-labels.jsonl"


def hostile_project(base: Path) -> Path:
    """The samples with the demo team's labels, unanimous sentences made gold, an article
    with a hostile title labelled by an annotator with a hostile name, alice and bob on the
    team with the articles assigned, and carol the manager."""
    db = base / "project.sqlite"
    article = {"id": "evil", "title": EVIL_TITLE, "text": "They said so. It was late."}
    write(base / "evil.jsonl", json.dumps(article) + "\n")
    cli(db, "import", str(ROOT / "samples"), str(base / "evil.jsonl"))
    cli(db, "import-labels", str(LABELS), "--format", "jsonl")
    evil_annotator(db, base)
    for name, role in (("alice", "annotator"), ("bob", "annotator"), ("carol", "manager")):
        cli(db, "team", "add", name, "--role", role)
    cli(db, "assign", "--per-article", "1", "--seed", "1")
    store = open_store(db)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "carol")  # unanimous sentences become gold
    store.close()
    return db


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_project(tmp_path_factory.mktemp("status"))


def status_json(db: Path, viewer: str) -> dict[str, Any]:
    out = cli(db, "status", "--format", "json", "--as", viewer, "--bootstrap", "20")
    return json.loads(out)


def rows(screen: StatusScreen, table: str) -> list[list[str]]:
    t = screen.query_one(table, DataTable)
    return [[str(c) for c in t.get_row_at(i)] for i in range(t.row_count)]


def app_for(db: Path, viewer: str):
    store = open_store(db)
    g, _ = use_guidelines(store)
    store.close()
    return create_status_app(db, g, viewer, n_resamples=20)


async def _ready(pilot, screen: StatusScreen) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.data is not None


async def test_the_screen_shows_what_status_reports(project: Path) -> None:
    expected = status_json(project, "carol")
    app = app_for(project, "carol")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        await _ready(pilot, screen)
        title = str(screen.query_one("#status-title", Static).render())
        assert f"{expected['articles']} articles" in title
        assert f"{expected['sentences']} sentences" in title
        people = {r[0]: r for r in rows(screen, "#annotator-table")}
        assert set(people) == {printable(a["annotator"]) for a in expected["annotators"]}
        for a in expected["annotators"]:
            row = people[printable(a["annotator"])]
            assert row[1] == str(a["confirmed"]) and row[3] == str(a["events"])
            if a["queue"]:  # alice and bob were assigned the articles
                q = a["assigned"]
                assert row[8] == f"{q['articles_done']}/{q['articles']}"
        # staff apart, and the adjudication line
        notes = str(screen.query_one("#status-notes", Static).render())
        assert "manager: carol" in notes and "sentences have gold" in notes
        # per article: every (annotator, article) pair of the report
        per_article = rows(screen, "#article-table")
        assert len(per_article) == sum(len(a["articles"]) for a in expected["annotators"])
        # who is assigned to what
        assigned = rows(screen, "#assignment-table")
        assert {r[0].removesuffix(" (calibration)") for r in assigned} == {
            x["article"] for x in expected["assigned_articles"] if x["assigned"]
        }
        # a manager sees each annotator against gold, with the same coefficient
        gold = rows(screen, "#status-gold-table")
        for person in expected["gold_agreement"]:
            first = next(i for i, r in enumerate(gold) if r[0].startswith(person["annotator"]))
            alpha = person["labels"][0]["krippendorff_alpha"]["value"]
            assert gold[first][1] == person["labels"][0]["label"]
            assert gold[first][2].startswith("undefined" if alpha is None else f"{alpha:.3f}")
        # the hostile name and title: as written, control characters made visible,
        # never markup (the [@click=app.quit] did not quit, the [b] is text)
        evil = [r for r in per_article if r[3] == "evil"]
        assert len(evil) == 1
        name, title_cell = evil[0][0], evil[0][4]
        assert name.startswith("[b]mallory[/b]") and "\x1b" not in name
        assert title_cell.startswith("[@click=app.quit]Boom[/] [b]x ")
        assert "\x1b" not in title_cell and "\x07" not in title_cell
        cells = screen.query_one("#article-table", DataTable).get_row_at(per_article.index(evil[0]))
        assert all(isinstance(c, Text) for c in cells)  # never a str Textual would parse
        await pilot.press("2")  # the Articles tab
        assert screen.query_one("#status-tabs").active == "tab-articles"  # type: ignore[attr-defined]
        await pilot.click("#article-table")
        assert app.is_running
        await pilot.press("escape")
        assert app.is_running  # Back on the only screen does not quit (ctrl+q does)


async def test_an_annotator_does_not_see_gold_agreement(project: Path) -> None:
    assert "gold_agreement" not in status_json(project, "bob")
    app = app_for(project, "bob")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        await _ready(pilot, screen)
        assert rows(screen, "#status-gold-table") == []
        said = str(screen.query_one("#status-gold-title", Static).render())
        assert "Only a manager" in said


async def test_r_reads_the_database_again(project: Path) -> None:
    app = app_for(project, "carol")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        await _ready(pilot, screen)
        before = {r[0]: int(r[1]) for r in rows(screen, "#annotator-table")}
        store = open_store(project)
        g, _ = use_guidelines(store)
        AnnotationSession(store, g, "alice", article="evil").confirm()
        store.close()
        await pilot.press("r")
        await _ready(pilot, screen)
        after = {r[0]: int(r[1]) for r in rows(screen, "#annotator-table")}
        assert after["alice"] == before["alice"] + 1
        assert after["bob"] == before["bob"]


@pytest.mark.slow
def test_status_tui_in_a_real_terminal(project: Path) -> None:
    """`annotator status --tui` on a pty: the screen, read, and ctrl+q ends it cleanly."""
    app = PtyApp(
        ["--db", str(project), "status", "--tui", "--as", "carol", "--bootstrap", "20"],
        cols=120,
        rows=30,
    )
    try:
        screen = app.wait_for(lambda t: "alice" in t and "Annotators" in t, timeout=60)
        assert "[b]mallory[/b]" in screen  # as written
        assert app.quit() == 0
    finally:
        app.stop()
    assert b"\x1b]52;" not in app.raw


def screen_lines(app) -> list[str]:
    """The screen as the terminal would show it, one string a row."""
    strips = app.screen._compositor.render_strips()
    return ["".join(s.text for s in strip) for strip in strips]


def assert_whole_columns(table: DataTable[object], lines: list[str]) -> None:
    """Nothing of the table lies past its right edge (no figure cut short), and the columns
    left out are named under it."""
    assert table.virtual_size.width <= table.scrollable_content_region.width
    assert isinstance(table, FittedTable)
    shown = [str(c.label) for c in table.ordered_columns]
    header = next(line for line in lines if line.strip().startswith(shown[0]))
    assert all(f" {label}" in header for label in shown)
    if table.hidden:
        mark = " ".join(str(table.mark.render()).split())
        assert mark.startswith("→ not shown at this width: " + ", ".join(table.hidden))
        assert " ".join(" ".join(lines).split()).count("→ not shown at this width") >= 1
    else:
        assert not table.mark.display


async def test_at_80_columns_whole_columns_are_left_out_never_cut(project: Path) -> None:
    """audit9a F3: at 80 columns "per hour" read "per hou" over 121 for alice's 1217."""
    expected = status_json(project, "carol")
    app = app_for(project, "carol")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        await _ready(pilot, screen)
        table = screen.query_one("#annotator-table", DataTable)
        assert_whole_columns(table, screen_lines(app))
        assert isinstance(table, FittedTable) and table.hidden  # 80 columns cannot hold ten
        shown = [str(c.label) for c in table.ordered_columns]
        assert "per hour" in shown and "queue left" in shown  # kept before events, forms
        lines = screen_lines(app)
        for a in expected["annotators"]:
            if a["sentences_per_hour"] is not None:
                row = next(x for x in lines if x.startswith(f" {printable(a['annotator'])} "))
                assert f" {a['sentences_per_hour']:.0f} " in row  # every digit
        await pilot.press("4")  # gold: the n column whole, or named as left out
        await pilot.pause()
        assert_whole_columns(screen.query_one("#status-gold-table", DataTable), screen_lines(app))
        await pilot.resize_terminal(200, 50)
        await pilot.press("1")
        await pilot.pause()
        assert not table.hidden and len(table.ordered_columns) == 10
        assert_whole_columns(table, screen_lines(app))


def assert_footer_keeps_every_key(app, cols: int) -> None:
    """Every key the footer holds lies whole on the screen, its word included."""
    from textual.widgets._footer import FooterKey

    keys = [k for k in app.screen.query(FooterKey) if not k.has_class("-command-palette")]
    assert keys
    last = screen_lines(app)[-1]
    for k in keys:
        assert k.region.right <= cols, (k.key_display, k.region)
        assert f"{k.key_display} {k.description}".strip() in last, (k.key_display, last)
    assert "^q" in last


@pytest.mark.parametrize("cols", [80, 60])
async def test_the_status_footer_keeps_every_key(project: Path, cols: int) -> None:
    """audit9a F4: at 80x24 the footer read "4 Gol▏^p palette": no ^q Quit."""
    app = app_for(project, "carol")
    async with app.run_test(size=(cols, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, StatusScreen)
        await _ready(pilot, screen)
        assert_footer_keeps_every_key(app, cols)


async def test_the_counts_show_before_the_gold_bootstrap_ends_and_r_does_the_same(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """audit9a F15: every tab waited for the gold agreement's bootstrap ("Status: reading…"
    for 14 s at 5,000 articles), and r paid it again. The bootstrap is held at its start
    (then run for real): what the screen shows then is what a manager sees while it runs,
    observed, not timed. Before the fix the counts were not on the screen yet."""
    import asyncio
    import threading

    from annotator import project_status

    expected = status_json(project, "carol")
    reached, go = threading.Event(), threading.Event()
    bootstrap = project_status.gold_agreement

    def held_bootstrap(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        reached.set()
        assert go.wait(timeout=60)
        return bootstrap(*args, **kwargs)

    monkeypatch.setattr(project_status, "gold_agreement", held_bootstrap)
    app = app_for(project, "carol")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, StatusScreen)

        async def held() -> None:
            assert await asyncio.to_thread(reached.wait, 60)
            reached.clear()
            await pilot.pause()

        try:
            await held()
            title = str(screen.query_one("#status-title", Static).render())
            assert f"{expected['articles']} articles" in title and "reading" not in title
            assert screen.query_one("#status-tabs").display
            people = {r[0]: r for r in rows(screen, "#annotator-table")}
            alice = next(a for a in expected["annotators"] if a["annotator"] == "alice")
            assert people["alice"][1] == str(alice["confirmed"])
            assert rows(screen, "#assignment-table") and rows(screen, "#article-table")
            gold_title = str(screen.query_one("#status-gold-title", Static).render())
            assert "computing…" in gold_title and rows(screen, "#status-gold-table") == []
            go.set()
            await _ready(pilot, screen)
            gold = rows(screen, "#status-gold-table")
            assert len(gold) == sum(len(p["labels"]) for p in expected["gold_agreement"])
            assert "computing" not in str(screen.query_one("#status-gold-title", Static).render())
            # r: the new counts at once, the intervals after, the same way
            store = open_store(project)
            g, _ = use_guidelines(store)
            AnnotationSession(store, g, "alice", article="evil").confirm()
            store.close()
            go.clear()
            await pilot.press("r")
            await held()
            after = {r[0]: r for r in rows(screen, "#annotator-table")}
            assert int(after["alice"][1]) == alice["confirmed"] + 1
            assert "computing…" in str(screen.query_one("#status-gold-title", Static).render())
            assert rows(screen, "#status-gold-table") == []
            go.set()
            await _ready(pilot, screen)
            assert len(rows(screen, "#status-gold-table")) == len(gold)
        finally:
            go.set()  # a failed assertion leaves no worker waiting
