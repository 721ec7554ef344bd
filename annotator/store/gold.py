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
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from annotator.labeling import SentenceState
from annotator.models.gold import ADJUDICATED, UNANIMOUS, Gold, GoldField, Version
from annotator.store import annotations as ann
from annotator.store import events
from annotator.store.database import BUSY_TIMEOUT_S, Row, Store, now
from annotator.store.jsontext import dumps

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
    """The gold of these sentences: one query however many (the ids go in as one JSON
    array, not one parameter each)."""
    return {
        int(row[0]): _gold(row)
        for row in store.all(
            f"SELECT {_GOLD_COLS} FROM {_GOLD_FROM} WHERE g.sentence_id IN "
            "(SELECT value FROM json_each(?))",
            [json.dumps(list(ids))],
        )
    }


def _gold_in_tx(conn: sqlite3.Connection, sid: int) -> Gold | None:
    row = conn.execute(f"SELECT {_GOLD_COLS} FROM {_GOLD_FROM} WHERE g.sentence_id = ?", [sid])
    found = row.fetchone()
    return None if found is None else _gold(found)


_FIELD_COLS = (
    "g.article_id, g.field, g.value, g.method, n.name, g.agrees_with, g.note, g.decided_at "
    "FROM gold_article_fields g LEFT JOIN annotators n ON n.id = g.adjudicator_id"
)


def _gold_field(row: Row) -> GoldField:
    return GoldField(json.loads(row[2]), row[3], row[4], tuple(json.loads(row[5])), row[6], row[7])


def gold_fields(store: Store) -> dict[tuple[int, str], GoldField]:
    """Every article field's gold, by (article id, field)."""
    return {(int(r[0]), str(r[1])): _gold_field(r) for r in store.all(f"SELECT {_FIELD_COLS}")}


def _gold_field_in_tx(conn: sqlite3.Connection, article_id: int, field: str) -> GoldField | None:
    row = conn.execute(
        f"SELECT {_FIELD_COLS} WHERE g.article_id = ? AND g.field = ?", [article_id, field]
    ).fetchone()
    return None if row is None else _gold_field(row)


# --- what changed ---------------------------------------------------------------------------


@contextmanager
def without_waiting(store: Store) -> Iterator[None]:
    """Writes that give up at once (WriteFailed) when another process holds the database,
    instead of waiting out the busy timeout: for work a timer can try again later."""
    store.conn.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def data_version(store: Store) -> int:
    """Changes when another connection commits (never for this connection's own writes):
    the cheap test before looking for what changed."""
    return int(store.scalar("PRAGMA data_version") or 0)


def last_event(store: Store) -> int:
    return int(store.scalar("SELECT coalesce(max(id), 0) FROM events") or 0)


@dataclass(frozen=True)
class Changed:
    """What the events after some id touched: sentences, article fields, and which of those
    had their gold changed (by anyone)."""

    last_event: int
    sentences: dict[int, int]  # sentence id -> article id, annotations changed
    fields: set[tuple[int, str]]  # (article id, field), annotations changed
    gold_sentences: set[int]
    gold_fields: set[tuple[int, str]]


def changed_since(store: Store, event_id: int) -> Changed:
    sentences: dict[int, int] = {}
    fields: set[tuple[int, str]] = set()
    gold_sentences: set[int] = set()
    gold_fields: set[tuple[int, str]] = set()
    last = event_id
    for eid, kind, sid, aid, field in store.all(
        "SELECT id, kind, sentence_id, article_id, field FROM events WHERE id > ? ORDER BY id",
        [event_id],
    ):
        last = int(eid)
        if kind == "sentence" and sid is not None:
            sentences[int(sid)] = int(aid)
        elif kind == "article_field" and field is not None:
            fields.add((int(aid), str(field)))
        elif kind == "gold_sentence" and sid is not None:
            gold_sentences.add(int(sid))
        elif kind == "gold_article_field" and field is not None:
            gold_fields.add((int(aid), str(field)))
    return Changed(last, sentences, fields, gold_sentences, gold_fields)


def article_of(store: Store, sentence_ids: Sequence[int]) -> dict[int, int]:
    return {
        int(s): int(a)
        for s, a in store.all(
            "SELECT id, article_id FROM sentences WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(sentence_ids))],
        )
    }


