"""`annotator assign --rebalance` and `--articles FILTER` (issue 14): properties of the pure
rebalance over random teams, corpora and begun work (hypothesis), then the real CLI on a real
database, with begun work made through the real annotation session."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.models.assignment import (
    Article,
    AssignmentError,
    Existing,
    Plan,
    Rebalance,
    parse_filter,
    plan,
    rebalance,
)
from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write

Case = tuple[list[Article], list[str], Plan, list[str], set[tuple[str, str]], int]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A first plan over a random team and corpus, some of its work begun, and the team
    after some annotators left and newcomers joined."""
    n = draw(st.integers(0, 30))
    sizes = draw(st.lists(st.integers(1, 50), min_size=n, max_size=n))
    articles = [Article(f"art{i:03d}", s) for i, s in enumerate(sizes)]
    team = [f"ann{i}" for i in range(draw(st.integers(2, 7)))]
    k = draw(st.integers(1, len(team) - 1))
    first = plan(
        articles,
        team,
        per_article=k,
        calibration=draw(st.integers(0, 3)),
        seed=draw(st.integers(0, 99)),
    )
    # leavers: at least one, never so many that K annotators cannot remain
    leave = draw(st.integers(1, len(team) - k))
    leavers = draw(st.lists(st.sampled_from(team), min_size=1, max_size=leave, unique=True))
    newcomers = [f"new{i}" for i in range(draw(st.integers(0, 2)))]
    after = [n for n in team if n not in leavers] + newcomers
    slots = [(s.article, s.annotator) for s in first.slots]
    begun = set(draw(st.lists(st.sampled_from(slots), max_size=len(slots)))) if slots else set()
    return articles, after, first, leavers, begun, draw(st.integers(0, 99))


def existing_of(first: Plan) -> Existing:
    assigned: dict[str, list[str]] = {}
    for s in first.slots:
        assigned.setdefault(s.article, []).append(s.annotator)
    lengths = {n: len(q) for n, q in first.queues().items()}
    return Existing(assigned, frozenset(first.calibration), lengths)


def after_rebalance(first: Plan, r: Rebalance) -> dict[str, set[str]]:
    holders: dict[str, set[str]] = {}
    for s in first.slots:
        holders.setdefault(s.article, set()).add(s.annotator)
    for article, name in r.dropped:
        holders[article].remove(name)
    for s in r.slots:
        assert s.annotator not in holders[s.article]  # nobody twice on one article
        holders[s.article].add(s.annotator)
    return holders


def run(case: Case) -> Rebalance:
    articles, after, first, _, begun, seed = case
    return rebalance(articles, after, existing=existing_of(first), started=begun, seed=seed)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_each_article_keeps_its_k_and_calibration_goes_to_all(case: Case) -> None:
    _, after, first, leavers, begun, _ = case
    r = run(case)
    before = after_rebalance(first, Rebalance([], [], {}, {}))
    now = after_rebalance(first, r)
    for article, names in now.items():
        if article in first.calibration:
            # every current annotator, plus leavers who had begun it
            assert names == set(after) | {n for n in leavers if (article, n) in begun}
        else:
            assert len(names) == len(before[article]), article  # exactly K kept


@settings(max_examples=200, deadline=None)
@given(cases())
def test_begun_work_never_moves_and_leavers_keep_nothing_else(case: Case) -> None:
    _, after, first, leavers, begun, _ = case
    r = run(case)
    now = after_rebalance(first, r)
    for s in first.slots:
        if s.annotator in after or (s.article, s.annotator) in begun:
            assert s.annotator in now[s.article]  # stays, and at its place in the queue
    for article, names in now.items():
        for name in names & set(leavers):
            assert (article, name) in begun
    assert set(r.dropped).isdisjoint(begun)
    assert {(a, n) for n, arts in r.kept.items() for a in arts} == {
        (s.article, s.annotator)
        for s in first.slots
        if s.annotator in leavers and (s.article, s.annotator) in begun
    }
    # new work is appended after each queue's existing work, positions unique
    lengths = existing_of(first).queue_length
    for s in r.slots:
        assert s.position >= lengths.get(s.annotator, 0)
    assert len({(s.annotator, s.position) for s in r.slots}) == len(r.slots)


