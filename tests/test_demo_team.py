"""The team demo (`make demo-team`): the two sample articles labelled by two annotators
(demo/team-labels.jsonl), agreement on them, the agreement screen, adjudication to gold and
the hf export whose card shows the agreement table. Every step is the real CLI or app."""

from __future__ import annotations

import json
import os
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from textual.widgets import DataTable

from annotator.adjudication import AdjudicationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.agreement_app import create_agreement_app
from annotator.tui.screens.agreement import AgreementScreen
from tests.conftest import ROOT, RunCli

LABELS = ROOT / "demo" / "team-labels.jsonl"


@pytest.fixture
def team_db(run_cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    assert run_cli("import", "samples").exit_code == 0
    out = run_cli("import-labels", str(LABELS), "--format", "jsonl")
    assert out.exit_code == 0, out.output
    # every line lands on its sentence: the demo file still matches the segmenter
    assert "imported 192 annotations (alice, bob)" in out.output, out.output
    assert "0 not matched" in out.output and "22 article/outlet field values" in out.output
    return db_path


def _oracle(label: str) -> float:
    """Alpha for one label straight from the demo file, by the krippendorff package."""
    rows = [json.loads(x) for x in LABELS.read_text(encoding="utf-8").splitlines()]
    units = sorted({(r["article_id"], r["position"]) for r in rows})
    index = {u: i for i, u in enumerate(units)}
    data = np.full((2, len(units)), np.nan)
    for r in rows:
        data[["alice", "bob"].index(r["annotator"]), index[(r["article_id"], r["position"])]] = (
            float(label in r["labels"])
        )
    return float(krippendorff.alpha(data, level_of_measurement="nominal"))


def test_agreement_on_the_team_demo(run_cli: RunCli, team_db: Path) -> None:
    out = run_cli("agreement", "--format", "json", "--bootstrap", "100")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["annotators"] == ["alice", "bob"] and data["sentences"] == 98
    by = {la["label"]: la for la in data["labels"]}
    for label in ("ATTRIBUTED", "EDITORIAL", "BOILERPLATE", "NONE"):
        assert by[label]["krippendorff_alpha"]["value"] == pytest.approx(
            _oracle(label), abs=5e-7
        )  # 6 decimals


async def test_agreement_screen_on_the_team_demo(team_db: Path) -> None:
    store = open_store(team_db)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=100)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#label-table", DataTable).row_count == len(g.schema.labels)
        heat = str(screen.query_one("#heatmap").render())
        assert "alice" in heat and "bob" in heat
        assert screen.query_one("#dispute-table", DataTable).row_count > 0


def test_adjudicate_and_export_hf(run_cli: RunCli, team_db: Path, tmp_path: Path) -> None:
    datasets = pytest.importorskip(
        "datasets", reason="the hf export test needs the `datasets` package (make test installs it)"
    )
    store = open_store(team_db)
    g, _ = use_guidelines(store)
    adj = AdjudicationSession(store, g, "carol")
    assert adj.auto_added > 60  # most sentences are unanimous: gold at once
    adj.pick(1)  # alice's version of the most disputed sentence
    adj.note("alice's reading matches rule 4")
    adj.accept()
    store.close()
    status = json.loads(run_cli("status", "--format", "json").output)
    gold = status["adjudication"]
    # unanimous sentences and article fields became gold at once, the picked one by hand
    assert gold["by_method"]["adjudicated"] == 1
    assert gold["by_method"]["unanimous"] + gold["gold_article_fields"] == adj.auto_added
    assert gold["disputed_open"] == gold["disputed_sentences"] - 1
    out = tmp_path / "hf"
    result = run_cli("export", "--format", "hf", "-o", str(out))
    assert result.exit_code == 0, result.output
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    gold = datasets.load_dataset(str(out))["train"]
    raw = datasets.load_dataset(str(out), "raw")["train"]
    assert raw.num_rows == 192
    assert gold.num_rows == sum(status["adjudication"]["by_method"].values())
    card = (out / "README.md").read_text(encoding="utf-8")
    alpha = json.loads(run_cli("agreement", "--format", "json", "--bootstrap", "0").output)
    attributed = next(la for la in alpha["labels"] if la["label"] == "ATTRIBUTED")
    table = card.split("## Agreement", 1)[1]
    row = next(line for line in table.splitlines() if line.startswith("| ATTRIBUTED |"))
    assert f"{attributed['krippendorff_alpha']['value']:.3f}" in row
    assert "carol" in card and "adjudicated" in card

    # Regression: `datasets` caches a local folder by its card and file names, so exporting
    # again after more adjudication and loading gave the earlier rows
    store = open_store(team_db)
    adj = AdjudicationSession(store, g, "carol")
    adj.pick(2)
    store.close()
    assert run_cli("export", "--format", "hf", "-o", str(out)).exit_code == 0
    again = datasets.load_dataset(str(out))["train"]
    assert again.num_rows == gold.num_rows + 1
