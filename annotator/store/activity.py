"""Active time per annotator (`annotator status`): the gaps between an annotator's
consecutive events, in time order, that are 5 minutes or shorter; a longer gap is a break
and counts nothing. Kept by the database (table `annotator_activity`, migration 0011: a
trigger adds each new event's gap); an annotator whose events came out of time order (labels
imported with their original times, a merged copy) is marked stale and recounted here."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from annotator.store.database import Store

GAP_SECONDS = 300  # a longer pause between two events is a break, not work
SECONDS_PER_DAY = 86400.0


def recount(
    conn: sqlite3.Connection, annotator_ids: Sequence[int] | None = None
) -> dict[int, tuple[float, float, int]]:
    """annotator id -> (active seconds, julian day of the latest event, events), from the
    events (all annotators', or these). Events whose time SQLite cannot read are skipped
    (the trigger skips them too)."""
    # no event, nothing to count: a new database's migration (0011_status_counts) asks, and
    # importing numpy for it was 0.08 s of every first import's start-up
    if conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is None:
        return {}
    import numpy as np  # here, not at the top: the app imports this module at start and
    # needs numpy only when an annotator's count is stale (a served session's memory)

    where, params = "", []
    if annotator_ids is not None:
        where = f" AND annotator_id IN ({','.join('?' * len(annotator_ids))})"
        params = list(annotator_ids)
    rows = np.fromiter(
        conn.execute(
            "SELECT annotator_id, julianday(at) FROM events "
            f"WHERE julianday(at) IS NOT NULL{where}",
            params,
        ),
        dtype=[("who", "i8"), ("day", "f8")],
    )
    if not len(rows):
        return {}
    order = np.lexsort((rows["day"], rows["who"]))
    who, day = rows["who"][order], rows["day"][order]
    ids, first, sizes = np.unique(who, return_index=True, return_counts=True)
    gaps = np.diff(day) * SECONDS_PER_DAY
    counted = (who[1:] == who[:-1]) & (gaps <= GAP_SECONDS)
    seconds = np.bincount(
        np.searchsorted(ids, who[1:][counted]), weights=gaps[counted], minlength=len(ids)
    )
    last = np.append(first[1:], len(who)) - 1  # each annotator's last row, in time order
    return {
        int(i): (float(s), float(day[k]), int(n))
        for i, s, k, n in zip(ids, seconds, last, sizes, strict=True)
    }


def activity(store: Store) -> dict[int, tuple[float, int]]:
    """annotator id -> (seconds of activity, events). Stale rows are recounted, and stored
    again when the database can be written (in one write transaction, so that no event
    slips in between)."""
    stale = [
        int(r[0]) for r in store.all("SELECT annotator_id FROM annotator_activity WHERE stale")
    ]
    if stale and not store.read_only and not store.conn.in_transaction:
        with store.write() as conn:
            fresh = recount(conn, stale)
            conn.executemany(
                "UPDATE annotator_activity SET active_seconds = ?, last_event_julianday = ?, "
                "events = ?, stale = 0 WHERE annotator_id = ?",
                [(s, last, n, aid) for aid, (s, last, n) in fresh.items()],
            )
    out = {
        int(aid): (float(s), int(n))
        for aid, s, n in store.all(
            "SELECT annotator_id, active_seconds, events FROM annotator_activity"
        )
    }
    if stale and (store.read_only or store.conn.in_transaction):
        out.update({aid: (s, n) for aid, (s, _, n) in recount(store.conn, stale).items()})
    return out
