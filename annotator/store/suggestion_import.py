"""Outside predictions into the suggestions table (`annotator import-suggestions`), matched
to sentences like `import-labels` matches annotations."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.models.suggestions import Suggestion
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
    for where, s in items:
        found = matcher.match(where)
        if isinstance(found, str):
            if strict:
                raise UnmatchedError(where.line, found)
            report.unmatched.append((where.line, found))
            continue
        sid, aid = found
        intern = sys.intern
        rows.append((sid, aid, intern(s.label), intern(s.source), intern(s.version), s.score))
    if not rows:
        return report
    at = now()
    # the sources first, each a step like a suggestion (a file may name thousands): a
    # suggestion is never in without its source's row
    sources = sorted({(r[3], r[4]) for r in rows})

    def write(conn: sqlite3.Connection, n: int) -> None:
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
            len(sources) + len(rows),
            write,
            lambda done: progress(max(0, done - len(sources))),
        )
    except ImportInterrupted as e:  # counted in suggestions, as the command says
        raise ImportInterrupted(max(0, e.written - len(sources)), len(rows)) from None
    return report
