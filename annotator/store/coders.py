"""Whose confirmed answers count: one definition for agreement's coders, the majority of the
exports, unanimous gold and the adjudication queue (which sentences are disputed). Staff
(adjudicators and managers, see `roles`) are no coders: someone who tried the screen must
not make a unanimous sentence disputed, nor a disputed one unanimous (audit10 F5 for the
majority; closing12 for gold and the queue).

Here, apart from progress.py, so that store/gold.py can use it (progress reads gold's
modules) and the importer's path can read it without the schema and pydantic."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.models.gold import GOLD_KINDS
from annotator.store.database import Store


def roles(store: Store) -> dict[int, tuple[str, str]]:
    """annotator id -> (name, role) of everyone who is not an annotator: adjudicators and
    managers on the team, and, off the team, whoever only ever decided gold (the adjudicator
    of a project without a team), who would otherwise show as an annotator with nothing
    confirmed."""
    return roles_in_tx(store.conn)


def roles_in_tx(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """`roles`, read on a connection (inside a write transaction: an undo, an import)."""
    out: dict[int, tuple[str, str]] = {
        int(aid): (str(name), str(role))
        for aid, name, role in conn.execute(
            "SELECT a.id, a.name, t.role FROM team_members t "
            "JOIN annotators a ON a.id = t.annotator_id WHERE t.role != 'annotator'"
        )
    }
    for aid, name in conn.execute(
        "SELECT a.id, a.name FROM annotators a "
        "WHERE a.id NOT IN (SELECT annotator_id FROM team_members) "
        # cheapest test first: anyone with an annotation is an annotator, and the scan
        # of someone's events for a kind that is not gold stops at their first
        "AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.annotator_id = a.id) "
        "AND EXISTS (SELECT 1 FROM events e WHERE e.annotator_id = a.id) "
        "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.annotator_id = a.id "
        f"AND e.kind NOT IN ({', '.join(repr(k) for k in GOLD_KINDS)}))"
    ):
        out[int(aid)] = (str(name), "adjudicator")
    return out


@dataclass(frozen=True)
class Coders:
    """The annotators whose confirmed answers count: the `chosen` names when given (as
    agreement --annotators takes them, staff or not), else everyone but the `staff` ids.
    Read once (`coders`) and kept by a session: `roles` scans the gold events of an
    adjudicator off the team, too much for every key."""

    chosen: tuple[str, ...] | None = None
    staff: frozenset[int] = frozenset()

    def sql(self, column: str) -> tuple[str, list[object]]:
        """` AND ...` keeping the rows whose `column` (an annotator id) is a coder's."""
        if self.chosen:
            marks = ",".join("?" * len(self.chosen))
            return (
                f" AND {column} IN (SELECT id FROM annotators WHERE name IN ({marks}))",
                list(self.chosen),
            )
        if not self.staff:
            return "", []
        # ids are integers read from the database: written out, SQLite tests them against
        # a constant list, with no parameter to bind per query
        return f" AND {column} NOT IN ({','.join(str(int(i)) for i in sorted(self.staff))})", []


def coders(store: Store, annotators: Sequence[str] | None = None) -> Coders:
    """Whose answers count now: `annotators` if given, else everyone but the staff."""
    if annotators:
        return Coders(tuple(annotators))
    return Coders(None, frozenset(roles(store)))


def coders_in_tx(conn: sqlite3.Connection) -> Coders:
    """`coders` with no names given, read on a connection (inside a write transaction)."""
    return Coders(None, frozenset(roles_in_tx(conn)))
