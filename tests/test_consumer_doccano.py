"""Our doccano export through doccano's own import code (doccano 1.8.4 in .venv-doccano, a
venv of its own: `make test-consumers` installs it; skipped when absent)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.consumers import STATES, cli_run, team_db

pytestmark = pytest.mark.consumer
DOCCANO_PY = Path(
    os.environ.get("ANNOTATOR_DOCCANO_PYTHON", ROOT / ".venv-doccano" / "bin" / "python")
)
SCRIPT = ROOT / "tests" / "consumer_scripts" / "doccano_import.py"


def labels_per_annotator(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        out: dict[str, int] = {}
        for name, labels in conn.execute(
            "SELECT n.name, a.labels FROM annotations a JOIN annotators n "
            "ON n.id = a.annotator_id WHERE a.confirmed = 1"
        ):
            out[name] = out.get(name, 0) + len(json.loads(labels))
        return out
    finally:
        conn.close()


def gold_labels(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        rows = [json.loads(r[0]) for r in conn.execute("SELECT labels FROM gold_annotations")]
        return len(rows), sum(len(r) for r in rows)
    finally:
        conn.close()


@pytest.mark.parametrize("state", STATES)
def test_doccano_imports_raw_per_annotator_and_gold(tmp_path: Path, state: str) -> None:
    if not DOCCANO_PY.exists():
        pytest.skip(f"doccano is not installed ({DOCCANO_PY}): make test-consumers installs it")
    db = team_db(tmp_path, state)
    raw = tmp_path / "out" / "raw.jsonl"
    gold = tmp_path / "out" / "gold.jsonl"
    res = cli_run(db, "export", "--format", "doccano", "--view", "raw", "-o", str(raw))
    assert res.exit_code == 0, res.output
    assert cli_run(db, "export", "--format", "doccano", "-o", str(gold)).exit_code == 0
    specs = [f"{who}={raw.with_name(f'raw.{who}.jsonl')}" for who in ("alice", "bob")]
    if gold.read_text(encoding="utf-8"):  # before adjudication there is no gold to upload
        specs.append(f"dana={gold}")
    work = tmp_path / "doccano"
    work.mkdir()
    done = subprocess.run(
        [str(DOCCANO_PY), str(SCRIPT), str(work), *specs],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["errors"] == []
    gold_rows, gold_label_count = gold_labels(db)
    gold_members = {"dana": gold_label_count} if gold_rows else {}
    assert (gold_rows > 0) == (state != "no_gold")
    assert got["labels_by_member"] == {**labels_per_annotator(db), **gold_members}
    confirmed = sum(1 for _ in raw.with_name("raw.alice.jsonl").open()) + sum(
        1 for _ in raw.with_name("raw.bob.jsonl").open()
    )
    assert got["examples"] == confirmed + gold_rows
    assert "source_type" in got["meta_keys"] and "article_id" in got["meta_keys"]
    assert "origins" in got["meta_keys"]  # where each label came from (issue 16)


def test_gold_before_adjudication_is_never_a_silent_empty_file(tmp_path: Path) -> None:
    db = team_db(tmp_path, "no_gold")
    out = tmp_path / "gold.jsonl"
    res = cli_run(db, "export", "--format", "doccano", "-o", str(out))
    assert res.exit_code == 0 and out.read_text() == ""
    assert "no records, no sentence has gold yet" in res.stderr