def loads_of(articles: list[Article], holders: dict[str, set[str]], team: list[str]) -> Counter:
    size = {a.key: a.segments for a in articles}
    loads = Counter({n: 0 for n in team})
    for article, names in holders.items():
        for n in names:
            if n in loads:
                loads[n] += size[article]
    return loads


@settings(max_examples=200, deadline=None)
@given(cases())
def test_nobody_receives_work_while_someone_who_could_take_it_carries_less(
    case: Case,
) -> None:
    articles, after, first, _, _, _ = case
    r = run(case)
    now = after_rebalance(first, r)
    loads = loads_of(articles, now, after)
    assert dict(loads) == r.loads
    size = {a.key: a.segments for a in articles}
    received: dict[str, list[str]] = {}
    for s in r.slots:
        if not s.calibration:
            received.setdefault(s.annotator, []).append(s.article)
    for name, got in received.items():
        smallest = min(size[a] for a in got)
        # the last article this annotator received (the smallest, as the longest go first):
        # they were then the least loaded of those who could take it
        assert any(
            all(
                loads[name] - size[a] <= loads[other]
                for other in after
                if other != name and other not in now[a]
            )
            for a in got
            if size[a] == smallest
        ), name


@settings(max_examples=200, deadline=None)
@given(cases())
def test_balance_within_one_article_when_anyone_may_take_each(case: Case) -> None:
    """With K = 1 and no calibration every remaining annotator may take every moved
    article: the spread stays within the old spread or one moved article's length."""
    articles, after, first, leavers, begun, seed = case
    first = plan(articles, [*after, *leavers], per_article=1, seed=seed)
    begun = {x for x in begun if x in {(s.article, s.annotator) for s in first.slots}}
    before = loads_of(articles, after_rebalance(first, Rebalance([], [], {}, {})), after)
    r = rebalance(articles, after, existing=existing_of(first), started=begun, seed=seed)
    loads = loads_of(articles, after_rebalance(first, r), after)
    size = {a.key: a.segments for a in articles}
    moved = max((size[s.article] for s in r.slots), default=0)
    spread_before = max(before.values()) - min(before.values())
    assert max(loads.values()) - min(loads.values()) <= max(spread_before, moved)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_rebalance_is_deterministic_and_a_second_run_moves_nothing(case: Case) -> None:
    articles, after, first, _, begun, seed = case
    r = run(case)
    assert run(case) == r
    # apply it, then rebalance again: nothing left to move
    holders = after_rebalance(first, r)
    lengths = dict(existing_of(first).queue_length)
    for s in r.slots:
        lengths[s.annotator] = max(lengths.get(s.annotator, 0), s.position + 1)
    again = rebalance(
        articles,
        after,
        existing=Existing(
            {a: sorted(n) for a, n in holders.items()}, frozenset(first.calibration), lengths
        ),
        started=begun,
        seed=seed,
    )
    assert again.slots == [] and again.dropped == []


def test_rebalance_refuses_when_too_few_remain() -> None:
    first = plan([Article("x", 3)], ["a", "b"], per_article=2)
    with pytest.raises(AssignmentError, match="article x needs 1 more"):
        rebalance([Article("x", 3)], ["a"], existing=existing_of(first), started=set())


def test_plan_only_assigns_the_selected_articles_and_counts_every_load() -> None:
    articles = [Article(f"a{i}", 10) for i in range(6)]
    first = plan(articles[:2], ["x", "y"], per_article=1, seed=1)
    existing = existing_of(first)
    p = plan(
        articles, ["x", "y"], per_article=1, existing=existing, only={"a2", "a3", "a5"}, seed=1
    )
    assert {s.article for s in p.slots} == {"a2", "a3", "a5"}
    assert sum(p.loads.values()) == 50  # the two old articles count in the balance


