"""Exports against fixed expected files, the hf folder through `datasets`, the round trip,
bad label files, and atomic writes.

The database is built from tests/data/annotations_raw.jsonl (fixed times) and adjudicated
by the real AdjudicationSession; gold decision times are then pinned, so every export is
byte-stable. After a deliberate format change, regenerate the expected files with
`UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/test_export.py` and review the diff.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.export.formats import export
from annotator.guidelines import load_guidelines
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, RunCli, write

DATA = ROOT / "tests" / "data"
EXPECTED = DATA / "export"
RAW = DATA / "annotations_raw.jsonl"


def build(run_cli: RunCli, db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)  # article source paths are stored relative, as a user would
    assert run_cli("import", "samples", db=db).exit_code == 0
    out = run_cli("import-labels", str(RAW), db=db)
    assert out.exit_code == 0 and "imported 31 annotations" in out.output, out.output
    store = open_store(db)
    g, _ = use_guidelines(store)
    adj = AdjudicationSession(store, g, "dana")
    # the most disputed sentence first; take bob's version, then edit and explain
    adj.pick(2)
    adj.toggle("LOADED")
    adj.note("the writer's word, not the source's")
    adj.accept()
    adj.pick(1)
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE gold_annotations SET decided_at = '2026-11-02T10:00:00.000Z'")
    conn.execute("UPDATE gold_article_fields SET decided_at = '2026-11-02T10:00:00.000Z'")
    # the article form was set at the import (now): fixed, as the files show it
    conn.execute("UPDATE article_annotations SET updated_at = '2026-11-02T09:30:00.000Z'")
    conn.commit()
    conn.close()
    return db


@pytest.fixture
def dataset_db(run_cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return build(run_cli, db_path, monkeypatch)


def check(name: str, actual: Path) -> None:
    expected = EXPECTED / name
    if os.environ.get("UPDATE_EXPECTED"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(actual.read_bytes())
    assert actual.read_bytes() == expected.read_bytes(), f"{name} differs from {expected}"


@pytest.mark.parametrize(
    ("fmt", "view", "suffix"),
    [
        ("jsonl", "gold", "jsonl"),
        ("jsonl", "majority", "jsonl"),
        ("jsonl", "raw", "jsonl"),
        ("csv", "gold", "csv"),
        ("csv", "raw", "csv"),
        ("prodigy", "raw", "jsonl"),
        ("prodigy", "gold", "jsonl"),
        ("label-studio", "gold", "json"),
        ("doccano", "majority", "jsonl"),
    ],
)
def test_formats_match_expected_files(
    run_cli: RunCli, dataset_db: Path, tmp_path: Path, fmt: str, view: str, suffix: str
) -> None:
    out = tmp_path / f"{fmt}_{view}.{suffix}"
    result = run_cli("export", "--format", fmt, "--view", view, "-o", str(out))
    assert result.exit_code == 0, result.output
    check(out.name, out)
    side = out.with_name(
        f"{out.name.rsplit('.', 1)[0]}.articles.{'csv' if fmt == 'csv' else 'jsonl'}"
    )
    check(side.name, side)


def test_gold_records_carry_provenance(run_cli: RunCli, dataset_db: Path) -> None:
    lines = [json.loads(x) for x in run_cli("export").stdout.splitlines()]
    assert len(lines) == 16  # every annotated sentence, gold or not
    golds = [x for x in lines if x["gold"]]
    methods = {x["gold"]["method"] for x in golds}
    assert methods == {"unanimous", "adjudicated"}
    adjudicated = [x for x in golds if x["gold"]["method"] == "adjudicated"]
    first = next(x for x in adjudicated if x["gold"]["note"])
    assert first["gold"]["adjudicator"] == "dana"
    assert first["gold"]["note"] == "the writer's word, not the source's"
    assert "LOADED" in first["gold"]["labels"]
    for x in lines:
        assert x["article"]["id"] == x["article_id"]
        assert {a["annotator"] for a in x["annotations"]} <= {"alice", "bob"}
    unanimous = next(x for x in golds if x["gold"]["method"] == "unanimous")
    assert unanimous["gold"]["agrees_with"] == ["alice", "bob"]
    assert unanimous["gold"]["adjudicator"] is None


def test_stdout_export_and_majority(run_cli: RunCli, dataset_db: Path) -> None:
    result = run_cli("export", "--view", "majority", "--format", "jsonl")
    assert "give -o PATH" in result.stderr  # the articles sidecar needs a file
    rec = [json.loads(x) for x in result.stdout.splitlines()]
    one = next(x for x in rec if x["position"] == 7 and x["article_id"].startswith("000"))
    assert one["majority"]["labels"] == ["HEDGED", "EDITORIAL"]  # UNVERIFIED: 1 of 2
    assert one["majority"]["votes"] == {"EDITORIAL": 2, "HEDGED": 2, "UNVERIFIED": 1}


def test_hf_folder_loads_with_datasets(run_cli: RunCli, dataset_db: Path, tmp_path: Path) -> None:
    datasets = pytest.importorskip(
        "datasets", reason="the hf export test needs the `datasets` package (make test installs it)"
    )
    out = tmp_path / "hf"
    result = run_cli("export", "--format", "hf", "-o", str(out))
    assert result.exit_code == 0, result.output
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    gold = datasets.load_dataset(str(out))["train"]
    raw = datasets.load_dataset(str(out), "raw")["train"]
    arts = datasets.load_dataset(str(out), "articles")["train"]
    names = gold.features["labels"].feature.names
    assert names[:3] == ["ATTRIBUTED", "QUOTE", "HEDGED"]
    assert raw.num_rows == 31 and gold.num_rows >= 2
    row = raw[0]
    assert [names[i] for i in row["labels"]] == ["NONE"]
    assert gold.features["source_type"].names[0] == "named_person"
    assert arts.features["genre"].names[0] == "news_report"
    card = (out / "README.md").read_text()
    assert "## Agreement" in card and "| ATTRIBUTED |" in card
    assert "adjudicated" in card and "dana" in card
    assert "guidelines version" in card


def test_round_trip_raw_export_and_agreement(
    run_cli: RunCli, dataset_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "raw1.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(first)).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    assert run_cli("import", "samples", db=fresh).exit_code == 0
    out = run_cli("import-labels", str(first), db=fresh)
    assert "imported 31 annotations" in out.output and "8 article/outlet" in out.output
    again = run_cli("import-labels", str(first), db=fresh)  # importing twice changes nothing
    assert "imported 0 annotations" in again.output and "31 already there" in again.output
    second = tmp_path / "raw2.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(second), db=fresh).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    a1 = run_cli("agreement", "--format", "json", "--bootstrap", "200").output
    a2 = run_cli("agreement", "--format", "json", "--bootstrap", "200", db=fresh).output
    assert a1 == a2


def test_other_formats_import_back(run_cli: RunCli, dataset_db: Path, tmp_path: Path) -> None:
    for fmt, suffix in (("prodigy", "jsonl"), ("label-studio", "json"), ("doccano", "jsonl")):
        out = tmp_path / f"rt_{fmt}.{suffix}"
        assert run_cli("export", "--format", fmt, "--view", "raw", "-o", str(out)).exit_code == 0
        fresh = tmp_path / f"{fmt}.sqlite"
        assert run_cli("import", "samples", db=fresh).exit_code == 0
        if fmt == "doccano":  # one file per annotator, each uploaded by that annotator
            assert not out.exists()
            for who in ("alice", "bob"):
                one = tmp_path / f"rt_doccano.{who}.jsonl"
                res = run_cli("import-labels", str(one), "--format", fmt, db=fresh)
                assert f"({who})" in res.output and "0 not matched" in res.output
            res = run_cli("agreement", "--format", "json", "--bootstrap", "20", db=fresh)
            assert json.loads(res.output)["annotators"] == ["alice", "bob"]
            continue
        res = run_cli("import-labels", str(out), "--format", fmt, db=fresh)
        assert "imported 31 annotations (alice, bob)" in res.output, (fmt, res.output)
        assert "0 not matched" in res.output


def test_doccano_raw_to_stdout_is_refused(run_cli: RunCli, dataset_db: Path) -> None:
    res = run_cli("export", "--format", "doccano", "--view", "raw")
    assert res.exit_code == 1 and "one file per annotator" in res.stderr


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (
            '{"annotator":"x","labels":["QUOTE"],"text":"a"}\n{"annotator":"x","labels":["SPIN"]}\n',
            2,
            "unknown label 'SPIN'",
        ),
        ('{"annotator":"x","labels":["QUOTE"],"text":"a"}\nnot json\n', 2, "invalid JSON"),
        ('{"annotator":"x","labels":"QUOTE"}\n', 1, "labels must be a list"),
        ('{"labels":["QUOTE"]}\n', 1, "expected 'annotator' and 'labels'"),
        (
            '{"annotator":"x","labels":["QUOTE"],"fields":{"source_type":"named_person"}}\n',
            1,
            "source_type is set without ATTRIBUTED",
        ),
    ],
)
def test_malformed_label_file_imports_nothing(
    run_cli: RunCli, dataset_db: Path, tmp_path: Path, content: str, line: int, reason: str
) -> None:
    # the first line would match a real sentence: it must not be imported either
    first = json.loads(RAW.read_text().splitlines()[0])
    first["annotator"] = "zed"
    bad = write(tmp_path / "bad.jsonl", json.dumps(first) + "\n" + content)
    before = sqlite3.connect(dataset_db).execute("SELECT count(*) FROM events").fetchone()[0]
    out = run_cli("import-labels", str(bad))
    assert out.exit_code == 1
    assert f"{bad}:{line + 1}: " in out.output and reason in out.output
    assert "nothing was imported" in out.output and "Traceback" not in out.output
    conn = sqlite3.connect(dataset_db)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM annotators WHERE name = 'zed'").fetchone()[0] == 0


def test_unmatched_lines_are_reported(run_cli: RunCli, dataset_db: Path, tmp_path: Path) -> None:
    lines = RAW.read_text().splitlines()
    rec = json.loads(lines[0])
    rec.update(annotator="zed", article_id="no-such-article")
    other = json.loads(lines[1])
    other.update(
        annotator="zed", article_id=None, start=None, end=None, text="A sentence that is nowhere."
    )
    f = write(
        tmp_path / "partly.jsonl",
        json.dumps(rec)
        + "\n"
        + json.dumps(other)
        + "\n"
        + lines[2].replace('"alice"', '"zed"')
        + "\n",
    )
    out = run_cli("import-labels", str(f))
    assert out.exit_code == 0
    assert f"{f}:1: not matched: no article 'no-such-article'" in out.output
    assert f"{f}:2: not matched: no sentence has this text" in out.output
    assert "imported 1 annotations (zed)" in out.output and "2 not matched" in out.output
    strict = run_cli("import-labels", str(f), "--strict")
    assert strict.exit_code == 1 and "nothing was imported (--strict)" in strict.output


def test_interrupted_export_leaves_no_file(dataset_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    store = open_store(dataset_db)
    g, _ = use_guidelines(store)
    export(store, g, "jsonl", "gold", target)  # the previous export (only ours is replaced)
    before = target.read_bytes()

    def interrupt(n: int) -> None:
        raise KeyboardInterrupt  # what ctrl+c raises in the middle of writing

    with pytest.raises(KeyboardInterrupt):
        export(store, g, "jsonl", "gold", target, progress=interrupt)
    with pytest.raises(KeyboardInterrupt):
        export(store, g, "hf", "gold", tmp_path / "hf", progress=interrupt)
    store.close()
    assert target.read_bytes() == before
    assert not (tmp_path / "hf").exists()
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("test.sqlite"))
    assert left == ["out.articles.jsonl", "out.jsonl"]  # no partial files left behind


@pytest.mark.parametrize("view", ["gold", "raw"])
def test_fast_bytes_path_equals_the_plain_path(dataset_db: Path, tmp_path: Path, view: str) -> None:
    import io

    from annotator.export.formats import write_jsonl
    from annotator.export.records import Job

    store = open_store(dataset_db)
    g, _ = use_guidelines(store)
    plain = io.StringIO()  # no .buffer: the same lines, decoded
    write_jsonl(Job(store, g.schema, view), plain)
    export(store, g, "jsonl", view, tmp_path / "fast.jsonl")  # a file: the bytes path
    everything = io.StringIO()
    write_jsonl(Job(store, g.schema, view, everything=True), everything)
    store.close()
    assert (tmp_path / "fast.jsonl").read_text(encoding="utf-8") == plain.getvalue()
    assert len(everything.getvalue().splitlines()) >= len(plain.getvalue().splitlines())


LABEL_COLUMNS = load_guidelines().schema.label_names  # the bundled schema's, in its order


def test_csv_majority_of_a_sentence_nobody_confirmed_is_empty(
    run_cli: RunCli, dataset_db: Path, tmp_path: Path
) -> None:
    """--all-sentences brings sentences nobody confirmed: they have no majority, so their label
    cells are empty ("no value"), not 0 (a majority that chose nothing); a confirmed one
    still has 0/1 in every cell."""
    out = tmp_path / "m.csv"
    assert (
        run_cli(
            "export", "--format", "csv", "--view", "majority", "--all-sentences", "-o", str(out)
        ).exit_code
        == 0
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    nobody = [r for r in rows if r["n_annotators"] == "0"]
    somebody = [r for r in rows if r["n_annotators"] != "0"]
    assert nobody and somebody
    assert all(r["QUOTE"] == "" and r["NONE"] == "" for r in nobody)
    # a confirmed one has 0/1 in every cell, unless its annotators split (audit9b F1)
    split = [r for r in somebody if "1" not in [r[lab] for lab in LABEL_COLUMNS]]
    assert all(r[lab] in ("0", "1") for r in somebody if r not in split for lab in LABEL_COLUMNS)
    assert split and all(r[lab] == "" for r in split for lab in LABEL_COLUMNS)


def test_export_modules_import_each_other_one_way() -> None:
    """No import cycle inside annotator.export (formats.py and hf.py once imported each
    other): for every pair of its modules, at most one imports the other, directly or
    through others."""
    import grimp

    graph = grimp.build_graph("annotator")
    mods = sorted(m for m in graph.modules if m.startswith("annotator.export."))
    cycles = [
        (a, b)
        for i, a in enumerate(mods)
        for b in mods[i + 1 :]
        if graph.chain_exists(a, b) and graph.chain_exists(b, a)
    ]
    assert len(mods) > 10 and cycles == []
