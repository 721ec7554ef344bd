"""Corrections made in Prodigy to our own tasks come back (audit15b F9). Prodigy writes a
task as it was streamed in, `meta` included (its choice interface shows the meta but cannot
change it), with the annotator's `accept` and a new `_timestamp`. Unticking ATTRIBUTED left
`source_type` in the meta and refused the whole file; a corrected answer took the old
answer's time from the meta and lost, as "older", to any change made here since."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import RunCli, write
from tests.test_label_import_older import ARTICLES

ANSWERS = [
    {"position": 0, "labels": ["ATTRIBUTED", "QUOTE"], "fields": {"source_type": "named_person"}},
    {"position": 1, "labels": ["NONE"]},
    {"position": 2, "labels": ["HEDGED"]},
]
PRODIGY_AT = int(datetime(2026, 11, 20, 12, 0, tzinfo=UTC).timestamp())  # answered there


def tasks(run_cli: RunCli, db: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """alice's three answers of 2 November, as our Prodigy export streams them."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES)), db=db).exit_code == 0
    lines = [
        {
            "article_id": "s1",
            "annotator": "alice",
            "confirmed_at": f"2026-11-02T09:00:0{i}Z",
            "updated_at": f"2026-11-02T09:00:0{i}Z",
            **x,
        }
        for i, x in enumerate(ANSWERS)
    ]
    labels = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(labels), db=db).exit_code == 0
    out = tmp_path / "tasks.jsonl"
    r = run_cli("export", "--format", "prodigy", "--view", "raw", "-o", str(out), db=db)
    assert r.exit_code == 0, r.output
    return [json.loads(x) for x in out.read_text().splitlines()]


def answered(task: dict[str, Any], accept: list[str]) -> dict[str, Any]:
    """The task as Prodigy saves it once answered there."""
    return {**task, "accept": accept, "_timestamp": PRODIGY_AT}


def raw(run_cli: RunCli, db: Path) -> dict[int, dict[str, Any]]:
    out = run_cli("export", "--format", "jsonl", "--view", "raw", "-o", "-", db=db)
    assert out.exit_code == 0, out.output
    return {x["position"]: x for x in map(json.loads, out.stdout.splitlines())}


