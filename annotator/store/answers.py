"""A confirmed answer as the adopted schema reads it: the one form in which two answers are
compared (unanimous gold, the adjudication queue, `status`'s disputed count) and in which
gold is decided from them.

Labels are stored as a JSON list in the order of the schema adopted when they were written,
and keep every label they were given. Compared as stored text, two annotators who gave the
same labels on either side of a reorder in labels.toml differed (audit12 F16: such a
sentence was neither gold nor queued, and `status` counted it disputed forever), and after
`--drop-labels` a dropped label, or a field value whose label was dropped, still made a
dispute nobody could see on the screen (F2). Read here, an answer is its labels the adopted
schema has, in that schema's order, and the sentence fields the adopted schema has whose
label is among them.

The stored rows are never rewritten: the events keep what was given under which schema, and
re-adopting the earlier guidelines reads the dropped labels again. Reading costs json_each
per annotation (three times the trigger's cost on a bulk write), so the SQL compares the
stored text first, and reads only where that differs and only while some stored schema
could make an answer read otherwise (STORED_DECIDES): a project that never reordered or
dropped a label pays nothing for it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from annotator.store.database import Store

# the adopted schema's row id (NULL: none stored yet); uncorrelated, so SQLite evaluates it
# once per statement
ADOPTED_ID = (
    "(SELECT s.id FROM schemas s JOIN settings st ON st.key = 'schema_hash' AND st.value = s.hash)"
)


def labels_sql(t: str) -> str:
    """The JSON list of the labels of row `t` (labels column) the adopted schema has, in its
    order."""
    return (
        "(SELECT json_group_array(name) FROM (SELECT l.name FROM json_each("
        f"{t}.labels) j JOIN schema_labels l ON l.schema_id = {ADOPTED_ID} "
        "AND l.name = j.value ORDER BY l.position))"
    )


# The adopted schema's sentence fields and their labels, read from its stored JSON: a CTE
# (`WITH {OWNERS_CTE}`) materialised once per statement, where one can be used (not in a
# trigger): parsing the schema's JSON per annotation was most of the cost of a reading.
OWNERS = "adopted_sentence_fields"
OWNERS_CTE = (
    f"{OWNERS} AS MATERIALIZED (SELECT json_extract(sf.value, '$.name') AS name, "
    "json_extract(sf.value, '$.label') AS label FROM schemas s, "
    f"json_each(s.schema_json, '$.sentence_fields') sf WHERE s.id = {ADOPTED_ID})"
)


def fields_sql(t: str, *, owners_cte: bool = False) -> str:
    """The JSON object of the sentence fields of row `t` the adopted schema has whose label
    is among the row's labels (keys in stored order: sorted). `owners_cte`: the statement
    has `WITH {OWNERS_CTE}`. Most answers have no field: those are not read at all."""
    if owners_cte:
        kept = (
            f"(SELECT json_group_object(f.key, f.value) FROM json_each({t}.fields) f "
            f"JOIN {OWNERS} o ON o.name = f.key "
            f"WHERE o.label IN (SELECT value FROM json_each({t}.labels)))"
        )
    else:
        kept = (
            f"(SELECT json_group_object(f.key, f.value) FROM json_each({t}.fields) f "
            "WHERE EXISTS (SELECT 1 FROM schemas s JOIN settings st ON st.key = 'schema_hash' "
            "AND st.value = s.hash, json_each(s.schema_json, '$.sentence_fields') sf, "
            f"json_each({t}.labels) j WHERE json_extract(sf.value, '$.name') = f.key "
            "AND j.value = json_extract(sf.value, '$.label')))"
        )
    return f"CASE WHEN {t}.fields = '{{}}' THEN '{{}}' ELSE {kept} END"


def answer_sql(t: str, *, owners_cte: bool = False) -> str:
    """Row `t`'s answer as one comparable text: as the adopted schema reads it, or as
    stored while no schema is (a database written without one)."""
    return (
        f"CASE WHEN {ADOPTED_ID} IS NULL THEN {t}.labels || '|' || {t}.fields "
        f"ELSE {labels_sql(t)} || '|' || {fields_sql(t, owners_cte=owners_cte)} END"
    )


def stored_sql(t: str) -> str:
    return f"{t}.labels || '|' || {t}.fields"


# '1' while no stored answer reads otherwise than it is stored (every stored schema's labels
# are the adopted one's, in its order, its fields on the same labels: migration 0021 keeps
# the setting): the stored text then decides, and nothing is read
STORED_DECIDES = "(SELECT value FROM settings WHERE key = 'answers_as_stored') = '1'"


def versions_sql(
    coders_where: str, test: str, sentence: str = "a.sentence_id", alias: str = "b"
) -> str:
    """A scalar subquery: the number of distinct answers (as read) of the coders' confirmed
    annotations of `sentence`, compared by `test` ("> 1", "= 1"), for a statement that has
    `WITH {OWNERS_CTE}`. `coders_where` is the coders' clause on `{alias}.annotator_id`
    (Coders.sql)."""
    return (
        f"(SELECT count(DISTINCT {answer_sql(alias, owners_cte=True)}) FROM annotations {alias} "
        f"WHERE {alias}.sentence_id = {sentence} AND {alias}.confirmed = 1{coders_where}) {test}"
    )


# --- in Python --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The adopted schema's labels (in order) and each sentence field's label: enough to
    read an answer as answer_sql does, without parsing the schema."""

    order: Mapping[str, int]
    owners: Mapping[str, str]

    def labels(self, labels: Iterable[str]) -> tuple[str, ...]:
        return tuple(
            sorted((x for x in set(labels) if x in self.order), key=self.order.__getitem__)
        )

    def fields(self, labels: Iterable[str], fields: Mapping[str, Any]) -> dict[str, Any]:
        on = set(labels)
        return {k: v for k, v in sorted(fields.items()) if self.owners.get(k) in on}

    def answer(
        self, labels: Iterable[str], fields: Mapping[str, Any]
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        kept = self.labels(labels)
        return kept, self.fields(kept, fields)


def reading(store: Store | sqlite3.Connection) -> Reading | None:
    """How the adopted schema reads answers (None: no schema stored yet: as stored)."""
    conn = store.conn if isinstance(store, Store) else store
    order = {
        str(name): int(pos)
        for name, pos in conn.execute(
            f"SELECT name, position FROM schema_labels WHERE schema_id = {ADOPTED_ID}"
        )
    }
    if not order:
        return None
    owners = {
        str(name): str(label)
        for name, label in conn.execute(
            "SELECT json_extract(sf.value, '$.name'), json_extract(sf.value, '$.label') "
            f"FROM schemas s, json_each(s.schema_json, '$.sentence_fields') sf "
            f"WHERE s.id = {ADOPTED_ID}"
        )
    }
    return Reading(order, owners)


def read_answer(
    how: Reading | None, labels_json: str, fields_json: str
) -> tuple[tuple[str, ...], dict[str, Any]]:
    labels, fields = json.loads(labels_json), json.loads(fields_json)
    if how is None:
        return tuple(labels), dict(fields)
    return how.answer(labels, fields)
