"""`annotator assign` (issue 14): properties of the pure plan over random teams and corpora
(hypothesis), then the real CLI on a real database and `status --format json`'s queues."""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.models.assignment import Article, AssignmentError, Existing, Plan, plan
from tests.conftest import RunCli


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[Article], list[str], int, int, int]:
    n = draw(st.integers(0, 40))
    sizes = draw(st.lists(st.integers(1, 60), min_size=n, max_size=n))
    articles = [Article(f"art{i:03d}", s) for i, s in enumerate(sizes)]
    team = [f"ann{i}" for i in range(draw(st.integers(1, 7)))]
    k = draw(st.integers(1, len(team)))
    calibration = draw(st.integers(0, 5))
    seed = draw(st.integers(0, 2**31))
    return articles, team, k, calibration, seed


def run(
    p: tuple[list[Article], list[str], int, int, int], existing: Existing | None = None
) -> Plan:
    articles, team, k, calibration, seed = p
    return plan(
        articles, team, per_article=k, calibration=calibration, seed=seed, existing=existing
    )


def by_article(result: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in result.slots:
        out.setdefault(s.article, []).append(s.annotator)
    return out


@settings(max_examples=150, deadline=None)
@given(problems())
def test_every_article_gets_k_or_all_for_calibration(p: tuple) -> None:
    articles, team, k, calibration, _ = p
    result = run(p)
    assigned = by_article(result)
    assert set(assigned) == {a.key for a in articles}  # every article, none invented
    assert len(result.calibration) == min(calibration, len(articles))
    for key, names in assigned.items():
        assert len(set(names)) == len(names)  # nobody twice on one article
        want = len(team) if key in result.calibration else k
        assert len(names) == want, key
    assert all(s.calibration == (s.article in result.calibration) for s in result.slots)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_loads_are_balanced_within_one_article(p: tuple) -> None:
    articles, team, _, _, _ = p
    result = run(p)
    size = {a.key: a.segments for a in articles}
    loads = Counter({n: 0 for n in team})
    for s in result.slots:
        loads[s.annotator] += size[s.article]
    assert dict(loads) == result.loads
    longest = max(size.values(), default=0)
    assert max(loads.values()) - min(loads.values()) <= longest


@settings(max_examples=100, deadline=None)
@given(problems())
def test_queues_are_permutations_deterministic_and_calibration_first(p: tuple) -> None:
    result = run(p)
    assert run(p).slots == result.slots  # the same seed, the same plan
    for name, queue in result.queues().items():
        positions = sorted(s.position for s in result.slots if s.annotator == name)
        assert positions == list(range(len(queue)))
        flags = [a in result.calibration for a in queue]
        assert flags == sorted(flags, reverse=True)  # calibration first


def test_orders_differ_between_annotators_and_seeds() -> None:
    articles = [Article(f"a{i}", 10) for i in range(30)]
    team = ["ann0", "ann1", "ann2", "ann3"]
    p = plan(articles, team, per_article=4, seed=1)  # everyone gets every article
    orders = [tuple(q) for q in p.queues().values()]
    assert len(orders) == 4 and len(set(orders)) == 4  # nobody shares a sequence
    assert all(sorted(o) == sorted(orders[0]) for o in orders)
    other = plan(articles, team, per_article=4, seed=2)
    assert other.queues() != p.queues()


@settings(max_examples=100, deadline=None)
@given(problems(), st.integers(0, 20))
def test_a_rerun_assigns_only_new_articles_and_moves_nothing(p: tuple, extra: int) -> None:
    articles, team, k, calibration, seed = p
    first = run(p)
    assigned = by_article(first)
    lengths = {n: len(q) for n, q in first.queues().items()}
    existing = Existing(assigned, frozenset(first.calibration), lengths)
    # nothing new: nothing to do, and the calibration set is not grown again
    assert run(p, existing).slots == []
    more = articles + [Article(f"new{i:03d}", 1 + i % 9) for i in range(extra)]
    second = plan(more, team, per_article=k, calibration=calibration, seed=seed, existing=existing)
    assert {s.article for s in second.slots} == {f"new{i:03d}" for i in range(extra)}
    for s in second.slots:  # appended after each queue's existing work
        assert s.position >= lengths.get(s.annotator, 0)
    total_calibration = len(first.calibration) + len(second.calibration)
    assert total_calibration == min(calibration, len(more))


@pytest.mark.parametrize(
    ("team", "k", "n", "says"),
    [
        ([], 1, 0, "no annotators"),
        (["a"], 2, 0, "needs at least 2 annotators"),
        (["a", "b"], 0, 0, "at least 1"),
        (["a", "b"], 1, -1, "0 or more"),
    ],
)
def test_impossible_requests(team: list[str], k: int, n: int, says: str) -> None:
    with pytest.raises(AssignmentError, match=says):
        plan([Article("x", 3)], team, per_article=k, calibration=n)


# --- the CLI on a real database --------------------------------------------------------------


def status(run_cli: RunCli) -> dict:
    r = run_cli("status", "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_assign_through_the_cli_and_status_queues(run_cli: RunCli, imported_db: Path) -> None:
    for name in ("alice", "bob", "carol"):
        assert run_cli("team", "add", name).exit_code == 0
    assert run_cli("team", "add", "dana", "--role", "adjudicator").exit_code == 0
    dry = run_cli("assign", "--per-article", "2", "--seed", "3", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would assign 2 articles" in dry.output and "dana" not in dry.output
    conn = sqlite3.connect(imported_db)
    assert conn.execute("SELECT count(*) FROM assignments").fetchone() == (0,)
    r = run_cli("assign", "--per-article", "2", "--calibration", "1", "--seed", "3")
    assert r.exit_code == 0, r.output
    assert "assigned 2 articles (1 calibration) to 3 annotators" in r.output
    # calibration to all three, the other article to exactly two
    counts = sorted(
        n for (n,) in conn.execute("SELECT count(*) FROM assignments GROUP BY article_id")
    )
    assert counts == [2, 3]
    data = status(run_cli)
    queues = {a["annotator"]: a["queue"] for a in data["annotators"]}
    assert set(queues) == {"alice", "bob", "carol"}
    for q in queues.values():
        assert [x["position"] for x in q] == list(range(len(q)))
        assert set(q[0]) == {"article", "position", "confirmed", "sentences"}
        assert all(x["confirmed"] == 0 and x["sentences"] > 0 for x in q)
    per = {a["article"]: a for a in data["assigned_articles"]}
    assert sorted(len(a["assigned"]) for a in per.values()) == [2, 3]
    assert sum(a["calibration"] for a in per.values()) == 1
    # a re-run with nothing new assigns nothing and moves nothing
    before = conn.execute("SELECT * FROM assignments ORDER BY 1, 2").fetchall()
    again = run_cli("assign", "--per-article", "2", "--calibration", "1", "--seed", "9")
    assert again.exit_code == 0 and "assigned 0 articles" in again.output
    assert conn.execute("SELECT * FROM assignments ORDER BY 1, 2").fetchall() == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--per-article", "4"), "needs at least 4 annotators"),
        (("--per-article", "1", "--annotators", "alice,,bob"), "the name is empty"),
        (("--per-article", "1", "--calibration", "-2"), "0 or more"),
    ],
)
def test_assign_mistakes_are_one_line(
    run_cli: RunCli, imported_db: Path, args: tuple[str, ...], says: str
) -> None:
    for name in ("alice", "bob"):
        assert run_cli("team", "add", name).exit_code == 0
    r = run_cli("assign", *args)
    assert r.exit_code != 0 and says in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert sqlite3.connect(imported_db).execute("SELECT count(*) FROM assignments").fetchone() == (
        0,
    )


def test_assign_without_a_team_needs_names(run_cli: RunCli, imported_db: Path) -> None:
    r = run_cli("assign", "--per-article", "1")
    assert r.exit_code != 0 and "no annotators" in r.output
    r = run_cli("assign", "--per-article", "1", "--annotators", "x,y")
    assert r.exit_code == 0, r.output
    data = status(run_cli)
    assert {a["annotator"] for a in data["annotators"]} == {"x", "y"}


def test_a_closed_team_refuses_strangers_in_assign(run_cli: RunCli, imported_db: Path) -> None:
    assert run_cli("team", "add", "alice").exit_code == 0
    assert run_cli("project", "set", "team", "closed").exit_code == 0
    r = run_cli("assign", "--per-article", "1", "--annotators", "alice,zed")
    assert r.exit_code != 0 and "zed" in r.output and "closed" in r.output


def test_an_adjudicator_named_in_assign_is_refused(run_cli: RunCli, imported_db: Path) -> None:
    """audit7 F6: `--annotators dana` gave the adjudicator a queue (adjudicators and
    managers are never assigned), and her labels would count as an annotator's."""
    for who, role in (("alice", "annotator"), ("dana", "adjudicator"), ("max", "manager")):
        assert run_cli("team", "add", who, "--role", role).exit_code == 0
    for names in ("dana", "alice,dana", "max,alice"):
        r = run_cli("assign", "--per-article", "1", "--annotators", names)
        assert r.exit_code == 1 and "not an annotator" in r.output, r.output
        assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
    assert all(not a["queue"] for a in status(run_cli)["annotators"])  # nothing stored
    assert run_cli("team", "role", "dana", "annotator").exit_code == 0
    assert run_cli("assign", "--per-article", "1", "--annotators", "alice,dana").exit_code == 0


def test_a_newcomer_gets_the_calibration_set_from_a_plain_assign(
    run_cli: RunCli, imported_db: Path
) -> None:
    """audit7 F7: zed, added after the calibration round, got new work from `assign` but
    never the calibration set ("every annotator gets it, first in their queue"), silently."""
    for who in ("alice", "bob", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    r = run_cli("assign", "--per-article", "2", "--calibration", "1", "--seed", "1")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(imported_db)
    calib = {
        r[0]
        for r in conn.execute(
            "SELECT a.external_id FROM assignments s JOIN articles a ON a.id = s.article_id "
            "WHERE s.calibration = 1"
        )
    }
    conn.close()
    assert len(calib) == 1
    assert run_cli("team", "add", "zed").exit_code == 0
    r = run_cli("assign", "--per-article", "2")
    assert r.exit_code == 0, r.output
    assert "the calibration set to zed, who joined since it was chosen (1 article)" in r.output
    queues = {
        a["annotator"]: [q["article"] for q in a["queue"]] for a in status(run_cli)["annotators"]
    }
    assert queues["zed"][:1] == sorted(calib)  # first in the newcomer's queue
    assert all(queues[w].count(next(iter(calib))) == 1 for w in queues)  # once each
    # a second run has nothing left to hand over
    again = run_cli("assign", "--per-article", "2")
    assert "calibration set to" not in again.output


@pytest.mark.parametrize(
    ("m", "k", "n", "seed"), [(4, 2, 60, 7), (5, 3, 500, 1), (7, 2, 300, 2), (10, 3, 1000, 3)]
)
def test_every_pair_of_annotators_meets_about_equally(m: int, k: int, n: int, seed: int) -> None:
    """audit7 F12: the K least loaded, ties by one fixed rank, made fixed sub-teams (4
    annotators, K = 2: only 2 of the 6 pairs ever shared an article, so most pairs'
    agreement was undefined and each annotator was compared with one partner only)."""
    rng = random.Random(seed)
    articles = [Article(f"art{i:04d}", rng.randint(1, 80)) for i in range(n)]
    team = [f"ann{i}" for i in range(m)]
    result = plan(articles, team, per_article=k, seed=seed)
    met = Counter(
        pair
        for names in by_article(result).values()
        for pair in itertools.combinations(sorted(names), 2)
    )
    counts = [met[pair] for pair in itertools.combinations(sorted(team), 2)]
    mean = sum(counts) / len(counts)
    assert min(counts) > 0
    assert max(counts) - min(counts) <= max(2, 0.1 * mean), counts
    loads = result.loads.values()
    assert max(loads) - min(loads) <= max(a.segments for a in articles)  # balance kept


def test_a_calibration_set_larger_than_the_new_articles_is_said(
    run_cli: RunCli, imported_db: Path
) -> None:
    """audit7 F19: `--calibration 100` on 59 new articles said only "(59 calibration)":
    every article had silently become calibration, for every annotator."""
    for who in ("alice", "bob", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    r = run_cli("assign", "--per-article", "2", "--calibration", "100", "--dry-run")
    assert r.exit_code == 0, r.output
    assert (
        "note: --calibration 100 asks for more articles than there were new ones: all "
        "2 articles joined the calibration set, each labelled by every annotator"
    ) in r.output
    r = run_cli("assign", "--per-article", "2", "--calibration", "1", "--dry-run")
    assert r.exit_code == 0 and "note:" not in r.output, r.output


async def test_an_article_outside_one_s_queue_says_so(run_cli: RunCli, imported_db: Path) -> None:
    """audit14 F6: bob opened an article assigned to alice and carol, labelled it, and the
    only sign was "queue -/2"; his labels count as a third annotator's."""
    from annotator.session import AnnotationSession
    from annotator.store.database import open_store
    from annotator.store.schemas import use_guidelines
    from annotator.tui.app import create_app

    for name in ("alice", "bob", "carol"):
        assert run_cli("team", "add", name).exit_code == 0
    r = run_cli("assign", "--per-article", "2", "--seed", "3")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(imported_db)
    rows = conn.execute(
        "SELECT r.external_id, group_concat(n.name) FROM assignments s JOIN articles r "
        "ON r.id = s.article_id JOIN annotators n ON n.id = s.annotator_id "
        "GROUP BY s.article_id"
    ).fetchall()
    conn.close()
    article, names = next((a, n) for a, n in rows if {"alice", "bob", "carol"} - set(n.split(",")))
    theirs = sorted(names.split(","))
    outsider = ({"alice", "bob", "carol"} - set(theirs)).pop()
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, outsider, article=article)
    said = s.outside_queue()
    assert said is not None and f"assigned to {', '.join(theirs)}" in said, said
    # in the queue: nothing to say; opened from the picker: said
    own = s.queue.spans[0][0]
    assert s.open_article(own).message is None
    assert (
        s.open_article(
            int(s.store.scalar("SELECT id FROM articles WHERE external_id = ?", [article]) or 0)
        ).message
        == said
    )
    # and the screen says it at once when opened with --article
    app = create_app(AnnotationSession(store, g, outsider, article=article))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("not in your queue" in str(n.message) for n in app._notifications) or (
            "not in your queue" in "\n".join(str(w.render()) for w in app.screen.query("Static"))
        )
    store.close()


def test_status_says_which_counts_are_the_corpus_s(run_cli: RunCli, imported_db: Path) -> None:
    """audit14 F7: "sentences: 0 of 2 articles complete" beside "queue: 0 of 1 assigned
    articles done" read as the queue's; with a queue, the corpus-wide count says so."""
    for name in ("alice", "bob", "carol"):
        assert run_cli("team", "add", name).exit_code == 0
    assert run_cli("assign", "--per-article", "1", "--seed", "3").exit_code == 0
    out = run_cli("status", "--no-articles", "--bootstrap", "0").output
    assert "sentences: 0 of 2 articles in the corpus complete" in out, out
