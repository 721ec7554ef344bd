"""Whether an undo would replace a state its change did not produce (audit14 F1, F2).

Undo puts back an event's `before`. That is right only while the item still holds what
the event wrote: two adjudicators share each sentence's gold (dave's `z` put back the gold
before his decision over erin's later one, erasing it), and `merge` brings in a copy's
events with the newest ids although a change made here later won the conflict (bob's `z`
then undid the laptop's losing changes over his winning answer, down to no labels). So an
event is undone only when nothing has changed its item since: no later change (by time,
as merge orders conflicts, then id) that is not itself undone or an undo of a later one,
and, where the item's whole state is known (gold decisions), that state is the event's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from annotator.store.annotations import state_in_tx

# per kind whose events record the item's whole state (gold): does the item hold `after`?
Holds = Callable[[sqlite3.Connection, int | None, int | None, str | None, Any], bool]
_HOLDS: dict[str, Holds] = {}


def register_holds(kind: str, holds: Holds) -> None:
    _HOLDS[kind] = holds


def changed_since(
    conn: sqlite3.Connection,
    annotator_id: int,
    target: int,
    kind: str,
    where: tuple[int | None, int | None, int | None, str | None],
    at: str,
    after: Any,
) -> str | None:
    """Why event `target` (of `kind`, on item `where` = sentence, article, outlet, field)
    cannot be undone now, or None when its item still holds what it wrote."""
    sid, aid, oid, field = where
    shared = kind in _HOLDS  # gold: every adjudicator's decisions act on one item
    match, params = _item(kind, sid, aid, oid, field)
    if not shared:
        match += " AND e.annotator_id = ?"
        params.append(annotator_id)
    later = conn.execute(
        "SELECT e.id, e.undoes, n.name, e.at FROM events e "
        f"JOIN annotators n ON n.id = e.annotator_id WHERE {match} "
        "AND (e.at > ? OR (e.at = ? AND e.id > ?)) ORDER BY e.at, e.id",
        [*params, at, at, target],
    ).fetchall()
    ids = {int(r[0]) for r in later}
    undone = {int(r[1]) for r in later if r[1] is not None}
    standing = [
        r for r in later if int(r[0]) not in undone and (r[1] is None or int(r[1]) not in ids)
    ]
    holds = True
    if shared:
        holds = _HOLDS[kind](conn, sid, aid, field, after)
    elif kind == "sentence" and sid is not None and isinstance(after, dict):
        current = state_in_tx(conn, sid, annotator_id)
        holds = current.with_values(after) == current
    if holds and not standing:
        return None
    if standing:
        _id, _undoes, who, when = standing[-1]
        return f"changed since by {who} at {str(when)[11:19]}"
    return "changed since"


def _item(
    kind: str, sid: int | None, aid: int | None, oid: int | None, field: str | None
) -> tuple[str, list[Any]]:
    """The WHERE clause of the events on one item (the target's kind and place)."""
    clauses = ["e.kind = ?"]
    params: list[Any] = [kind]
    for column, value in (
        ("sentence_id", sid),
        ("article_id", aid),
        ("outlet_id", oid),
        ("field", field),
    ):
        if value is None:
            clauses.append(f"e.{column} IS NULL")
        else:
            clauses.append(f"e.{column} = ?")
            params.append(value)
    return " AND ".join(clauses), params
