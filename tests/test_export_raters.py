"""A label added mid-project in the majority files (audit15b F7): SATIRE is the majority of
SHORT:1 on bob's one vote, alice having confirmed it before SATIRE existed, which is the
rule (the majority counts the voters who had the label), but the rows said "1 vote, 2
annotators" and nothing more, so the rule could not be checked and the hf card's own
definition ("more than half of its annotators") failed on them. Each file now says of how
many raters; the card also says which labels were dropped."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli
from tests.test_agreement_added_labels import NEW, project
from tests.test_blind import LONG, SHORT
from tests.test_label_studio_prodigy_round_trip import dropped_project


def majority_lines(run_cli: RunCli, fmt: str) -> dict[tuple[str, int], dict[str, object]]:
    out = run_cli("export", "--format", fmt, "--view", "majority", "-o", "-")
    assert out.exit_code == 0, out.output
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    if fmt == "jsonl":
        return {(x["article_id"], x["position"]): x["majority"] for x in lines}
    return {(x["meta"]["article_id"], x["meta"]["position"]): x["meta"] for x in lines}


def test_the_majority_says_of_how_many_raters(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    for fmt in ("jsonl", "prodigy", "spacy-jsonl"):
        m = majority_lines(run_cli, fmt)
        assert m[(SHORT, 1)]["raters"] == {NEW: 1}, fmt
        assert m[(SHORT, 1)]["annotators"] == 2, fmt
        # where every voter had every label, nothing more is written
        assert "raters" not in m[(LONG, 0)], fmt
    # bob's SATIRE, HEDGED beside it, alice's NONE: SATIRE has one vote of its one rater
    assert majority_lines(run_cli, "jsonl")[(SHORT, 1)]["votes"] == {NEW: 1, "HEDGED": 1, "NONE": 1}
    out = tmp_path / "hf"
    r = run_cli("export", "--format", "hf", "-o", str(out))
    assert r.exit_code == 0, r.output
    (data,) = (out / "data").glob("majority-*.jsonl")
    rows = {x["id"]: x for x in map(json.loads, data.read_text().splitlines())}
    votes = {v["label"]: (v["votes"], v["raters"]) for v in rows[f"{SHORT}:1"]["votes"]}
    assert rows[f"{SHORT}:1"]["n_annotators"] == 2
    assert votes == {NEW: (1, 1), "HEDGED": (1, 2), "NONE": (1, 2)}
    assert rows[f"{SHORT}:1"]["labels"] == [NEW]
    assert all(v["raters"] == 2 for v in rows[f"{LONG}:0"]["votes"])
    card = " ".join((out / "README.md").read_text().split())
    assert "more than half of its annotators who could give a label" in card
    assert "`raters` those who had it in their guidelines" in card


def test_the_card_says_which_labels_were_dropped(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    guidelines = dropped_project(run_cli, db_path, tmp_path)
    out = tmp_path / "hf"
    r = run_cli("--guidelines", str(guidelines), "export", "--format", "hf", "-o", str(out))
    assert r.exit_code == 0, r.output
    card = " ".join((out / "README.md").read_text().split())
    assert "Labels dropped from the guidelines, left out of this dataset: LOADED" in card
    assert "(2 annotations, 0 gold decisions)" in card
