"""The annotation screen never disagrees with the database: counters across articles, two
sessions of one annotator, a locked database. Real keys through Pilot, real SQLite file."""

import math
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from textual.content import Content

from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.article_view import ArticleView
from annotator.tui.widgets.header import ProgressLine
from annotator.tui.widgets.legend import Legend
from tests.test_tui_annotate import SHORT, SIZE, annotations, make_app


def stored_counts(db: Path, name: str = "alice") -> tuple[int, int, Counter[str]]:
    """(confirmed, sentences in the corpus, label counts over confirmed) from the file."""
    conn = sqlite3.connect(db)
    try:
        confirmed = conn.execute(
            "SELECT count(*) FROM annotations a JOIN annotators n ON n.id = a.annotator_id "
            "WHERE n.name = ? AND a.confirmed = 1",
            [name],
        ).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
        labels = Counter(
            {
                r[0]: r[1]
                for r in conn.execute(
                    # the annotator's own labels, as the legend counts them (a draft's)
                    "SELECT j.value, count(*) FROM annotations a JOIN annotators n "
                    "ON n.id = a.annotator_id, json_each(coalesce(a.draft_labels, a.labels)) j "
                    "WHERE n.name = ? AND a.confirmed = 1 GROUP BY j.value",
                    [name],
                )
            }
        )
    finally:
        conn.close()
    return confirmed, total, labels


def shown_counts(app: AnnotatorApp) -> tuple[str, Counter[str]]:
    """The corpus percentage in the progress line and the counts in the legend."""
    progress = str(app.screen.query_one(ProgressLine).render())
    percent = re.search(r"corpus (\S+)%", progress)
    assert percent, progress
    legend = str(app.screen.query_one(Legend).render())
    counts: Counter[str] = Counter()
    for m in re.finditer(r"^. \w\s+([A-Z]+)\s+(\d+)$", legend, re.M):
        if int(m.group(2)):
            counts[m.group(1)] = int(m.group(2))
    return percent.group(1), counts


def assert_agrees(app: AnnotatorApp, db: Path, name: str = "alice") -> None:
    confirmed, total, labels = stored_counts(db, name)
    percent, counts = shown_counts(app)
    # rounded down to a tenth: 100.0 only when all is done (audit9a F9)
    assert percent == f"{math.floor(1000 * confirmed / total) / 10:.1f}", (percent, confirmed)
    assert counts == labels


async def test_undo_across_an_article_boundary_keeps_the_counters(imported_db: Path) -> None:
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["enter"] * 12, "g")  # the whole short article, then the next
        await pilot.pause()
        line = app.screen.query_one(ProgressLine).render()
        assert isinstance(line, Content) and line.plain.startswith("Sentence 1/86")
        assert_agrees(app, imported_db)
        await pilot.press("z")  # undoes the last confirm, back in the first article
        await pilot.pause()
        assert_agrees(app, imported_db)
        await pilot.press("enter")
        await pilot.pause()
        assert_agrees(app, imported_db)


async def test_random_keys_across_articles_keep_screen_and_database_equal(
    imported_db: Path,
) -> None:
    rng = random.Random(int(os.environ.get("TRUTH_SEED", "1")))
    keys = ["enter"] * 10 + ["z"] * 4 + ["a", "q", "n", "b", "1", "j", "k", "g", "]", "["]
    app = make_app(imported_db, article=SHORT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["enter"] * 11)  # one sentence before the boundary
        for _ in range(80):
            await pilot.press(rng.choice(keys))
            await pilot.pause()
            assert_agrees(app, imported_db)


