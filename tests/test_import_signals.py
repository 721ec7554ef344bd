"""An import stopped by a signal other than Ctrl-C (audit7 F3): SIGTERM (`timeout`,
systemd, `kill`) and SIGHUP (the terminal or ssh session closed) are handled as Ctrl-C is --
the file being written taken back, the summary said, exit 128 + the signal -- and an
importer killed outright (kill -9, the OOM killer) takes its workers with it, without a
BrokenPipeError traceback from each on the user's terminal."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import import_workers
from tests.conftest import ROOT, write
from tests.test_import_overlap import GOOD, writing


def big_import(tmp_path: Path) -> tuple[list[str], dict[str, str], Path, Path, int]:
    """`annotator import first.txt big.jsonl`: the JSONL 1.3 times the workers' threshold
    (parsed in worker processes, written in many batches: ~2,400 articles in chunks of
    CHUNK_ARTICLES). Three times it was, and the import the signal tests finish again cost
    17 s each; the signal comes once 10 articles are in, so the smaller file still stops
    mid-write (tests/test_import_overlap.py kills a 1.3x file mid-way the same way)."""
    first = write(tmp_path / "first.txt", GOOD + "\n")
    corpus = tmp_path / "big.jsonl"
    n = 0
    with open(corpus, "w", encoding="utf-8") as fh:
        while fh.tell() < 1.3 * import_workers.PARALLEL_BYTES:
            text = " ".join(f"Item {n} says official {j} met the minister." for j in range(12))
            fh.write(json.dumps({"id": f"a{n}", "text": text}) + "\n")
            n += 1
    db = tmp_path / "team.sqlite"
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", str(first), str(corpus)]
    return cmd, {**os.environ, "PYTHONPATH": str(ROOT)}, db, corpus, n


def ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT external_id FROM articles")]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
def test_a_signal_stops_an_import_and_takes_the_file_being_written_back(
    tmp_path: Path, sig: int
) -> None:
    """audit5 F8: Ctrl-C in the write phase left 3,287 of a JSONL file's 4,102 articles in,
    said only "Aborted!", and nothing told the user to import again. The file goes in whole
    or not at all: the files before it stay, it is taken back, and the summary says so and
    how to finish, with exit 128 + the signal (130 after Ctrl-C, as a shell expects)."""
    cmd, env, db, corpus, n = big_import(tmp_path)
    importer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert writing(importer, db), "the import ended before it could be stopped"
        importer.send_signal(sig)
        out, errs = importer.communicate(timeout=120)
    finally:
        if importer.poll() is None:
            importer.kill()
    said = (out + errs).decode()
    name = "Ctrl-C" if sig == signal.SIGINT else signal.Signals(sig).name
    assert importer.returncode == 128 + sig, said
    assert f"{corpus}: interrupted; nothing from this file was imported" in said
    assert "imported 1 article (2 segments) from 1 of 2 files" in said
    assert f"; stopped by {name}: import the same files again to add the rest" in said
    assert "Traceback" not in said and "Error" not in said, said
    assert ids(db) == ["first"]
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"imported {n} articles" in again.stdout + again.stderr


def test_a_sighup_the_user_ignores_stays_ignored(tmp_path: Path) -> None:
    """`nohup annotator import ...`: the import goes on when the terminal closes."""
    cmd, env, db, _corpus, n = big_import(tmp_path)
    importer = subprocess.Popen(
        ["nohup", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    try:
        assert writing(importer, db), "the import ended before the signal"
        importer.send_signal(signal.SIGHUP)
        out, errs = importer.communicate(timeout=600)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, (out + errs).decode()
    assert len(ids(db)) == n + 1


def test_an_importer_killed_outright_takes_its_workers_quietly(tmp_path: Path) -> None:
    cmd, env, db, _corpus, _n = big_import(tmp_path)
    importer = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        assert writing(importer, db), "the import ended before it could be killed"
        importer.kill()  # SIGKILL: no handler runs in the importer
        importer.wait()
        assert importer.stderr is not None
        # EOF once every worker (each holds the pipe) has ended
        errs = importer.stderr.read().decode()
    finally:
        if importer.poll() is None:
            importer.kill()
    assert "Traceback" not in errs and "BrokenPipeError" not in errs, errs
    left = []
    for proc in Path("/proc").iterdir():
        try:
            if str(db) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                left.append(proc.name)
        except OSError:
            continue
    assert left == []