def progress(store: Store) -> dict[str, Any]:
    by_method: dict[str, int] = dict(
        store.all("SELECT method, count(*) FROM gold_annotations GROUP BY method")
    )
    fields: dict[str, int] = dict(
        store.all("SELECT method, count(*) FROM gold_article_fields GROUP BY method")
    )
    # the disputed sentences are kept by triggers (migration 0011): grouping every
    # confirmed annotation here took most of a second on a million sentences
    disputed, still_open = store.one(
        "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM gold_annotations g "
        "WHERE g.sentence_id = d.sentence_id)), 0) FROM disputed_sentences d"
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
    annotators: Sequence[str] | None,
    min_annotators: int,
    versions_test: str,
    sentence_ids: Sequence[int] | None = None,
) -> tuple[str, list[object]]:
    """SQL for the sentences with at least `min_annotators` confirmed annotations whose
    number of distinct versions passes `versions_test` ("> 1": disputed, "= 1": unanimous),
    among `sentence_ids` if given."""
    join, where, params = "", "", []
    if annotators:
        join = " JOIN annotators n ON n.id = a.annotator_id"
        where = f" AND n.name IN ({','.join('?' * len(annotators))})"
        params = list(annotators)
    if sentence_ids is not None:
        where += " AND a.sentence_id IN (SELECT value FROM json_each(?))"
        params = [*params, json.dumps(list(sentence_ids))]
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
    sentence_ids: Sequence[int] | None = None,
) -> list[int]:
    sql, params = _groups_sql(
        annotators, min_annotators, ">= 1" if include_unanimous else "> 1", sentence_ids
    )
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


def disputed_signatures(
    store: Store,
    annotators: Sequence[str] | None = None,
    min_annotators: int = 2,
    *,
    include_unanimous: bool = False,
    sentence_ids: Sequence[int] | None = None,
) -> list[tuple[int, int, str]]:
    """(sentence id, article id, signature) for every disputed sentence (or `sentence_ids`
    among them), in one query, with no Python object per annotation. The signature is the
    stored labels and fields of each confirmed version (labels, unit separator, fields;
    versions joined by the record separator): two versions agree exactly when their
    stored text does (see _VERSIONS), so a caller judges each distinct signature once and
    reads the versions themselves (`versions`) only for the item on screen."""
    groups, params = _groups_sql(
        annotators, min_annotators, ">= 1" if include_unanimous else "> 1", sentence_ids
    )
    where, names = "", []
    if annotators:
        where = f" AND n.name IN ({','.join('?' * len(annotators))})"
        names = list(annotators)
    return store.all(
        "SELECT a.sentence_id, a.article_id, group_concat(a.labels || char(31) || a.fields, "
        "char(30)) FROM annotations a"
        + (" JOIN annotators n ON n.id = a.annotator_id" if annotators else "")
        + f" WHERE a.confirmed = 1{where} AND a.sentence_id IN ({groups}) "
        "GROUP BY a.sentence_id",
        [*names, *params],
    )


@lru_cache(maxsize=4096)
def _labels(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


@lru_cache(maxsize=4096)
def _fields(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(json.loads(text).items()))


def signature_versions(signature: str) -> list[Version]:
    """The versions a signature stands for, without their annotators' names or comments."""
    out = []
    for part in signature.split("\x1e"):
        labels, fields = part.split("\x1f")
        out.append(Version("", _labels(labels), _fields(fields), None))
    return out


def field_versions(
    store: Store,
    annotators: Sequence[str] | None = None,
    keys: Collection[tuple[int, str]] | None = None,
) -> dict[tuple[int, str], list[tuple[str, Any]]]:
    """Each annotator's value per (article id, field), of the chosen annotators and, if
    given, only for those keys."""
    clauses: list[str] = []
    params: list[object] = []
    if annotators:
        clauses.append(f"n.name IN ({','.join('?' * len(annotators))})")
        params.extend(annotators)
    if keys is not None:
        clauses.append(
            "(f.article_id, f.field) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))"
        )
        params.append(json.dumps([list(k) for k in keys]))
    clause = f" WHERE {' AND '.join(clauses)}" if clauses else ""
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


def gold_record(
    labels: Sequence[str], fields: dict[str, str], method: str, note: str | None
) -> dict[str, Any]:
    """A gold decision to write (write_sentence_in_tx); agrees_with is worked out there."""
    return _record_json(labels, fields, method, [], note)


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
                dumps(record["labels"]),
                dumps(record["fields"]),
                record["method"],
                adjudicator if record["method"] != UNANIMOUS else None,
                dumps(record["agrees_with"]),
                record["note"],
                at,
                event,
            ],
        )
    return event


write_sentence_in_tx = _write_sentence  # for label_import: gold from another tool


Transform = Callable[[SentenceState], SentenceState]


