"""What import keeps in an article's `meta` comes back out (audit6 F5): a JSON Lines
record's own `meta`, front-matter keys of its own, and why readability is null
(`readability_unavailable`) -- in the articles sidecar (jsonl and csv) and in the hf
`articles` configuration, loaded by `datasets`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.consumers import cli_run

ZH = (
    "---\ntitle: 市政新闻\ntags: [a, b]\nsource_desk: metro\n---\n\n"
    "市议会周一通过了新的预算。议员们说，这项预算将用于修路。\n\n"
    "反对者认为预算太高。市长没有回应。\n"
)


def _db(tmp_path: Path) -> Path:
    (tmp_path / "zh.md").write_text(ZH, encoding="utf-8")
    rec = {
        "id": "j1",
        "text": "The council met on Monday. It approved the budget.",
        "meta": {"scrape_id": 42, "fetched": "2026-12-01T10:00:00Z", "note": "=HYPERLINK(1)"},
    }
    (tmp_path / "in.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    db = tmp_path / "m.sqlite"
    out = cli_run(db, "import", "-q", str(tmp_path / "zh.md"), str(tmp_path / "in.jsonl"))
    assert out.exit_code == 0, out.output
    return db


def test_meta_in_the_jsonl_sidecar(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "x.jsonl"
    assert cli_run(db, "export", "--all-sentences", "-o", str(out)).exit_code == 0
    arts = {
        a["id"]: a
        for a in map(json.loads, (tmp_path / "x.articles.jsonl").read_text().splitlines())
    }
    assert arts["j1"]["meta"]["scrape_id"] == 42
    assert arts["j1"]["meta"]["fetched"] == "2026-12-01T10:00:00Z"
    zh = arts["zh"]["meta"]
    assert zh["tags"] == ["a", "b"] and zh["source_desk"] == "metro"
    assert "zh" in zh["readability_unavailable"]
    assert arts["zh"]["flesch_kincaid_grade"] is None


def test_meta_in_the_csv_sidecar_as_json(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "x.csv"
    assert (
        cli_run(db, "export", "--format", "csv", "--all-sentences", "-o", str(out)).exit_code == 0
    )
    with open(tmp_path / "x.articles.csv", newline="", encoding="utf-8") as fh:
        rows = {r["article_id"]: r for r in csv.DictReader(fh)}
    assert json.loads(rows["j1"]["meta"])["scrape_id"] == 42
    assert json.loads(rows["zh"]["meta"])["source_desk"] == "metro"


def test_meta_in_the_hf_articles_configuration(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets", reason="needs datasets (make setup installs it)")
    db = _db(tmp_path)
    out = tmp_path / "hf"
    res = cli_run(db, "export", "--format", "hf", "--all-sentences", "-o", str(out))
    assert res.exit_code == 0, res.output
    arts = datasets.load_dataset(str(out), "articles", cache_dir=str(tmp_path / "cache"))["train"]
    by_id = {r["id"]: r for r in arts}
    assert json.loads(by_id["j1"]["meta"])["note"] == "=HYPERLINK(1)"
    assert "readability_unavailable" in json.loads(by_id["zh"]["meta"])
