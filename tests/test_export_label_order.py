"""Every export lists an answer's labels in the adopted schema's order, the order of the csv
header and of the hf ClassLabel names (closing14: labels are stored in the order of the
schema of their time, so after a reorder in labels.toml old answers exported QUOTE, HEDGED
and new ones HEDGED, QUOTE; gold decided before the reorder too)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.store import answers
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write
from tests.test_label_sets import ARTICLE, import_labels, moved_first, stored_labels

FIRST, SECOND = "HEDGED", "QUOTE"  # the adopted order: HEDGED moved to the top


@pytest.fixture
def reordered(run_cli: RunCli, db_path: Path, tmp_path: Path) -> Path:
    """alice's answers and dana's gold written under the bundled order (QUOTE before
    HEDGED), bob's after HEDGED was moved first."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    both = [SECOND, FIRST]
    import_labels(
        run_cli, tmp_path, "before", [("alice", 0, both), ("alice", 1, both), ("bob", 1, [SECOND])]
    )
    store = open_store(db_path)
    g, _ = use_guidelines(store)
    dana = AdjudicationSession(store, g, "dana")
    assert dana.current is not None and dana.current.versions[0].annotator == "alice"
    assert dana.pick(1).saved  # alice's version of sentence 1
    store.close()
    r = run_cli("--guidelines", str(moved_first(tmp_path, FIRST)), "guidelines")
    assert r.exit_code == 0 and "label schema changed" in r.output, r.output
    import_labels(run_cli, tmp_path, "after", [("bob", 0, both)])
    stored = stored_labels(db_path)
    assert stored[("alice", 0)] == [SECOND, FIRST] and stored[("bob", 0)] == [FIRST, SECOND]
    return db_path


def pairs(obj: Any) -> Iterator[list[str]]:
    """Every list of strings, and every object's keys, naming both labels."""
    if isinstance(obj, dict):
        keys = [k for k in obj if k in (FIRST, SECOND)]
        if len(keys) == 2:
            yield keys
        for v in obj.values():
            yield from pairs(v)
    elif isinstance(obj, list):
        named = [x for x in obj if x in (FIRST, SECOND)]
        if len(named) == 2:
            yield named
        for v in obj:
            yield from pairs(v)


def documents(path: Path) -> Iterator[Any]:
    text = path.read_text("utf-8")
    if path.suffix == ".json":
        yield json.loads(text)
    else:
        yield from (json.loads(line) for line in text.splitlines() if line.strip())


@pytest.mark.parametrize(
    ("fmt", "view"),
    [
        ("jsonl", "gold"),
        ("jsonl", "majority"),
        ("jsonl", "raw"),
        ("prodigy", "raw"),
        ("prodigy", "gold"),
        ("label-studio", "gold"),
        ("doccano", "raw"),
        ("spacy-jsonl", "gold"),
        ("hf", "raw"),
        ("hf", "gold"),
    ],
)
def test_every_format_lists_labels_in_the_adopted_order(
    reordered: Path, run_cli: RunCli, tmp_path: Path, fmt: str, view: str
) -> None:
    suffix = {"hf": "", "label-studio": ".json"}.get(fmt, ".jsonl")
    out = tmp_path / "out" / f"{fmt}-{view}{suffix}"
    out.parent.mkdir()
    r = run_cli("export", "--format", fmt, "--view", view, "-o", str(out), "--jobs", "1")
    assert r.exit_code == 0, r.output
    files = sorted(p for p in out.parent.rglob("*") if p.suffix in (".json", ".jsonl"))
    found = [p for f in files if "articles" not in f.name for d in documents(f) for p in pairs(d)]
    assert found and all(p == [FIRST, SECOND] for p in found), found


def test_many_moved_pairs_put_every_answer_of_two_labels_in_order(
    reordered: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond answers.MOST_PAIRS moved pairs the records are not tested pair by pair: every
    one of two labels or more is put in order (here from the first pair on)."""
    monkeypatch.setattr(answers, "MOST_PAIRS", 0)
    out = tmp_path / "gold.jsonl"
    assert run_cli("export", "-o", str(out), "--jobs", "1").exit_code == 0
    found = [p for d in documents(out) for p in pairs(d)]
    assert len(found) >= 4 and all(p == [FIRST, SECOND] for p in found), found
