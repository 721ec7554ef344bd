"""A copy whose work carries labels the project's guidelines do not have is not merged
(audit12 F15: a laptop copy still on the old guidelines brought 110 annotations of a label
the shared file had dropped, without a word; the work then vanished from agreement and every
export, which leave such labels out). Adopting the same guidelines change is refused while
a label is in use; merging it in is refused the same way."""

from __future__ import annotations

import sqlite3
from collections import Counter

from annotator.store.database import StoreError


class ForeignLabels(StoreError):
    """The copy's work holds labels the adopted guidelines do not have: nothing merged."""


def outside(conn: sqlite3.Connection, labels: frozenset[str]) -> Counter[tuple[str, str]]:
    """(label, table) -> uses of the labels that are not among `labels`, in answers and gold."""
    out: Counter[tuple[str, str]] = Counter()
    for table in ("annotations", "gold_annotations"):  # our table names
        for label, n in conn.execute(
            f"SELECT j.value, count(*) FROM {table} t, json_each(t.labels) j GROUP BY j.value"
        ):
            if str(label) not in labels:
                out[(str(label), table)] += int(n)
    return out


def refuse_grown(before: Counter[tuple[str, str]], after: Counter[tuple[str, str]]) -> None:
    """Raise ForeignLabels when the merge added uses of labels outside the guidelines."""
    grown = {key: n - before[key] for key, n in after.items() if n > before[key]}
    if not grown:
        return
    by_label: dict[str, list[str]] = {}
    for (label, table), n in sorted(grown.items()):
        what = "annotation" if table == "annotations" else "gold decision"
        by_label.setdefault(label, []).append(f"{n} {what}{'s' * (n != 1)}")
    listed = "; ".join(f"{label} ({', '.join(uses)})" for label, uses in by_label.items())
    raise ForeignLabels(
        f"the copy's work holds labels this project's guidelines do not have: {listed}: "
        "agreement and the exports would leave them out; adopt guidelines that have them "
        "first (annotator --guidelines DIR guidelines), or change them in the copy; "
        "nothing merged"
    )
