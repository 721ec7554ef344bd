"""Who annotates which article, in which order: the plan `annotator assign` stores (pure; no
SQL, no terminal, so that its properties are tested over random teams and corpora).

Rules (issue 14):
- every article gets exactly K annotators, except the calibration set, which goes to all;
- N is the size of the calibration set in total: a re-run adds only what is missing, and
  gives whoever joined the team since the set was chosen the set, first;
- loads, counted in segments (every segment an annotator must confirm), end up within one
  article's length of each other: articles go longest first to K annotators among the
  least loaded (max - min load <= the longest article, by induction: _meeting_groups);
- every pair of annotators shares about as many articles as every other (agreement per pair
  needs pairs that meet): among those the balance allows, the K who met least;
- each annotator's order is shuffled with the seed, on its own random stream (order effects
  are a known bias: annotators should not all see one sequence); calibration comes first, so
  that it is done before the rest;
- a re-run assigns only articles nobody has yet and appends them to the queues: nothing
  already assigned, begun or not, moves;
- `only` (the articles `--articles FILTER` selects) limits which new articles are planned;
  loads still count everything already assigned.

A rebalance (`assign --rebalance`, `rebalance` below) moves the articles an annotator who
left (off the team, or no longer in `--annotators`) has not begun to those who remain:
- an article keeps as many annotators as it had (its K); the calibration set stays "every
  current annotator": a leaver's calibration slot is dropped, and a current annotator who
  lacks a calibration article (a newcomer) gets it, first;
- begun work (any event of the leaver on the article) never moves: it stays theirs;
- each moved article, longest first, goes to the least-loaded annotator not already on it,
  appended to their queue (shuffled with the seed), so that no one receives work while
  someone who could have taken it carries less.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class AssignmentError(ValueError):
    """The request cannot be planned; the message is one line for the user."""


@dataclass(frozen=True)
class Article:
    key: str  # the external id
    segments: int


@dataclass(frozen=True)
class Existing:
    """What is already assigned: article -> annotators, the calibration articles, and each
    annotator's queue length (new work is appended after it)."""

    assigned: Mapping[str, Sequence[str]] = field(default_factory=dict)
    calibration: frozenset[str] = frozenset()
    queue_length: Mapping[str, int] = field(default_factory=dict)


class Slot(NamedTuple):
    # a tuple, not a dataclass: a plan of 100,000 articles makes 300,000 of them
    article: str
    annotator: str
    position: int  # 0-based place in the annotator's queue
    calibration: bool


