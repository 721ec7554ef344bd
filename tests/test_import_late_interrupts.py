"""Interrupts after the first moments of an import (audit11 F6, F11), and what a folder
holds that is not read (audit11 F5).

F11: a Ctrl-C after the new database has its tables but before any article went in left
the file behind, and said neither that it was made nor that it was kept. F6: a Ctrl-C in
the suggestions pass that follows the writes gave click's bare "Aborted!" (exit 1), and the
suggestions stayed part-made: the next import of the same file did not finish them.

The interrupts land where they matter by holding SQLite's write lock from a second
connection at the moment wanted (seen through a read of the database), not by timing.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, RunCli, write

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _articles(n: int) -> str:
    """JSON Lines of n articles with reporting and hedging cues, so suggestions are many."""
    lines = []
    for i in range(n):
        text = " ".join(
            f"The minister said on Tuesday that plan {i}-{k} would allegedly cost more. "
            f"Officials reportedly declined to comment on budget {k}, a spokesman told reporters."
            for k in range(12)
        )
        lines.append(json.dumps({"id": f"a{i}", "title": f"Plan {i}", "text": text}))
    return "\n".join(lines) + "\n"


def _count(db: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error:
        return -1
    try:
        row = conn.execute(sql).fetchone()
        return int(row[0]) if row else -1
    except sqlite3.Error:
        return -1
    finally:
        conn.close()


def _interrupt_when(
    db: Path, args: list[str], ready: Callable[[], bool], sig: int = signal.SIGINT
) -> tuple[int, str, bool]:
    """Run `annotator --db DB import ARGS`; once `ready()` holds, take the write lock, check
    `ready()` still holds under it, send `sig`, let go. Returns the exit code, what it said,
    and whether the lock was taken while `ready()` held (False: the import got past it)."""
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", *args]
    importer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    lock: sqlite3.Connection | None = None
    held = False
    try:
        deadline = time.monotonic() + 120
        while lock is None and importer.poll() is None and time.monotonic() < deadline:
            if ready():
                conn = sqlite3.connect(db, isolation_level=None, timeout=0)
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    lock = conn
                except sqlite3.OperationalError:
                    conn.close()
            time.sleep(0.0005)
        if lock is not None:
            held = ready()
            time.sleep(0.2)
            importer.send_signal(sig)
            time.sleep(0.2)
            lock.execute("ROLLBACK")
            lock.close()
            lock = None
        out, errs = importer.communicate(timeout=180)
    finally:
        if lock is not None:
            lock.close()
        if importer.poll() is None:
            importer.kill()
    return importer.returncode, (out + errs).decode(), held


def test_ctrl_c_after_the_tables_before_any_article_removes_the_new_database(
    tmp_path: Path,
) -> None:
    # 500 articles (0.9 MB, under the size that starts workers): the whole file is read and
    # checked before the first write, a window wide enough to take the lock in under load
    art = write(tmp_path / "many.jsonl", _articles(500))
    for attempt in range(6):
        db = tmp_path / f"new{attempt}.sqlite"

        def ready(db: Path = db) -> bool:
            # the tables are made and committed, and no article is in yet
            return (
                _count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'articles'") == 1
                and _count(db, "SELECT count(*) FROM articles") == 0
            )

        code, said, held = _interrupt_when(db, [str(art)], ready)
        if held:
            break
    assert held, "the import wrote its first article before the lock was taken, six times"
    assert code == 130, said
    assert "Aborted!" not in said and "Traceback" not in said, said
    assert f"{db}, which this import" in said and "removed" in said, said
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(db.name)] == []


def test_ctrl_c_in_the_suggestions_pass_keeps_the_articles_and_the_next_import_ends_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    art = write(tmp_path / "many.jsonl", _articles(400))
    # what a whole import suggests, for comparison
    whole = tmp_path / "whole.sqlite"
    assert run_cli("import", "-q", str(art), db=whole).exit_code == 0
    full = _count(whole, "SELECT count(*) FROM suggestions")
    assert full > 1000

    db = tmp_path / "stopped.sqlite"

    def ready() -> bool:
        # every article is in, and the pass has written a batch but not the last
        return (
            _count(db, "SELECT count(*) FROM articles") == 400
            and 0 < _count(db, "SELECT count(*) FROM suggestions") < full
        )

    code, said, held = _interrupt_when(db, [str(art)], ready, signal.SIGTERM)
    if not held:
        pytest.skip("the suggestions pass ended before the lock was taken")
    assert code == 143, said
    assert "Aborted!" not in said and "Traceback" not in said, said
    assert "imported 400 articles" in said and "while suggesting labels" in said, said
    assert "suggestions refresh" in said, said
    assert _count(db, "SELECT count(*) FROM articles") == 400
    assert _count(db, "SELECT count(*) FROM suggestions") < full

    again = run_cli("import", str(art), db=db)
    assert again.exit_code == 0, again.output
    assert "400 already imported, unchanged" in again.output
    assert _count(db, "SELECT count(*) FROM suggestions") == full
    # and an import with nothing new and nothing left does not run the pass
    third = run_cli("import", str(art), db=db)
    assert "suggested" not in third.output, third.output


def test_links_to_folders_and_hidden_article_files_are_named_not_passed_over(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = "The minister said the talks went well. Officials agreed on Tuesday.\n"
    write(tmp_path / "real" / "linked.txt", text)
    top = tmp_path / "top"
    write(top / "seen.txt", text.replace("Tuesday", "Monday"))
    write(top / ".drafts" / "draft.txt", text.replace("Tuesday", "Friday"))
    write(top / ".hidden.txt", text.replace("Tuesday", "Sunday"))
    write(top / ".git" / "HEAD", "ref: refs/heads/main\n")  # no article: not named
    write(top / ".DS_Store", b"\x00\x00")
    (top / "linked").symlink_to(tmp_path / "real")
    (top / "loop").symlink_to(top)

    result = run_cli("import", str(top))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "imported 1 article" in out, out
    assert (
        f"2 links to folders not followed (name them to import them): {top / 'linked'}, "
        f"{top / 'loop'}" in out
    ), out
    assert (
        f"2 hidden files or folders skipped (name them to import them): {top / '.drafts'}, "
        f"{top / '.hidden.txt'}" in out
    ), out
    assert ".git" not in out and ".DS_Store" not in out, out
    # named, each is read
    named = run_cli("import", str(top / "linked"), str(top / ".drafts"))
    assert named.exit_code == 0, named.output
    assert "imported 2 articles" in named.output, named.output
