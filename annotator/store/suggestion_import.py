"""Outside predictions into the suggestions table (`annotator import-suggestions`), matched
to sentences like `import-labels` matches annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from annotator.models.suggestions import Suggestion
from annotator.store.database import Store, now
from annotator.store.label_import import Incoming, UnmatchedError
from annotator.store.label_match import Matcher
from annotator.store.suggestions import UPSERT, row


@dataclass
class OutsideReport:
    written: int = 0
    unchanged: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)


def import_outside(
    store: Store,
    items: Sequence[tuple[Incoming, Suggestion]],
    *,
    strict: bool = False,
) -> OutsideReport:
    """Match every item to its sentence first (reading, outside any transaction), then write
    them all in ONE transaction: a file is imported whole or not at all. `items` carry a
    placeholder sentence id, replaced by the matched one."""
    matcher = Matcher(store)
    report = OutsideReport()
    rows: list[tuple[object, ...]] = []
    at = now()
    for where, s in items:
        found = matcher.match(where)
        if isinstance(found, str):
            if strict:
                raise UnmatchedError(where.line, found)
            report.unmatched.append((where.line, found))
            continue
        sid, aid = found
        rows.append(row(replace(s, sentence_id=sid), aid, at))
    if not rows:
        return report
    sources = {(str(r[3]), str(r[4])) for r in rows}
    with store.write() as conn:
        for r in rows:
            same = conn.execute(
                "SELECT 1 FROM suggestions WHERE sentence_id = ? AND source = ? AND label = ? "
                "AND version = ? AND score = ?",
                [r[0], r[3], r[2], r[4], r[5]],
            ).fetchone()
            if same:
                report.unchanged += 1
                continue
            conn.execute(UPSERT, r)
        for source, version in sources:
            conn.execute(
                "INSERT INTO suggestion_sources (source, version, through_sentence_id, "
                "updated_at) VALUES (?, ?, 0, ?) ON CONFLICT (source) DO UPDATE SET "
                "version = excluded.version, updated_at = excluded.updated_at",
                [source, version, at],
            )
        report.written = len(rows) - report.unchanged
    return report
