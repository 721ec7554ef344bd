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


# --- for the exports --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reorder:
    """The adopted schema's labels in order, and the pairs of them (first, second) some
    stored schema listed the other way round: an answer lists them out of order only when
    it has `second` before `first`."""

    order: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]


def order_moved(store: Store | sqlite3.Connection) -> Reorder | None:
    """How the exports put each answer's labels in the adopted schema's order, when some
    stored schema lists two of its labels the other way round (labels.toml reordered since
    some answers were written). None in a project that never reordered one: it pays one
    read of the setting."""
    conn = store.conn if isinstance(store, Store) else store
    if conn.execute(f"SELECT {STORED_DECIDES}").fetchone()[0] == 1:
        return None
    how = reading(conn)
    if how is None:
        return None
    listed: dict[int, list[str]] = {}
    for schema_id, name in conn.execute(
        "SELECT schema_id, name FROM schema_labels ORDER BY schema_id, position"
    ):
        if name in how.order:
            listed.setdefault(int(schema_id), []).append(str(name))
    pairs = {  # (first, second) in the adopted order, listed second, first by a schema
        (later, earlier)
        for names in listed.values()
        for i, earlier in enumerate(names)
        for later in names[i + 1 :]
        if how.order[later] < how.order[earlier]
    }
    if not pairs:
        return None  # labels dropped or fields moved, none reordered
    return Reorder(tuple(sorted(how.order, key=how.order.__getitem__)), tuple(sorted(pairs)))


# moved pairs tested one by one at most (two instr each, per record); beyond, every record
# of two labels or more is put in order
MOST_PAIRS = 12


def ordered_record_sql(labels: str, record: str, reorder: Reorder | None) -> str:
    """The SQL of an export record (`record`: an annotation's or gold decision's stored
    JSON, whose labels are the column `labels`) with its labels in the adopted schema's
    order, those it does not have (dropped: the exports leave them out) after them as
    stored. Labels are stored in the order of the schema adopted when they were written:
    after a reorder old and new answers listed them differently, and not as the csv header
    and the hf ClassLabel names do (closing14). Only a record with a moved pair out of
    order is rewritten; the others, and every record while `reorder` is None, are the
    stored bytes. Label names are UPPER_SNAKE_CASE (the schema's validation): safe in an
    SQL literal, and `"NAME"` is found in the stored list by instr."""
    if reorder is None:
        return record
    if len(reorder.pairs) > MOST_PAIRS:
        out_of_order = f"instr({labels}, ',') > 0"  # (any answer of two labels or more)
    else:
        out_of_order = " OR ".join(
            f"(instr({labels}, '\"{first}\"') > instr({labels}, '\"{second}\"') "
            f"AND instr({labels}, '\"{second}\"') > 0)"
            for first, second in reorder.pairs
        )
    ranks = "'," + ",".join(reorder.order) + ",'"
    rank = f"instr({ranks}, ',' || j.value || ',')"
    ordered = (
        f"(SELECT json_group_array(value) FROM (SELECT j.value FROM json_each({labels}) j "
        f"ORDER BY {rank} = 0, {rank}, j.key))"
    )
    return (
        f"CASE WHEN {out_of_order} THEN json_set({record}, '$.labels', json({ordered})) "
        f"ELSE {record} END"
    )
