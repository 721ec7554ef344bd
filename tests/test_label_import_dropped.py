"""Work done before the project dropped a label, brought in with `import-labels` (audit15b
F6): the dropped label was called "unknown" and the whole file refused, with no way through,
where `merge` of the same work explains itself. It is now named as dropped, with counts,
and `import-labels --drop-labels` reads the file as the project reads its own answers since
the change: without the label, an answer whose only label it was kept with no label."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli, write
from tests.test_label_studio_prodigy_round_trip import LINES, dropped_project

# the laptop's work since: z on s1:1 and s1:2, LOADED on both
LAPTOP = [
    *LINES,
    {"article_id": "s1", "position": 1, "annotator": "z", "labels": ["LOADED"]},
    {"article_id": "s1", "position": 2, "annotator": "z", "labels": ["QUOTE", "LOADED"]},
]


def raw(run_cli: RunCli, db: Path, guidelines: Path) -> dict[tuple[int, str], list[str]]:
    args = ("--guidelines", str(guidelines), "export", "--format", "jsonl", "--view", "raw")
    out = run_cli(*args, "-o", "-", db=db)
    assert out.exit_code == 0, out.output
    return {
        (x["position"], x["annotator"]): x["labels"]
        for x in map(json.loads, out.stdout.splitlines())
    }


def test_a_dropped_label_is_named_and_drop_labels_imports_the_rest(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    guidelines = dropped_project(run_cli, db_path, tmp_path)
    before = raw(run_cli, db_path, guidelines)
    file = write(tmp_path / "laptop.jsonl", "".join(json.dumps(x) + "\n" for x in LAPTOP))
    g = ("--guidelines", str(guidelines))
    refused = run_cli(*g, "import-labels", str(file), db=db_path)
    said = " ".join(refused.output.split())
    assert refused.exit_code == 1
    assert f"{file}:1: LOADED is a label this project's guidelines dropped" in said, said
    assert "LOADED (4 annotations); 2 annotations with no other label" in said, said
    assert "import-labels --drop-labels" in said and "nothing was imported" in said
    assert raw(run_cli, db_path, guidelines) == before
    done = run_cli(*g, "import-labels", str(file), "--drop-labels", db=db_path)
    said = " ".join(done.output.split())
    assert done.exit_code == 0, said
    assert "imported 2 annotations (x, y, z); 5 already there, unchanged" in said, said
    assert "dropped left out: LOADED (4 annotations); 2 annotations with no other label" in said
    after = raw(run_cli, db_path, guidelines)
    # LOADED alone: confirmed, none of the labels applies (not NONE, a claim nobody made)
    assert after[(1, "z")] == [] and after[(2, "z")] == ["QUOTE"]
    assert after[(0, "y")] == [] and after[(0, "x")] == ["HEDGED"]
    again = run_cli(*g, "import-labels", str(file), "--drop-labels", db=db_path)
    assert "imported 0 annotations (x, y, z); 7 already there" in again.output, again.output


def test_a_label_the_project_never_had_is_still_unknown(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    guidelines = dropped_project(run_cli, db_path, tmp_path)
    line = {"article_id": "s1", "position": 2, "annotator": "z", "labels": ["LOADED", "BOGUS"]}
    file = write(tmp_path / "bad.jsonl", json.dumps(line) + "\n")
    out = run_cli("--guidelines", str(guidelines), "import-labels", str(file), "--drop-labels")
    assert out.exit_code == 1
    assert f"{file}:1: unknown label 'BOGUS'" in out.output, out.output


def test_label_studio_work_from_before_the_drop(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """The Label Studio export made before the drop (its tasks still give LOADED), read back
    after it: the same answers, nothing changed, LOADED counted as left out."""
    guidelines = dropped_project(run_cli, db_path, tmp_path)
    old = tmp_path / "old.sqlite"
    assert run_cli("import", str(tmp_path / "a.jsonl"), db=old).exit_code == 0
    assert run_cli("import-labels", str(tmp_path / "l.jsonl"), db=old).exit_code == 0
    tasks = tmp_path / "before.json"
    out = run_cli("export", "--format", "label-studio", "--view", "raw", "-o", str(tasks), db=old)
    assert out.exit_code == 0, out.output
    before = raw(run_cli, db_path, guidelines)
    g = ("--guidelines", str(guidelines))
    args = ("import-labels", str(tasks), "--format", "label-studio", "--drop-labels")
    done = run_cli(*g, *args, db=db_path)
    said = " ".join(done.output.split())
    assert done.exit_code == 0, said
    assert "imported 0 annotations" in said and "LOADED (2 annotations)" in said, said
    assert raw(run_cli, db_path, guidelines) == before
