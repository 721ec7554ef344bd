"""Redo: put back what the last undo took back, until the annotator changes something else
(audit7 F18: an extra `z`, which after a restart reaches into earlier sessions, could not be
taken back, and an undone comment had to be retyped from memory).

There is no stack in memory: it is read from the events, so it survives restarts as undo
does. An undo event (`undoes` set, action "undo: ...") pushes the change it reversed; a redo
event (action "redo: ...") pops one and puts that change's `after` back. Any other change
of the annotator's ends the run: nothing before it can be redone. A redo is an ordinary
change for undo (its `undoes` is NULL), so `z` takes it back again, and redo after that
puts it back once more.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from annotator.store.annotations import ANNOTATION_KINDS
from annotator.store.database import Store
from annotator.store.events import REDO, plain_action
from annotator.store.undo import NOT_AUTOMATIC, Undone, put_back


def _to_redo(conn: sqlite3.Connection, annotator_id: int, kinds: tuple[str, ...]) -> int | None:
    """The undo event whose change a redo puts back now, or None."""
    marks = ",".join("?" * len(kinds))
    last = conn.execute(
        f"SELECT id FROM events WHERE annotator_id = ? AND kind IN ({marks}) "
        f"AND NOT (action LIKE 'undo: %' OR action LIKE 'redo: %') AND {NOT_AUTOMATIC} "
        "ORDER BY id DESC LIMIT 1",
        [annotator_id, *kinds],
    ).fetchone()
    stack: list[int] = []
    for event_id, action, undoes in conn.execute(
        f"SELECT id, action, undoes FROM events WHERE annotator_id = ? AND kind IN ({marks}) "
        f"AND id > ? AND {NOT_AUTOMATIC} ORDER BY id",
        [annotator_id, *kinds, int(last[0]) if last else 0],
    ):
        if undoes is not None:
            stack.append(int(event_id))
        elif str(action).startswith(REDO) and stack:
            stack.pop()
    return stack[-1] if stack else None


def redo_last(
    store: Store,
    *,
    annotator_id: int,
    schema_hash: str,
    session: str | None = None,
    kinds: Iterable[str] = ANNOTATION_KINDS,
) -> Undone | None:
    """Put back the change the latest undo not yet redone took back; None when there is none
    (nothing undone, or a change made since). `Undone.undid` is the change put back."""
    kinds = tuple(kinds)
    with store.write() as conn:
        undo = _to_redo(conn, annotator_id, kinds)
        if undo is None:
            return None
        row = conn.execute(
            "SELECT t.id, t.kind, t.action, t.sentence_id, t.article_id, t.outlet_id, t.field, "
            "t.after, t.origin FROM events u JOIN events t ON t.id = u.undoes WHERE u.id = ?",
            [undo],
        ).fetchone()
        target, kind, action, sid, aid, oid, field, after_json, origin = row
        after = json.loads(after_json)
        action = plain_action(str(action))
        done = put_back(
            conn,
            annotator_id,
            (kind, sid, aid, oid, field),
            after,
            REDO + action,
            schema_hash,
            session,
            undoes=None,
            origin=str(origin),  # a suggestion accepted again is still the suggestion's
        )
        if done is None:
            raise ValueError(f"cannot redo events of kind {kind!r}")
        event, state, current = done
    return Undone(int(event or 0), int(target), str(kind), action, sid, aid, field, state, current)
