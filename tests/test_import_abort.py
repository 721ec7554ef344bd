"""Ctrl-C in the first moments of an import (audit5 F2): a database file this import made and
never initialised is removed, one that was there before is never touched, and the message
says nothing was imported (exit 130, no "Aborted!").

The interrupt is made to land where it matters, not by timing: the test takes SQLite's
write lock on the database file as soon as the importer has it open (seen in
/proc/PID/fd), so the importer's migrations wait for it; SIGINT then, and the lock let go."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, write

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")

TEXT = "The minister said the talks went well. Officials agreed on Tuesday.\n"


def has_open(pid: int, path: Path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


def in_wal_mode(db: Path) -> bool:
    """The file's header says WAL (bytes 18-19 are 2): the importer set the journal mode,
    which needs the file to itself, and is on to the migrations, which wait for a lock."""
    try:
        with open(db, "rb") as fh:
            head = fh.read(20)
    except OSError:
        return False
    return len(head) == 20 and head[18:20] == b"\x02\x02"


def interrupted_while_migrating(db: Path, art: Path) -> tuple[int, str, bool]:
    """Run `annotator import`, hold the write lock once it has the database open, send
    SIGINT, let go. Returns the exit code, what it said, and whether the lock was taken
    before the schema was written (False: the importer won the race)."""
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", str(art)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lock: sqlite3.Connection | None = None
    early = False
    try:
        deadline = time.monotonic() + 120
        while lock is None and importer.poll() is None and time.monotonic() < deadline:
            if has_open(importer.pid, db) and in_wal_mode(db):
                conn = sqlite3.connect(db, isolation_level=None, timeout=0)
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    lock = conn
                except sqlite3.OperationalError:
                    conn.close()  # the importer holds it now: try again
            time.sleep(0.0005)
        assert lock is not None, "the import ended before its database could be locked"
        early = not lock.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        time.sleep(0.2)  # the importer is waiting for the lock
        importer.send_signal(signal.SIGINT)  # what Ctrl-C sends
        time.sleep(0.2)
        lock.execute("ROLLBACK")
        lock.close()
        lock = None
        out, errs = importer.communicate(timeout=120)
    finally:
        if lock is not None:
            lock.close()
        if importer.poll() is None:
            importer.kill()
    return importer.returncode, (out + errs).decode(), early


def test_ctrl_c_while_a_new_database_is_made_removes_it(tmp_path: Path) -> None:
    art = write(tmp_path / "a.txt", TEXT)
    for attempt in range(5):
        db = tmp_path / f"new{attempt}.sqlite"
        code, said, early = interrupted_while_migrating(db, art)
        if early:
            break
    assert early, "the importer wrote its schema before the lock was taken, five times"
    assert code == 130, said
    assert "interrupted before anything was imported" in said, said
    assert f"{db}, which this import had just begun, removed" in said, said
    assert "Aborted!" not in said and "Traceback" not in said, said
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(db.name)) == []
    # and a later import makes it afresh
    again = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", str(art)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert again.returncode == 0, again.stderr
    assert "created database" in again.stderr


def test_ctrl_c_never_removes_an_empty_file_that_was_there_before(tmp_path: Path) -> None:
    """An empty file is a database the import may initialise, but it was the user's: after
    the interrupt it is still there (empty or initialised), and nothing was imported."""
    art = write(tmp_path / "a.txt", TEXT)
    db = write(tmp_path / "theirs.sqlite", b"")
    code, said, early = interrupted_while_migrating(db, art)
    assert code == 130, said
    assert "Aborted!" not in said and "Traceback" not in said, said
    assert "removed" not in said, said
    assert db.is_file()
    if early:
        assert "interrupted before anything was imported" in said, said


def test_an_interrupted_import_into_an_existing_database_removes_nothing(
    tmp_path: Path,
) -> None:
    art = write(tmp_path / "a.txt", TEXT)
    db = tmp_path / "team.sqlite"
    first = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", str(art)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert first.returncode == 0
    other = write(tmp_path / "b.txt", TEXT.replace("Tuesday", "Friday"))
    code, said, _ = interrupted_while_migrating(db, other)
    assert code == 130, said
    assert "removed" not in said and "Aborted!" not in said, said
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] in (1, 2)
    conn.close()
