"""Undo: reverse an annotator's latest change not undone yet, also from a past run.

Undo appends an event too (with `undoes` pointing at the event it reverses), so the history
is complete and survives restarts; redo (store/redo.py) reads the same events.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from annotator.labeling import SCHEMA_KEY, SentenceState
from annotator.models.suggestions import TYPED
from annotator.store import events, fields
from annotator.store.annotations import (
    ANNOTATION_KINDS,
    _cursor_in_tx,
    record_sentence_in_tx,
    state_in_tx,
)
from annotator.store.database import Row, Store
from annotator.store.undo_since import changed_since


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
    # not undone: why (its item changed since: undo_since.py); event_id is then 0, and the
    # caller passes `undid` back in `passed` so that the next undo goes on to earlier ones
    passed: str | None = None
    # the undone change's session and time: a change made in another window of the same
    # annotator while this one was open is said to be so (audit14 F5)
    made: tuple[str | None, str] = (None, "")


def undo_last(
    store: Store,
    *,
    annotator_id: int,
    schema_hash: str,
    session: str | None = None,
    kinds: Iterable[str] = ANNOTATION_KINDS,
    passed: Collection[int] = (),
) -> Undone | None:
    """Reverse this annotator's latest change that is not undone yet (also from a past run),
    leaving out the events in `passed` (ones this session was told it could not undo). A
    change whose item has changed since is not undone: the result says why (`passed`)."""
    kinds = tuple(kinds)
    marks = ",".join("?" * len(kinds))
    with store.write() as conn:
        row = conn.execute(
            f"SELECT id, kind, action, sentence_id, article_id, outlet_id, field, before, "
            f"session, after, at FROM events e WHERE annotator_id = ? AND kind IN ({marks}) "
            f"AND undoes IS NULL AND NOT EXISTS (SELECT 1 FROM events u WHERE u.undoes = e.id) "
            f"AND id NOT IN (SELECT value FROM json_each(?)) AND {NOT_AUTOMATIC} "
            f"ORDER BY id DESC LIMIT 1",
            [annotator_id, *kinds, json.dumps(sorted(passed))],
        ).fetchone()
        if row is None or str(row[8] or "").startswith(IMPORTED_SESSION):
            # what import-labels brought is not a key of theirs to take back: `z` in a fresh
            # session undid a whole imported article form and confirmed sentences (audit9a
            # F14); the stack ends there
            return None
        after = json.loads(row[9]) if row[9] else None
        made_in = None if row[8] is None else str(row[8])
        row, at = row[:8], str(row[10])
        target, kind, action, sid, aid, oid, field, before_json = row
        why = changed_since(conn, annotator_id, target, kind, (sid, aid, oid, field), at, after)
        if why is not None:
            plain = events.plain_action(str(action))
            return Undone(
                0,
                int(target),
                str(kind),
                plain,
                sid,
                aid,
                field,
                None,
                passed=why,
                made=(made_in, at),
            )
        before = json.loads(before_json)
        done = put_back(
            conn,
            annotator_id,
            (kind, sid, aid, oid, field),
            before,
            events.UNDO + events.plain_action(str(action)),
            schema_hash,
            session,
            undoes=target,
        )
        if done is not None:
            event, state, current = done
        else:
            state = current = None
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
        made=(made_in, at),
    )


# the session of the events import-labels writes (cli/import_labels.py: "import:FILE")
IMPORTED_SESSION = "import:"
# the session prefix of changes the software makes on someone's behalf (the adjudication
# screen's unanimous gold): no key of theirs, so neither undo nor redo takes or counts
# them (audit14 F1: `z` as the first key of a session undid a unanimous gold it had made)
AUTO_SESSION = "auto:"
NOT_AUTOMATIC = f"coalesce(session, '') NOT LIKE '{AUTO_SESSION}%'"


# an event's kind and where it acted: (kind, sentence, article, outlet, field)
Where = tuple[str, int | None, int | None, int | None, str | None]


def put_back(
    conn: sqlite3.Connection,
    annotator_id: int,
    where: Where,
    values: dict[str, Any],
    action: str,
    schema_hash: str,
    session: str | None,
    *,
    undoes: int | None,
    origin: str = TYPED,
) -> tuple[int | None, SentenceState | None, SentenceState | None] | None:
    """Set an annotation event's values again: an undo's `before` (`undoes`: the event it
    reverses) or a redo's `after` (undoes None). Returns (event, state after, state found)
    -- the states for sentence events -- or None for a kind that is not an annotator's own
    (gold: _OTHER_UNDO). A field's undo or redo records an event even when the value is
    there already: the stacks are read from the events."""
    kind, sid, aid, oid, field = where
    redo = undoes is None
    if kind == "sentence":
        assert sid is not None and aid is not None
        current = state_in_tx(conn, sid, annotator_id)
        state = current.with_values(values)
        if state.revised and "kept" not in values and not current.revised and current.confirmed:
            # an event from before drafts were kept (migration 0018) changing a confirmed
            # answer: the change is a draft now too, not the answer (audit8 F14)
            state = replace(state, kept=current.answer)
        at = values.get("confirmed_at")  # the answer's time, when the event changed it
        # and the schema it counts under, when the event changed that (store/answer_schema.py)
        schema_hash = str(values.get(SCHEMA_KEY, schema_hash))
        event = record_sentence_in_tx(
            conn,
            annotator_id,
            sid,
            aid,
            action,
            current,
            state,
            schema_hash,
            session,
            undoes=undoes,
            times=(str(at), None) if at else None,
            origin=origin,
            schema_set=SCHEMA_KEY in values,
        )
        _cursor_in_tx(conn, annotator_id, sid)
        return event, state, current
    if kind not in ANNOTATION_KINDS:
        return None
    value = values["value"]
    done: int | None
    if kind == "outlet_field":
        assert oid is not None and field is not None
        done = fields.set_outlet_field_in_tx(
            conn, annotator_id, oid, field, value, schema_hash, session, undoes, redo, origin=origin
        )
    elif kind == "article_field":
        assert aid is not None and field is not None
        done = fields.set_article_field_in_tx(
            conn, annotator_id, aid, field, value, schema_hash, session, undoes, redo, origin=origin
        )
    else:
        assert aid is not None
        setter = (
            fields.set_article_outlet_in_tx
            if kind == "article_outlet"
            else fields.set_article_comment_in_tx
        )
        done = setter(conn, annotator_id, aid, value, schema_hash, session, undoes, redo)
    return done, None, None


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
