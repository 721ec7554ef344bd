"""A new database is migrated without sqlite-utils (audit11 F9: the first import, which makes
the project, paid for importing it). What that path makes must be what sqlite-utils' path
makes, and sqlite-utils must read its record of applied migrations back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.store.database import open_store
from annotator.store.database_file import APPLICATION_ID
from annotator.store.migrations import NAMES, migration_set


def _schema(path: Path) -> tuple[list[tuple[str, str, str]], list[str], int]:
    conn = sqlite3.connect(path)
    try:
        objects = sorted(
            (r[0], r[1], r[2] or "")
            for r in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        )
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'annotator' ORDER BY id"
            )
        ]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    finally:
        conn.close()
    return objects, applied, app_id


def _through_sqlite_utils(path: Path) -> None:
    """Migrate a new file the way every database before this change was made."""
    conn = sqlite3.connect(path, isolation_level=None)
    migration_set().apply(Database(conn))
    conn.close()


def test_a_new_database_has_what_sqlite_utils_would_have_made(tmp_path: Path) -> None:
    ours = tmp_path / "ours.sqlite"
    open_store(ours).close()
    theirs = tmp_path / "theirs.sqlite"
    _through_sqlite_utils(theirs)
    o_objects, o_applied, o_app = _schema(ours)
    t_objects, t_applied, _ = _schema(theirs)
    assert o_objects == t_objects
    assert o_applied == t_applied == NAMES
    assert o_app != 0  # ours: open_store marks the file as an annotator database


def test_sqlite_utils_finds_nothing_pending_in_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_store(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        db = Database(conn)
        assert migration_set().pending(db) == []
        assert [m.name for m in migration_set().applied(db)] == NAMES
        # and applying again changes nothing (no duplicate record, no error)
        migration_set().apply(db)
        assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(NAMES)
    finally:
        conn.close()


def test_a_partly_migrated_database_is_finished_through_sqlite_utils(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migration_set().apply(Database(conn), stop_before=NAMES[-1])
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # as the older annotator did
    conn.close()
    open_store(path).close()
    whole = tmp_path / "whole.sqlite"
    _through_sqlite_utils(whole)
    assert _schema(path)[0] == _schema(whole)[0]
    assert _schema(path)[1] == NAMES