@dataclass
class Plan:
    slots: list[Slot]
    calibration: list[str]  # the articles newly made calibration
    loads: dict[str, int]  # annotator -> segments assigned in total (old and new)
    # calibration articles asked for (N in total) that there were no new articles for
    calibration_short: int = 0

    def queues(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s in sorted(self.slots, key=lambda s: (s.annotator, s.position)):
            out.setdefault(s.annotator, []).append(s.article)
        return out


# how many of the lightest annotators, per annotator an article needs, are looked at for
# who has met whom least: enough to mix every team, few enough to keep a plan of 100,000
# articles for 50 annotators fast
CANDIDATES = 2


def _rng(seed: int, *parts: str) -> random.Random:
    """An independent random stream per purpose, the same for the same seed on any machine
    (str hashing is salted per process, so it is not used)."""
    digest = hashlib.sha256("\x00".join([str(seed), *parts]).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def plan(
    articles: Sequence[Article],
    annotators: Sequence[str],
    *,
    per_article: int,
    calibration: int = 0,
    seed: int = 0,
    existing: Existing | None = None,
    only: Collection[str] | None = None,
) -> Plan:
    existing = existing or Existing()
    team = _team(annotators)
    if per_article < 1:
        raise AssignmentError(f"--per-article must be at least 1 (got {per_article})")
    if per_article > len(team):
        raise AssignmentError(
            f"--per-article {per_article} needs at least {per_article} annotators; "
            f"there are {len(team)}"
        )
    if calibration < 0:
        raise AssignmentError(f"--calibration must be 0 or more (got {calibration})")
    size = {a.key: a.segments for a in articles}
    # loads count what is already assigned to these annotators
    loads = dict.fromkeys(team, 0)
    for key, names in existing.assigned.items():
        for name in names:
            if name in loads:
                loads[name] += size.get(key, 0)
    new = [
        a for a in articles if a.key not in existing.assigned and (only is None or a.key in only)
    ]
    # the calibration set: N in total, chosen at random among the articles not yet assigned
    wanted = max(0, calibration - len(existing.calibration))
    order = sorted(new, key=lambda a: a.key)
    _rng(seed, "calibration").shuffle(order)
    calib = sorted(a.key for a in order[:wanted])
    calib_set = set(calib)
    # each annotator's new work: (calibration, the rest)
    mine: dict[str, tuple[list[str], list[str]]] = {n: ([], []) for n in team}
    for key in calib:
        for name in team:
            loads[name] += size[key]
            mine[name][0].append(key)
    # the calibration set chosen before: to whoever joined since (audit7 F7: a newcomer got
    # new work from a plain `assign`, never the calibration set, and nothing said so)
    holders = {k: list(existing.assigned.get(k, ())) for k in existing.calibration}
    _calibration_to_all(existing.calibration, holders, team, only, size, loads, mine)
    # the rest, longest first, each to K annotators (_meeting_group): the balance of loads
    # kept, and every pair of annotators meeting on about as many articles
    meetings = _Meetings(team, existing.assigned)
    rng = _rng(seed, "meetings")
    rest = sorted((a for a in new if a.key not in calib_set), key=lambda a: (-a.segments, a.key))
    for a, group in _meeting_groups(rest, per_article, loads, meetings, rng):
        for n in group:
            mine[n][1].append(a.key)
    # each queue: calibration first, then the rest, each part shuffled on its own stream
    slots: list[Slot] = []
    for n in team:
        first, then = mine[n]
        queue = _shuffled(first, seed, "order", n, "calibration") + _shuffled(
            then, seed, "order", n
        )
        start = existing.queue_length.get(n, 0)
        calibrating = calib_set.union(first)
        slots += [Slot(key, n, start + i, key in calibrating) for i, key in enumerate(queue)]
    return Plan(slots, calib, loads, wanted - len(calib))


class _Meetings:
    """How many articles each pair of annotators shares."""

    def __init__(self, team: Sequence[str], assigned: Mapping[str, Sequence[str]]) -> None:
        self.count: dict[str, dict[str, int]] = {n: dict.fromkeys(team, 0) for n in team}
        for names in assigned.values():
            self.add([n for n in names if n in self.count])

    def add(self, group: Sequence[str]) -> None:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                self.count[a][b] += 1
                self.count[b][a] += 1


def _meeting_groups(
    rest: Sequence[Article],
    k: int,
    loads: dict[str, int],
    meetings: _Meetings,
    rng: random.Random,
) -> Iterator[tuple[Article, list[str]]]:
    """Each article (longest first) and the K annotators it goes to.

    Loads stay within the longest article of each other: the K least loaded may take an
    article, and so may anyone whose load after it would be at most the lightest load + the
    longest article (no load goes below the lightest, so the spread stays within it). Among
    those (the lightest CANDIDATES * K at most), one at a time: the one who has shared the
    fewest articles with the ones chosen already; ties to the lighter, then at random with
    the seed. The K least loaded alone, ties broken by one fixed rank, made fixed sub-teams
    (audit7 F12: 4 annotators, K = 2: 2 of the 6 pairs ever met, so no pair's agreement
    could be set beside another's)."""
    longest = rest[0].segments if rest else 0
    heap = [(loads[n], rng.random(), n) for n in loads]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    for a in rest:
        room = heap[0][0] + longest - a.segments
        lightest: list[tuple[int, float, str]] = []
        while heap and len(lightest) < CANDIDATES * k:
            if len(lightest) >= k and heap[0][0] > room:
                break
            lightest.append(pop(heap))
        able = [n for _load, _tie, n in lightest]
        group = able if len(able) == k else _fewest_meetings(able, k, meetings)
        meetings.add(group)
        for load, tie, n in lightest:
            if n in group:
                load += a.segments
                tie = rng.random()
            push(heap, (load, tie, n))
        yield a, group
    for load, _tie, n in heap:
        loads[n] = load


def _fewest_meetings(able: Sequence[str], k: int, meetings: _Meetings) -> list[str]:
    """K of `able` (lightest first), one at a time, each the one who has shared the fewest
    articles with those chosen before (the first: the lightest; ties to the lighter)."""
    group = [able[0]]
    shared = dict.fromkeys(able[1:], 0)  # with the group so far; in `able`'s order
    while len(group) < k:
        row = meetings.count[group[-1]]
        for n in shared:
            shared[n] += row[n]
        pick = min(shared, key=shared.__getitem__)
        del shared[pick]
        group.append(pick)
    return group


def _calibration_to_all(
    calibration: Collection[str],
    holders: dict[str, list[str]],
    team: Sequence[str],
    only: Collection[str] | None,
    size: Mapping[str, int],
    loads: dict[str, int],
    mine: dict[str, tuple[list[str], list[str]]],
) -> None:
    """Every current annotator does the whole calibration set: one who lacks an article of
    it (who joined after it was chosen) gets it, first among their new work (`holders`:
    who has each calibration article, added to)."""
    for key in sorted(calibration):
        if key not in holders or (only is not None and key not in only):
            continue
        for name in team:
            if name not in holders[key]:
                holders[key].append(name)
                loads[name] += size.get(key, 0)
                mine[name][0].append(key)


def _team(annotators: Sequence[str]) -> list[str]:
    team = sorted(set(annotators))
    if not team:
        raise AssignmentError("no annotators to assign to: `annotator team add NAME` first")
    return team


def _shuffled(items: Sequence[str], seed: int, *parts: str) -> list[str]:
    out = list(items)
    _rng(seed, *parts).shuffle(out)
    return out


@dataclass
class Rebalance:
    slots: list[Slot]  # the new slots: moved articles, calibration for newcomers
    dropped: list[tuple[str, str]]  # (article, annotator) slots taken away from leavers
    kept: dict[str, list[str]]  # leaver -> the articles they began, which stay theirs
    loads: dict[str, int]  # current annotator -> segments assigned in total, after

    def moved(self) -> int:
        return sum(1 for s in self.slots if not s.calibration)


def rebalance(
    articles: Sequence[Article],
    annotators: Sequence[str],
    *,
    existing: Existing,
    started: Collection[tuple[str, str]],
    seed: int = 0,
    only: Collection[str] | None = None,
) -> Rebalance:
    """Move the unstarted articles of everyone assigned who is not in `annotators` to those
    who are (rules in the module docstring). `started` holds (article, annotator) pairs with
    work begun; `only` limits which articles move."""
    team = _team(annotators)
    members = set(team)
    size = {a.key: a.segments for a in articles}
    holders = {key: list(names) for key, names in existing.assigned.items()}
    loads = dict.fromkeys(team, 0)
    for key, names in holders.items():
        for name in names:
            if name in loads:
                loads[name] += size.get(key, 0)
    dropped: list[tuple[str, str]] = []
    kept: dict[str, list[str]] = {}
    wanted: dict[str, int] = {}  # article -> replacements it needs
    for key in sorted(holders):
        for name in sorted(holders[key]):
            if name in members or (only is not None and key not in only):
                continue
            if (key, name) in started:
                kept.setdefault(name, []).append(key)
                continue
            dropped.append((key, name))
            holders[key].remove(name)
            if key not in existing.calibration:
                wanted[key] = wanted.get(key, 0) + 1
    mine: dict[str, tuple[list[str], list[str]]] = {n: ([], []) for n in team}
    # calibration first: every current annotator does the whole set (newcomers included)
    _calibration_to_all(existing.calibration, holders, team, only, size, loads, mine)
    rank = {name: i for i, name in enumerate(_shuffled(team, seed, "ties"))}
    for key in sorted(wanted, key=lambda k: (-size.get(k, 0), k)):
        free = sorted((loads[n], rank[n], n) for n in team if n not in holders[key])
        if len(free) < wanted[key]:
            raise AssignmentError(
                f"article {key} needs {wanted[key]} more annotator(s) to keep "
                f"{len(holders[key]) + wanted[key]}, and only {len(free)} who are not on it "
                "remain: add someone to the team first"
            )
        for _, _, name in free[: wanted[key]]:
            holders[key].append(name)
            loads[name] += size.get(key, 0)
            mine[name][1].append(key)
    slots: list[Slot] = []
    for n in team:
        first, then = mine[n]
        queue = _shuffled(first, seed, "rebalance", n, "calibration") + _shuffled(
            then, seed, "rebalance", n
        )
        start = existing.queue_length.get(n, 0)
        calib = set(first)
        slots += [Slot(key, n, start + i, key in calib) for i, key in enumerate(queue)]
    return Rebalance(slots, dropped, kept, loads)


# --- which articles: `assign --articles FILTER` ------------------------------------------------

FILTER_HELP = """Only these articles (repeatable: an article must match every one):
GLOB matches the external id (`reuters-*`, `2024-0[1-3]-*`; * ? and [..], case-sensitive);
`outlet:NAME` the outlet's name; `source:GLOB` the path it was imported from (an import
batch: `source:scraped/batch2/*`); `imported:PREFIX` the import time (`imported:2026-12-06`);
`@FILE` the ids listed in FILE, one per line (# comments and blank lines skipped; an id that
is not in the database is an error)."""


@dataclass(frozen=True)
class ArticleFilter:
    """One `--articles` filter. kind: id (a glob), outlet, source (a glob), imported (a
    prefix) or ids (from a file: `values`, with `origin` naming FILE:LINE of each)."""

    kind: str
    pattern: str = ""
    values: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()


PREFIXES = ("outlet", "source", "imported")


def parse_filter(text: str) -> ArticleFilter:
    """The filter a `--articles` value names (a file's ids are read by the caller)."""
    head, sep, rest = text.partition(":")
    if sep and head in PREFIXES:
        if not rest:
            raise AssignmentError(f"--articles {text!r}: nothing after {head}:")
        return ArticleFilter(head, rest)
    if not text:
        raise AssignmentError("--articles: the filter is empty")
    return ArticleFilter("id", text)


def ids_from_lines(name: str, lines: Sequence[str]) -> ArticleFilter:
    """An `@FILE` filter from the file's lines (ids one per line; # comments, blanks)."""
    values: list[str] = []
    origin: list[str] = []
    for number, line in enumerate(lines, 1):
        item = line.strip()
        if item and not item.startswith("#"):
            values.append(item)
            origin.append(f"{name}:{number}")
    if not values:
        raise AssignmentError(f"{name}: no article ids in the file")
    return ArticleFilter("ids", values=tuple(values), origin=tuple(origin))
