"""Unanimous gold: confirmed annotations that agree become gold (method "unanimous") by
themselves, and unanimous gold that no longer agrees is withdrawn. Adjudicated gold is never
touched (store/gold.py writes it)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any

from annotator.models.gold import UNANIMOUS
from annotator.store import answers
from annotator.store.coders import Coders
from annotator.store.coders import coders as coders_now
from annotator.store.database import Store
from annotator.store.gold import record_json, store_sentence_in_tx, write_sentence_in_tx
from annotator.store.gold_fields import write_field_in_tx
from annotator.store.gold_queue import field_versions, groups_sql
from annotator.store.gold_schema import gold_schemas
from annotator.store.jsontext import dumps


def sync_unanimous(
    store: Store,
    *,
    adjudicator: int,
    schema_hash: str,
    session: str | None = None,
    coders: Coders | None = None,
    min_annotators: int = 2,
    sentence_ids: Sequence[int] | None = None,
    field_keys: Collection[tuple[int, str]] | None = None,
) -> tuple[int, int]:
    """Make unanimous confirmed annotations gold (method "unanimous"), and withdraw unanimous
    gold that is no longer unanimous. Adjudicated gold is never touched. One transaction;
    the agreeing sentences are found and read by SQLite in one pass. With `sentence_ids`
    and `field_keys`, only those (what changed since the last look). Returns (added,
    withdrawn). `coders`: whose answers count (coders.coders: everyone but the staff, when
    not given), as for the queue: one definition of unanimous and disputed."""
    if coders is None:
        coders = coders_now(store)
    sql, params = groups_sql(coders, min_annotators, "= 1", sentence_ids)
    where, names_params = coders.sql("a.annotator_id")
    # the schema each gold counts under: its answers' (audit15b F10), read only in a project
    # where some stored schema lacked an adopted label (added since)
    schemas = gold_schemas(store, schema_hash)
    history = bool(schemas.lacking)
    unanimous = store.all(
        "SELECT a.sentence_id, a.article_id, a.labels, a.fields, group_concat(n.name, char(31))"
        + (", group_concat(DISTINCT e.schema_hash) " if history else ", NULL ")
        + "FROM annotations a JOIN annotators n ON n.id = a.annotator_id "
        + ("JOIN events e ON e.id = a.event_id " if history else "")
        + f"WHERE a.confirmed = 1{where} AND a.sentence_id IN ({sql}) GROUP BY a.sentence_id",
        [*names_params, *params],
    )
    only = ""
    only_params: list[object] = []
    if sentence_ids is not None:
        only = " WHERE g.sentence_id IN (SELECT value FROM json_each(?))"
        only_params = [json.dumps(list(sentence_ids))]
    existing: dict[int, str] = {}
    recorded: dict[int, str] = {}  # the schema each gold is recorded under
    for r in store.all(
        "SELECT g.sentence_id, g.method, "
        + ("(SELECT e.schema_hash FROM events e WHERE e.id = g.event_id)" if history else "NULL")
        + f" FROM gold_annotations g{only}",
        only_params,
    ):
        existing[int(r[0])] = str(r[1])
        recorded[int(r[0])] = str(r[2])
    agreeing = set()
    added = withdrawn = 0
    # the gold is the answer as the adopted schema reads it, in which they agree (audit12
    # F2: after --drop-labels the sync wrote gold carrying the dropped label)
    how = answers.reading(store)
    with store.write() as conn:
        for sid, aid, labels, fields, names, hashes in unanimous:
            agreeing.add(sid)
            method = existing.get(sid)
            if method not in (None, UNANIMOUS):
                continue  # an adjudicator decided: keep it
            read, read_fields = answers.read_answer(how, labels, fields)
            if not read:
                continue  # every label they gave was dropped: nothing to be gold
            record = record_json(read, read_fields, UNANIMOUS, sorted(names.split("\x1f")), None)
            # a label one of its answers never rated stays unrated in the gold (F10)
            under = schemas.of(str(hashes or "").split(","), read) if history else schema_hash
            if method is None:
                _insert_sentence(conn, adjudicator, sid, aid, record, under, session)
                added += 1
            else:  # unanimous before: still the same labels, under the same schema?
                write_sentence_in_tx(
                    conn,
                    adjudicator,
                    sid,
                    aid,
                    record,
                    "gold: unanimous",
                    under,
                    session,
                    coders=coders,
                    # an answer re-confirmed under a later schema rates more of the labels
                    # (and gold recorded before F10 under the adopted one rated too many)
                    keep=history and recorded.get(sid) != under,
                )
        for sid, method in existing.items():
            if method == UNANIMOUS and sid not in agreeing:
                aid = conn.execute(
                    "SELECT article_id FROM gold_annotations WHERE sentence_id = ?", [sid]
                ).fetchone()[0]
                write_sentence_in_tx(
                    conn,
                    adjudicator,
                    sid,
                    aid,
                    None,
                    "gold: no longer unanimous",
                    schema_hash,
                    session,
                )
                withdrawn += 1
        fields_existing = {
            (int(r[0]), str(r[1])): str(r[2])
            for r in conn.execute("SELECT article_id, field, method FROM gold_article_fields")
            if field_keys is None or (int(r[0]), str(r[1])) in field_keys
        }
        field_vals = field_versions(store, coders, field_keys)
        for key in fields_existing:  # every annotator's value gone: no longer unanimous
            field_vals.setdefault(key, [])
        for (aid, field), vals in field_vals.items():
            same = len(vals) >= min_annotators and len({dumps(v) for _n, v in vals}) == 1
            method = fields_existing.get((aid, field))
            if same and method in (None, UNANIMOUS):
                record = {"value": vals[0][1], "method": UNANIMOUS, "agrees_with": [], "note": None}
                if write_field_in_tx(
                    conn,
                    adjudicator,
                    aid,
                    field,
                    record,
                    f"gold {field}: unanimous",
                    schema_hash,
                    session,
                    coders=coders,
                ):
                    added += method is None
            elif not same and method == UNANIMOUS:
                write_field_in_tx(
                    conn,
                    adjudicator,
                    aid,
                    field,
                    None,
                    f"gold {field}: no longer unanimous",
                    schema_hash,
                    session,
                )
                withdrawn += 1
    return added, withdrawn


def _insert_sentence(
    conn: sqlite3.Connection,
    adjudicator: int,
    sid: int,
    article_id: int,
    record: dict[str, Any],
    schema_hash: str,
    session: str | None,
) -> None:
    """New unanimous gold, written without the reads write_sentence_in_tx needs (there is no
    previous gold, and every confirming annotator agrees)."""
    store_sentence_in_tx(
        conn, adjudicator, sid, article_id, None, record, "gold: unanimous", schema_hash, session
    )
