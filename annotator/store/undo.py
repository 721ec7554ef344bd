"""Undo: reverse an annotator's latest change not undone yet, also from a past run.

Undo appends an event too (with `undoes` pointing at the event it reverses), so the history
is complete and survives restarts; redo (store/redo.py) reads the same events.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from annotator.labeling import SentenceState
from annotator.store import events, fields
from annotator.store.annotations import (
    ANNOTATION_KINDS,
    _cursor_in_tx,
    record_sentence_in_tx,
    state_in_tx,
)
from annotator.store.database import Row, Store


@dataclass(frozen=True)
class Undone:
    event_id: int  # the undo event
    undid: int  # the event it reversed
    kind: str
    action: str
    sentence_id: int | None
    article_id: int | None
    field: str | None
    state: SentenceState | None  # for sentence events: the state after the undo
    before: SentenceState | None = None  # for sentence events: the state the undo found


def undo_last(
    store: Store,
    *,
    annotator_id: int,
    schema_hash: str,
    session: str | None = None,
    kinds: Iterable[str] = ANNOTATION_KINDS,
) -> Undone | None:
    """Reverse this annotator's latest change that is not undone yet (also from a past run)."""
    kinds = tuple(kinds)
    marks = ",".join("?" * len(kinds))
    with store.write() as conn:
        row = conn.execute(
            f"SELECT id, kind, action, sentence_id, article_id, outlet_id, field, before "
            f"FROM events e WHERE annotator_id = ? AND kind IN ({marks}) AND undoes IS NULL "
            f"AND NOT EXISTS (SELECT 1 FROM events u WHERE u.undoes = e.id) "
            f"ORDER BY id DESC LIMIT 1",
            [annotator_id, *kinds],
        ).fetchone()
        if row is None:
            return None
        target, kind, action, sid, aid, oid, field, before_json = row
        before = json.loads(before_json)
        state = current = None
        event: int | None
        if kind == "sentence":
            current = state_in_tx(conn, sid, annotator_id)
            state = current.with_values(before)
            event = record_sentence_in_tx(
                conn,
                annotator_id,
                sid,
                aid,
                events.UNDO + events.plain_action(str(action)),
                current,
                state,
                schema_hash,
                session,
                undoes=target,
            )
            _cursor_in_tx(conn, annotator_id, sid)
        elif kind == "article_field":
            event = fields.set_article_field_in_tx(
                conn, annotator_id, aid, field, before["value"], schema_hash, session, undoes=target
            )
        elif kind == "article_outlet":
            event = fields.set_article_outlet_in_tx(
                conn, annotator_id, aid, before["value"], schema_hash, session, undoes=target
            )
        elif kind == "article_comment":
            event = fields.set_article_comment_in_tx(
                conn, annotator_id, aid, before["value"], schema_hash, session, undoes=target
            )
        elif kind == "outlet_field":
            event = fields.set_outlet_field_in_tx(
                conn, annotator_id, oid, field, before["value"], schema_hash, session, undoes=target
            )
        else:
            event = _undo_other(conn, kind, annotator_id, row, schema_hash, session)
    return Undone(
        int(event or 0),
        int(target),
        str(kind),
        events.plain_action(str(action)),
        sid,
        aid,
        field,
        state,
        current,
    )


# Event kinds defined by later layers (gold labels) register how to undo them here, so the
# one undo stack of an annotator covers them without this module importing those layers.
_OTHER_UNDO: dict[str, Callable[..., int | None]] = {}


def register_undo(kind: str, handler: Callable[..., int | None]) -> None:
    _OTHER_UNDO[kind] = handler


def _undo_other(
    conn: sqlite3.Connection,
    kind: str,
    annotator_id: int,
    row: Row,
    schema_hash: str,
    session: str | None,
) -> int | None:
    if kind not in _OTHER_UNDO:
        raise ValueError(f"cannot undo events of kind {kind!r}")
    return _OTHER_UNDO[kind](conn, annotator_id, row, schema_hash, session)
