"""Suggestions of labels the project's schema no longer has (audit15a F9): removed when
the schema that drops them is adopted, and by every refresh after."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

from annotator.store.database import Store
from annotator.store.paced_writes import in_batches


def drop_other_labels(store: Store, labels: Collection[str]) -> int:
    """Delete every suggestion (of any source: the importer's, the cues', the model's, an
    outside one's) whose label is not in `labels`, in short transactions (annotators save
    meanwhile; a label the model suggested can have a row on most sentences). Returns how
    many went. The screen never offered them (it filters by the schema), but `suggestions
    list` handed them out as current, and adopting the label again brought back the old
    model's scores from before the drop."""
    keep = sorted(labels)
    if not keep:  # no schema stored yet: nothing is "not in it"
        return 0
    marks = ",".join("?" * len(keep))
    ids = [
        int(r[0])
        for r in store.all(f"SELECT id FROM suggestions WHERE label NOT IN ({marks})", keep)
    ]

    def write(conn: sqlite3.Connection, n: int) -> None:
        conn.execute("DELETE FROM suggestions WHERE id = ?", [ids[n]])

    if ids:
        in_batches(store, len(ids), write)
    return len(ids)
