"""`annotator merge` killed mid-run (kill -9) leaves a consistent database, and the same merge
run again completes it to what an uninterrupted merge gives, table for table; a merge run
twice changes nothing the second time (audit14 F8: before merge may write in batches, as
import does, this has to hold of whatever a batch boundary leaves)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from annotator.store.database import open_store
from annotator.store.exporting import stale_records
from tests.conftest import SHARED, write
from tests.test_label_import_interrupt import child_env
from tests.test_merge import copy_db

ANSWERS = [["QUOTE"], ["HEDGED"], ["QUOTE", "HEDGED"], ["ATTRIBUTED", "LOADED"], ["NONE"]]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 59 real text pages imported, a copy made, then on the copy dan and eve label
    every sentence (6,000 answers), and here dan labels 200 of them otherwise, later (the
    conflicts, this database's kept)."""
    folder = tmp_path_factory.mktemp("merge-interrupted")
    here, there = folder / "here.sqlite", folder / "there.sqlite"
    cli(here, "import", "-q", str(SHARED / "news_corpus" / "txt"))
    copy_db(here, there)
    conn = sqlite3.connect(here)
    rows = conn.execute(
        "SELECT a.external_id, s.position FROM sentences s JOIN articles a ON a.id = s.article_id "
        "ORDER BY s.id"
    ).fetchall()
    conn.close()
    rng = random.Random(3)

    def lines(who: str, part: list[Any], labels: list[str] | None = None) -> str:
        return "".join(
            json.dumps(
                {
                    "article_id": a,
                    "position": p,
                    "annotator": who,
                    "labels": labels or rng.choice(ANSWERS),
                }
            )
            + "\n"
            for a, p in part
        )

    cli(
        there,
        "import-labels",
        str(write(folder / "there.jsonl", lines("dan", rows) + lines("eve", rows))),
    )
    cli(
        here,
        "import-labels",
        str(write(folder / "here.jsonl", lines("dan", rows[:200], ["LOADED"]))),
    )
    return here, there


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted (SQLite's own statistics aside)."""
    conn = sqlite3.connect(db)
    try:
        names = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_stat%'"
            )
        ]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def write_lock_held(db: Path) -> bool:
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def assert_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # the derived state kept beside the rows: counters, confirmed ranges
        assert (
            conn.execute(
                "SELECT n.name, n.confirmed, (SELECT count(*) FROM annotations a "
                "WHERE a.annotator_id = n.id AND a.confirmed = 1) AS c FROM annotators n "
                "WHERE n.confirmed <> c"
            ).fetchall()
            == []
        )
        ranged = conn.execute(
            "SELECT count(*) FROM annotations a WHERE a.confirmed = 1 AND NOT EXISTS "
            "(SELECT 1 FROM confirmed_ranges r WHERE r.annotator_id = a.annotator_id "
            "AND a.sentence_id BETWEEN r.lo AND r.hi)"
        ).fetchone()
        assert ranged == (0,)
    finally:
        conn.close()
    store = open_store(db)
    try:
        assert set(stale_records(store).values()) == {0}  # the export records
    finally:
        store.close()


def committed_events(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("when", ["writing", "committed"])
def test_a_merge_killed_mid_run_is_completed_by_the_same_merge_again(
    copies: tuple[Path, Path], tmp_path: Path, when: str
) -> None:
    """Killed once it writes (holds the write lock), or once some of its writes are
    committed, when any are before it ends (a merge in batches; one transaction commits
    only at its end, and the kill then comes after it)."""
    here, there = copies
    clean = copy_db(here, tmp_path / "clean.sqlite")
    said = cli(clean, "merge", str(there)).stdout
    assert "events: 6000 new" in said and "conflicts" in said, said
    merged = tables(clean)
    # merged twice: the second adds nothing
    assert "nothing new to merge" in cli(clean, "merge", str(there)).stdout
    assert tables(clean) == merged

    killed = copy_db(here, tmp_path / "killed.sqlite")
    before = tables(killed)
    events = committed_events(killed)
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(killed), "merge", str(there)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
    )
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if write_lock_held(killed) if when == "writing" else committed_events(killed) > events:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if when == "writing":
        assert proc.returncode == -signal.SIGKILL, "the merge ended before it could be killed"
        assert_consistent(killed)
        # one transaction today: nothing of it stays
        assert tables(killed) == before
    elif proc.returncode == -signal.SIGKILL:  # killed between two batches
        assert_consistent(killed)
    cli(killed, "merge", str(there))
    assert tables(killed) == merged
    assert_consistent(killed)
