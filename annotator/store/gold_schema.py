"""The schema unanimous gold is recorded under: what it is a rating OF (audit15b F10).

Every export, and agreement with gold, reads the labels a gold decision never rated from the
schema of the event that wrote it (events.schema_hash, store/schema_history.py), as they do
for an answer. Adjudicated gold is a decision made under the schema on the screen: it is
recorded under the adopted one. Unanimous gold is no decision of anyone's: it is the answers
that agree, and it can say no more than they did. Written under the adopted schema, a
unanimous gold made today of answers all confirmed before a label was added read as a "no"
to that label (spaCy 0.0, gold csv 0, scored by agreement with gold) on sentences nobody
rated for it. So it is recorded under a schema that lacked every adopted label some answer
behind it never rated: the oldest of its answers' schemas, as a rule.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.store.database import Store
from annotator.store.schema_history import labels_lacking


@dataclass(frozen=True)
class GoldSchemas:
    """The adopted schema's hash, and per stored schema hash that lacked some of the
    adopted labels, those labels."""

    adopted: str
    lacking: dict[str, frozenset[str]]

    def of(self, answer_hashes: Iterable[str], labels: Iterable[str]) -> str:
        """The schema for unanimous gold of `labels` agreed by answers confirmed under
        `answer_hashes`: one that lacked each adopted label one of them lacked (never
        rated, so never "no"), and as few others as may be; never one that lacked a label
        of the gold itself. The adopted schema when every answer rated every label. If no
        stored schema lacked all of them (labels added and dropped in turn), the one that
        lacked most of them: missing where in doubt."""
        hashes = set(answer_hashes)
        never = frozenset().union(*(self.lacking.get(h, frozenset()) for h in hashes))
        if not never:
            return self.adopted
        given = set(labels)
        candidates = [(h, m) for h, m in self.lacking.items() if not m & given]
        candidates.append((self.adopted, frozenset()))
        best = min(
            candidates,
            key=lambda c: (-len(c[1] & never), len(c[1] - never), c[0] not in hashes, c[0]),
        )
        return best[0]


def gold_schemas(store: Store | sqlite3.Connection, adopted: str) -> GoldSchemas:
    """How to choose (GoldSchemas.of); `lacking` is empty in a project whose every schema had
    every adopted label, where unanimous gold goes under the adopted schema as ever."""
    conn = store.conn if isinstance(store, Store) else store
    labels = [
        str(r[0])
        for r in conn.execute(
            "SELECT l.name FROM schemas s JOIN schema_labels l ON l.schema_id = s.id "
            "WHERE s.hash = ? ORDER BY l.position",
            [adopted],
        )
    ]
    lacking = labels_lacking(conn, labels) if labels else {}
    return GoldSchemas(
        adopted,
        {h: frozenset(labels[i] for i in idx) for h, idx in lacking.items() if h != adopted},
    )


def answer_schemas(
    conn: sqlite3.Connection, sentence_id: int, where: str, params: list[object]
) -> set[str]:
    """The schemas the confirmed answers of a sentence count under (`where`: the coders'
    clause on `a.annotator_id`, Coders.sql)."""
    return {
        str(r[0])
        for r in conn.execute(
            "SELECT DISTINCT e.schema_hash FROM annotations a JOIN events e ON e.id = a.event_id "
            f"WHERE a.sentence_id = ? AND a.confirmed = 1{where}",
            [sentence_id, *params],
        )
        if r[0] is not None
    }
