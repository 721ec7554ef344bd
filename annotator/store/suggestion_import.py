"""Outside predictions into the suggestions table (`annotator import-suggestions`), matched
to sentences like `import-labels` matches annotations."""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from annotator.models.suggestions import BUILTIN_SOURCES, Suggestion
from annotator.store.database import Store, now
from annotator.store.label_import import Incoming, UnmatchedError
from annotator.store.label_match import Matcher
from annotator.store.paced_writes import ImportInterrupted, in_batches
from annotator.store.suggestions import UPSERT


@dataclass
class OutsideReport:
    written: int = 0
    unchanged: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    # per source whose earlier version(s) this file replaced: (source, old versions,
    # how many of their suggestions the new version does not name, removed)
    replaced: list[tuple[str, list[str], int]] = field(default_factory=list)


class RefusedLine(ValueError):
    """A line the file may not hold, seen once the sentences are matched (a malformed one is
    refused by the reader before): nothing of the file is imported."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


class _Keys:
    """Each row's (sentence, source, label) as one int64, sorted: a duplicate within the file
    and whether the file names a stored row are found without a dict of 400,000 tuples (56
    MB on a 50 MB file)."""

    def __init__(self, rows: list[tuple[int, int, str, str, str, float]]) -> None:
        self.sources = {s: i for i, s in enumerate(sorted({r[3] for r in rows}))}
        self.labels = {x: i for i, x in enumerate(sorted({r[2] for r in rows}))}
        self.width = len(self.sources) * len(self.labels)
        self.keys = np.fromiter((self._key(r[0], r[3], r[2]) for r in rows), np.int64, len(rows))
        self.order = np.argsort(self.keys, kind="stable")  # equal keys keep the file's order
        self.sorted = self.keys[self.order]

    def _key(self, sid: int, source: str, label: str) -> int:
        return sid * self.width + self.sources[source] * len(self.labels) + self.labels[label]

    def refuse_twice(self, lines: array[int]) -> None:
        """audit15a F10: a second line for one sentence, source and label overwrote the
        first, both counted as imported (and again at every rerun). The first such line."""
        same = np.flatnonzero(self.sorted[1:] == self.sorted[:-1])
        if len(same):
            pairs = [(lines[self.order[k + 1]], lines[self.order[k]]) for k in same]
            line, earlier = min(pairs)
            raise RefusedLine(line, f"the same sentence, source and label as line {earlier}")

    def named(self, sid: int, source: str, label: str) -> bool:
        if source not in self.sources or label not in self.labels:
            return False
        k = self._key(sid, source, label)
        at = int(np.searchsorted(self.sorted, k))
        return at < len(self.sorted) and int(self.sorted[at]) == k


def import_outside(
    store: Store,
    items: Iterable[tuple[Incoming, Suggestion]],
    *,
    strict: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> OutsideReport:
    """Read and match every item first (outside any transaction: a malformed or, with
    `strict`, unmatched line stops here with nothing written), then write in short
    transactions with a pause between, as `import-labels` writes (audit15a F2: one
    transaction for the whole file held every annotator's key 6-7 s per 50 MB). Interrupted
    between them, what is in stays and the same file again adds the rest (a suggestion
    already there is unchanged). `items` are read one at a time and kept as plain rows with
    their names interned (the file's dataclasses took 8 times its size in memory)."""
    matcher = Matcher(store)
    report = OutsideReport()
    rows: list[tuple[int, int, str, str, str, float]] = []
    versions_of: dict[str, set[str]] = {}
    lines = array("q")  # each row's line in the file
    for where, s in items:
        found = matcher.match(where)
        if isinstance(found, str):
            if strict:
                raise UnmatchedError(where.line, found)
            report.unmatched.append((where.line, found))
            continue
        sid, aid = found
        intern = sys.intern
        label, source, version = intern(s.label), intern(s.source), intern(s.version)
        versions_of.setdefault(source, set()).add(version)
        rows.append((sid, aid, label, source, version, s.score))
        lines.append(where.line)
    if not rows:
        return report
    keys = _Keys(rows)
    keys.refuse_twice(lines)
    del lines
    # A new version replaces the source (audit15a F11: the old one's predictions stayed
    # wherever the new file was silent, shown, accepted and scored as the source): after
    # an import a source's versions are the file's, and its rows of other versions that
    # the file does not name (those it names it rewrites) go, after the new ones are in, so
    # a screen never lacks the source's suggestions in between. Read here (one pass over
    # the outside sources' rows), deleted in the same short transactions: interrupted, the
    # same file again finds the rest.
    stale: list[int] = []
    old_versions: dict[str, set[str]] = {}
    gone: dict[str, int] = {}
    builtin = ",".join("?" * len(BUILTIN_SOURCES))
    # a cursor, not a list: a project's outside rows can be many times the file's
    for i, sid, label, source, version in store.conn.execute(
        "SELECT id, sentence_id, label, source, version FROM suggestions "
        f"WHERE source NOT IN ({builtin})",
        list(BUILTIN_SOURCES),
    ):
        now_at = versions_of.get(str(source))
        if now_at is None or version in now_at:
            continue
        old_versions.setdefault(str(source), set()).add(str(version))
        if not keys.named(int(sid), str(source), str(label)):
            stale.append(int(i))
            gone[str(source)] = gone.get(str(source), 0) + 1
    del keys
    report.replaced = [(s, sorted(v), gone.get(s, 0)) for s, v in sorted(old_versions.items())]
    at = now()
    # the sources first, each a step like a suggestion (a file may name thousands): a
    # suggestion is never in without its source's row
    sources = sorted({(r[3], r[4]) for r in rows})

    def write(conn: sqlite3.Connection, n: int) -> None:
        if n >= len(sources) + len(rows):
            conn.execute(
                "DELETE FROM suggestions WHERE id = ?", [stale[n - len(sources) - len(rows)]]
            )
            return
        if n < len(sources):
            conn.execute(
                "INSERT INTO suggestion_sources (source, version, through_sentence_id, "
                "updated_at) VALUES (?, ?, 0, ?) ON CONFLICT (source) DO UPDATE SET "
                "version = excluded.version, updated_at = excluded.updated_at",
                [*sources[n], at],
            )
            return
        sid, aid, label, source, version, score = rows[n - len(sources)]
        same = conn.execute(
            "SELECT 1 FROM suggestions WHERE sentence_id = ? AND source = ? AND label = ? "
            "AND version = ? AND score = ?",
            [sid, source, label, version, score],
        ).fetchone()
        if same:
            report.unchanged += 1
            return
        conn.execute(UPSERT, [sid, aid, label, source, version, score, None, None, None, None, at])
        report.written += 1

    try:
        in_batches(
            store,
            len(sources) + len(rows) + len(stale),
            write,
            lambda done: progress(min(len(rows), max(0, done - len(sources)))),
        )
    except ImportInterrupted as e:  # counted in suggestions, as the command says
        written = min(len(rows), max(0, e.written - len(sources)))
        raise ImportInterrupted(written, len(rows)) from None
    return report


def remove_source(store: Store, source: str) -> int:
    """Delete an outside source: its suggestions (in short transactions, annotators saving
    meanwhile), then its row. Returns how many suggestions went. What annotators accepted
    from it stays theirs, with its origin."""
    ids = [int(r[0]) for r in store.all("SELECT id FROM suggestions WHERE source = ?", [source])]

    def write(conn: sqlite3.Connection, n: int) -> None:
        if n < len(ids):
            conn.execute("DELETE FROM suggestions WHERE id = ?", [ids[n]])
        else:  # last: a rerun after an interruption still finds the source to remove
            conn.execute("DELETE FROM suggestion_sources WHERE source = ?", [source])

    in_batches(store, len(ids) + 1, write)
    return len(ids)


def outside_sources(store: Store) -> list[tuple[str, str]]:
    """(source, version) of every outside source, by name."""
    builtin = ",".join("?" * len(BUILTIN_SOURCES))
    return [
        (str(s), str(v))
        for s, v in store.all(
            f"SELECT source, version FROM suggestion_sources WHERE source NOT IN ({builtin}) "
            "ORDER BY source",
            list(BUILTIN_SOURCES),
        )
    ]
