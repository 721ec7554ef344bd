"""The csv and jsonl exports read by pandas, in every state of a project: label columns are
integers (nullable where a sentence has no gold), annotator lists are JSON, counts per
annotator match the database."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.consumers import STATES, cli_run, confirmed_per_annotator, gold_count, team_db

pd = pytest.importorskip("pandas", reason="the pandas tests need pandas (make setup installs it)")
LABELS = ["ATTRIBUTED", "QUOTE", "HEDGED", "UNVERIFIED", "EDITORIAL", "LOADED", "BOILERPLATE"]


@pytest.mark.parametrize("state", STATES)
def test_csv_label_columns_are_integers(tmp_path: Path, state: str) -> None:
    db = team_db(tmp_path, state)
    gold_csv, raw_csv = tmp_path / "gold.csv", tmp_path / "raw.csv"
    assert cli_run(db, "export", "--format", "csv", "-o", str(gold_csv)).exit_code == 0
    assert (
        cli_run(db, "export", "--format", "csv", "--view", "raw", "-o", str(raw_csv)).exit_code == 0
    )
    raw = pd.read_csv(raw_csv)
    for lab in [*LABELS, "NONE"]:
        assert str(raw[lab].dtype) == "int64", lab
    assert dict(Counter(raw["annotator"])) == confirmed_per_annotator(db)
    gold = pd.read_csv(gold_csv, dtype_backend="numpy_nullable")
    for lab in [*LABELS, "NONE"]:
        assert str(gold[lab].dtype) in ("Int64", "int64"), (lab, gold[lab].dtype)
    assert int(gold["NONE"].notna().sum()) == gold_count(db)
    # an annotator list survives any name: JSON in the cell
    assert all(json.loads(x) == ["alice", "bob"] for x in gold["annotators"] if "bob" in x)


def test_a_name_with_a_space_survives_the_csv(tmp_path: Path) -> None:
    db = team_db(tmp_path, "no_gold")
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("UPDATE annotators SET name = 'Ann Lee, PhD' WHERE name = 'alice'")
    conn.commit()
    conn.close()
    out = tmp_path / "g.csv"
    assert cli_run(db, "export", "--format", "csv", "-o", str(out)).exit_code == 0
    lists = [json.loads(x) for x in pd.read_csv(out)["annotators"]]
    assert ["Ann Lee, PhD", "bob"] in lists
