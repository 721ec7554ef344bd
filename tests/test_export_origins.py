"""Exports say where each annotator's label came from (issue 16): `typed`, or the accepted
suggestion's `suggestion:SOURCE@VERSION`, beside the labels in every format that carries an
annotator's labels: jsonl (all three views), csv raw, Prodigy raw, doccano raw, Label
Studio's task meta and the hf folder's raw configuration (loaded by `datasets`)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggesting import accept_boilerplate, accept_current
from tests.conftest import SEED_LONG, RunCli

LONG = SEED_LONG.stem
# "... Austin said": the cues suggest ATTRIBUTED (and QUOTE: it quotes him); alice accepts
# them with y and types HEDGED
AUSTIN = ["ATTRIBUTED", "QUOTE", "HEDGED"]


def _origin_of(db: Path, source: str) -> str:
    conn = sqlite3.connect(db)
    try:
        (version,) = conn.execute(
            "SELECT version FROM suggestion_sources WHERE source = ?", [source]
        ).fetchone()
    finally:
        conn.close()
    return f"suggestion:{source}@{version}"


def give_source_type(s: AnnotationSession) -> None:
    for sf in s.schema.sentence_fields:
        if sf.label in s.current_state.labels and s.current_state.field(sf.name) is None:
            s.set_field_key(str(sf.values[0].key))


def _position(s: AnnotationSession, start: str) -> int:
    return next(i for i, x in enumerate(s.sentences) if x.text.startswith(start))


@pytest.fixture
def worked(imported_db: Path, run_cli: RunCli) -> dict[str, object]:
    """alice, through a real session: B (BOILERPLATE for the furniture), y on "Austin
    said" (ATTRIBUTED, named person) plus HEDGED typed, y then undo then ATTRIBUTED typed
    on another sentence; bob types everything."""
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "alice", article=LONG)
        assert s.suggesting
        assert accept_boilerplate(s).saved
        austin = next(i for i, x in enumerate(s.sentences) if "Austin said" in x.text)
        s.move_to(austin)
        assert accept_current(s).saved
        s.toggle("HEDGED")
        assert s.confirm(advance=False).message is None
        vague = _position(s, "South Korean officials")
        s.move_to(vague)
        assert accept_current(s).saved
        s.undo()  # the acceptance taken back: what is typed next is typed
        s.toggle("ATTRIBUTED")
        give_source_type(s)
        assert s.confirm(advance=False).message is None
        quoted = next(i for i, x in enumerate(s.sentences) if "could signal" in x.text)
        s.move_to(quoted)
        assert accept_current(s).saved
        s.toggle("HEDGED")  # taken off by hand ...
        s.undo()  # ... and the undo puts back the accepted label, with its origin
        give_source_type(s)
        assert s.confirm(advance=False).message is None
        b = AnnotationSession(store, g, "bob", article=LONG)
        b.move_to(austin)
        b.toggle("QUOTE")
        b.confirm(advance=False)
        texts = {i: x.text for i, x in enumerate(s.sentences)}
        furniture = [x.id for x in s.sentences if s.state_of(x.id).labels == ("BOILERPLATE",)]
    return {
        "austin": f"{LONG}:{austin}",
        "vague": f"{LONG}:{vague}",
        "quoted": f"{LONG}:{quoted}",
        "texts": texts,
        "furniture": furniture,
        "cues": _origin_of(imported_db, "cues"),
        "importer": _origin_of(imported_db, "importer"),
    }


def _export(run_cli: RunCli, out: Path, *args: str) -> Path:
    result = run_cli("export", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_jsonl_views_carry_each_labels_origin(
    worked: dict[str, object], run_cli: RunCli, tmp_path: Path
) -> None:
    cues, importer = worked["cues"], worked["importer"]
    raw = [
        json.loads(line)
        for line in _export(run_cli, tmp_path / "raw.jsonl", "--view", "raw").open()
    ]
    mine = {(r["id"], r["annotator"]): r for r in raw}
    a = mine[worked["austin"], "alice"]
    assert a["labels"] == AUSTIN
    assert a["origins"] == [cues, cues, "typed"]
    assert mine[worked["austin"], "bob"]["origins"] == ["typed"]
    q = mine[worked["quoted"], "alice"]
    assert "HEDGED" in q["labels"] and q["origins"] == [cues] * len(q["labels"])
    v = mine[worked["vague"], "alice"]
    assert v["labels"] == ["ATTRIBUTED"] and v["origins"] == ["typed"]  # undone, then typed
    boiler = [r for r in raw if r["annotator"] == "alice" and r["labels"] == ["BOILERPLATE"]]
    assert len(boiler) == len(worked["furniture"]) >= 16  # type: ignore[arg-type]
    assert all(r["origins"] == [importer] for r in boiler)
    for r in raw:  # parallel to labels, everywhere
        assert len(r["origins"]) == len(r["labels"])
        assert list(r)[-1] == "origins"  # after every member the line had before
    for view in ("gold", "majority"):
        lines = _export(run_cli, tmp_path / f"{view}.jsonl", "--view", view).open()
        recs = {r["id"]: r for r in map(json.loads, lines)}
        anns = {x["annotator"]: x for x in recs[worked["austin"]]["annotations"]}
        assert anns["alice"]["origins"] == [cues, cues, "typed"]
        assert anns["bob"]["origins"] == ["typed"]


def test_csv_prodigy_doccano_and_label_studio_carry_origins(
    worked: dict[str, object], run_cli: RunCli, tmp_path: Path
) -> None:
    cues = worked["cues"]
    with _export(run_cli, tmp_path / "raw.csv", "--format", "csv", "--view", "raw").open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[-1] == "origins"
    row = next(r for r in rows if r["id"] == worked["austin"] and r["annotator"] == "alice")
    assert json.loads(row["origins"]) == [cues, cues, "typed"]
    assert row["ATTRIBUTED"] == row["QUOTE"] == row["HEDGED"] == "1"
    out = _export(run_cli, tmp_path / "p.jsonl", "--format", "prodigy", "--view", "raw")
    tasks = [json.loads(line) for line in out.open()]
    t = next(
        t
        for t in tasks
        if t["meta"]["annotator"] == "alice"
        and f"{LONG}:{t['meta']['position']}" == worked["austin"]
    )
    assert t["accept"] == AUSTIN and t["meta"]["origins"] == [cues, cues, "typed"]
    _export(run_cli, tmp_path / "d.jsonl", "--format", "doccano", "--view", "raw")
    lines = [json.loads(x) for x in (tmp_path / "d.alice.jsonl").open()]
    d = next(x for x in lines if f"{LONG}:{x['position']}" == worked["austin"])
    assert d["label"] == AUSTIN and d["origins"] == [cues, cues, "typed"]
    assert all(len(x["origins"]) == len(x["label"]) for x in lines)
    ls = json.loads(_export(run_cli, tmp_path / "ls.json", "--format", "label-studio").read_text())
    task = next(t for t in ls if f"{LONG}:{t['data']['position']}" == worked["austin"])
    assert task["meta"]["origins"] == {
        "alice": {"ATTRIBUTED": cues, "QUOTE": cues, "HEDGED": "typed"},
        "bob": {"QUOTE": "typed"},
    }


def test_hf_raw_configuration_loads_origins(
    worked: dict[str, object], run_cli: RunCli, tmp_path: Path
) -> None:
    datasets = pytest.importorskip("datasets", reason="needs `datasets` (make setup installs it)")
    out = _export(run_cli, tmp_path / "hf", "--format", "hf")
    ds = datasets.load_dataset(str(out), "raw", cache_dir=str(tmp_path / "cache"))["train"]
    assert "origins" in ds.column_names
    names = ds.features["labels"].feature.names
    row = next(r for r in ds if r["id"] == worked["austin"] and r["annotator"] == "alice")
    assert [names[i] for i in row["labels"]] == AUSTIN
    assert row["origins"] == [worked["cues"], worked["cues"], "typed"]
