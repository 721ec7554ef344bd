"""Who annotates which article, in which order: the plan `annotator assign` stores (pure; no
SQL, no terminal, so that its properties are tested over random teams and corpora).

Rules (issue 14):
- every article gets exactly K annotators, except the calibration set, which goes to all;
- N is the size of the calibration set in total: a re-run adds only what is missing;
- loads, counted in segments (every segment an annotator must confirm), end up within one
  article's length of each other: articles go longest first to the K least-loaded annotators
  (a greedy that keeps max - min load <= the longest article, by induction on the articles);
- each annotator's order is shuffled with the seed, on its own random stream (order effects
  are a known bias: annotators should not all see one sequence); calibration comes first, so
  that it is done before the rest;
- a re-run assigns only articles nobody has yet and appends them to the queues: nothing
  already assigned, begun or not, moves.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Mapping, Sequence
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

    def queues(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s in sorted(self.slots, key=lambda s: (s.annotator, s.position)):
            out.setdefault(s.annotator, []).append(s.article)
        return out


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
) -> Plan:
    existing = existing or Existing()
    team = sorted(set(annotators))
    if not team:
        raise AssignmentError("no annotators to assign to: `annotator team add NAME` first")
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
    new = [a for a in articles if a.key not in existing.assigned]
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
    # the rest, longest first, each to the K least-loaded; ties by a seeded rank
    rank = {name: i for i, name in enumerate(_shuffled(team, seed, "ties"))}
    heap = [(loads[n], rank[n], n) for n in team]
    heapq.heapify(heap)
    rest = sorted((a for a in new if a.key not in calib_set), key=lambda a: (-a.segments, a.key))
    pop, push = heapq.heappop, heapq.heappush
    for a in rest:
        chosen = [pop(heap) for _ in range(per_article)]
        for load, r, n in chosen:
            mine[n][1].append(a.key)
            push(heap, (load + a.segments, r, n))
    for load, _, n in heap:
        loads[n] = load
    # each queue: calibration first, then the rest, each part shuffled on its own stream
    slots: list[Slot] = []
    for n in team:
        first, then = mine[n]
        queue = _shuffled(first, seed, "order", n, "calibration") + _shuffled(
            then, seed, "order", n
        )
        start = existing.queue_length.get(n, 0)
        slots += [Slot(key, n, start + i, key in calib_set) for i, key in enumerate(queue)]
    return Plan(slots, calib, loads)


def _shuffled(items: Sequence[str], seed: int, *parts: str) -> list[str]:
    out = list(items)
    _rng(seed, *parts).shuffle(out)
    return out
