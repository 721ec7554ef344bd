"""Two processes making the same new database at once (startup2's finding): switching the
file to WAL needs it to itself, and SQLite does not wait for that with the busy timeout, so
the second failed at once with "another process holds the database". Now it waits."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotator.store.database import open_store, to_wal


def _hold(path: Path, seconds: float, ready: threading.Event) -> None:
    """A connection in the file's first (rollback-journal) mode holding its write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


@contextmanager
def held(path: Path, seconds: float) -> Iterator[None]:
    """While another connection, in another thread, holds the new file's write lock for
    `seconds` (from when it has it)."""
    ready = threading.Event()
    holder = threading.Thread(target=_hold, args=(path, seconds, ready))
    holder.start()
    ready.wait()
    try:
        yield
    finally:
        holder.join()


def test_the_switch_waits_for_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with held(path, 0.3):
        conn = sqlite3.connect(path, isolation_level=None)
        started = time.monotonic()
        to_wal(conn)
        assert time.monotonic() - started >= 0.2  # it waited for the holder
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_it_still_gives_up_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with held(path, 0.6):
        conn = sqlite3.connect(path, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            to_wal(conn, timeout=0.1)
        conn.close()


def test_a_new_database_opens_while_another_connection_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with held(path, 0.3):
        store = open_store(path)  # the same new, empty file: made ours once the lock is free
        assert store.scalar("PRAGMA journal_mode") == "wal"
        store.close()