def test_unticking_attributed_leaves_its_field_out(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    t = {x["meta"]["position"]: x for x in tasks(run_cli, db_path, tmp_path)}
    assert t[0]["meta"]["source_type"] == "named_person"
    file = write(
        tmp_path / "prodigy.jsonl",
        json.dumps(answered(t[0], ["QUOTE"])) + "\n" + json.dumps(t[2]) + "\n",
    )
    r = run_cli("import-labels", str(file), "--format", "prodigy", db=db_path)
    said = " ".join(r.output.split())
    assert r.exit_code == 0, said
    assert "imported 1 annotations (alice); 1 already there, unchanged" in said, said
    assert "1 sentence field value in meta whose label was not accepted" in said, said
    now = raw(run_cli, db_path)[0]
    assert now["labels"] == ["QUOTE"] and now["fields"] == {}


def test_a_correction_counts_from_when_it_was_made_in_prodigy(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """alice changed s1:1 here on 10 November; on 20 November she answered it again in
    Prodigy: that is her latest word, and it stays her first confirmation's answer."""
    t = {x["meta"]["position"]: x for x in tasks(run_cli, db_path, tmp_path)}
    local = {
        "article_id": "s1",
        "position": 1,
        "annotator": "alice",
        "labels": ["HEDGED"],
        "confirmed_at": "2026-11-02T09:00:01Z",
        "updated_at": "2026-11-10T09:00:00Z",
    }
    r = run_cli("import-labels", str(write(tmp_path / "n.jsonl", json.dumps(local))), db=db_path)
    assert r.exit_code == 0, r.output
    file = write(tmp_path / "p.jsonl", json.dumps(answered(t[1], ["EDITORIAL"])) + "\n")
    r = run_cli("import-labels", str(file), "--format", "prodigy", db=db_path)
    assert r.exit_code == 0 and "imported 1 annotations" in r.output, r.output
    now = raw(run_cli, db_path)[1]
    assert now["labels"] == ["EDITORIAL"]
    assert now["updated_at"] == "2026-11-20T12:00:00.000Z"
    assert now["confirmed_at"] == "2026-11-02T09:00:01.000Z"
    # a task nobody answered again is the answer exported, with its own times
    r = run_cli(
        "import-labels",
        str(write(tmp_path / "q.jsonl", json.dumps(t[2]))),
        "--format",
        "prodigy",
        db=db_path,
    )
    assert r.exit_code == 0 and "imported 0 annotations" in r.output, r.output
    assert raw(run_cli, db_path)[2]["updated_at"] == "2026-11-02T09:00:02.000Z"


def test_a_plain_prodigy_answer_counts_from_when_it_was_given(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit15c F9: a task Prodigy wrote itself (no times of ours in its meta) took its
    `_timestamp` as the first confirmation only; the answer counted as changed at the
    import, so alice's answer of 1 January 2025 replaced her change of 10 November here.
    `_timestamp` is its change time: the later change wins, as in merge."""
    tasks(run_cli, db_path, tmp_path)
    local = {
        "article_id": "s1",
        "position": 1,
        "annotator": "alice",
        "labels": ["HEDGED"],
        "confirmed_at": "2026-11-02T09:00:01Z",
        "updated_at": "2026-11-10T09:00:00Z",
    }
    r = run_cli("import-labels", str(write(tmp_path / "n.jsonl", json.dumps(local))), db=db_path)
    assert r.exit_code == 0, r.output

    def plain(position: int, text: str, accept: list[str], at: int) -> str:
        task: dict[str, Any] = {"text": text, "accept": accept, "answer": "accept"}
        task["_annotator_id"] = "alice"
        task |= {"_timestamp": at, "meta": {"article_id": "s1", "position": position}}
        return json.dumps(task) + "\n"

    old = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    file = write(
        tmp_path / "p.jsonl",
        plain(1, "Beta thinks that.", ["EDITORIAL"], old)
        + plain(2, "Gamma is here.", ["QUOTE"], PRODIGY_AT),
    )
    r = run_cli("import-labels", str(file), "--format", "prodigy", db=db_path)
    assert r.exit_code == 0, r.output
    assert r.output.startswith(
        "imported 1 annotations (alice); 0 already there, unchanged; 0 not matched; 1 older "
        "than the database's, the database's kept (the later change wins, as in merge): "
        "s1:1 alice"
    ), r.output
    now = raw(run_cli, db_path)
    assert (now[1]["labels"], now[1]["updated_at"]) == (["HEDGED"], "2026-11-10T09:00:00.000Z")
    # the later one replaces alice's answer of 2 November, as changed when she gave it
    assert (now[2]["labels"], now[2]["updated_at"]) == (["QUOTE"], "2026-11-20T12:00:00.000Z")


def test_a_gold_task_corrected_in_prodigy_is_a_new_decision(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit15c F10: a gold task answered again in Prodigy kept the meta's old decided_at
    and adjudicator, and lost, as "older", to a decision made here since."""

    def gold(labels: list[str], who: str, at: str) -> Path:
        decision = {"method": "adjudicated", "adjudicator": who, "labels": labels}
        decision["decided_at"] = at
        line = {"article_id": "s1", "position": 2, "annotations": [], "gold": decision}
        return write(tmp_path / f"gold-{who}.jsonl", json.dumps(line) + "\n")

    tasks(run_cli, db_path, tmp_path)
    r = run_cli("import-labels", str(gold(["HEDGED"], "dana", "2026-11-03T09:00:00Z")))
    assert r.exit_code == 0, r.output
    out = tmp_path / "gold.jsonl"
    r = run_cli("export", "--format", "prodigy", "--view", "gold", "-o", str(out))
    assert r.exit_code == 0, r.output
    (task,) = [json.loads(x) for x in out.read_text().splitlines()]
    # erin decides otherwise here on 10 November; dana corrects in Prodigy on the 20th
    r = run_cli("import-labels", str(gold(["QUOTE"], "erin", "2026-11-10T09:00:00Z")))
    assert r.exit_code == 0, r.output
    corrected = write(tmp_path / "c.jsonl", json.dumps(answered(task, ["EDITORIAL"])) + "\n")
    r = run_cli("import-labels", str(corrected), "--format", "prodigy", "--annotator", "dana")
    assert r.exit_code == 0 and "later" not in r.output, r.output
    back = run_cli("export", "--format", "jsonl", "--view", "gold", "-o", "-")
    lines = {x["position"]: x for x in map(json.loads, back.stdout.splitlines())}
    decided = lines[2]["gold"]
    assert decided["labels"] == ["EDITORIAL"] and decided["adjudicator"] == "dana", decided
    assert decided["decided_at"].startswith("2026-11-20T12:00:00"), decided
