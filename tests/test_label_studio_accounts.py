"""Two annotators are never one Label Studio account (audit7 F14): 'x' is exported as
x@annotator.invalid, which annotator 'x@annotator.invalid' keeps as it is, and Label Studio
compares addresses without case ('Alice', 'alice'); users.json listed one address twice
and the round trip folded one annotator into the other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, write
from tests.test_label_import_older import ARTICLES


@pytest.mark.parametrize("pair", [("x", "x@annotator.invalid"), ("Alice", "alice")])
def test_two_annotators_one_account_is_refused_before_anything_is_written(
    run_cli: RunCli, db_path: Path, tmp_path: Path, pair: tuple[str, str]
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    lines = [
        json.dumps({"article_id": "s1", "position": i, "annotator": who, "labels": ["NONE"]})
        for i, who in enumerate(pair)
    ]
    labels = write(tmp_path / "l.jsonl", "\n".join(lines))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    out = tmp_path / "out" / "tasks.json"
    out.parent.mkdir()
    r = run_cli("export", "--format", "label-studio", "--view", "raw", "-o", str(out))
    assert r.exit_code == 1, r.output
    assert "would be one Label Studio account" in r.output
    assert list(out.parent.iterdir()) == []
    # the other formats are not concerned
    assert run_cli("export", "--view", "raw", "-o", str(tmp_path / "raw.jsonl")).exit_code == 0