async def test_two_terminals_of_one_annotator_never_act_on_a_stale_screen(
    imported_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no idle repaint here (the next test has it): each key must find the change itself
    monkeypatch.setattr(AnnotateScreen, "POLL_S", 3600.0)
    one = make_app(imported_db, article=SHORT)
    two = make_app(imported_db, article=SHORT)
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await p1.pause()
        await p2.pause()
        await p1.press("q")  # pane 1 adds QUOTE
        await p1.pause()
        assert annotations(imported_db) == [(0, ["QUOTE"], {}, 0, None)]
        # pane 2 never showed that QUOTE: its `z` repaints and asks again, undoes nothing
        await p2.press("z")
        await p2.pause()
        assert annotations(imported_db) == [(0, ["QUOTE"], {}, 0, None)]
        assert "QUOTE" in two.screen.query_one(ArticleView).plain(0)
        assert any("another session" in n.message for n in two._notifications)
        await p2.press("z")  # now it is on screen: undone (one undo stack per annotator)
        await p2.pause()
        assert annotations(imported_db) == []
        # pane 1 still shows QUOTE; its next `q` was meant to remove it: refused, repainted
        await p1.press("q")
        await p1.pause()
        assert annotations(imported_db) == []
        assert "QUOTE" not in one.screen.query_one(ArticleView).plain(0)
        assert any("another session" in n.message for n in one._notifications)
        await p1.press("q")  # now the annotator sees no QUOTE and means to add it
        await p1.pause()
        assert annotations(imported_db) == [(0, ["QUOTE"], {}, 0, None)]
        # counters in both agree with the file after confirms in each
        await p1.press("enter")
        await p1.pause()
        await p2.press("j")  # a move is not refused: it repaints and moves
        await p2.pause()
        assert_agrees(two, imported_db)
        await p2.press("enter")
        await p2.pause()
        await p1.press("k")
        await p1.pause()
        assert_agrees(one, imported_db)
        assert_agrees(two, imported_db)


async def test_an_idle_screen_repaints_another_sessions_change(
    imported_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnnotateScreen, "POLL_S", 0.1)
    one = make_app(imported_db, article=SHORT)
    two = make_app(imported_db, article=SHORT)
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await p1.press("q", "enter")
        await p1.pause()
        await p2.pause(0.5)  # no key in pane 2
        assert "QUOTE" in two.screen.query_one(ArticleView).plain(0)
        assert_agrees(two, imported_db)


async def test_a_locked_database_says_it_waits_and_lets_the_annotator_read(
    imported_db: Path,
) -> None:
    app = make_app(imported_db, article=SHORT)
    holder = sqlite3.connect(imported_db, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        holder.execute("BEGIN IMMEDIATE")  # an import, say
        await pilot.press("q")
        await pilot.pause()
        line = str(app.screen.query_one(ProgressLine).render())
        assert "WAITING for the database" in line and "NOT saved" in line
        await pilot.press("j", "j")  # reading goes on
        await pilot.pause()
        assert app.screen.query_one(ArticleView).cursor == 2
        assert "WAITING" in str(app.screen.query_one(ProgressLine).render())
        holder.execute("ROLLBACK")
        await pilot.pause(0.8)
        assert "Sentence 3/12" in str(app.screen.query_one(ProgressLine).render())
        await pilot.press("q")
        await pilot.pause()
    holder.close()
    assert annotations(imported_db) == [(2, ["QUOTE"], {}, 0, None)]


def test_a_command_says_that_it_waits_for_the_lock(imported_db: Path, tmp_path: Path) -> None:
    # an article not imported yet: the import has something to write, so it meets the lock
    new = tmp_path / "new.txt"
    new.write_text("A new headline\n\nThe first sentence. The second one.\n", encoding="utf-8")
    holder = sqlite3.connect(imported_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    # the import parses before it writes (outside any lock), so the lock is held until the
    # command says it waits, however long the parse takes on a loaded machine
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(imported_db), "import", str(new)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()
    holder.execute("ROLLBACK")
    holder.close()
    out, rest = proc.communicate(timeout=60)
    assert proc.returncode == 0, first + rest
    assert "waiting up to" in first, first
    assert "imported 1 article" in out, out


@pytest.mark.parametrize("cols", [80, 60])
async def test_a_locked_database_says_not_saved_within_the_width(
    imported_db: Path, cols: int
) -> None:
    """audit9a F10: at 80 columns the WAITING line was cut before "That key was NOT saved":
    once the lock went, the key read as applied. What to do comes first, within the width."""
    from tests.test_tui_status import screen_lines

    app = make_app(imported_db, article=SHORT)
    holder = sqlite3.connect(imported_db, isolation_level=None)
    async with app.run_test(size=(cols, 24)) as pilot:
        await pilot.pause()
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("q")
        await pilot.pause()
        region = app.screen.query_one(ProgressLine).region
        shown = screen_lines(app)[region.y][: region.right]
        assert "NOT saved, press it again" in shown, shown
        holder.execute("ROLLBACK")
    holder.close()
