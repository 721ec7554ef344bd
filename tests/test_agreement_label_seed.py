"""A label's interval does not depend on which other labels are asked for, nor on its place
in the schema; a scope names only the annotators with work in it; a label rated on too few
units gets no interval, whatever the rest of the report holds (audit12 F17, F6)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli
from tests.test_agreement_added_labels import AFTER, BEFORE, NEW, annotate, project
from tests.test_blind import LONG, SHORT

PLAIN = tuple([[x for x in labels if x != NEW] for labels in plan] for plan in AFTER)
SENTENCE_BOOTSTRAP = ("--bootstrap", "200", "--bootstrap-by", "sentence", "--seed", "5")


def labels_of(out: str) -> dict[str, dict[str, object]]:
    return {la["label"]: la for la in json.loads(out)["labels"]}


def test_one_label_has_the_full_reports_interval(imported_db: Path, run_cli: RunCli) -> None:
    annotate(imported_db, SHORT, BEFORE)
    annotate(imported_db, LONG, PLAIN)
    full = run_cli("agreement", "--format", "json", *SENTENCE_BOOTSTRAP)
    assert full.exit_code == 0, full.output
    for label in ("HEDGED", "EDITORIAL", "QUOTE"):
        one = run_cli("agreement", "--format", "json", "--label", label, *SENTENCE_BOOTSTRAP)
        assert one.exit_code == 0, one.output
        want, got = labels_of(full.output)[label], labels_of(one.output)[label]
        assert got == want, label
    hedged = labels_of(full.output)["HEDGED"]["krippendorff_alpha"]
    assert isinstance(hedged, dict) and hedged["ci95"] is not None


def test_one_article_names_only_its_annotators(imported_db: Path, run_cli: RunCli) -> None:
    annotate(imported_db, SHORT, BEFORE)
    annotate(imported_db, LONG, (*PLAIN[:1], []))  # alice alone on LONG
    out = run_cli("agreement", "--article", LONG, "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["annotators"] == ["alice"]
    table = run_cli("agreement", "--article", LONG, "--bootstrap", "0")
    assert "bob" not in table.output
    both = run_cli("agreement", "--article", SHORT, "--bootstrap", "0", "--format", "json")
    assert json.loads(both.output)["annotators"] == ["alice", "bob"]


def test_a_label_rated_on_few_units_has_no_interval(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    out = run_cli("agreement", "--format", "json", *SENTENCE_BOOTSTRAP)
    assert out.exit_code == 0, out.output
    labels = labels_of(out.output)
    satire = labels[NEW]["krippendorff_alpha"]
    assert isinstance(satire, dict)
    # six sentences rated by two since SATIRE came: no interval, and why
    assert satire["ci95"] is None and f"{NEW} has 6 sentence(s)" in satire["reason"]
    hedged = labels["HEDGED"]["krippendorff_alpha"]
    assert isinstance(hedged, dict) and hedged["ci95"] is not None  # twelve: the report's
    one = run_cli("agreement", "--format", "json", "--label", NEW, *SENTENCE_BOOTSTRAP)
    alone = labels_of(one.output)[NEW]["krippendorff_alpha"]
    assert isinstance(alone, dict) and alone["ci95"] is None and alone["reason"]
