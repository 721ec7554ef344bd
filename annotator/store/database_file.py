"""The database file before a connection is trusted with it: is it SQLite, is it ours, is
it from a newer annotator, can it be written (file, folder, mount), and the read-only
connection for one that cannot. Nothing here writes to the file (see `check_existing`).
`open_store` (store/database.py) uses these before it opens the file for work; `annotator
merge` uses them to read the other copy.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path
from typing import Any

from annotator.models.errors import StoreError
from annotator.store.migrations import MIGRATION_SET, NAMES

APPLICATION_ID = 0x414E4E4F  # "ANNO": marks the file as ours for `file(1)` and for us


class NotOurDatabase(StoreError):
    pass


class NewerDatabase(StoreError):
    pass


def _uri(path: Path, param: str) -> str:
    # quoted: a path holding ?, # or % is a path, not URI syntax; from its bytes, so that a
    # name that is not UTF-8 (a Latin-1 "projet_\xe9t\xe9.sqlite") is the same file
    # (audit11 F19: every command but import failed with a traceback on it)
    return f"file:{urllib.parse.quote(os.fsencode(os.path.abspath(path)))}?{param}"


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def connect_ro(path: Path, **kwargs: Any) -> sqlite3.Connection:
    """A read-only connection. In WAL mode SQLite needs the -shm file, which it cannot make
    in a read-only folder: there the file is opened immutable (nobody can be writing it: a
    writer would need that folder too), unless a WAL left there holds commits it would miss."""
    conn: sqlite3.Connection = sqlite3.connect(_uri(path, "mode=ro"), uri=True, **kwargs)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        wal = Path(f"{path}-wal")
        if _folder_writable(path):
            raise
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"{path}: in a read-only folder beside a {wal.name} holding commits, which "
                "SQLite cannot read there without its -shm: copy the database and its "
                "-wal to a writable folder"
            ) from None
    conn = sqlite3.connect(_uri(path, "immutable=1"), uri=True, **kwargs)
    return conn


def writable(path: Path) -> bool:
    """Can SQLite write this database: the file, and its folder (for the WAL and -shm) or
    the WAL and -shm themselves? os.access also says no on a read-only mount, even to root."""
    if not os.access(path, os.W_OK):
        return False
    if _folder_writable(path):
        return True
    return all(os.access(f"{path}{s}", os.W_OK) for s in ("-wal", "-shm"))


def check_existing(path: Path) -> bool:
    """Refuse a file that is not an annotator database, without writing to it.

    True if it is an annotator database, False if it is empty (a new one may be made in it).

    Only SQLite opens the file, never Python's open(): closing any descriptor on a database
    file drops every POSIX lock this process holds on it, including those of a connection
    already open here (the app's, when a worker opens a second one). Another process could
    then take the file for unused, checkpoint and delete the WAL under the open connection,
    whose later commits would go to a deleted file. SQLite shares descriptors per file
    within a process, so a second SQLite connection is safe.
    """
    if path.stat().st_size == 0:
        return False  # an empty file is a new database
    try:
        conn = connect_ro(path)
    except sqlite3.DatabaseError as e:
        raise NotOurDatabase(f"{path}: cannot be read as SQLite ({e})") from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        if app_id != APPLICATION_ID:
            if not tables:
                return False  # an empty SQLite file: we may take it
            shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")
            raise NotOurDatabase(
                f"{path}: a SQLite database, but not an annotator one "
                f"(its tables: {shown}); annotator will not touch it"
            )
        if "_sqlite_migrations" in tables:
            applied = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
                )
            }
            known = set(NAMES)
            unknown = sorted(applied - known)
            if unknown:
                raise NewerDatabase(
                    f"{path}: written by a newer annotator (schema {unknown[-1]}); "
                    "upgrade annotator to open it"
                )
        return True
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e):
            raise NotOurDatabase(
                f"{path}: not a SQLite database; annotator will not touch it"
            ) from None
        raise NotOurDatabase(f"{path}: cannot be read as SQLite ({e})") from None
    finally:
        conn.close()


def no_folder(p: Path) -> str | None:
    """Why the database's folder cannot be there (a file where a folder must be), or None."""
    for up in p.parents:
        if up.exists():
            return None if up.is_dir() else f"{up} is a file, not a folder"
    return None


def migrations_pending(conn: sqlite3.Connection) -> bool:
    """Are any of our migrations not applied yet? (Read without sqlite-utils.)"""
    if (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        is None
    ):
        return True
    applied = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        )
    }
    return not set(NAMES) <= applied


def holds_work(path: Path) -> bool:
    """Does this database hold anything anyone made: an article, an event, a team member?
    True also when it cannot be read, or is not ours: what may be removed must be shown to
    be empty. (A database this run created is removed when nothing went in; another run
    could have made it at the same moment and filled it.)"""
    try:
        if path.stat().st_size == 0:
            return False
        conn = connect_ro(path)
    except FileNotFoundError:
        return False
    except (OSError, sqlite3.DatabaseError):
        return True
    try:
        tables = {
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if tables and "_sqlite_migrations" not in tables:
            return True  # someone else's tables
        for table in ("articles", "events", "team_members"):
            if table in tables and conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                return True
        return False
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()
