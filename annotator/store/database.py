"""Opening the database and writing to it safely.

- The file is checked before anything is written: not SQLite, SQLite but not ours, or ours
  but from a newer annotator are refused with one line, and the file is left untouched
  (store/database_file.py).
- WAL journal, so readers never block the annotator who is writing.
- Every write is `BEGIN IMMEDIATE`: in WAL a deferred `BEGIN` that reads and then writes fails
  at once with SQLITE_BUSY_SNAPSHOT when another process wrote in between, whatever the busy
  timeout. IMMEDIATE takes the write lock first, so the busy timeout applies, and if the lock
  still cannot be had we retry, then give up with a message a person can act on.
- synchronous=NORMAL: a commit is in the WAL file (the OS has it) before we return, which
  survives the process being killed at any instant; only a power cut can lose the last
  transactions. `ANNOTATOR_SYNC=FULL` makes every commit wait for the disk.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias, cast

from annotator.models.errors import DatabaseBusy as DatabaseBusy

# the store raises them, every layer above catches them: they live at the bottom
from annotator.models.errors import StoreError as StoreError
from annotator.models.errors import WriteFailed as WriteFailed
from annotator.store.database_file import (
    APPLICATION_ID,
    check_existing,
    connect_ro,
    migrations_pending,
    no_folder,
    writable,
)
from annotator.store.migrations import apply_to_new, migration_set, sqlite_utils

# A row as sqlite3 returns it: what each column holds is the query's to say, so the callers
# that read it (in this package) convert what they take out.
Row: TypeAlias = tuple[Any, ...]
Value: TypeAlias = int | float | str | bytes | None  # one SQLite value
Params: TypeAlias = Sequence[object] | Mapping[str, object]

DEFAULT_PATH = Path("db") / "annotations.sqlite"
BUSY_TIMEOUT_S = 5.0
WRITE_ATTEMPTS = 3
SPIN_SLEEP_S = 0.0001
"""Between two tries of the write lock while spinning (Store.set_patience)."""


class NoDatabase(StoreError):
    """No database at the path: only commands that create one (import) go on."""


# Python's sqlite3 (3.11) binds an int, float or str as it is, but hands every None and
# bytes value to its adapter machinery first, which finds no adapter by asking the
# PrepareProtocol type for `__adapt__`: an AttributeError formatted and dropped per value
# (about 1 us; a sixth of the importer's write of short items, whose rows are mostly NULLs).
# An adapter registered for their exact types is found in a dict instead, and gives back the
# value itself: bytes(b) is b, and {}.get(None) is None. Nothing bound changes; an adapter
# for int, float or str would slow every value down, and none is registered.
sqlite3.register_adapter(bytes, bytes)
sqlite3.register_adapter(type(None), cast("Callable[[None], None]", {}.get))

_SECOND: list[tuple[int, str]] = [(-1, "")]  # the last stamp's second, and its text


def now() -> str:
    """UTC timestamp with milliseconds, sortable as text. The date and time are formatted
    once a second: an import stamps every article, and the suggestions pass every article's
    rows (strftime was 5-7 us of a short item's write, audit5 F10)."""
    second, ms = divmod(time.time_ns() // 1_000_000, 1000)  # the clock datetime.now() reads
    last, text = _SECOND[0]
    if last != second:
        text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _SECOND[0] = (second, text)
    return f"{text}.{ms:03d}Z"


def resolve_path(path: str | Path | None) -> Path:
    """--db, else $ANNOTATOR_DB, else db/annotations.sqlite under the current directory."""
    if path:
        return Path(path)
    env = os.environ.get("ANNOTATOR_DB")
    return Path(env) if env else DEFAULT_PATH


class Store:
    """One connection to an annotator database. Only code in annotator.store uses it."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool = False,
        created: bool = False,
    ):
        self.path = path
        self.conn = conn
        self.read_only = read_only  # opened read-only: every write fails, saying so
        self.created = created  # this open made the database file
        self.made_folder: Path | None = None  # ... and the first folder of its path it made
        self.attempts = WRITE_ATTEMPTS
        self.busy_timeout_s = BUSY_TIMEOUT_S
        self.spin_s = 0.0  # see set_patience
        # called once per write that finds the lock taken, before it waits: a command line
        # says it is waiting instead of sitting silent for the whole timeout
        self.on_wait: Callable[[str], None] | None = None

    def set_patience(self, seconds: float, attempts: int = 1, spin: float = 0.0) -> None:
        """How long a write waits for another process's lock before DatabaseBusy. The
        annotation screen waits briefly: a key must never freeze it for long.

        `spin`: for that long first, the lock is tried again every SPIN_SLEEP_S instead of
        in SQLite's busy handler, whose sleeps are 1, 2, 5, 10 ... ms: a key that meets a
        short write of another process (the model's suggestions, well under a millisecond)
        then waits for the rest of that write, not for the next millisecond or three."""
        self.busy_timeout_s, self.attempts, self.spin_s = seconds, attempts, spin
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def lock_is_free(self) -> bool:
        """Can a write start now? (Takes the write lock and gives it back at once.)"""
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")

    # --- transactions --------------------------------------------------------------------

    @contextmanager
    def write(self, *, foreign_keys: bool = True) -> Iterator[sqlite3.Connection]:
        """One committed write transaction, or a WriteFailed that says nothing was saved.

        `foreign_keys=False`: SQLite does not check this transaction's references (for the
        importer's own rows, each referring to a row it has just written or found in the
        same transaction: the checks, a look-up of the parent per sentence and per record,
        were a tenth of its write). The pragma is a no-op inside a transaction, so it is
        switched before BEGIN and back on after the COMMIT or ROLLBACK, whatever happens."""
        if self.conn.in_transaction:
            raise RuntimeError("write transactions do not nest")
        if self.read_only:
            raise WriteFailed(
                f"{self.path}: the database is read-only (opened for reading only); "
                "this change was NOT saved"
            )
        if not foreign_keys:
            self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            try:
                # BEGIN inside the try that rolls back: a Ctrl-C between BEGIN and the body
                # (tests/test_signal_windows.py met one) left the transaction open, and the
                # import's take-back then could not begin its own
                self._begin_immediate()
                yield self.conn
            except BaseException as e:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.OperationalError):
                    raise _write_failed(self.path, e) from e
                raise
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as e:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _write_failed(self.path, e) from e
        finally:
            if not foreign_keys:
                self.conn.execute("PRAGMA foreign_keys = ON")

    def _begin_immediate(self) -> None:
        # first without waiting (to say that we wait), then spinning for spin_s
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            if self._try_begin():
                return
            if self.spin_s > 0:
                deadline = time.monotonic() + self.spin_s
                while time.monotonic() < deadline:
                    time.sleep(SPIN_SLEEP_S)
                    if self._try_begin():
                        return
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        if self.on_wait is not None:
            self.on_wait(
                f"{self.path}: another process is writing to the database (an import, an "
                f"export's snapshot, another annotator); waiting up to "
                f"{self.busy_timeout_s * self.attempts:.0f} s"
            )
        for attempt in range(self.attempts):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    raise _write_failed(self.path, e) from e
                if attempt == self.attempts - 1:
                    raise DatabaseBusy(
                        f"{self.path}: another process has held the database for "
                        f"{self.busy_timeout_s * self.attempts:.0f} s (a long import?); "
                        "this change was NOT saved: try again"
                    ) from e
                time.sleep(0.05 * (attempt + 1))

    def _try_begin(self) -> bool:
        """BEGIN IMMEDIATE if the write lock is free now (busy_timeout is 0 here)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise _write_failed(self.path, e) from e
            return False

    def data_version(self) -> int:
        """Changes when another connection commits (ours do not change it): a check that
        costs no query of a table, made before each key to notice another session's writes."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # --- reads ---------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[None]:
        """Several reads that see one snapshot of the database."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Params = ()) -> Value:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_failed(path: Path, e: sqlite3.OperationalError) -> WriteFailed:
    msg = str(e)
    if "readonly" in msg or "read-only" in msg:
        why = "the database file is read-only"
    elif "full" in msg:
        why = "the disk is full"
    elif "locked" in msg or "busy" in msg:
        why = "another process holds the database"
    else:
        why = msg
    return WriteFailed(f"{path}: {why}; this change was NOT saved")


def open_store(path: str | Path | None = None, *, create: bool = True) -> Store:
    """Open the database at `path` (see resolve_path) and migrate it. Without `create` it
    must exist already and be ours (a mistyped --db makes nothing). A database that cannot
    be written (read-only file, folder or mount) is opened read-only: reads work, writes
    raise WriteFailed."""
    p = resolve_path(path)
    created = False
    made: Path | None = None
    try:
        st = os.stat(p)
    except (FileNotFoundError, NotADirectoryError):
        why = no_folder(p)
        if why:
            raise StoreError(f"{p}: cannot be a database: {why}") from None
        if not create:
            raise NoDatabase(
                f"{p}: no such database; `annotator import` creates one (check --db or "
                "$ANNOTATOR_DB)"
            ) from None
        made = next(
            (f for f in reversed([p.parent, *p.parent.parents]) if not os.path.lexists(f)), None
        )
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"{p}: cannot make its folder {p.parent} ({e.strerror})") from None
        created = True
    except OSError as e:
        raise StoreError(f"{p}: cannot be opened ({e.strerror})") from None
    else:
        if stat.S_ISDIR(st.st_mode):
            raise StoreError(f"{p}: is a folder, not a database file")
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(
                f"{p}: is not a regular file (a device, FIFO or socket); not a database"
            )
        if not check_existing(p):
            if not create:
                raise NoDatabase(
                    f"{p}: empty, not an annotator database yet; `annotator import` makes one"
                )
            created = True
    read_only = not created and not writable(p)  # a new one must be written
    try:
        if read_only:
            conn = connect_ro(p, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        else:
            conn = sqlite3.connect(str(p), isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.OperationalError as e:
        raise StoreError(f"{p}: cannot open ({e})") from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        store = Store(p, conn, read_only=read_only, created=created)
        store.made_folder = made if created else None
        if read_only:
            if migrations_pending(conn):
                raise StoreError(
                    f"{p}: read-only, and from an older annotator: it must be upgraded, "
                    "which writes to it; open it once where it can be written"
                )
        else:
            sync = os.environ.get("ANNOTATOR_SYNC", "NORMAL").upper()
            conn.execute(f"PRAGMA synchronous = {'FULL' if sync == 'FULL' else 'NORMAL'}")
            _migrate(store)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StoreError(f"{p}: {e}") from None
    except StoreError:
        conn.close()
        raise
    return store


def to_wal(conn: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_S) -> None:
    """Switch a database to WAL, waiting up to `timeout` for a lock another connection holds.

    The switch needs the file to itself, and SQLite does not call the busy handler for it:
    a second process making the same new database at that moment (two imports started
    together) failed at once with "database is locked". So it is retried here, every 10 ms,
    until the file is WAL (the other process may have switched it) or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            msg = str(e)
            if ("locked" not in msg and "busy" not in msg) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _migrate(store: Store) -> None:
    conn = store.conn
    try:
        to_wal(conn)
    except sqlite3.OperationalError as e:
        raise _write_failed(store.path, e) from None
    if not migrations_pending(conn):
        return
    # several processes may open a new file at once: migrate under the write lock, and
    # re-check inside it (sqlite-utils' own atomic() nests as savepoints in here)
    with store.write():
        if not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
            apply_to_new(conn)  # a new file: without sqlite-utils (audit11 F9)
        elif migrations_pending(conn):
            migration_set().apply(sqlite_utils().Database(conn))
        else:
            return
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
