"""What an export to standard output leaves out, said (audit15b F8): Label Studio's tasks
went to stdout without the labelling config and the accounts to create, which importing
into Label Studio needs, and only the articles sidecar was mentioned."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli, write
from tests.test_label_import_older import ARTICLES


def test_label_studio_to_stdout_names_the_config_and_the_accounts(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    line = {"article_id": "s1", "position": 0, "annotator": "alice", "labels": ["QUOTE"]}
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", json.dumps(line)))).exit_code == 0
    )
    out = run_cli("export", "--format", "label-studio", "--view", "raw", "-o", "-")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)[0]["data"]["article_id"] == "s1"
    said = " ".join(out.stderr.split())
    assert "FILE.config.xml" in said and "FILE.users.json" in said, said
    # a line format to stdout has nothing of the kind to say
    jsonl = run_cli("export", "--format", "jsonl", "--view", "raw", "-o", "-")
    assert "config.xml" not in jsonl.stderr
