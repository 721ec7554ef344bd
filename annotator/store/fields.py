"""Article-level judgements (one value per annotator and field) and outlet fields (one value
per outlet and field, with who entered it). Every change is an event, like a sentence's."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from annotator.models.suggestions import TYPED
from annotator.store import events
from annotator.store.database import Store, now
from annotator.store.jsontext import dumps


def article_fields(store: Store, article_id: int, annotator_id: int) -> dict[str, Any]:
    return {
        str(r[0]): json.loads(r[1])
        for r in store.all(
            "SELECT field, value FROM article_annotations "
            "WHERE article_id = ? AND annotator_id = ?",
            [article_id, annotator_id],
        )
    }


def set_article_field(
    store: Store,
    *,
    annotator_id: int,
    article_id: int,
    field: str,
    value: Any,
    schema_hash: str,
    session: str | None = None,
) -> int | None:
    with store.write() as conn:
        return set_article_field_in_tx(
            conn, annotator_id, article_id, field, value, schema_hash, session, undoes=None
        )


def set_article_field_in_tx(
    conn: sqlite3.Connection,
    annotator_id: int,
    article_id: int,
    field: str,
    value: Any,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    redo: bool = False,
    at: str | None = None,
    origin: str = TYPED,
) -> int | None:
    return _set_field_in_tx(
        conn,
        "article_field",
        annotator_id,
        article_id,
        field,
        value,
        schema_hash,
        session,
        undoes,
        redo,
        at=at,
        origin=origin,
    )


# kind -> (table, target column, whether each annotator has their own value)
_FIELD_TABLES = {
    "article_field": ("article_annotations", "article_id", True),
    "outlet_field": ("outlet_annotations", "outlet_id", False),  # once per outlet, with who
    "article_comment": ("article_comments", "article_id", True),  # field is always 'comment'
}

COMMENT = "comment"


def article_comment(store: Store, article_id: int, annotator_id: int) -> str | None:
    v = store.scalar(
        "SELECT value FROM article_comments WHERE article_id = ? AND annotator_id = ?",
        [article_id, annotator_id],
    )
    return None if v is None else str(json.loads(str(v)))


def set_article_comment(
    store: Store,
    *,
    annotator_id: int,
    article_id: int,
    comment: str | None,
    schema_hash: str,
    session: str | None = None,
) -> int | None:
    with store.write() as conn:
        return set_article_comment_in_tx(
            conn, annotator_id, article_id, comment, schema_hash, session, undoes=None
        )


def set_article_comment_in_tx(
    conn: sqlite3.Connection,
    annotator_id: int,
    article_id: int,
    comment: str | None,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    redo: bool = False,
) -> int | None:
    return _set_field_in_tx(
        conn,
        "article_comment",
        annotator_id,
        article_id,
        COMMENT,
        comment,
        schema_hash,
        session,
        undoes,
        redo,
    )


def _set_field_in_tx(
    conn: sqlite3.Connection,
    kind: str,
    annotator_id: int,
    target: int,
    field: str,
    value: Any,
    schema_hash: str,
    session: str | None,
    undoes: int | None,
    redo: bool = False,
    at: str | None = None,
    origin: str = TYPED,
) -> int | None:
    """Set (or, with None, clear) an article or outlet field value and record the event
    (`at`: when, for a value imported with its time; else now; `origin`: where the value
    came from, `imported` for import-labels as for its sentence labels).
    An undo or a redo (store/redo.py) records one even when the value is already there: the
    undo and redo stacks are read from the events."""
    table, column, per_annotator = _FIELD_TABLES[kind]
    key = f"{column} = ? AND field = ?" + (" AND annotator_id = ?" if per_annotator else "")
    key_params = [target, field, *([annotator_id] if per_annotator else [])]
    row = conn.execute(f"SELECT value FROM {table} WHERE {key}", key_params).fetchone()
    old = json.loads(row[0]) if row else None
    if old == value and undoes is None and not redo:
        return None
    at = at or now()
    action = f"undo: set {field}" if undoes else f"redo: set {field}" if redo else f"set {field}"
    event = events.append(
        conn,
        at=at,
        annotator_id=annotator_id,
        kind=kind,
        action=action,
        article_id=target if column == "article_id" else None,
        outlet_id=target if column == "outlet_id" else None,
        field=field,
        before={"value": old},
        after={"value": value},
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
        origin=origin,
    )
    if value is None:
        conn.execute(f"DELETE FROM {table} WHERE {key}", key_params)
    else:
        conn.execute(
            f"INSERT INTO {table} ({column}, annotator_id, field, value, updated_at, event_id) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value, "
            "annotator_id = excluded.annotator_id, updated_at = excluded.updated_at, "
            "event_id = excluded.event_id",
            [target, annotator_id, field, dumps(value), at, event],
        )
    return event


def field_time_in_tx(
    conn: sqlite3.Connection, kind: str, target: int, field: str, annotator_id: int
) -> str | None:
    """When the stored value of an article field (this annotator's) or an outlet field
    was set; None when there is none."""
    table, column, per_annotator = _FIELD_TABLES[kind]
    key = f"{column} = ? AND field = ?" + (" AND annotator_id = ?" if per_annotator else "")
    row = conn.execute(
        f"SELECT updated_at FROM {table} WHERE {key}",
        [target, field, *([annotator_id] if per_annotator else [])],
    ).fetchone()
    return None if row is None else str(row[0])


def outlet_fields(store: Store, outlet_id: int) -> dict[str, tuple[Any, str, str]]:
    """field -> (value, who entered it, when)."""
    return {
        str(r[0]): (json.loads(r[1]), str(r[2]), str(r[3]))
        for r in store.all(
            "SELECT o.field, o.value, an.name, o.updated_at FROM outlet_annotations o "
            "JOIN annotators an ON an.id = o.annotator_id WHERE o.outlet_id = ?",
            [outlet_id],
        )
    }


def set_outlet_field(
    store: Store,
    *,
    annotator_id: int,
    outlet_id: int,
    field: str,
    value: Any,
    schema_hash: str,
    session: str | None = None,
) -> int | None:
    with store.write() as conn:
        return set_outlet_field_in_tx(
            conn, annotator_id, outlet_id, field, value, schema_hash, session, undoes=None
        )


def set_outlet_field_in_tx(
    conn: sqlite3.Connection,
    annotator_id: int,
    outlet_id: int,
    field: str,
    value: Any,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    redo: bool = False,
    at: str | None = None,
    origin: str = TYPED,
) -> int | None:
    return _set_field_in_tx(
        conn,
        "outlet_field",
        annotator_id,
        outlet_id,
        field,
        value,
        schema_hash,
        session,
        undoes,
        redo,
        at=at,
        origin=origin,
    )


# --- the outlet of an article ---------------------------------------------------------------


def set_article_outlet(
    store: Store,
    *,
    annotator_id: int,
    article_id: int,
    name: str | None,
    schema_hash: str,
    session: str | None = None,
) -> int | None:
    with store.write() as conn:
        return set_article_outlet_in_tx(
            conn, annotator_id, article_id, name, schema_hash, session, undoes=None
        )


def set_article_outlet_in_tx(
    conn: sqlite3.Connection,
    annotator_id: int,
    article_id: int,
    name: str | None,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    redo: bool = False,
) -> int | None:
    """Name an article's outlet (scraped articles often have none, and then its outlet fields
    cannot be reached); the outlet is created if new. An event of kind 'article_outlet'
    records the change, so undo reverses it. Exports read the name at export time."""
    row = conn.execute(
        "SELECT o.name FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?",
        [article_id],
    ).fetchone()
    old = row[0] if row else None
    if old == name and undoes is None and not redo:
        return None
    target = None
    if name:
        found = conn.execute("SELECT id FROM outlets WHERE name = ?", [name]).fetchone()
        target = (
            int(found[0])
            if found
            else int(conn.execute("INSERT INTO outlets (name) VALUES (?)", [name]).lastrowid or 0)
        )
    conn.execute("UPDATE articles SET outlet_id = ? WHERE id = ?", [target, article_id])
    return events.append(
        conn,
        at=now(),
        annotator_id=annotator_id,
        kind="article_outlet",
        action="undo: set outlet" if undoes else "redo: set outlet" if redo else "set outlet",
        article_id=article_id,
        field="outlet",
        before={"value": old},
        after={"value": name},
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
    )
