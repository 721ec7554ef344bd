"""Our Label Studio and Prodigy exports read back by `import-labels` give the same answers
and times (audit15b F1, F5).

F1: after --drop-labels an answer whose only label was dropped is exported with no label
(`choices: []`, `accept: []`); read back, it became NONE, a positive claim nobody made, and
the majority flipped. F5: Label Studio stamps the moment of its import on every annotation
and its snapshot returns that; read back, every answer and gold decision was dated then,
and an answer nobody touched in Label Studio reverted a newer one made here meanwhile.

The Label Studio snapshots here are our export as Label Studio 1.2x returns it (each
annotation with an id, `updated_by` null, created and updated at the import, microseconds
apart; the task's meta kept), checked against the real server; the real round trip is in
tests/test_consumer_label_studio.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, RunCli, write
from tests.test_guidelines_drop import without
from tests.test_label_import_older import ARTICLES

LINES = [
    {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["LOADED", "HEDGED"]},
    {"article_id": "s1", "position": 0, "annotator": "y", "labels": ["LOADED"]},
    {"article_id": "s1", "position": 0, "annotator": "z", "labels": ["NONE"]},
    {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["HEDGED"]},
    {"article_id": "s1", "position": 1, "annotator": "y", "labels": ["QUOTE"], "comment": "c"},
]
IMPORTED_AT = "2026-12-07T15:58:36.148287Z"  # when "Label Studio" imported the tasks


def dropped_project(run_cli: RunCli, db: Path, tmp_path: Path) -> Path:
    """s1:0: x HEDGED, y nothing left (LOADED dropped), z NONE: no majority (HEDGED and
    NONE 1 of 3 each); s1:1: x HEDGED, y QUOTE. Returns the guidelines without LOADED."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES)), db=db).exit_code == 0
    timed = [
        {
            **x,
            "confirmed_at": f"2026-11-02T09:00:0{i}.000Z",
            "updated_at": f"2026-11-03T10:00:0{i}Z",
        }
        for i, x in enumerate(LINES)
    ]
    labels = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in timed))
    assert run_cli("import-labels", str(labels), db=db).exit_code == 0
    no_loaded = without(tmp_path, "LOADED")
    r = run_cli("--drop-labels", "--guidelines", str(no_loaded), "guidelines", db=db)
    assert r.exit_code == 0, r.output
    return no_loaded


def export(run_cli: RunCli, db: Path, guidelines: Path, fmt: str, view: str, out: Path) -> str:
    args = ("--guidelines", str(guidelines), "export", "--format", fmt, "--view", view)
    r = run_cli(*args, "-o", str(out), db=db)
    assert r.exit_code == 0, r.output
    return out.read_text(encoding="utf-8")


def fresh(run_cli: RunCli, tmp_path: Path, name: str) -> Path:
    db = tmp_path / f"{name}.sqlite"
    assert run_cli("import", str(tmp_path / "a.jsonl"), db=db).exit_code == 0
    return db


def after_the_drop(run_cli: RunCli, tmp_path: Path, guidelines: Path, raw: str) -> Path:
    """A database holding the answers as the adopted guidelines read them (the raw export
    imported), where the comparison of an incoming answer with a stored one that still has
    the dropped label (audit15b F4, another matter) plays no part."""
    db = fresh(run_cli, tmp_path, "after")
    file = write(tmp_path / "after.jsonl", raw)
    r = run_cli("--guidelines", str(guidelines), "import-labels", str(file), db=db)
    assert r.exit_code == 0 and "imported 5 annotations" in r.output, r.output
    return db


