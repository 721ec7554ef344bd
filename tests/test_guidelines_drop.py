"""Guidelines that leave out a label the database uses are not adopted silently (audit7
F15: adoption printed only "label schema changed", and the exports then disagreed: csv, hf
and spacy-jsonl dropped the label, jsonl kept it)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

from tests.conftest import ROOT, RunCli, write
from tests.test_label_import_older import ARTICLES


def without(tmp_path: Path, label: str) -> Path:
    """The bundled guidelines without one label."""
    folder = shutil.copytree(ROOT / "guidelines", tmp_path / f"no-{label}")
    toml = folder / "labels.toml"
    blocks = re.split(r"(?=^\[\[labels\]\]$)", toml.read_text(encoding="utf-8"), flags=re.M)
    kept = [b for b in blocks if f'name = "{label}"' not in b]
    assert len(kept) == len(blocks) - 1
    toml.write_text("".join(kept), encoding="utf-8")
    return folder


def schema_hash(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(
            conn.execute("SELECT value FROM settings WHERE key = 'schema_hash'").fetchone()[0]
        )
    finally:
        conn.close()


def test_dropping_a_label_in_use_is_refused_until_asked(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    line = {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED"]}
    labels = write(tmp_path / "l.jsonl", json.dumps(line) + "\n")
    assert run_cli("import-labels", str(labels)).exit_code == 0
    before = schema_hash(db_path)
    no_loaded = without(tmp_path, "LOADED")
    r = run_cli("--guidelines", str(no_loaded), "guidelines")
    assert r.exit_code == 1, r.output
    assert "leave out labels in use: LOADED (1 annotation, 0 gold decisions)" in r.output
    assert "--drop-labels" in r.output and "nothing changed" in r.output
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output
    assert schema_hash(db_path) == before
    # a label nobody used goes without a word
    assert (
        run_cli("--guidelines", str(without(tmp_path, "UNVERIFIED")), "guidelines").exit_code == 0
    )
    assert schema_hash(db_path) != before
    # asked for: adopted
    r = run_cli("--drop-labels", "--guidelines", str(no_loaded), "guidelines")
    assert r.exit_code == 0, r.output
    assert "label schema changed" in r.output
