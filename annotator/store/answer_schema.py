"""The schema a stored answer counts under: what it is a rating OF (annotations.event_id ->
events.schema_hash, read by store/schema_history.py), kept right by every change written."""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.labeling import SCHEMA_KEY, SentenceState


def answer_schema(
    conn: sqlite3.Connection,
    sentence_id: int,
    annotator_id: int,
    states: tuple[SentenceState, SentenceState],
    schema_hash: str,
    diffs: tuple[dict[str, Any], dict[str, Any]],
    schema_set: bool = False,
) -> str:
    """The schema the event records: the one the stored answer counts under (what it is a
    rating OF: annotations.event_id -> events.schema_hash, store/schema_history.py).

    A change that leaves a confirmed answer as it was (a comment, a draft while the answer
    waits) keeps the schema it was given under: a comment written after a label was added
    made an old confirmation a "no" to the label its annotator never saw (round 14); unless
    `schema_set`: the answer confirmed again under today's schema (Enter on it), or an undo
    or redo putting back the schema an event recorded. A change of the answer under
    another schema records both in the event (`schema_hash`, as `confirmed_at`), so undo
    puts the old answer back under its own schema, and redo the new one under the new."""
    before, after = states
    if not before.confirmed:
        return schema_hash
    given = counted_under(conn, sentence_id, annotator_id)
    if given is None or given == schema_hash:
        return schema_hash
    if after.confirmed and after.answer == before.answer and not schema_set:
        return given
    if after.confirmed:
        diffs[0][SCHEMA_KEY], diffs[1][SCHEMA_KEY] = given, schema_hash
    return schema_hash


def counted_under(conn: sqlite3.Connection, sentence_id: int, annotator_id: int) -> str | None:
    """The schema hash a stored answer counts under (None: no answer stored)."""
    row = conn.execute(
        "SELECT e.schema_hash FROM annotations n JOIN events e ON e.id = n.event_id "
        "WHERE n.sentence_id = ? AND n.annotator_id = ?",
        [sentence_id, annotator_id],
    ).fetchone()
    return None if row is None else str(row[0])
