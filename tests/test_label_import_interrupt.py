"""`import-labels` stopped mid-way (audit7 F24): the records go in short transactions so
that annotators can save meanwhile, so a Ctrl-C left part of the file in and said only
"Aborted!". Now it says how many are in and that the same import adds the rest; exit 130
(143 for SIGTERM)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import articles
from tests.conftest import ROOT, write


def count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def child_env() -> dict[str, str]:
    """This checkout, and none of a developer's own settings (the module's fixture runs
    before the autouse one that removes them)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for var in ("ANNOTATOR_DB", "ANNOTATOR_USER", "ANNOTATOR_SYNC"):
        env.pop(var, None)
    return env


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 generated articles imported by the real CLI, once for the module: each test
    writes labels to its own copy. 40 articles give 6,000 label records, written in many
    short transactions (the interrupt comes after the first), in 2-3 s; 100 took 7 s, and
    the import the test finishes again as long."""
    folder = tmp_path_factory.mktemp("label-interrupt")
    db = folder / "corpus.sqlite"
    corpus = write(
        folder / "c.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(40, seed=5)),
    )
    subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", "-q", str(corpus)],
        check=True,
        env=child_env(),
        capture_output=True,
    )
    return db


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_label_import_says_what_is_in(
    tmp_path: Path, imported: Path, sig: int
) -> None:
    db = tmp_path / "p.sqlite"
    src, dst = sqlite3.connect(imported), sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    base = [sys.executable, "-m", "annotator", "--db", str(db)]
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.external_id, s.position FROM sentences s JOIN articles a ON a.id = s.article_id"
    ).fetchall()
    conn.close()
    lines = [
        json.dumps({"article_id": art, "position": pos, "annotator": who, "labels": ["NONE"]})
        for who in ("a", "b", "c")
        for art, pos in rows
    ]
    labels = write(tmp_path / "labels.jsonl", "\n".join(lines) + "\n")
    cmd = [*base, "import-labels", str(labels)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and count(db) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, "the import ended before it could be interrupted"
        proc.send_signal(sig)
        out, errs = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = (out + errs).decode()
    assert proc.returncode == 128 + sig, said
    written = count(db)
    name = "Ctrl-C" if sig == signal.SIGINT else "SIGTERM"
    assert (
        f"{labels}: interrupted by {name}: {written} of {len(lines)} records were written; "
        "import the same file again to add the rest"
    ) in said
    assert 0 < written < len(lines)
    assert "Traceback" not in said and "Aborted!" not in said
    again = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), timeout=600)
    assert again.returncode == 0, again.stderr
    assert count(db) == len(lines)
