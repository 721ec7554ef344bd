"""The history: every change is one row appended to `events`, here and nowhere else.

Callers append inside their write transaction, beside the change the event records (the
current-state tables), so the two commit together or not at all.
"""

from __future__ import annotations

import sqlite3

from annotator.models.suggestions import TYPED
from annotator.store.jsontext import dumps

# the prefixes of an undo's and a redo's action (store/annotations.py undo_last,
# store/redo.py): the redo stack is read from them
UNDO = "undo: "
REDO = "redo: "


def plain_action(action: str) -> str:
    """The change itself, without the undo/redo prefixes it gathered ("undo: redo: toggle
    HEDGED" is an undo of "toggle HEDGED")."""
    while action.startswith((UNDO, REDO)):
        action = action[len(UNDO) :]
    return action


_APPEND = (
    "INSERT INTO events (at, annotator_id, kind, action, sentence_id, article_id, outlet_id, "
    "field, before, after, undoes, schema_hash, session, origin) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def append(
    conn: sqlite3.Connection,
    *,
    at: str,
    annotator_id: int,
    kind: str,
    action: str,
    before: object,
    after: object,
    schema_hash: str,
    session: str | None,
    sentence_id: int | None = None,
    article_id: int | None = None,
    outlet_id: int | None = None,
    field: str | None = None,
    undoes: int | None = None,
    origin: str = TYPED,
) -> int:
    """Append one event and return its id. `before` and `after` are stored as JSON (None is
    `null`: nothing there before, or nothing left after). `origin` says where the change
    came from: `typed` by the annotator, or `suggestion:SOURCE@VERSION` when they accepted
    a suggestion (models.suggestions.origin_of)."""
    cursor = conn.execute(
        _APPEND,
        (
            at,
            annotator_id,
            kind,
            action,
            sentence_id,
            article_id,
            outlet_id,
            field,
            dumps(before),
            dumps(after),
            undoes,
            schema_hash,
            session,
            origin,
        ),
    )
    return int(cursor.lastrowid or 0)