@dataclass(frozen=True)
class GoldChange:
    """What one committed gold decision did: the event (None: nothing changed) and the
    gold it left (None: there is none)."""

    event_id: int | None
    gold: Gold | None


def change_sentence_gold(
    store: Store,
    *,
    adjudicator: int,
    sentence_id: int,
    article_id: int,
    transform: Transform,
    action: str,
    method: str = ADJUDICATED,
    schema_hash: str,
    session: str | None = None,
) -> GoldChange:
    """Read the gold of a sentence, apply `transform`, write the result: one `BEGIN
    IMMEDIATE` transaction, so the change applies to the gold as stored (another adjudicator
    may have changed it), as the annotation path does. The transform sees the gold as a
    SentenceState (the note as its comment, no gold: the empty state); a result with no
    label withdraws the gold. An exception from the transform writes nothing."""
    with store.write() as conn:
        current = _gold_in_tx(conn, sentence_id)
        before = (
            SentenceState()
            if current is None
            else SentenceState(current.labels, current.fields, current.note, True)
        )
        after = transform(before)
        if after == before:
            return GoldChange(None, current)
        record = (
            None
            if not after.labels
            else _record_json(after.labels, dict(after.fields), method, [], after.comment)
        )
        event = _write_sentence(
            conn, adjudicator, sentence_id, article_id, record, action, schema_hash, session
        )
        return GoldChange(event, _gold_in_tx(conn, sentence_id))


@dataclass(frozen=True)
class FieldDecision:
    """An article field's gold as a transform returns it."""

    value: Any
    note: str | None
    method: str = ADJUDICATED


@dataclass(frozen=True)
class FieldGoldChange:
    event_id: int | None
    gold: GoldField | None


def change_field_gold(
    store: Store,
    *,
    adjudicator: int,
    article_id: int,
    field: str,
    transform: Callable[[GoldField | None], FieldDecision | None],
    schema_hash: str,
    session: str | None = None,
) -> FieldGoldChange:
    """The article-field twin of change_sentence_gold: read, transform, write, one
    transaction. A None decision withdraws the gold."""
    with store.write() as conn:
        current = _gold_field_in_tx(conn, article_id, field)
        decision = transform(current)
        record = (
            None
            if decision is None or decision.value is None
            else {
                "value": decision.value,
                "method": decision.method,
                "agrees_with": [],
                "note": decision.note,
            }
        )
        event = _write_field(
            conn, adjudicator, article_id, field, record, f"gold {field}", schema_hash, session
        )
        if event is None:
            return FieldGoldChange(None, current)
        return FieldGoldChange(event, _gold_field_in_tx(conn, article_id, field))


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
                dumps(record["value"]),
                record["method"],
                adjudicator if record["method"] != UNANIMOUS else None,
                dumps(record["agrees_with"]),
                record["note"],
                at,
                event,
            ],
        )
    return event


def sync_unanimous(
    store: Store,
    *,
    adjudicator: int,
    schema_hash: str,
    session: str | None = None,
    annotators: Sequence[str] | None = None,
    min_annotators: int = 2,
    sentence_ids: Sequence[int] | None = None,
    field_keys: Collection[tuple[int, str]] | None = None,
) -> tuple[int, int]:
    """Make unanimous confirmed annotations gold (method "unanimous"), and withdraw unanimous
    gold that is no longer unanimous. Adjudicated gold is never touched. One transaction;
    the agreeing sentences are found and read by SQLite in one pass. With `sentence_ids`
    and `field_keys`, only those (what changed since the last look). Returns (added,
    withdrawn)."""
    sql, params = _groups_sql(annotators, min_annotators, "= 1", sentence_ids)
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
    only = ""
    only_params: list[object] = []
    if sentence_ids is not None:
        only = " WHERE sentence_id IN (SELECT value FROM json_each(?))"
        only_params = [json.dumps(list(sentence_ids))]
    existing = {
        int(r[0]): str(r[1])
        for r in store.all(f"SELECT sentence_id, method FROM gold_annotations{only}", only_params)
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
            if field_keys is None or (int(r[0]), str(r[1])) in field_keys
        }
        field_vals = field_versions(store, annotators, field_keys)
        for key in fields_existing:  # every annotator's value gone: no longer unanimous
            field_vals.setdefault(key, [])
        for (aid, field), vals in field_vals.items():
            same = len(vals) >= min_annotators and len({dumps(v) for _n, v in vals}) == 1
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
            dumps(record["labels"]),
            dumps(record["fields"]),
            UNANIMOUS,
            dumps(record["agrees_with"]),
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
