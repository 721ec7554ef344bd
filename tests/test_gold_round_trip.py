"""Gold survives our own jsonl export and `import-labels` (audit7 F25: every gold decision
was dropped silently, where the Label Studio round trip kept them)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT
from tests.consumers import cli_run, team_db


def gold_of(path: Path) -> dict[str, dict[str, object]]:
    out = {}
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        if rec.get("gold"):
            gold = dict(rec["gold"])
            gold.pop("decided_at")  # the import's time
            out[rec["id"]] = gold
    return out


def test_gold_comes_back_from_our_own_jsonl(tmp_path: Path) -> None:
    source = team_db(tmp_path, "partly")  # adjudicated and unanimous gold
    first = tmp_path / "gold.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(first)).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(first))
    assert r.exit_code == 0, r.output
    before = gold_of(first)
    methods = {g["method"] for g in before.values()}
    assert methods == {"adjudicated", "unanimous"}
    assert f"{len(before)} gold labels" in r.output
    second = tmp_path / "again.jsonl"
    assert cli_run(fresh, "export", "--view", "gold", "-o", str(second)).exit_code == 0
    assert gold_of(second) == before