def test_an_answer_with_every_label_dropped_comes_back_from_label_studio_and_prodigy(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    g = dropped_project(run_cli, db_path, tmp_path)
    raw = export(run_cli, db_path, g, "jsonl", "raw", tmp_path / "raw.jsonl")
    majority = export(run_cli, db_path, g, "jsonl", "majority", tmp_path / "majority.jsonl")
    assert '"annotator":"y","labels":[]' in raw
    assert '"majority":{"labels":[]' in majority  # s1:0: no label has 2 of 3
    for fmt, name in (("label-studio", "ls.json"), ("prodigy", "prodigy.jsonl")):
        file = tmp_path / fmt / name
        export(run_cli, db_path, g, fmt, "raw", file)
        db = fresh(run_cli, tmp_path, fmt)
        r = run_cli("--guidelines", str(g), "import-labels", str(file), "--format", fmt, db=db)
        assert r.exit_code == 0 and "imported 5 annotations" in r.output, r.output
        # the same answers (y's stays with no label, not NONE), times, comment and origins
        assert export(run_cli, db, g, "jsonl", "raw", tmp_path / f"{fmt}.raw.jsonl") == raw, fmt
        again = export(run_cli, db, g, "jsonl", "majority", tmp_path / f"{fmt}.maj.jsonl")
        assert again == majority, fmt


def test_an_empty_answer_from_elsewhere_is_still_none(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """Without our mark, `[]` keeps the meaning it has today: confirmed with nothing, NONE."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    ls = [
        {
            "data": {"text": "Alpha said this.", "article_id": "s1", "position": 0},
            "annotations": [
                {
                    "completed_by": {"email": "x@annotator.invalid"},
                    "result": [{"from_name": "labels", "value": {"choices": []}}],
                }
            ],
            "meta": {"no_label": ["someone-else"]},
        }
    ]
    prodigy = {
        "text": "Beta thinks that.",
        "accept": [],
        "answer": "accept",
        "_annotator_id": "annotator-y",
        "meta": {"article_id": "s1", "position": 1},
    }
    files = [
        ("label-studio", write(tmp_path / "ls.json", json.dumps(ls))),
        ("prodigy", write(tmp_path / "p.jsonl", json.dumps(prodigy) + "\n")),
    ]
    for fmt, file in files:
        r = run_cli("import-labels", str(file), "--format", fmt)
        assert r.exit_code == 0 and "imported 1 annotations" in r.output, r.output
    out = run_cli("export", "--view", "raw", "-o", "-").stdout
    got = sorted((x["annotator"], x["labels"]) for x in map(json.loads, out.splitlines()))
    assert got == [("x", ["NONE"]), ("y", ["NONE"])]


def through_label_studio(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Our tasks as Label Studio's snapshot returns them, nothing edited there: its own ids
    and times (the import's), `updated_by` null, the task's data and meta as sent."""
    back, k = [], 0
    for n, task in enumerate(tasks, 1):
        anns = []
        for a in task["annotations"]:
            k += 1
            at = f"{IMPORTED_AT[:-3]}{k:03d}Z"  # microseconds apart, as its import writes
            anns.append(
                {
                    **a,
                    "id": k,
                    "completed_by": {"id": k + 1, "email": a["completed_by"]["email"]},
                    "created_at": IMPORTED_AT,
                    "updated_at": at,
                    "updated_by": None,
                    "lead_time": None,
                    "task": n,
                }
            )
        back.append({"id": n, **task, "annotations": anns, "meta": task.get("meta", {})})
    return back


def test_label_studio_times_are_ours_while_it_changed_nothing(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    g = dropped_project(run_cli, db_path, tmp_path)
    raw = export(run_cli, db_path, g, "jsonl", "raw", tmp_path / "raw.jsonl")
    tasks = json.loads(export(run_cli, db_path, g, "label-studio", "raw", tmp_path / "t.json"))
    snapshot = write(tmp_path / "back.json", json.dumps(through_label_studio(tasks)))
    # into a fresh database: the answers with their own times (not the import's)
    db = fresh(run_cli, tmp_path, "fresh")
    r = run_cli(
        "--guidelines", str(g), "import-labels", str(snapshot), "--format", "label-studio", db=db
    )
    assert r.exit_code == 0 and "Label Studio" not in r.output, r.output
    assert export(run_cli, db, g, "jsonl", "raw", tmp_path / "again.jsonl") == raw
    # meanwhile x changed s1:1 here (after our export, before Label Studio's import): the
    # snapshot's old answer, which nobody touched there, does not revert it
    db = after_the_drop(run_cli, tmp_path, g, raw)
    newer = {"article_id": "s1", "position": 1, "annotator": "x", "labels": ["QUOTE"]}
    newer |= {"confirmed_at": "2026-12-07T15:57:00Z", "updated_at": "2026-12-07T15:57:00Z"}
    file = write(tmp_path / "x.jsonl", json.dumps(newer))
    assert run_cli("--guidelines", str(g), "import-labels", str(file), db=db).exit_code == 0
    r = run_cli(
        "--guidelines", str(g), "import-labels", str(snapshot), "--format", "label-studio", db=db
    )
    assert r.exit_code == 0, r.output
    assert r.output.startswith(
        "imported 0 annotations (x, y, z); 4 already there, unchanged; 0 not matched; 1 older "
        "than the database's, the database's kept (the later change wins, as in merge): s1:1 x"
    ), r.output
    mine = export(run_cli, db, g, "jsonl", "raw", tmp_path / "mine.jsonl").splitlines()
    x1 = [json.loads(x) for x in mine if '"s1:1"' in x and '"annotator":"x"' in x]
    assert [(x["labels"], x["updated_at"]) for x in x1] == [(["QUOTE"], "2026-12-07T15:57:00.000Z")]


def test_an_annotation_saved_in_label_studio_has_its_time_there(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    g = dropped_project(run_cli, db_path, tmp_path)
    raw = export(run_cli, db_path, g, "jsonl", "raw", tmp_path / "raw.jsonl")
    tasks = json.loads(export(run_cli, db_path, g, "label-studio", "raw", tmp_path / "t.json"))
    back = through_label_studio(tasks)
    # y saved s1:0 in Label Studio with HEDGED: a save sets updated_by and updated_at
    (y,) = [a for a in back[0]["annotations"] if a["completed_by"]["email"].startswith("y@")]
    y["result"][0]["value"]["choices"] = ["HEDGED"]
    y |= {"updated_by": y["completed_by"]["id"], "updated_at": "2026-12-07T16:10:00.000000Z"}
    snapshot = write(tmp_path / "back.json", json.dumps(back))
    db = after_the_drop(run_cli, tmp_path, g, raw)
    r = run_cli(
        "--guidelines", str(g), "import-labels", str(snapshot), "--format", "label-studio", db=db
    )
    assert r.exit_code == 0 and "imported 1 annotations" in r.output, r.output
    out = export(run_cli, db, g, "jsonl", "raw", tmp_path / "back.jsonl").splitlines()
    y0 = [json.loads(x) for x in out if '"s1:0"' in x and '"annotator":"y"' in x]
    # its first confirmation is ours, its change Label Studio's
    assert [(x["labels"], x["confirmed_at"], x["updated_at"]) for x in y0] == [
        (["HEDGED"], "2026-11-02T09:00:01.000Z", "2026-12-07T16:10:00.000Z")
    ]


def test_label_studio_times_without_ours_are_said(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """A snapshot of tasks without our times (exported before they were carried, or made
    elsewhere and imported into Label Studio): its times are its import's; said in one line."""
    g = dropped_project(run_cli, db_path, tmp_path)
    tasks = json.loads(export(run_cli, db_path, g, "label-studio", "raw", tmp_path / "t.json"))
    back = through_label_studio(tasks)
    for task in back:
        del task["meta"]["times"]
    snapshot = write(tmp_path / "back.json", json.dumps(back))
    db = fresh(run_cli, tmp_path, "fresh")
    r = run_cli(
        "--guidelines", str(g), "import-labels", str(snapshot), "--format", "label-studio", db=db
    )
    assert r.exit_code == 0, r.output
    notes = [x for x in r.output.splitlines() if "Label Studio" in x]
    assert notes == [
        "note: 5 annotations carry the moment Label Studio imported them, not when they were "
        "confirmed or decided: their tasks lack the times our export keeps in the meta "
        "(meta.times, meta.gold_decided_at); they count as changed at that moment, so each "
        "replaces a different answer stored here before then"
    ]


def test_malformed_times_or_marks_in_the_meta_are_refused(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """What the meta adds is checked as the rest of the file: FILE:TASK: reason, nothing
    imported (a time that is none would date an answer anyhow, or win every later change)."""
    g = dropped_project(run_cli, db_path, tmp_path)
    tasks = json.loads(export(run_cli, db_path, g, "label-studio", "raw", tmp_path / "t.json"))
    bad = [
        ("times", "soon", "task 1: meta.times must be an object"),
        ("times", {"x": ["2026-11-02"]}, "task 1: each of meta.times must be an object"),
        ("times", {"x": {"updated_at": "yesterday"}}, "meta.times.updated_at 'yesterday'"),
        ("no_label", "y", "task 1: meta.no_label must be a list of names"),
    ]
    for key, value, said in bad:
        back = through_label_studio(tasks)
        back[0]["meta"][key] = value
        file = write(tmp_path / "bad.json", json.dumps(back))
        r = run_cli("--guidelines", str(g), "import-labels", str(file), "--format", "label-studio")
        assert r.exit_code == 1 and said in r.output, (key, value, r.output)
        assert "nothing was imported" in r.output and "Traceback" not in r.output


def test_a_no_label_mark_where_no_label_was_ever_dropped_is_none(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit15c F1: `meta.no_label` is any tool's key in a file from elsewhere; in a project
    that never dropped a label it cannot mean what our export meant. Honoured, x's and y's
    answers were stored with no label at all (the screen never allows it), a "no" to NONE
    in agreement. They are NONE, as an empty answer is everywhere else, and said. (The
    project added LOADED on the way: a label added is none dropped.)"""
    articles = str(write(tmp_path / "a.jsonl", ARTICLES))
    no_loaded = without(tmp_path, "LOADED")
    assert run_cli("--guidelines", str(no_loaded), "import", articles).exit_code == 0
    assert run_cli("guidelines").exit_code == 0  # the bundled ones: LOADED added
    ls = [
        {
            "data": {"text": "Alpha said this.", "article_id": "s1", "position": 0},
            "annotations": [
                {
                    "completed_by": {"email": "x@annotator.invalid"},
                    "result": [{"from_name": "labels", "value": {"choices": []}}],
                }
            ],
            "meta": {"no_label": ["x"]},
        }
    ]
    prodigy = {
        "text": "Beta thinks that.",
        "accept": [],
        "answer": "accept",
        "_annotator_id": "annotator-y",
        "meta": {"article_id": "s1", "position": 1, "no_label": True},
    }
    files = [
        ("label-studio", write(tmp_path / "ls.json", json.dumps(ls))),
        ("prodigy", write(tmp_path / "p.jsonl", json.dumps(prodigy) + "\n")),
    ]
    for fmt, file in files:
        r = run_cli("import-labels", str(file), "--format", fmt)
        assert r.exit_code == 0 and "imported 1 annotations" in r.output, r.output
        assert (
            "note: 1 empty answer marked meta.no_label (in our exports: every label dropped by "
            "the guidelines) was read as NONE: this project never dropped a label"
        ) in " ".join(r.output.split()), r.output
    out = run_cli("export", "--view", "raw", "-o", "-").stdout
    got = sorted((x["annotator"], x["labels"]) for x in map(json.loads, out.splitlines()))
    assert got == [("x", ["NONE"]), ("y", ["NONE"])]


def test_the_mark_still_holds_once_the_dropped_label_is_back(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """y's answer stored with no label under the guidelines without LOADED stays so once
    guidelines with LOADED are adopted again: our export of it, read back into a copy of
    the project, changes nothing (the project did drop a label, though none is dropped now)."""
    g = dropped_project(run_cli, db_path, tmp_path)
    raw = export(run_cli, db_path, g, "jsonl", "raw", tmp_path / "raw.jsonl")
    db = after_the_drop(run_cli, tmp_path, g, raw)
    assert run_cli("guidelines", db=db).exit_code == 0  # the bundled ones, with LOADED
    bundled = ROOT / "guidelines"
    assert '"annotator":"y","labels":[]' in export(
        run_cli, db, bundled, "jsonl", "raw", tmp_path / "back.jsonl"
    )
    for fmt, name in (("label-studio", "ls.json"), ("prodigy", "prodigy.jsonl")):
        file = tmp_path / fmt / name
        export(run_cli, db, bundled, fmt, "raw", file)
        copy = tmp_path / f"{fmt}.sqlite"
        shutil.copyfile(db, copy)
        r = run_cli("import-labels", str(file), "--format", fmt, db=copy)
        assert r.exit_code == 0 and "imported 0 annotations" in r.output, (fmt, r.output)
        assert "no_label" not in r.output, r.output
