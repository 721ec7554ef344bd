"""WAL checkpoints off the annotation screen's key path.

SQLite folds the WAL back into the database (a checkpoint: pages written, then fsync) at
the COMMIT that takes the WAL past `wal_autocheckpoint` pages, whoever's commit that is:
on the screen's connection, one key in a few hundred paid several milliseconds of disk. The
screen's connection defers its checkpoints (a far higher threshold, kept only so that a
screen that is never idle still bounds the WAL), and runs them when the annotator pauses,
in a thread on a connection of its own (`checkpoint`). The retrain process, the importer and
the command line keep SQLite's default.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path

from annotator.store.database import Store

DEFERRED_PAGES = 10_000
"""The screen's own autocheckpoint threshold (~40 MB of WAL; SQLite's default is 1,000)."""


def defer(store: Store) -> None:
    """This connection's commits checkpoint only past DEFERRED_PAGES (see the module)."""
    store.conn.execute(f"PRAGMA wal_autocheckpoint = {DEFERRED_PAGES}").fetchall()


def written(store: Store) -> int:
    """A count that grows with every row this connection writes (no query: it is kept by
    SQLite); unchanged between two looks means no key wrote in between."""
    return store.conn.total_changes


def checkpoint(path: Path) -> bool:
    """A PASSIVE checkpoint on a connection of its own, for a thread (never waits for,
    nor blocks, a writer; a key meanwhile commits as usual). True if the whole WAL was
    folded in; False if a reader or writer kept part of it (the next one finishes it) or the
    database could not be opened."""
    try:
        # mode=rw: a database that went away is not made again, empty, here
        uri = f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return not busy and frames == done
    except sqlite3.Error:
        return False
    finally:
        conn.close()
