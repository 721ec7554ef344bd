"""A copy whose work carries labels the project's guidelines do not have is refused whole
(audit12 F15: `merge` took them in without a word, and agreement and every export then left
that work out)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from tests.conftest import RunCli, write
from tests.test_guidelines_drop import without
from tests.test_label_import_older import ARTICLES


def _count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
    finally:
        conn.close()


def test_a_copy_with_a_label_the_guidelines_dropped_is_not_merged(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    copy = tmp_path / "laptop.sqlite"
    shutil.copyfile(db_path, copy)
    # the shared project drops LOADED (nothing uses it yet) ...
    assert run_cli("--guidelines", str(without(tmp_path, "LOADED")), "guidelines").exit_code == 0
    # ... while the laptop copy, still on the old guidelines, labels with it
    lines = [
        {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED"]},
        {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["HEDGED"]},
    ]
    labels = write(tmp_path / "l.jsonl", "\n".join(json.dumps(x) for x in lines))
    assert run_cli("import-labels", str(labels), db=copy).exit_code == 0
    for dry in ([], ["--dry-run"]):
        r = run_cli("merge", *dry, str(copy))
        assert r.exit_code == 1, r.output
        assert "labels this project's guidelines do not have: LOADED (1 annotation)" in r.output
        assert "nothing merged" in r.output and "Traceback" not in r.output
    assert _count(db_path) == 0
    # a copy whose labels the guidelines have merges as before
    clean = tmp_path / "clean.sqlite"
    shutil.copyfile(db_path, clean)
    hedged = write(tmp_path / "h.jsonl", json.dumps(lines[1]))
    assert run_cli("import-labels", str(hedged), db=clean).exit_code == 0
    assert run_cli("merge", str(clean)).exit_code == 0
    assert _count(db_path) == 1
