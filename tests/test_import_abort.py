"""Ctrl-C in the first moments of an import (audit5 F2): a database file this import made and
never initialised is removed, one that was there before is never touched, and the message
says nothing was imported (exit 130, no "Aborted!").

The interrupt is made to land where it matters, not by timing: the test stops the importer
(SIGSTOP) as soon as it has the database file open (seen in /proc/PID/fd), takes SQLite's
write lock unless the importer holds it, sends SIGINT and lets it go on."""

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


def schema_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


def nothing_committed(db: Path) -> bool:
    """No table committed yet. A file that cannot even be read is in its switch to WAL
    (rollback mode, an exclusive lock), which comes before the migrations."""
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0)
    try:
        return not schema_size(reader)
    except sqlite3.OperationalError:
        return True
    finally:
        reader.close()


def interrupted_while_migrating(db: Path, art: Path) -> tuple[int, str, bool]:
    """Run `annotator import`, stop it (SIGSTOP) as soon as it has the database open, take
    the write lock if it does not hold it already, send SIGINT, let it go on. Returns the
    exit code, what it said, and whether nothing of the schema was committed when the
    interrupt came (False: the importer had finished migrating).

    Stopping the process makes the moment certain: a new file's migrations follow the open
    within a few milliseconds (since audit11 F9 nothing is imported between them), too soon
    to win a race for the lock. Stopped there, the importer either waits for the lock
    (before its switch to WAL or before its migrations) or holds it mid-migration; Ctrl-C
    must leave a new database removed either way."""
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", str(art)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    lock: sqlite3.Connection | None = None
    try:
        deadline = time.monotonic() + 120
        while not has_open(importer.pid, db):
            assert importer.poll() is None, "the import ended before it opened its database"
            assert time.monotonic() < deadline, "the import never opened its database"
        os.kill(importer.pid, signal.SIGSTOP)
        conn = sqlite3.connect(db, isolation_level=None, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            lock = conn
        except sqlite3.OperationalError:
            conn.close()  # the importer holds it: stopped in the middle of its migrations
        early = nothing_committed(db) if lock is None else not schema_size(lock)
        importer.send_signal(signal.SIGINT)  # what Ctrl-C sends
        os.kill(importer.pid, signal.SIGCONT)
        if lock is not None:
            time.sleep(0.2)  # the importer is waiting for the lock
            lock.execute("ROLLBACK")
            lock.close()
            lock = None
        out, errs = importer.communicate(timeout=120)
    finally:
        if lock is not None:
            lock.close()
        if importer.poll() is None:
            os.kill(importer.pid, signal.SIGCONT)
            importer.kill()
    return importer.returncode, (out + errs).decode(), early


def test_ctrl_c_while_a_new_database_is_made_removes_it(tmp_path: Path) -> None:
    art = write(tmp_path / "a.txt", TEXT)
    db = tmp_path / "new.sqlite"
    code, said, early = interrupted_while_migrating(db, art)
    assert early, "the schema was committed before the interrupt came"
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
