"""A label added to the guidelines mid-project in the exports (audit12 F6): an answer
confirmed before it never rated it, so csv leaves its cell empty and spacy-jsonl leaves its
cat out (missing, not 0 / 0.0), the majority counts only the voters who had the label, and
every export's note names the label and how many confirmations predate it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import RunCli
from tests.test_agreement_added_labels import NEW, project
from tests.test_blind import LONG, SHORT, session


def rows(run_cli: RunCli, view: str) -> list[dict[str, str]]:
    out = run_cli("export", "--format", "csv", "--view", view, "-o", "-")
    assert out.exit_code == 0, out.output
    return list(csv.DictReader(io.StringIO(out.stdout)))


def test_csv_leaves_a_label_nobody_rated_empty(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    majority = {r["id"]: r[NEW] for r in rows(run_cli, "majority")}
    # SHORT's sentences were confirmed before SATIRE existed: no vote on it, an empty cell
    # (the old code wrote 0, the "no" nobody said); on SHORT:1 bob rated it since, alone
    assert [majority.get(f"{SHORT}:{i}") for i in (0, 2, 3, 4, 5)] == [""] * 5
    assert majority[f"{SHORT}:1"] == "1"
    # LONG's, all confirmed with SATIRE on the screen: 1 or 0
    assert {majority[f"{LONG}:{i}"] for i in (0, 4)} == {"1"}
    assert majority[f"{LONG}:1"] == "0"
    raw = {(r["id"], r["annotator"]): r[NEW] for r in rows(run_cli, "raw")}
    assert raw[(f"{SHORT}:0", "alice")] == "" and raw[(f"{SHORT}:1", "alice")] == ""
    assert raw[(f"{SHORT}:1", "bob")] == "1" and raw[(f"{LONG}:3", "alice")] == "0"
    # the other labels are as they were: 0 and 1
    assert {r["HEDGED"] for r in rows(run_cli, "raw")} == {"0", "1"}


def test_spacy_has_no_cat_for_a_label_nobody_rated(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    out = run_cli("export", "--format", "spacy-jsonl", "--view", "majority", "-o", "-")
    assert out.exit_code == 0, out.output
    cats = {
        (line["meta"]["article_id"], line["meta"]["position"]): line["cats"]
        for line in map(json.loads, out.stdout.splitlines())
    }
    assert NEW not in cats[(SHORT, 0)] and cats[(SHORT, 0)]["HEDGED"] == 1.0
    assert cats[(SHORT, 1)][NEW] == 1.0
    assert cats[(LONG, 1)][NEW] == 0.0 and cats[(LONG, 0)][NEW] == 1.0
    assert f"{NEW} (11 before it)" in " ".join(out.stderr.split())


def test_jsonl_majority_counts_the_voters_who_had_it(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    out = run_cli("export", "--format", "jsonl", "--view", "majority", "-o", "-")
    assert out.exit_code == 0, out.output
    lines = {(x["article_id"], x["position"]): x for x in map(json.loads, out.stdout.splitlines())}
    assert lines[(SHORT, 0)]["majority"]["unrated"] == [NEW]
    assert "unrated" not in lines[(LONG, 0)]["majority"]
    # bob alone rated SATIRE on SHORT:1 (alice confirmed it before): one of one
    assert NEW in lines[(SHORT, 1)]["labels"]
    # the annotations are written as stored
    assert all("unrated" not in a for x in lines.values() for a in x["annotations"])


def test_every_export_notes_the_added_label(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    project(imported_db, tmp_path)
    for fmt, says in (
        ("csv", "empty (missing, not 0)"),
        ("hf", "cannot mark one as never rated"),
        ("doccano", "cannot mark one as never rated"),
        ("label-studio", "cannot mark one as never rated"),
    ):
        target = tmp_path / f"out_{fmt}"
        out = run_cli("export", "--format", fmt, "--view", "majority", "-o", str(target))
        if fmt == "hf":
            out = run_cli("export", "--format", fmt, "-o", str(target))
        assert out.exit_code == 0, out.output
        said = " ".join(out.stderr.split())
        assert f"{NEW} (11 before it)" in said and says in said, fmt
    card = " ".join((tmp_path / "out_hf" / "README.md").read_text().split())
    assert f"{NEW} was added to the guidelines after 11" in card
    assert "read that as unknown" in card


def test_a_change_that_keeps_the_answer_keeps_its_schema(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """A comment, or a draft while the confirmed answer waits, written after SATIRE was
    added did not make alice's older confirmation a "no" to SATIRE (round 14: the answer
    counted under the schema of the event that last wrote it); bob's re-rating of SHORT:1
    with SATIRE, undone, puts his old answer back unrated, and redone, rated again."""
    project(imported_db, tmp_path)
    alice = session(imported_db, "alice", article=SHORT)
    alice.move_to(0)
    assert alice.comment("looked at this again").saved
    alice.move_to(2)
    assert alice.toggle("HEDGED").saved  # a draft: the confirmed ["QUOTE"] still counts
    raw = {(r["id"], r["annotator"]): r for r in rows(run_cli, "raw")}
    assert raw[(f"{SHORT}:0", "alice")]["comment"] == "looked at this again"
    assert raw[(f"{SHORT}:0", "alice")][NEW] == ""
    assert raw[(f"{SHORT}:2", "alice")][NEW] == "" and raw[(f"{SHORT}:2", "alice")]["QUOTE"] == "1"
    bob = session(imported_db, "bob", article=SHORT)
    assert bob.undo().saved  # his Enter on SHORT:1 with SATIRE: the draft again
    after = {(r["id"], r["annotator"]): r[NEW] for r in rows(run_cli, "raw")}
    assert after[(f"{SHORT}:1", "bob")] == ""
    assert bob.redo().saved
    after = {(r["id"], r["annotator"]): r[NEW] for r in rows(run_cli, "raw")}
    assert after[(f"{SHORT}:1", "bob")] == "1"


def test_enter_on_an_old_answer_rates_the_label_added_since(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit15c F3: README says confirming an old sentence again under the new guidelines
    makes it a rating of the label added since; Enter on it wrote nothing. Now Enter records
    the answer, unchanged, under today's schema (a "no" to SATIRE: alice looked and did not
    mark it); undo puts it back under its own, and Enter again on it writes nothing more."""
    project(imported_db, tmp_path)
    alice = session(imported_db, "alice", article=SHORT)
    alice.move_to(0)
    assert alice.confirm(advance=False).saved
    cells = {(r["id"], r["annotator"]): r[NEW] for r in rows(run_cli, "raw")}
    assert cells[(f"{SHORT}:0", "alice")] == "0" and cells[(f"{SHORT}:2", "alice")] == ""
    assert not alice.confirm(advance=False).saved  # already under today's schema
    assert alice.undo().saved
    cells = {(r["id"], r["annotator"]): r[NEW] for r in rows(run_cli, "raw")}
    assert cells[(f"{SHORT}:0", "alice")] == ""
    assert alice.redo().saved
    cells = {(r["id"], r["annotator"]): r[NEW] for r in rows(run_cli, "raw")}
    assert cells[(f"{SHORT}:0", "alice")] == "0"
