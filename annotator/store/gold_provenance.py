"""Whose a replaced gold decision was, and when: a gold event's `before` carries them beside
the record, so that undo puts back exactly the decision that was there (closing14: erin's
`z` on her decision restored dana's labels with erin as adjudicator and the time of the
undo, and the Gold line then named erin). The adjudicator goes in by name, as everything
that travels between copies (merge) does. Events written before carry neither: their
undo takes them from the history, as it did."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from annotator.store.database import now

PROVENANCE = ("adjudicator", "decided_at")


def with_provenance(
    conn: sqlite3.Connection, record: dict[str, Any] | None, table: str, where: str, key: list[Any]
) -> dict[str, Any] | None:
    """The gold `record` stored in `table` at `key` (None: none), with its adjudicator's
    name (None: unanimous) and its time: the `before` of the event that replaces it."""
    if record is None:
        return None
    row = conn.execute(
        f"SELECT n.name, g.decided_at FROM {table} g LEFT JOIN annotators n "
        f"ON n.id = g.adjudicator_id WHERE {where}",
        key,
    ).fetchone()
    if row is None:
        return record
    return {**record, "adjudicator": row[0], "decided_at": row[1]}


def restoring(
    conn: sqlite3.Connection,
    before: dict[str, Any] | None,
    undoer: int,
    prior: tuple[int | None, str] | None,
) -> tuple[dict[str, Any] | None, tuple[int | None, str]]:
    """The record an undo writes back (`before` without its provenance) and the adjudicator
    (id) and time the gold row gets. From `before` when it carries them; else (older events)
    from `prior`, the annotator and time of the event before the undone one on the item
    (what the row held when that event wrote it), else the undoer now."""
    if before is None:
        return None, (undoer, now())
    record = {k: v for k, v in before.items() if k not in PROVENANCE}
    if "decided_at" in before:
        name = before.get("adjudicator")
        who: int | None = None
        if name is not None:
            found = conn.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
            who = int(found[0]) if found else undoer
        return record, (who, str(before["decided_at"]))
    if prior is not None:
        return record, prior
    return record, (undoer, now())


def undone(
    conn: sqlite3.Connection,
    undoer: int,
    target: int,
    before_json: str,
    item: tuple[str, str, list[Any]],
) -> tuple[dict[str, Any] | None, tuple[int | None, str], str | None]:
    """restoring() for the undo of gold event `target` whose `before` is `before_json`,
    and the schema the decision put back was recorded under (None: no event before);
    `item` names its kind and where it acted (an SQL condition on events and its
    parameters). The event before the undone one on the item wrote what it puts back: its
    schema (audit15c F12: unanimous gold put back under today's schema rated a label its
    answers never had) and, for events from before round 15 that carry no provenance, its
    annotator and time."""
    before = json.loads(before_json)
    kind, where, params = item
    prior = conn.execute(
        f"SELECT annotator_id, at, schema_hash FROM events WHERE kind = ? AND {where} "
        "AND id < ? ORDER BY id DESC LIMIT 1",
        [kind, *params, target],
    ).fetchone()
    record, restore = restoring(conn, before, undoer, (prior[0], str(prior[1])) if prior else None)
    return record, restore, None if prior is None or before is None else str(prior[2])
