"""The annotation screen with assignments (issue 14): the annotator's queue, only their
articles in their order; `]`/`[`, `g`, the picker and the palette stay within it; the
progress line says "queue i/n". Without assignments, the whole corpus as before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.store import assignments
from annotator.tui.dialogs.picker import ArticlePicker
from annotator.tui.widgets.header import ProgressLine
from tests.conftest import RunCli, write
from tests.test_tui_annotate import make_app

SIZE = (120, 40)
ARTICLES = 10


@pytest.fixture
def assigned_db(run_cli: RunCli, db_path: Path, tmp_path: Path) -> Path:
    """Ten articles of three sentences; alice and bob get five each (one annotator per
    article), in orders shuffled with the seed; carol has no assignments."""
    lines = [
        json.dumps(
            {
                "id": f"art{i:02d}",
                "title": f"Article number {i}",
                "text": f"First of {i} is here. Second of {i} follows. Third of {i} ends it.",
            }
        )
        for i in range(ARTICLES)
    ]
    src = write(tmp_path / "ten.jsonl", "\n".join(lines) + "\n")
    assert run_cli("import", str(src)).exit_code == 0
    r = run_cli("assign", "--per-article", "1", "--annotators", "alice,bob", "--seed", "4")
    assert r.exit_code == 0, r.output
    return db_path


def queue(db: Path, name: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [
            str(r[0])
            for r in conn.execute(
                "SELECT a.external_id FROM assignments s JOIN articles a ON a.id = s.article_id "
                "JOIN annotators n ON n.id = s.annotator_id WHERE n.name = ? "
                "ORDER BY s.position",
                [name],
            )
        ]
    finally:
        conn.close()


def confirmed(db: Path, name: str) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT a.external_id, count(*) FROM annotations x "
                "JOIN articles a ON a.id = x.article_id JOIN annotators n ON n.id = x.annotator_id "
                "WHERE n.name = ? AND x.confirmed = 1 GROUP BY a.external_id",
                [name],
            ).fetchall()
        )
    finally:
        conn.close()


def progress(app: object) -> str:
    return str(app.screen.query_one(ProgressLine).render())  # type: ignore[attr-defined]


def shown(app: object) -> str:
    return str(app.session.article.external_id)  # type: ignore[attr-defined]


async def test_an_assigned_annotator_works_through_their_queue(assigned_db: Path) -> None:
    mine = queue(assigned_db, "alice")
    assert len(mine) == 5 and mine != sorted(mine)  # shuffled: not the corpus order
    app = make_app(assigned_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app) == mine[0]
        assert "queue 1/5" in progress(app)
        await pilot.press("]")
        await pilot.pause()
        assert shown(app) == mine[1] and "queue 2/5" in progress(app)
        await pilot.press("[")
        await pilot.pause()
        assert shown(app) == mine[0]
        await pilot.press("[")  # the first of the queue: no further back
        await pilot.pause()
        assert shown(app) == mine[0]
        # finishing one article, then g: the next one in the queue (not the next by id)
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        assert confirmed(assigned_db, "alice") == {mine[0]: 3}
        assert shown(app) == mine[0]  # stays on the finished article, for its form
        assert "queue done 20.0%" in progress(app)
        await pilot.press("g")
        await pilot.pause()
        assert shown(app) == mine[1] and "queue 2/5" in progress(app)
        assert "queue done 20.0%" in progress(app)
        for _ in range(4):
            await pilot.press("]")
        await pilot.pause()
        assert shown(app) == mine[4] and "queue 5/5" in progress(app)
        await pilot.press("]")
        await pilot.pause()
        assert shown(app) == mine[4]
        messages = [n.message for n in app._notifications]
        assert any("last article of your queue" in m for m in messages)


async def test_g_and_the_picker_stay_within_the_queue(assigned_db: Path) -> None:
    mine = queue(assigned_db, "alice")
    app = make_app(assigned_db, "alice")
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # confirm the whole queue with g between articles
        for _ in range(5):
            await pilot.press("enter", "enter", "enter", "g")
        await pilot.pause()
        assert confirmed(assigned_db, "alice") == dict.fromkeys(mine, 3)
        messages = [n.message for n in app._notifications]
        # bob's five articles are unconfirmed, but they are not alice's to do
        assert any("every sentence in your queue is confirmed" in m for m in messages)
        assert shown(app) in mine and "queue done 100.0%" in progress(app)
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert [e.title for e in picker.entries] == [f"Article number {int(x[3:])}" for x in mine]
        assert all(e.confirmed == 3 for e in picker.entries)
    palette = [a.external_id for a, _ in app.session.article_list()]
    assert palette == mine  # the command palette's "Open article" reads the same list


async def test_reopening_resumes_in_the_queue_and_other_articles_only_by_name(
    assigned_db: Path,
) -> None:
    mine = queue(assigned_db, "alice")
    app = make_app(assigned_db, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]", "]", "j")
        await pilot.pause()
    app = make_app(assigned_db, "alice")
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app) == mine[2] and app.session.index == 1
        assert "queue 3/5" in progress(app)
    # asked for by name, an article outside the queue opens (a manager, a script), and
    # the progress line says so; ] leads back into the queue
    theirs = queue(assigned_db, "bob")
    app = make_app(assigned_db, "alice", article=theirs[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app) == theirs[0] and "queue –/5" in progress(app)
        await pilot.press("]")
        await pilot.pause()
        assert shown(app) == mine[0] and "queue 1/5" in progress(app)


async def test_without_assignments_the_whole_corpus_as_before(assigned_db: Path) -> None:
    app = make_app(assigned_db, "carol")
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app) == "art00" and "Article 1/10" in progress(app)
        assert "queue" not in progress(app)
        # said at once: the project assigns its articles, none to carol (audit7 F16)
        from annotator.tui.widgets.messages import MessageLog

        said = [m.text for m in app.screen.query_one(MessageLog).messages]
        assert any(t.startswith("No queue: no articles are assigned to you yet") for t in said)
        seen = [shown(app)]
        for _ in range(ARTICLES - 1):
            await pilot.press("]")
            await pilot.pause()
            seen.append(shown(app))
        assert seen == [f"art{i:02d}" for i in range(ARTICLES)]
        await pilot.press("enter", "enter", "enter", "g")
        await pilot.pause()
        assert shown(app) == "art00"  # g wraps round the corpus to the first unconfirmed
    assert confirmed(assigned_db, "carol") == {"art09": 3}
    assert len(app.session.article_list()) == ARTICLES


async def test_work_outside_the_queue_and_a_queue_that_grows(
    assigned_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    # carol confirms in the corpus before she has a queue; then new articles come in and
    # are assigned to her: her old work is outside her queue, and undo may lead there
    app = make_app(assigned_db, "carol", article="art00")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
    more = [
        json.dumps({"id": f"new{i}", "text": f"New one {i} starts. It ends {i}."}) for i in range(3)
    ]
    assert run_cli("import", str(write(tmp_path / "more.jsonl", "\n".join(more)))).exit_code == 0
    r = run_cli("assign", "--per-article", "1", "--annotators", "carol", "--seed", "1")
    assert r.exit_code == 0 and "assigned 3 articles" in r.output, r.output
    app = make_app(assigned_db, "carol")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app).startswith("new") and "queue 1/3" in progress(app)
        assert "queue done 0.0%" in progress(app)  # art00's sentence is not in her queue
        await pilot.press("enter")
        await pilot.pause()
        assert "queue done 16.6%" in progress(app)  # 1 of 6
        await pilot.press("z", "z")  # her last confirm, then the one in art00
        await pilot.pause()
        assert shown(app) == "art00" and "queue –/3" in progress(app)
        assert "queue done 0.0%" in progress(app)
        assert confirmed(assigned_db, "carol") == {}
        await pilot.press("]")  # back into the queue
        await pilot.pause()
        assert shown(app) == queue(assigned_db, "carol")[0]
        # a manager assigns more while the screen is open: ] and the picker see them
        extra = json.dumps({"id": "late", "text": "Late news comes. It is short."})
        assert run_cli("import", str(write(tmp_path / "late.jsonl", extra))).exit_code == 0
        r = run_cli("assign", "--per-article", "1", "--annotators", "carol", "--seed", "1")
        assert r.exit_code == 0, r.output
        await pilot.press("o")
        await pilot.pause()
        entries = app.screen.entries  # type: ignore[attr-defined]
        assert len(entries) == 4 and entries[-1].title == "late"
        await pilot.press("escape")
        await pilot.pause()
        assert "queue 1/4" in progress(app)


@given(
    st.lists(st.booleans(), min_size=1, max_size=120),
    st.lists(st.tuples(st.integers(0, 119), st.integers(0, 12)), max_size=12),
)
def test_the_queue_count_sweep_equals_counting_one_by_one(
    confirmed: list[bool], spans: list[tuple[int, int]]
) -> None:
    # confirmed ids as maximal ranges (what confirmed_ranges holds); spans made disjoint
    ranges: list[tuple[int, int]] = []
    for i, c in enumerate(confirmed):
        if c and ranges and ranges[-1][1] == i - 1:
            ranges[-1] = (ranges[-1][0], i)
        elif c:
            ranges.append((i, i))
    taken: set[int] = set()
    disjoint = []
    for lo, length in spans:
        ids = set(range(lo, lo + length + 1))
        if not ids & taken:
            taken |= ids
            disjoint.append((lo, lo + length))
    expected = sum(1 for i in taken if i < len(confirmed) and confirmed[i])
    assert assignments.overlap(ranges, disjoint) == expected