@pytest.mark.parametrize(
    ("text", "kind", "pattern"),
    [
        ("reuters-*", "id", "reuters-*"),
        ("outlet:The Guardian", "outlet", "The Guardian"),
        ("source:scraped/b2/*", "source", "scraped/b2/*"),
        ("imported:2026-12", "imported", "2026-12"),
        ("odd:name", "id", "odd:name"),  # not a known prefix: an id glob
    ],
)
def test_filters_parse(text: str, kind: str, pattern: str) -> None:
    f = parse_filter(text)
    assert (f.kind, f.pattern) == (kind, pattern)


@pytest.mark.parametrize(("text", "says"), [("", "empty"), ("outlet:", "nothing after")])
def test_bad_filters(text: str, says: str) -> None:
    with pytest.raises(AssignmentError, match=says):
        parse_filter(text)


# --- the CLI on a real database --------------------------------------------------------------


@pytest.fixture
def corpus(run_cli: RunCli, tmp_path: Path, db_path: Path) -> Path:
    """Twelve articles from two outlets in two import batches."""
    for batch, outlet in (("b1", "Daily"), ("b2", "Weekly")):
        lines = [
            json.dumps(
                {
                    "id": f"{outlet.lower()}-{i:02d}",
                    "outlet": outlet,
                    "text": " ".join(
                        f"Sentence {j} of {outlet} story {i} says something." for j in range(2 + i)
                    ),
                }
            )
            for i in range(6)
        ]
        path = write(tmp_path / "in" / batch / "articles.jsonl", "\n".join(lines) + "\n")
        r = run_cli("import", str(path))
        assert r.exit_code == 0, r.output
    for name in ("alice", "bob", "carol"):
        assert run_cli("team", "add", name).exit_code == 0
    return db_path


