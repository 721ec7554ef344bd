"""Agreement on the calibration set apart, and per schema version (issue 14): the figures
against the krippendorff package on exactly the units each scope must hold."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import krippendorff
import numpy as np
import pytest

from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, RunCli
from tests.test_blind import LONG, SHORT, confirm, session

LABELS = ["ATTRIBUTED", "QUOTE", "HEDGED", "EDITORIAL", "NONE"]
# per article: what alice and bob confirm on its first four sentences
WORK = {
    SHORT: (
        [["HEDGED"], [], ["QUOTE"], ["EDITORIAL"]],
        [["HEDGED"], ["HEDGED"], [], ["EDITORIAL"]],
    ),
    LONG: ([[], ["QUOTE"], ["QUOTE"], []], [["EDITORIAL"], ["QUOTE"], [], []]),
}


def oracle(alice: list[list[str]], bob: list[list[str]], label: str) -> float | None:
    data = np.array(
        [[label in (x or ["NONE"]) for x in alice], [label in (x or ["NONE"]) for x in bob]],
        dtype=float,
    )
    if data.min() == data.max():
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def check(report: dict[str, object], alice: list[list[str]], bob: list[list[str]]) -> None:
    labels = report["labels"]
    assert isinstance(labels, list)
    for label in LABELS:
        got = next(la for la in labels if la["label"] == label)
        assert got["pairable_units"] == len(alice)
        want = oracle(alice, bob, label)
        if want is None:
            assert got["krippendorff_alpha"]["value"] is None
        else:
            assert got["krippendorff_alpha"]["value"] == pytest.approx(want), label


def test_calibration_articles_apart(imported_db: Path, run_cli: RunCli) -> None:
    no_set = run_cli("agreement", "--calibration")
    assert no_set.exit_code == 1 and "no calibration articles" in no_set.output
    for name in ("alice", "bob"):
        assert run_cli("team", "add", name).exit_code == 0
    assigned = run_cli("assign", "--per-article", "1", "--calibration", "1", "--seed", "7")
    assert assigned.exit_code == 0, assigned.output
    (calib,) = (
        sqlite3.connect(imported_db)
        .execute(
            "SELECT DISTINCT a.external_id FROM assignments s JOIN articles a "
            "ON a.id = s.article_id WHERE s.calibration = 1"
        )
        .fetchall()
    )
    for article, (alice, bob) in WORK.items():
        for name, plan in (("alice", alice), ("bob", bob)):
            s = session(imported_db, name, article=article)
            for i, labels in enumerate(plan):
                confirm(s, i, labels)
    out = run_cli("agreement", "--calibration", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["calibration"] is True and report["sentences"] == 4
    assert report["articles"] == 1
    check(report, *WORK[calib[0]])
    # the whole corpus is the other figure: both articles
    whole = json.loads(run_cli("agreement", "--bootstrap", "0", "--format", "json").output)
    assert whole["sentences"] == 8 and "calibration" not in whole
    text = run_cli("agreement", "--calibration", "--bootstrap", "0")
    assert "calibration articles only" in text.output


def test_agreement_per_schema_version(imported_db: Path, run_cli: RunCli, tmp_path: Path) -> None:
    first, second = WORK[SHORT], WORK[LONG]
    for name, plan in (("alice", first[0]), ("bob", first[1])):
        s = session(imported_db, name, article=SHORT)
        for i, labels in enumerate(plan):
            confirm(s, i, labels)
    # a guideline change: the same labels, a new version, so a new schema hash
    newer = tmp_path / "guidelines"
    shutil.copytree(ROOT / "guidelines", newer)
    toml = newer / "labels.toml"
    toml.write_text(toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    store = open_store(imported_db)
    old = use_guidelines(store)[0].schema.hash
    new = use_guidelines(store, newer)[0].schema.hash
    store.close()
    assert old != new
    for name, plan in (("alice", second[0]), ("bob", second[1])):
        s = session(imported_db, name, article=SHORT)
        for i, labels in enumerate(plan):
            confirm(s, 4 + i, labels)
    out = run_cli("agreement", "--by", "schema", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    versions = json.loads(out.output)
    assert [(v["schema_hash"], v["version"], v["annotations"]) for v in versions] == [
        (old, "1.0.0", 8),
        (new, "1.1.0", 8),
    ]
    check(versions[0]["report"], *first)
    check(versions[1]["report"], *second)
    table = run_cli("agreement", "--by", "schema", "--bootstrap", "0")
    assert "schema news-credibility 1.0.0" in table.output
    assert "schema news-credibility 1.1.0" in table.output
    rows = run_cli("agreement", "--by", "schema", "--bootstrap", "0", "--format", "csv").output
    assert rows.splitlines()[0].startswith("schema_hash,schema_version,kind,name")
    assert sum(line.startswith(new) for line in rows.splitlines()) >= len(LABELS)


def test_scopes_need_the_database(run_cli: RunCli, tmp_path: Path) -> None:
    ratings = tmp_path / "r.csv"
    ratings.write_text("a,b\n1,1\n0,1\n")
    for option in ("--calibration", "--blind-only"):
        out = run_cli("agreement", "--from-csv", str(ratings), option)
        assert out.exit_code == 2 and "need the database" in out.output
    out = run_cli("agreement", "--from-csv", str(ratings), "--by", "schema")
    assert out.exit_code == 2
    # audit15c F11: --by suggestions was ignored, the CSV's figures printed
    out = run_cli("agreement", "--from-csv", str(ratings), "--by", "suggestions")
    assert out.exit_code == 2 and "need the database" in out.output, out.output
