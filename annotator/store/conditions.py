"""What each annotator was shown: with or without suggestions, per article, recorded the
first time the article was shown to them (migration 0015), for measuring anchoring.

The session records it inside a write it makes anyway (saving the cursor, an edit), never
in a transaction of its own: a key pays one `INSERT OR IGNORE` into a small table, once per
article and session.
"""

from __future__ import annotations

import sqlite3

from annotator.store.database import Store, now

Seen = tuple[int, bool]
"""(article id, whether suggestions were shown on it): what a session has yet to record."""


def record_in_tx(conn: sqlite3.Connection, annotator_id: int, seen: Seen | None) -> None:
    """Record what the annotator was shown, unless an earlier showing was recorded."""
    if seen is None or not annotator_id:
        return
    conn.execute(
        "INSERT OR IGNORE INTO suggestion_conditions (annotator_id, article_id, shown, at) "
        "VALUES (?, ?, ?, ?)",
        [annotator_id, seen[0], int(seen[1]), now()],
    )


def recorded(store: Store) -> dict[tuple[str, str], bool]:
    """(annotator name, article external id) -> shown, for every recorded condition."""
    return {
        (str(who), str(article)): bool(shown)
        for who, article, shown in store.all(
            "SELECT n.name, a.external_id, c.shown FROM suggestion_conditions c "
            "JOIN annotators n ON n.id = c.annotator_id JOIN articles a ON a.id = c.article_id"
        )
    }
