"""doccano's per-annotator files (`--view raw`) beside the articles file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli, write
from tests.test_export_majority_split import ARTICLE, LABELS


def test_doccano_raw_file_of_an_annotator_called_articles_is_not_the_articles_file(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """audit9b F11: `PATH-stem.articles.jsonl` was both that annotator's file and the
    articles file, written last: the annotator's 3 records were gone, and counted."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    lines = [
        json.dumps({"article_id": "s1", "position": p, "annotator": who, "labels": labs})
        for who, p, labs in LABELS
    ]
    lines = [x.replace('"x"', '"Articles"') for x in lines]
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", "\n".join(lines)))).exit_code == 0
    )
    out = tmp_path / "d.jsonl"
    r = run_cli("export", "--format", "doccano", "--view", "raw", "-o", str(out))
    assert r.exit_code == 0 and "wrote 6 records" in r.output, r.output
    per_annotator = sorted(p.name for p in tmp_path.glob("d.*.jsonl"))
    assert per_annotator == ["d.%41rticles.jsonl", "d.articles.jsonl", "d.y.jsonl"]
    mine = (tmp_path / "d.%41rticles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["annotator"] for x in mine] == ["Articles"] * 3
    assert "annotations" in json.loads((tmp_path / "d.articles.jsonl").read_text().splitlines()[0])


def test_a_long_name_gets_a_file_name_the_system_takes(run_cli: RunCli, tmp_path: Path) -> None:
    """audit9b F16: a 300-character name made doccano's raw export fail ("File name too
    long"); a name now has at most 100 characters, and one of non-Latin letters (nine
    bytes each in the file name) is shortened with a digest."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    long = "ж" * 100
    lines = [
        json.dumps({"article_id": "s1", "position": p, "annotator": who, "labels": labs})
        for who, p, labs in LABELS
    ]
    lines = [x.replace('"x"', json.dumps(long)) for x in lines]
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", "\n".join(lines)))).exit_code == 0
    )
    out = tmp_path / "d.jsonl"
    r = run_cli("export", "--format", "doccano", "--view", "raw", "-o", str(out))
    assert r.exit_code == 0 and "wrote 6 records" in r.output, r.output
    (mine,) = [p for p in tmp_path.glob("d.*.jsonl") if "~" in p.name]
    assert len(mine.name.encode()) < 255
    assert {json.loads(x)["annotator"] for x in mine.read_text().splitlines()} == {long}
    too_long = write(
        tmp_path / "t.jsonl", lines[0].replace(json.dumps(long), json.dumps("n" * 101))
    )
    r = run_cli("import-labels", str(too_long))
    assert r.exit_code == 1 and "a name has at most 100 characters" in r.output
    assert run_cli("team", "add", "n" * 101).exit_code == 1
    big = json.loads(lines[1])
    big["comment"] = "c" * 250_001
    r = run_cli("import-labels", str(write(tmp_path / "c.jsonl", json.dumps(big))))
    assert r.exit_code == 1 and "comment is 250,001 characters (at most 250,000)" in r.output