def holders(db: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ext, name in sqlite3.connect(db).execute(
        "SELECT a.external_id, n.name FROM assignments s JOIN articles a ON a.id = s.article_id "
        "JOIN annotators n ON n.id = s.annotator_id ORDER BY 1, 2"
    ):
        out.setdefault(ext, []).append(name)
    return out


def test_articles_filters_through_the_cli(run_cli: RunCli, corpus: Path, tmp_path: Path) -> None:
    r = run_cli("assign", "--per-article", "1", "--articles", "daily-0[0-2]")
    assert r.exit_code == 0, r.output
    assert set(holders(corpus)) == {"daily-00", "daily-01", "daily-02"}
    r = run_cli("assign", "--per-article", "2", "--articles", "outlet:Weekly", "--articles", "*-05")
    assert r.exit_code == 0, r.output
    assert set(holders(corpus)) == {"daily-00", "daily-01", "daily-02", "weekly-05"}
    r = run_cli("assign", "--per-article", "1", "--articles", "source:*/b1/*")
    assert r.exit_code == 0 and "assigned 3 articles" in r.output, r.output
    ids = write(tmp_path / "ids.txt", "# the second batch\nweekly-00\n\nweekly-01\n")
    r = run_cli("assign", "--per-article", "3", "--articles", f"@{ids}")
    assert r.exit_code == 0, r.output
    assert holders(corpus)["weekly-00"] == ["alice", "bob", "carol"]
    today = sqlite3.connect(corpus).execute("SELECT substr(min(imported_at), 1, 10) FROM articles")
    r = run_cli("assign", "--per-article", "1", "--articles", f"imported:{today.fetchone()[0]}")
    assert r.exit_code == 0 and "assigned 3 articles" in r.output, r.output
    assert len(holders(corpus)) == 12
    # audit9b F16: a filter that matches nothing (a typo) said "assigned 0 articles"
    r = run_cli("assign", "--per-article", "1", "--articles", "outlet:Weakly", "--articles", "x*")
    assert r.exit_code == 1, r.output
    assert "no article matches --articles outlet:Weakly and x*; nothing was assigned" in r.output


@pytest.mark.parametrize(
    ("make", "says"),
    [
        ("ids.txt:weekly-00\nnope-99\n", "ids.txt:2: no article 'nope-99'"),
        ("ids.txt:# nothing\n", "no article ids in the file"),
        ("missing", "No such file"),
    ],
)
def test_articles_filter_mistakes_are_one_line(
    run_cli: RunCli, corpus: Path, tmp_path: Path, make: str, says: str
) -> None:
    if make == "missing":
        arg = f"@{tmp_path / 'none.txt'}"
    else:
        name, _, text = make.partition(":")
        arg = f"@{write(tmp_path / name, text)}"
    r = run_cli("assign", "--per-article", "1", "--articles", arg)
    assert r.exit_code != 0 and says in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1
    assert holders(corpus) == {}


def begin(db: Path, name: str, article: str) -> None:
    """`name` confirms the first sentence of `article` through the real session."""
    store = open_store(db)
    g, _ = use_guidelines(store)
    session = AnnotationSession(store, g, name, article=article)
    assert session.article.external_id == article
    session.confirm()
    store.close()


def test_rebalance_after_someone_leaves(run_cli: RunCli, corpus: Path) -> None:
    r = run_cli("assign", "--per-article", "2", "--calibration", "2", "--seed", "5")
    assert r.exit_code == 0, r.output
    first = holders(corpus)
    bobs = [a for a, names in first.items() if "bob" in names and len(names) == 2]
    begun = bobs[0]
    begin(corpus, "bob", begun)
    assert run_cli("team", "remove", "bob").exit_code == 0
    assert run_cli("team", "add", "dana").exit_code == 0
    dry = run_cli("assign", "--rebalance", "--dry-run")
    assert dry.exit_code == 0 and "would move" in dry.output, dry.output
    assert holders(corpus) == first
    r = run_cli("assign", "--rebalance", "--seed", "5")
    assert r.exit_code == 0, r.output
    assert "bob keeps 1 begun articles" in r.output
    now = holders(corpus)
    for article, names in now.items():
        if "bob" in names:
            assert article == begun  # only the begun article stays his
        assert len(names) == (3 if len(first[article]) == 3 else 2)  # calibration: all
    assert "dana" in {n for names in now.values() for n in names}
    data = json.loads(run_cli("status", "--format", "json").output)
    dana = next(a for a in data["annotators"] if a["annotator"] == "dana")
    assert [q["position"] for q in dana["queue"]] == list(range(len(dana["queue"])))
    # calibration first in the newcomer's queue
    calib = {a["article"] for a in data["assigned_articles"] if a["calibration"]}
    flags = [q["article"] in calib for q in dana["queue"]]
    assert flags == sorted(flags, reverse=True) and sum(flags) == 2
    again = run_cli("assign", "--rebalance")
    assert again.exit_code == 0 and "moved 0 article" in again.output
    assert holders(corpus) == now


def test_rebalance_mistakes(run_cli: RunCli, corpus: Path) -> None:
    r = run_cli("assign", "--rebalance", "--per-article", "2")
    assert r.exit_code != 0 and "--rebalance keeps" in r.output
    r = run_cli("assign")
    assert r.exit_code != 0 and "--per-article K is required" in r.output
    assert run_cli("assign", "--per-article", "3").exit_code == 0
    assert run_cli("team", "remove", "carol").exit_code == 0
    r = run_cli("assign", "--rebalance")
    assert r.exit_code != 0 and "needs 1 more annotator" in r.output, r.output
    assert all(len(n) == 3 for n in holders(corpus).values())  # nothing half-done
