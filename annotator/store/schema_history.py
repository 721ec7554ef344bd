"""Which labels each stored schema had, and the stored schemas themselves: what an answer
was a rating OF depends on the schema it was confirmed under (annotations.event_id ->
events.schema_hash -> schemas), not on today's (audit12 F6, F11).

A label added mid-project was not on the screen of an annotator who confirmed a sentence
before it existed: that confirmation says nothing about it (missing), it does not say "no"
(absent). Agreement, the majority and the exports read the labels each schema lacked from
here; a project whose every schema had every label pays one small read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.store.database import Store

if TYPE_CHECKING:  # the label schema's pydantic: only stored_schema needs it (the import
    # path reads this module through the suggestions pass and must not load it)
    from annotator.schema import LabelSchema


def labels_lacking(
    store: Store | sqlite3.Connection, labels: Sequence[str]
) -> dict[str, tuple[int, ...]]:
    """Per stored schema hash that lacked some of `labels`, the indexes in `labels` of
    those it lacked. A hash the database does not hold (not among `schemas`) is not here:
    nothing says what it had, so its answers count for every label, as they always did."""
    conn = store.conn if isinstance(store, Store) else store
    had: dict[str, set[str]] = {}
    for h, name in conn.execute(
        "SELECT s.hash, l.name FROM schemas s LEFT JOIN schema_labels l ON l.schema_id = s.id"
    ):
        names = had.setdefault(str(h), set())
        if name is not None:
            names.add(str(name))
    out: dict[str, tuple[int, ...]] = {}
    for h, names in had.items():
        if not names:
            continue  # no labels listed for it: nothing says what it had
        missing = tuple(i for i, lab in enumerate(labels) if lab not in names)
        if missing:
            out[h] = missing
    return out


def lacking_sql(
    lacking: dict[str, tuple[int, ...]], index: int, schema_hash: str, present: str
) -> tuple[str, list[object]]:
    """The SQL of label `index`'s value in a row: -1 (not a rating of it) where the row's
    schema (`schema_hash`, an SQL expression) lacked the label, else `present` (0 or 1)."""
    hashes = [h for h, missing in lacking.items() if index in missing]
    if not hashes:
        return present, []
    return (
        f"CASE WHEN {schema_hash} IN ({','.join('?' * len(hashes))}) THEN -1 ELSE {present} END",
        list(hashes),
    )


ANSWER_EVENT = " CROSS JOIN events e ON e.id = a.event_id"
"""The join that gives an annotation row `a` its event `e` (whose schema_hash is the schema
it was confirmed under). CROSS JOIN: annotations stay the outer loop, in the primary-key
order the callers' ORDER BY wants."""


def presence_cells(store: Store, labels: Sequence[str]) -> tuple[str, list[object], str]:
    """The SQL of each label's value in an annotation row `a`, comma-joined (1 present, 0
    absent, -1 where the row's schema lacked the label: added since, never rated by that
    confirmation, audit12 F6), the parameters those cells take, and the join that gives
    each row its event `e` ("" when no stored schema lacked any of `labels`: only a
    project that added a label pays the look-up). Label names are UPPER_SNAKE by the
    schema's validation: safe inside a SQL literal."""
    lacking = labels_lacking(store, labels)
    cells: list[str] = []
    params: list[object] = []
    for i, name in enumerate(labels):
        cell, p = lacking_sql(lacking, i, "e.schema_hash", f"(instr(a.labels, '\"{name}\"') > 0)")
        cells.append(cell)
        params.extend(p)
    joined = ANSWER_EVENT if params else ""
    return ", ".join(cells), params, joined


def answer_schemas(
    store: Store, labels: Sequence[str], row: str = "a"
) -> tuple[dict[str, frozenset[str]], str, str]:
    """For a reader that wants, per annotation row `a` (or gold row: `row` names the table's
    alias, any table with an `event_id`), the labels of `labels` its schema lacked (added
    since) as one column rather than one cell per label: per stored schema hash that lacked
    some, those labels (labels_lacking); the SQL of the row's schema hash; and the join it
    needs. ({}, "NULL", "") when no schema lacked any: nothing joined, one small read.
    Gold is read the same way: unanimous gold is recorded under a schema that lacked what
    its answers never rated (gold_schema.py), and is no "no" to those labels (audit15c F7)."""
    unrated = labels_unrated(store, list(labels))
    if not unrated:
        return {}, "NULL", ""
    joined = ANSWER_EVENT if row == "a" else f" CROSS JOIN events e ON e.id = {row}.event_id"
    return {h: frozenset(v) for h, v in unrated.items()}, "e.schema_hash", joined


def stored_schema(store: Store, schema_hash: str) -> LabelSchema | None:
    """The schema of that hash as it was stored when adopted (None: not in the database).
    Parsed with `stored=True`: rules added since do not apply to what was valid then."""
    row = store.one("SELECT labels_toml FROM schemas WHERE hash = ?", [schema_hash])
    if row is None:
        return None
    source = f"labels.toml of schema {schema_hash[:12]} (stored in the database)"
    from annotator.schema import parse_schema

    return parse_schema(str(row[0]), source, stored=True)


def labels_unrated(store: Store, labels: list[str]) -> dict[str, list[str]]:
    """Per stored schema hash that lacked some of `labels` (added since), those labels: an
    answer confirmed under it never rated them (audit12 F6). Empty in a project that never
    added a label, which then pays one small read."""
    return {h: [labels[i] for i in idx] for h, idx in labels_lacking(store, labels).items()}


def unrated_counts(store: Store, unrated: dict[str, list[str]]) -> dict[str, int]:
    """Per label added since, how many confirmed annotations predate it (were confirmed
    under a schema that lacked it), for the exports' note."""
    out: dict[str, int] = {}
    for h, labels in unrated.items():
        n = int(
            store.scalar(
                "SELECT count(*) FROM annotations a JOIN events e ON e.id = a.event_id "
                "WHERE a.confirmed = 1 AND e.schema_hash = ?",
                [h],
            )
            or 0
        )
        for label in labels:
            out[label] = out.get(label, 0) + n
    return {k: v for k, v in out.items() if v}


def with_unrated(
    record: str, event: str, unrated: dict[str, list[str]] | None
) -> tuple[str, list[object]]:
    """The SQL of a stored record with `"unrated": [labels its schema lacked]` added where it
    lacked some (the row's schema: `event`'s), and its parameters; the record as it is
    stored when no schema lacked any."""
    if not unrated:
        return record, []
    cases = " ".join("WHEN ? THEN json_set(" + record + ", '$.unrated', json(?))" for _ in unrated)
    params: list[object] = []
    for h, labels in unrated.items():
        params += [h, json.dumps(labels)]
    return (
        f"CASE (SELECT e.schema_hash FROM events e WHERE e.id = {event}) {cases} ELSE {record} END",
        params,
    )
