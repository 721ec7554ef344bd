"""A label added to the guidelines mid-project (audit12 F6): a confirmation made under a
schema without it is no rating of it (missing, not "absent"). The figures against the
krippendorff package and NLTK's MASI on exactly the ratings that exist."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance as nltk_masi

from annotator.agreement import LabelMatrix, masi_alpha
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, RunCli
from tests.test_blind import LONG, SHORT, confirm, session

NEW = "SATIRE"
# before SATIRE: alice and bob on SHORT's first six sentences
BEFORE = (
    [["HEDGED"], [], ["QUOTE"], ["EDITORIAL"], ["HEDGED"], []],
    [["HEDGED"], ["HEDGED"], [], ["EDITORIAL"], [], ["LOADED"]],
)
# after: LONG's first six, SATIRE among them
AFTER = (
    [[NEW], ["QUOTE"], [NEW, "EDITORIAL"], [], [NEW], ["HEDGED"]],
    [[NEW], ["QUOTE"], ["EDITORIAL"], [NEW], [NEW], []],
)


def with_label(tmp_path: Path, name: str = NEW, key: str = "w") -> Path:
    """The bundled guidelines plus one label (and its section): a new schema version."""
    folder = tmp_path / f"guidelines_{name.lower()}"
    shutil.copytree(ROOT / "guidelines", folder)
    toml = folder / "labels.toml"
    toml.write_text(
        toml.read_text().replace('version = "1.0.0"', 'version = "1.1.0"')
        + f'\n[[labels]]\nname = "{name}"\nkey = "{key}"\ntitle = "{name.title()}"\n'
        'description = "Mockery presented as news."\n'
    )
    md = folder / "guidelines.md"
    md.write_text(md.read_text() + f"\n## {name} ({key})\n\nMockery presented as news.\n")
    return folder


def annotate(db: Path, article: str, plans: tuple[list[list[str]], ...]) -> None:
    for name, plan in zip(("alice", "bob"), plans, strict=True):
        s = session(db, name, article=article)
        for i, labels in enumerate(plan):
            confirm(s, i, labels)


def project(db: Path, tmp_path: Path) -> tuple[str, str]:
    """BEFORE under the bundled schema, then SATIRE added, then AFTER; the two hashes."""
    annotate(db, SHORT, BEFORE)
    store = open_store(db)
    old = use_guidelines(store)[0].schema.hash
    new = use_guidelines(store, with_label(tmp_path))[0].schema.hash
    store.close()
    annotate(db, LONG, AFTER)
    # bob goes back to one sentence alice confirmed before SATIRE existed and adds it
    confirm(session(db, "bob", article=SHORT), 1, [NEW])
    return old, new


def nominal(rows: Sequence[Sequence[list[str] | None]], label: str) -> float:
    """krippendorff's alpha of one label over units x coders label sets (None: missing)."""
    data = np.array(
        [[np.nan if x is None else float(label in (x or ["NONE"])) for x in col] for col in rows],
        dtype=float,
    )
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_added_label_counts_only_confirmations_that_had_it(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    out = run_cli("agreement", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    by_label = {la["label"]: la for la in report["labels"]}
    # SATIRE: only the six sentences confirmed after it existed are rated (the old code
    # counted all twelve, the first six as two annotators saying "no")
    assert by_label[NEW]["pairable_units"] == 6
    assert by_label[NEW]["krippendorff_alpha"]["value"] == pytest.approx(nominal(list(AFTER), NEW))
    # the labels both schemas had: all twelve sentences, as before
    both = [BEFORE[0] + AFTER[0], BEFORE[1] + AFTER[1]]
    for label in ("QUOTE", "HEDGED", "EDITORIAL"):
        assert by_label[label]["pairable_units"] == 12
        assert by_label[label]["krippendorff_alpha"]["value"] == pytest.approx(nominal(both, label))
    (note,) = [n for n in report["notes"] if NEW in n]
    assert "after 11 of the 24 confirmations" in note and "--by schema" in note
    # the table says it too, and the per-article list on stderr
    table = run_cli("agreement", "--bootstrap", "0")
    assert f"{NEW} was added to the guidelines after 11" in " ".join(table.output.split())
    articles = run_cli("agreement", "--by", "article", "--format", "json")
    assert f"{NEW} was added to the guidelines after 11" in " ".join(articles.stderr.split())
    (long,) = [a for a in json.loads(articles.stdout) if a["article"] == LONG]
    (short,) = [a for a in json.loads(articles.stdout) if a["article"] == SHORT]
    assert [la["pairable_units"] for la in long["labels"] if la["label"] == NEW] == [6]
    assert [la["pairable_units"] for la in short["labels"] if la["label"] == NEW] == [0]


def test_added_label_disagreements_count_its_raters(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    out = run_cli(
        "agreement", "--disagreements", "--label", NEW, "--limit", "0", "--format", "json", "-y"
    )
    assert out.exit_code == 0, out.output
    found = json.loads(out.output)
    # SHORT's sentence 1 is no dispute: alice confirmed it before SATIRE existed (the old
    # code had her saying "no" to bob's SATIRE); LONG's 2 and 3 split the two on it
    assert sorted((d["article"], d["number"]) for d in found) == [(LONG, 3), (LONG, 4)]


def nltk_masi_alpha(m: LabelMatrix) -> float:
    """MASI alpha by NLTK, each pair compared over the labels both cells hold a value for."""
    cells = {}
    for u, c in itertools.product(range(m.present.shape[0]), range(m.present.shape[1])):
        row = m.present[u, c]
        if (row >= 0).any():
            cells[(u, c)] = row

    def distance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
        ra, rb = np.array(a), np.array(b)
        both = (ra >= 0) & (rb >= 0)
        sa = frozenset(np.flatnonzero((ra == 1) & both).tolist())
        sb = frozenset(np.flatnonzero((rb == 1) & both).tolist())
        return 0.0 if sa == sb else nltk_masi(sa, sb)

    data = [(c, u, tuple(int(x) for x in row)) for (u, c), row in cells.items()]
    return float(AnnotationTask(data, distance=distance).alpha())


def test_masi_compares_sets_over_the_labels_both_had() -> None:
    rng = np.random.default_rng(3)
    present = (rng.random((80, 3, 4)) < 0.35).astype(np.int8)
    present[rng.random((80, 3)) < 0.15] = -1
    # the last label added after the first 50 sentences' confirmations by coders 0 and 1
    present[:50, :2, 3] = -1
    m = LabelMatrix(present, ("A", "B", "C", "D"), ("x", "y", "z"))
    assert masi_alpha(m).value == pytest.approx(nltk_masi_alpha(m), rel=1e-9)
    # where nothing is missing but whole confirmations, plain MASI, as before
    full = present.copy()
    full[:50, :2, 3] = 0
    full[(full < 0).any(axis=2)] = -1
    assert masi_alpha(LabelMatrix(full, m.labels, m.coders)).value == pytest.approx(
        nltk_masi_alpha(LabelMatrix(full, m.labels, m.coders)), rel=1e-9
    )


def section(versions: list[dict[str, Any]], schema_hash: str) -> dict[str, dict[str, Any]]:
    (found,) = [v for v in versions if v["schema_hash"] == schema_hash]
    report = found["report"]
    assert isinstance(report, dict)
    return {la["label"]: la for la in report["labels"]}


def test_by_schema_scores_each_version_with_its_own_labels(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    old, new = project(imported_db, tmp_path)
    out = run_cli("agreement", "--by", "schema", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    versions = json.loads(out.output)
    before, after = section(versions, old), section(versions, new)
    # the old round never had SATIRE: no row of it (the old code listed it, "unused")
    assert NEW not in before and NEW in after
    assert after[NEW]["krippendorff_alpha"]["value"] == pytest.approx(nominal(list(AFTER), NEW))
    # bob's sentence 1, confirmed again with SATIRE, is the new version's now
    bob_then = [*BEFORE[1][:1], None, *BEFORE[1][2:]]
    assert before["HEDGED"]["krippendorff_alpha"]["value"] == pytest.approx(
        nominal([BEFORE[0], bob_then], "HEDGED")
    )


RENAME = {"EDITORIAL": "OPINION", NEW: "LOADED"}  # the second round's labels, no SATIRE


def renamed(tmp_path: Path) -> Path:
    """The bundled guidelines with EDITORIAL renamed OPINION."""
    folder = tmp_path / "guidelines_opinion"
    shutil.copytree(ROOT / "guidelines", folder)
    for name in ("labels.toml", "guidelines.md"):
        path = folder / name
        path.write_text(
            path.read_text()
            .replace('version = "1.0.0"', 'version = "2.0.0"')
            .replace('name = "EDITORIAL"', 'name = "OPINION"')
            .replace("## EDITORIAL (e)", "## OPINION (e)")
        )
    return folder


def test_by_schema_keeps_a_renamed_labels_old_figure(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    annotate(imported_db, SHORT, BEFORE)
    store = open_store(imported_db)
    old = use_guidelines(store)[0].schema.hash
    new = use_guidelines(store, renamed(tmp_path), drop_labels=True)[0].schema.hash
    store.close()
    annotate(
        imported_db,
        LONG,
        tuple([[RENAME.get(x, x) for x in labels] for labels in plan] for plan in AFTER),
    )
    out = run_cli("agreement", "--by", "schema", "--bootstrap", "0", "--format", "json")
    assert out.exit_code == 0, out.output
    versions = json.loads(out.output)
    before, after = section(versions, old), section(versions, new)
    # the first round's EDITORIAL figure is still there, from its own schema
    assert "OPINION" not in before and "EDITORIAL" not in after
    assert before["EDITORIAL"]["krippendorff_alpha"]["value"] == pytest.approx(
        nominal(list(BEFORE), "EDITORIAL")
    )
    # and one label of an earlier version can be asked for
    one = run_cli(
        "agreement",
        "--by",
        "schema",
        "--label",
        "EDITORIAL",
        "--bootstrap",
        "0",
        "--format",
        "json",
    )
    assert one.exit_code == 0, one.output
    versions = json.loads(one.output)
    assert list(section(versions, old)) == ["EDITORIAL"] and section(versions, new) == {}
    (newer,) = [v for v in versions if v["schema_hash"] == new]
    assert "no label EDITORIAL in this version" in newer["report"]["notes"]
    table = run_cli("agreement", "--by", "schema", "--label", "EDITORIAL", "--bootstrap", "0")
    assert table.exit_code == 0, table.output
    assert "no label EDITORIAL in this version" in " ".join(table.output.split())


def test_agreement_with_gold_counts_only_confirmations_that_had_the_label(
    imported_db: Path, tmp_path: Path
) -> None:
    """The status screen's agreement with gold (store/gold_matrices.py) scored every
    confirmation made before SATIRE existed as a "no" against a gold with SATIRE."""
    from annotator.labeling import SentenceState
    from annotator.store.gold import change_sentence_gold
    from annotator.store.gold_matrices import against_gold

    project(imported_db, tmp_path)
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    dana = int(store.scalar("SELECT id FROM annotators WHERE name = 'alice'") or 0)
    # gold SATIRE on every sentence alice confirmed, before and after it existed
    sids = [
        (int(s), int(a))
        for s, a in store.all(
            "SELECT a.sentence_id, a.article_id FROM annotations a JOIN annotators n "
            "ON n.id = a.annotator_id WHERE n.name = 'alice' AND a.confirmed = 1"
        )
    ]
    for sid, aid in sids:
        change_sentence_gold(
            store,
            adjudicator=dana,
            sentence_id=sid,
            article_id=aid,
            transform=lambda st: SentenceState((NEW,), (), None, True),
            action="gold: satire",
            schema_hash=g.schema.hash,
        )
    labels = g.schema.label_names
    matrix = against_gold(store, labels, ["alice"])["alice"]
    k = labels.index(NEW)
    before = {
        int(s)
        for (s,) in store.all(
            "SELECT s.id FROM sentences s JOIN articles r ON r.id = s.article_id "
            "WHERE r.external_id = ?",
            [SHORT],
        )
    }
    alice = {int(str(u)): int(matrix.present[i, 0, k]) for i, u in enumerate(matrix.units)}
    assert alice and all(v == -1 for u, v in alice.items() if u in before), alice
    assert all(v in (0, 1) for u, v in alice.items() if u not in before), alice
    assert all(int(matrix.present[i, 1, k]) == 1 for i in range(len(matrix.units)))
    store.close()
