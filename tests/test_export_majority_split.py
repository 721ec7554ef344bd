"""A sentence on which the annotators split (no label chosen by more than half of them) has
no majority answer, in every format (audit9b F1: hf and csv wrote it as a row of no label,
"none of the labels, not even NONE": a negative example nobody gave, and not even a valid
answer of the schema; doccano and spaCy left it out, Prodigy marked it "ignore")."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.export.formats import WRITERS
from annotator.export.records import Job
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write
from tests.test_gold_staff import with_staff  # noqa: F401  (the fixture)

ARTICLE = {
    "id": "s1",
    "title": "First story",
    "text": "Alpha said the plan works. Bravo may fail soon. Charlie is a disgrace.",
}
# x and y agree on sentence 0, split on 1 (NONE against UNVERIFIED), and half-agree on 2
LABELS = [
    ("x", 0, ["HEDGED"]),
    ("y", 0, ["HEDGED"]),
    ("x", 1, ["NONE"]),
    ("y", 1, ["UNVERIFIED"]),
    ("x", 2, ["EDITORIAL", "LOADED"]),
    ("y", 2, ["EDITORIAL"]),
]


@pytest.fixture
def split_db(run_cli: RunCli, tmp_path: Path) -> RunCli:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    lines = [
        json.dumps({"article_id": "s1", "position": p, "annotator": who, "labels": labs})
        for who, p, labs in LABELS
    ]
    r = run_cli("import-labels", str(write(tmp_path / "l.jsonl", "\n".join(lines))))
    assert r.exit_code == 0 and "imported 6 annotations" in r.output, r.output
    return run_cli


def test_csv_majority_leaves_the_split_sentence_without_an_answer(split_db: RunCli) -> None:
    out = split_db("export", "--format", "csv", "--view", "majority", "-o", "-").stdout
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert [rows["s1:0"][lab] for lab in ("HEDGED", "NONE", "UNVERIFIED")] == ["1", "0", "0"]
    # the policy of the csv: an empty cell is no value, not "0: not this label"
    assert {rows["s1:1"][lab] for lab in ("HEDGED", "NONE", "UNVERIFIED", "LOADED")} == {""}
    assert (rows["s1:2"]["EDITORIAL"], rows["s1:2"]["LOADED"]) == ("1", "0")


def test_hf_majority_leaves_it_out_and_says_so(split_db: RunCli, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "hf"
    r = split_db("export", "--format", "hf", "--view", "majority", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "1 annotated sentence on which the annotators split" in r.output
    rows = datasets.load_dataset(str(out), "majority", cache_dir=str(tmp_path / "c"))["train"]
    names = rows.features["labels"].feature.names
    got = {row["id"]: [names[i] for i in row["labels"]] for row in rows}
    assert got == {"s1:0": ["HEDGED"], "s1:2": ["EDITORIAL"]}
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "3 annotated sentences" in card and "1 annotated sentence on which" in card


def test_label_studio_gives_it_no_ground_truth_and_prodigy_ignores_it(
    split_db: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "ls.json"
    assert split_db("export", "--format", "label-studio", "--view", "majority", "-o", str(out))
    tasks = json.loads(out.read_text(encoding="utf-8"))
    truth = {
        t["data"]["position"]: [a for a in t["annotations"] if a["ground_truth"]] for t in tasks
    }
    assert [len(truth[k]) for k in sorted(truth)] == [1, 0, 1]
    lines = split_db("export", "--format", "prodigy", "--view", "majority", "-o", "-").stdout
    answers = [json.loads(x)["answer"] for x in lines.splitlines() if x.startswith("{")]
    assert answers == ["accept", "ignore", "accept"]


def test_staff_confirmations_are_no_votes_in_the_majority(run_cli: RunCli, tmp_path: Path) -> None:
    """audit10 F5: agreement leaves adjudicators and managers out of its coders, but the
    majority counted them: a manager trying the screen made alice's and bob's HEDGED (2 of
    3 annotators) a split, 2 against 2, in every majority export."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    for who, role in (("alice", "annotator"), ("bob", "annotator"), ("carol", "annotator")):
        assert run_cli("team", "add", who, "--role", role).exit_code == 0
    assert run_cli("team", "add", "boss", "--role", "manager").exit_code == 0
    votes = (("alice", "HEDGED"), ("bob", "HEDGED"), ("carol", "NONE"), ("boss", "NONE"))
    lines = [
        json.dumps({"article_id": "s1", "position": 0, "annotator": who, "labels": [lab]})
        for who, lab in votes
    ]
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", "\n".join(lines)))).exit_code == 0
    )
    agreement = json.loads(run_cli("agreement", "--format", "json", "--bootstrap", "0").stdout)
    assert agreement["annotators"] == ["alice", "bob", "carol"]
    out = run_cli("export", "--format", "jsonl", "--view", "majority", "-o", "-").stdout
    (rec,) = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    assert rec["labels"] == ["HEDGED"] and rec["majority"]["annotators"] == 3
    assert rec["majority"]["votes"] == {"HEDGED": 2, "NONE": 1}
    assert len(rec["annotations"]) == 4  # the manager's own answer is still in the record
    for fmt in ("csv", "spacy-jsonl", "prodigy"):
        got = run_cli("export", "--format", fmt, "--view", "majority", "-o", "-").stdout
        assert "HEDGED" in got, (fmt, got)
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                run_cli("export", "--format", "csv", "--view", "majority", "-o", "-").stdout
            )
        )
    )
    assert (csv_rows[0]["HEDGED"], csv_rows[0]["NONE"]) == ("1", "0")
    # and the majority's count of annotators is its voters' (the manager's answer counted
    # there, 4 beside votes of 3)
    assert csv_rows[0]["n_annotators"] == "3"
    assert json.loads(csv_rows[0]["annotators"]) == ["alice", "bob", "carol"]
    spacy = run_cli("export", "--format", "spacy-jsonl", "--view", "majority", "-o", "-").stdout
    (doc,) = [json.loads(x) for x in spacy.splitlines() if x.startswith("{")]
    assert doc["meta"]["annotators"] == 3
    assert run_cli("export", "--format", "hf", "-o", str(tmp_path / "hf")).exit_code == 0
    (data,) = (tmp_path / "hf" / "data").glob("majority-*.jsonl")
    (row,) = [json.loads(x) for x in data.read_text().splitlines()]
    assert row["n_annotators"] == 3


