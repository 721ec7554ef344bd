"""Gold labels: the adjudicated (or unanimous) truth per sentence and article field.

Gold is history like everything else: each decision is an event (kind `gold_sentence` or
`gold_article_field`, annotator = the adjudicator) whose `before` and `after` hold the whole
gold record, so undo restores exactly what was there. `agrees_with` names the annotators
whose confirmed annotation equals the gold at the time it was decided.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from annotator.models.gold import ADJUDICATED, UNANIMOUS, Gold, GoldField, Version
from annotator.store import annotations as ann
from annotator.store import events
from annotator.store.database import Row, Store, now
from annotator.store.jsontext import dumps as _dumps

GOLD_KINDS = ("gold_sentence", "gold_article_field")


# --- reading --------------------------------------------------------------------------------

_GOLD_COLS = (
    "g.sentence_id, g.labels, g.fields, g.method, n.name, g.agrees_with, g.note, g.decided_at"
)
_GOLD_FROM = "gold_annotations g LEFT JOIN annotators n ON n.id = g.adjudicator_id"


def _gold(row: Row) -> Gold:
    return Gold(
        tuple(json.loads(row[1])),
        tuple(sorted(json.loads(row[2]).items())),
        row[3],
        row[4],
        tuple(json.loads(row[5])),
        row[6],
        row[7],
    )


def gold_for_sentences(store: Store, ids: Sequence[int]) -> dict[int, Gold]:
    out: dict[int, Gold] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for row in store.all(
            f"SELECT {_GOLD_COLS} FROM {_GOLD_FROM} WHERE g.sentence_id IN "
            f"({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[int(row[0])] = _gold(row)
    return out


def gold_fields_for_article(store: Store, article_id: int) -> dict[str, GoldField]:
    return {
        str(r[0]): GoldField(json.loads(r[1]), r[2], r[3], tuple(json.loads(r[4])), r[5], r[6])
        for r in store.all(
            "SELECT g.field, g.value, g.method, n.name, g.agrees_with, g.note, g.decided_at "
            "FROM gold_article_fields g LEFT JOIN annotators n ON n.id = g.adjudicator_id "
            "WHERE g.article_id = ?",
            [article_id],
        )
    }


def progress(store: Store) -> dict[str, Any]:
    by_method: dict[str, int] = dict(
        store.all("SELECT method, count(*) FROM gold_annotations GROUP BY method")
    )
    fields: dict[str, int] = dict(
        store.all("SELECT method, count(*) FROM gold_article_fields GROUP BY method")
    )
    sql, params = _groups_sql(None, 2, "> 1")
    disputed, still_open = store.one(
        f"SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM gold_annotations g "
        f"WHERE g.sentence_id = d.sentence_id)), 0) FROM ({sql}) d",
        params,
    ) or (0, 0)
    return {
        "gold_sentences": sum(by_method.values()),
        "by_method": by_method,
        "gold_article_fields": sum(fields.values()),
        "disputed_sentences": disputed,
        "disputed_open": still_open,
    }


# Labels are stored in schema order and fields with sorted keys, so two confirmed
# annotations agree exactly when their stored text agrees: SQLite can group and compare them
# without a Python object per annotation.
_VERSIONS = "count(DISTINCT a.labels || '|' || a.fields)"


def _groups_sql(
    annotators: Sequence[str] | None, min_annotators: int, versions_test: str
) -> tuple[str, list[object]]:
    """SQL for the sentences with at least `min_annotators` confirmed annotations whose
    number of distinct versions passes `versions_test` ("> 1": disputed, "= 1": unanimous)."""
    join, where, params = "", "", []
    if annotators:
        join = " JOIN annotators n ON n.id = a.annotator_id"
        where = f" AND n.name IN ({','.join('?' * len(annotators))})"
        params = list(annotators)
    sql = (
        f"SELECT a.sentence_id FROM annotations a{join} WHERE a.confirmed = 1{where} "
        f"GROUP BY a.sentence_id HAVING count(*) >= ? AND {_VERSIONS} {versions_test}"
    )
    return sql, [*params, min_annotators]


def disputed_ids(
    store: Store,
    annotators: Sequence[str] | None = None,
    min_annotators: int = 2,
    *,
    include_unanimous: bool = False,
) -> list[int]:
    sql, params = _groups_sql(annotators, min_annotators, ">= 1" if include_unanimous else "> 1")
    return [int(r[0]) for r in store.all(sql, params)]


# --- what differs ---------------------------------------------------------------------------


def versions(
    store: Store,
    *,
    annotators: Sequence[str] | None = None,
    sentence_ids: Sequence[int] | None = None,
) -> dict[int, list[Version]]:
    """Confirmed annotations per sentence (of the chosen annotators), sorted by annotator."""
    out: dict[int, list[Version]] = defaultdict(list)
    if sentence_ids is not None and len(sentence_ids) > 500:
        ids = list(sentence_ids)
        for i in range(0, len(ids), 500):
            out.update(versions(store, annotators=annotators, sentence_ids=ids[i : i + 500]))
        return out
    clauses: list[str] = ["a.confirmed = 1"]
    params: list[object] = []
    if annotators:
        clauses.append(f"n.name IN ({','.join('?' * len(annotators))})")
        params.extend(annotators)
    if sentence_ids is not None:
        clauses.append(f"a.sentence_id IN ({','.join('?' * len(sentence_ids))})")
        params.extend(sentence_ids)
    for sid, name, labels, fields, comment in store.all(
        "SELECT a.sentence_id, n.name, a.labels, a.fields, a.comment FROM annotations a "
        f"JOIN annotators n ON n.id = a.annotator_id WHERE {' AND '.join(clauses)} "
        "ORDER BY a.sentence_id, n.name",
        params,
    ):
        out[int(sid)].append(
            Version(
                name, tuple(json.loads(labels)), tuple(sorted(json.loads(fields).items())), comment
            )
        )
    return out


def field_versions(
    store: Store, annotators: Sequence[str] | None = None
) -> dict[tuple[int, str], list[tuple[str, Any]]]:
    clause, params = "", []
    if annotators:
        clause = f" WHERE n.name IN ({','.join('?' * len(annotators))})"
        params = list(annotators)
    out: dict[tuple[int, str], list[tuple[str, Any]]] = defaultdict(list)
    for aid, field, name, value in store.all(
        "SELECT f.article_id, f.field, n.name, f.value FROM article_annotations f "
        f"JOIN annotators n ON n.id = f.annotator_id{clause} "
        "ORDER BY f.article_id, f.field, n.name",
        params,
    ):
        out[(int(aid), str(field))].append((str(name), json.loads(value)))
    return out


# --- writing --------------------------------------------------------------------------------


def _record_json(
    labels: Sequence[str],
    fields: dict[str, str],
    method: str,
    agrees_with: Sequence[str],
    note: str | None,
) -> dict[str, Any]:
    return {
        "labels": list(labels),
        "fields": dict(fields),
        "method": method,
        "agrees_with": list(agrees_with),
        "note": note,
    }


def _current_sentence(conn: sqlite3.Connection, sid: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT labels, fields, method, agrees_with, note FROM gold_annotations "
        "WHERE sentence_id = ?",
        [sid],
    ).fetchone()
    if row is None:
        return None
    return _record_json(json.loads(row[0]), json.loads(row[1]), row[2], json.loads(row[3]), row[4])


def _agreeing(
    conn: sqlite3.Connection, sid: int, labels: Sequence[str], fields: dict[str, str]
) -> list[str]:
    want = (sorted(labels), dict(fields))
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT n.name, a.labels, a.fields FROM annotations a JOIN annotators n "
            "ON n.id = a.annotator_id WHERE a.sentence_id = ? AND a.confirmed = 1 ORDER BY n.name",
            [sid],
        )
        if (sorted(json.loads(r[1])), json.loads(r[2])) == want
    ]


def _write_sentence(
    conn: sqlite3.Connection,
    adjudicator: int,
    sid: int,
    article_id: int,
    record: dict[str, Any] | None,
    action: str,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
) -> int | None:
    before = _current_sentence(conn, sid)
    if record is not None:
        record = {**record, "agrees_with": _agreeing(conn, sid, record["labels"], record["fields"])}
    if before == record and undoes is None:
        return None
    at = now()
    event = events.append(
        conn,
        at=at,
        annotator_id=adjudicator,
        kind="gold_sentence",
        action=action,
        sentence_id=sid,
        article_id=article_id,
        before=before,
        after=record,
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
    )
    if record is None:
        conn.execute("DELETE FROM gold_annotations WHERE sentence_id = ?", [sid])
    else:
        conn.execute(
            "INSERT INTO gold_annotations (sentence_id, article_id, labels, fields, method, "
            "adjudicator_id, agrees_with, note, decided_at, event_id) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sentence_id) DO UPDATE SET "
            "labels = excluded.labels, fields = excluded.fields, method = excluded.method, "
            "adjudicator_id = excluded.adjudicator_id, agrees_with = excluded.agrees_with, "
            "note = excluded.note, decided_at = excluded.decided_at, event_id = excluded.event_id",
            [
                sid,
                article_id,
                _dumps(record["labels"]),
                _dumps(record["fields"]),
                record["method"],
                adjudicator if record["method"] != UNANIMOUS else None,
                _dumps(record["agrees_with"]),
                record["note"],
                at,
                event,
            ],
        )
    return event


def set_sentence_gold(
    store: Store,
    *,
    adjudicator: int,
    sentence_id: int,
    article_id: int,
    labels: Sequence[str] | None,
    fields: dict[str, str] | None = None,
    note: str | None = None,
    method: str = ADJUDICATED,
    action: str = "gold",
    schema_hash: str,
    session: str | None = None,
) -> int | None:
    """Decide (labels given) or withdraw (labels None) the gold of one sentence."""
    record = None if labels is None else _record_json(labels, fields or {}, method, [], note)
    with store.write() as conn:
        return _write_sentence(
            conn, adjudicator, sentence_id, article_id, record, action, schema_hash, session
        )


def _current_field(conn: sqlite3.Connection, article_id: int, field: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT value, method, agrees_with, note FROM gold_article_fields "
        "WHERE article_id = ? AND field = ?",
        [article_id, field],
    ).fetchone()
    if row is None:
        return None
    return {
        "value": json.loads(row[0]),
        "method": row[1],
        "agrees_with": json.loads(row[2]),
        "note": row[3],
    }


def _write_field(
    conn: sqlite3.Connection,
    adjudicator: int,
    article_id: int,
    field: str,
    record: dict[str, Any] | None,
    action: str,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
) -> int | None:
    before = _current_field(conn, article_id, field)
    if record is not None:
        agreeing = [
            str(r[0])
            for r in conn.execute(
                "SELECT n.name, f.value FROM article_annotations f JOIN annotators n "
                "ON n.id = f.annotator_id WHERE f.article_id = ? AND f.field = ? ORDER BY n.name",
                [article_id, field],
            )
            if json.loads(r[1]) == record["value"]
        ]
        record = {**record, "agrees_with": agreeing}
    if before == record and undoes is None:
        return None
    at = now()
    event = events.append(
        conn,
        at=at,
        annotator_id=adjudicator,
        kind="gold_article_field",
        action=action,
        article_id=article_id,
        field=field,
        before=before,
        after=record,
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
    )
    if record is None:
        conn.execute(
            "DELETE FROM gold_article_fields WHERE article_id = ? AND field = ?",
            [article_id, field],
        )
    else:
        conn.execute(
            "INSERT INTO gold_article_fields (article_id, field, value, method, adjudicator_id, "
            "agrees_with, note, decided_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET value = excluded.value, method = excluded.method, "
            "adjudicator_id = excluded.adjudicator_id, agrees_with = excluded.agrees_with, "
            "note = excluded.note, decided_at = excluded.decided_at, event_id = excluded.event_id",
            [
                article_id,
                field,
                _dumps(record["value"]),
                record["method"],
                adjudicator if record["method"] != UNANIMOUS else None,
                _dumps(record["agrees_with"]),
                record["note"],
                at,
                event,
            ],
        )
    return event


def set_field_gold(
    store: Store,
    *,
    adjudicator: int,
    article_id: int,
    field: str,
    value: Any,
    note: str | None = None,
    method: str = ADJUDICATED,
    schema_hash: str,
    session: str | None = None,
) -> int | None:
    record = (
        None
        if value is None
        else {"value": value, "method": method, "agrees_with": [], "note": note}
    )
    with store.write() as conn:
        return _write_field(
            conn, adjudicator, article_id, field, record, f"gold {field}", schema_hash, session
        )


def sync_unanimous(
    store: Store,
    *,
    adjudicator: int,
    schema_hash: str,
    session: str | None = None,
    annotators: Sequence[str] | None = None,
    min_annotators: int = 2,
) -> tuple[int, int]:
    """Make unanimous confirmed annotations gold (method "unanimous"), and withdraw unanimous
    gold that is no longer unanimous. Adjudicated gold is never touched. One transaction;
    the agreeing sentences are found and read by SQLite in one pass. Returns (added,
    withdrawn)."""
    sql, params = _groups_sql(annotators, min_annotators, "= 1")
    join, where, names_params = "", "", []
    if annotators:
        where = f" AND n.name IN ({','.join('?' * len(annotators))})"
        names_params = list(annotators)
    unanimous = store.all(
        "SELECT a.sentence_id, a.article_id, a.labels, a.fields, group_concat(n.name, char(31)) "
        f"FROM annotations a JOIN annotators n ON n.id = a.annotator_id{join} "
        f"WHERE a.confirmed = 1{where} AND a.sentence_id IN ({sql}) GROUP BY a.sentence_id",
        [*names_params, *params],
    )
    existing = {
        int(r[0]): str(r[1]) for r in store.all("SELECT sentence_id, method FROM gold_annotations")
    }
    agreeing = set()
    added = withdrawn = 0
    with store.write() as conn:
        for sid, aid, labels, fields, names in unanimous:
            agreeing.add(sid)
            method = existing.get(sid)
            if method not in (None, UNANIMOUS):
                continue  # an adjudicator decided: keep it
            record = _record_json(
                json.loads(labels), json.loads(fields), UNANIMOUS, sorted(names.split("\x1f")), None
            )
            if method is None:
                _insert_sentence(conn, adjudicator, sid, aid, record, schema_hash, session)
                added += 1
            else:  # unanimous before: still the same labels?
                _write_sentence(
                    conn, adjudicator, sid, aid, record, "gold: unanimous", schema_hash, session
                )
        for sid, method in existing.items():
            if method == UNANIMOUS and sid not in agreeing:
                aid = conn.execute(
                    "SELECT article_id FROM gold_annotations WHERE sentence_id = ?", [sid]
                ).fetchone()[0]
                _write_sentence(
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
        }
        for (aid, field), vals in field_versions(store, annotators).items():
            same = len(vals) >= min_annotators and len({_dumps(v) for _n, v in vals}) == 1
            method = fields_existing.get((aid, field))
            if same and method in (None, UNANIMOUS):
                record = {"value": vals[0][1], "method": UNANIMOUS, "agrees_with": [], "note": None}
                if _write_field(
                    conn,
                    adjudicator,
                    aid,
                    field,
                    record,
                    f"gold {field}: unanimous",
                    schema_hash,
                    session,
                ):
                    added += method is None
            elif not same and method == UNANIMOUS:
                _write_field(
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
    """New unanimous gold, written without the reads _write_sentence needs (there is no
    previous gold, and every confirming annotator agrees)."""
    at = now()
    event = events.append(
        conn,
        at=at,
        annotator_id=adjudicator,
        kind="gold_sentence",
        action="gold: unanimous",
        sentence_id=sid,
        article_id=article_id,
        before=None,
        after=record,
        schema_hash=schema_hash,
        session=session,
    )
    conn.execute(
        "INSERT INTO gold_annotations (sentence_id, article_id, labels, fields, method, "
        "adjudicator_id, agrees_with, note, decided_at, event_id) "
        "VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?)",
        [
            sid,
            article_id,
            _dumps(record["labels"]),
            _dumps(record["fields"]),
            UNANIMOUS,
            _dumps(record["agrees_with"]),
            at,
            event,
        ],
    )


# --- undo -----------------------------------------------------------------------------------


def _undo_sentence(
    conn: sqlite3.Connection,
    adjudicator: int,
    row: Row,
    schema_hash: str,
    session: str | None,
) -> int | None:
    target, _kind, action, sid, aid, _oid, _field, before_json = row
    before = json.loads(before_json)
    return _write_sentence(
        conn, adjudicator, sid, aid, before, f"undo: {action}", schema_hash, session, undoes=target
    )


def _undo_field(
    conn: sqlite3.Connection,
    adjudicator: int,
    row: Row,
    schema_hash: str,
    session: str | None,
) -> int | None:
    target, _kind, action, _sid, aid, _oid, field, before_json = row
    before = json.loads(before_json)
    return _write_field(
        conn,
        adjudicator,
        aid,
        field,
        before,
        f"undo: {action}",
        schema_hash,
        session,
        undoes=target,
    )


ann.register_undo("gold_sentence", _undo_sentence)
ann.register_undo("gold_article_field", _undo_field)
