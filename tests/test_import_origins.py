"""import-labels keeps where each label came from (audit F18): the `origins` our exports
write (jsonl, Prodigy meta, doccano, Label Studio meta) become the events' origins, so an
accepted suggestion exported and imported elsewhere is still an accepted suggestion; a
file that says nothing records `imported`, never `typed`, and is not counted as accepted."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.store.anchoring import acceptances
from annotator.store.database import open_store
from tests.conftest import SAMPLES, RunCli, write
from tests.test_export_origins import worked

__all__ = ["worked"]  # the fixture: alice's accepted suggestions, through a real session


def _raw_origins(run_cli: RunCli, db: Path, out: Path) -> dict[tuple[str, str], list[str]]:
    result = run_cli("export", "--view", "raw", "-o", str(out), db=db)
    assert result.exit_code == 0, result.output
    return {
        (r["id"], r["annotator"]): r["origins"] for r in map(json.loads, out.open()) if r["labels"]
    }


def _fresh(run_cli: RunCli, tmp_path: Path, name: str) -> Path:
    db = tmp_path / f"{name}.sqlite"
    result = run_cli("import", str(SAMPLES), db=db)
    assert result.exit_code == 0, result.output
    return db


def _events(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT origin, count(*) FROM events WHERE kind = 'sentence' GROUP BY 1"
            ).fetchall()
        )
    finally:
        conn.close()


@pytest.mark.parametrize("fmt", ["jsonl", "prodigy", "doccano", "label-studio"])
def test_origins_survive_export_and_import(
    fmt: str, worked: dict[str, object], run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    here = _raw_origins(run_cli, db_path, tmp_path / "here.jsonl")
    cues = str(worked["cues"])
    assert here[str(worked["austin"]), "alice"] == [cues, cues, "typed"]  # mixed
    ext = {"label-studio": "json"}.get(fmt, "jsonl")
    out = tmp_path / f"out.{ext}"
    args = ["--format", fmt] + (["--view", "raw"] if fmt != "label-studio" else [])
    result = run_cli("export", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    files = (
        [tmp_path / "out.alice.jsonl", tmp_path / "out.bob.jsonl"] if fmt == "doccano" else [out]
    )
    there = _fresh(run_cli, tmp_path, "there")
    for f in files:
        result = run_cli("import-labels", str(f), "--format", fmt, db=there)
        assert result.exit_code == 0, result.output
    assert _raw_origins(run_cli, there, tmp_path / "there.jsonl") == here
    assert "typed" in _events(there) and any(o.startswith("suggestion:") for o in _events(there))
    with open_store(there, create=False) as store:  # counted as accepted, as at home
        assert {a for a, *_rest in acceptances(store)} == {"alice"}


def test_a_file_without_origins_is_imported_not_typed(
    worked: dict[str, object], run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "raw.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(out)).exit_code == 0
    bare = write(
        tmp_path / "bare.jsonl",
        "".join(
            json.dumps({k: v for k, v in json.loads(line).items() if k != "origins"}) + "\n"
            for line in out.open()
        ),
    )
    there = _fresh(run_cli, tmp_path, "bare")
    result = run_cli("import-labels", str(bare), db=there)
    assert result.exit_code == 0, result.output
    assert set(_events(there)) == {"imported"}
    origins = _raw_origins(run_cli, there, tmp_path / "again.jsonl")
    assert origins and all(set(o) == {"imported"} for o in origins.values())
    with open_store(there, create=False) as store:
        assert list(acceptances(store)) == []  # not an accepted suggestion
    # agreement --by suggestions runs and counts no acceptance
    result = run_cli("agreement", "--by", "suggestions", db=there)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("origins", "reason"),
    [
        (["typed"], "one origin per label"),
        (["suggestion:cues", "typed"], "is not typed, imported or suggestion:SOURCE@VERSION"),
        (["suggestion:a@b@c", "typed"], "is not typed"),
        (["suggestion:x\x1b[31m@1", "typed"], "is not typed"),
        ([1, "typed"], "is not typed"),
        ("typed", "one origin per label"),
    ],
)
def test_bad_origins_are_one_line_and_nothing_imported(
    origins: object, reason: str, run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(imported_db)
    article, position = conn.execute(
        "SELECT a.external_id, s.position FROM sentences s JOIN articles a "
        "ON a.id = s.article_id LIMIT 1"
    ).fetchone()
    conn.close()
    good = {"article_id": article, "position": position, "annotator": "ann", "labels": ["NONE"]}
    bad = {**good, "position": position + 1, "labels": ["QUOTE", "HEDGED"], "origins": origins}
    f = write(tmp_path / "bad.jsonl", json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    result = run_cli("import-labels", str(f))
    assert result.exit_code != 0
    assert f"{f}:2: " in result.output and reason in result.output
    assert "\x1b" not in result.output
    assert _events(imported_db) == {}