def test_only_the_majority_reads_the_staff(
    run_cli: RunCli,
    with_staff: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """gold13b: csv, Prodigy and Label Studio read the staff (coders.roles: on a project
    without a team, a scan of the adjudicator's events) for the gold and raw views too,
    which count no votes. Only the majority reads them; hf, which writes its majority
    configuration whatever the default, still leaves the manager out of it."""
    store = open_store(with_staff)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "dana")  # sentence 0 becomes unanimous gold
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    for fmt in ("csv", "prodigy", "label-studio"):
        for view in ("gold", "raw", "majority"):
            ran.clear()
            assert WRITERS[fmt](Job(store, g.schema, view), io.StringIO()) > 0
            read = any("team_members" in sql for sql in ran)
            assert read == (view == "majority"), (fmt, view)
    store.close()
    # the manager's UNVERIFIED made 1 a majority (2 of 3) and 2 a split (alice against her)
    r = run_cli("export", "--format", "hf", "-o", str(tmp_path / "hf"))
    assert r.exit_code == 0, r.output
    (data,) = (tmp_path / "hf" / "data").glob("majority-*.jsonl")
    rows = [json.loads(x) for x in data.read_text().splitlines()]
    # (each label's raters: every voter, no label was added since they confirmed)
    assert [(x["position"], x["votes"], x["n_annotators"]) for x in rows] == [
        (0, [{"label": "HEDGED", "votes": 2, "raters": 2}], 2),
        (2, [{"label": "EDITORIAL", "votes": 1, "raters": 1}], 1),
    ]
