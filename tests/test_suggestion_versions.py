"""audit15a F10, F11: an outside source in the suggestions table is what its last file
says. Two lines for one sentence, source and label are refused (the first was silently
lost, both counted as imported, again at every rerun); a new version of a source replaces
its old rows (the old version's predictions stayed wherever the new file was silent:
shown, accepted and scored as the source); `suggestions remove SOURCE` takes a source out."""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.store.label_import import Incoming
from tests.conftest import RunCli, write

LONG = "004_2bd55176b4b53eb1"


def _line(position: int, score: float, version: str, source: str = "roberta") -> str:
    return (
        json.dumps(
            {
                "article": LONG,
                "position": position,
                "label": "LOADED",
                "score": score,
                "source": source,
                "version": version,
            }
        )
        + "\n"
    )


def _rows(db: Path, source: str = "roberta") -> list[tuple[int, str, float]]:
    conn = sqlite3.connect(db)
    try:
        return [
            (int(p), str(v), float(x))
            for p, v, x in conn.execute(
                "SELECT s.position, x.version, x.score FROM suggestions x "
                "JOIN sentences s ON s.id = x.sentence_id WHERE x.source = ? ORDER BY 1",
                [source],
            )
        ]
    finally:
        conn.close()


def test_two_lines_for_one_sentence_source_and_label_are_refused(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    f = write(tmp_path / "dup.jsonl", _line(10, 0.9, "1", "dup") + _line(10, 0.2, "1", "dup"))
    result = run_cli("import-suggestions", str(f))
    assert result.exit_code == 1
    assert (
        f"{f}:2: the same sentence, source and label as line 1; nothing was imported"
        in result.output
    )
    assert _rows(imported_db, "dup") == []


def test_a_new_version_replaces_the_old_one_and_a_source_can_be_removed(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    v1 = write(tmp_path / "v1.jsonl", _line(20, 0.9, "v1") + _line(21, 0.9, "v1"))
    v2 = write(tmp_path / "v2.jsonl", _line(20, 0.7, "v2"))
    other = write(tmp_path / "other.jsonl", _line(22, 0.8, "7", "llm"))
    for f in (v1, other):
        assert run_cli("import-suggestions", str(f)).exit_code == 0
    result = run_cli("import-suggestions", str(v2))
    assert result.exit_code == 0, result.output
    assert "imported 1 suggestion;" in result.output
    assert "roberta: replaced version v1; 1 suggestion the new version does not make removed" in (
        result.output
    )
    # v1's 0.90 on :21 no longer shown beside v2 (nor accepted as the source, nor scored)
    assert _rows(imported_db) == [(20, "v2", 0.7)]
    listed = run_cli("suggestions", "list", "--article", LONG).output
    assert "roberta@v1" not in listed and "roberta@v2" in listed
    assert _rows(imported_db, "llm") == [(22, "7", 0.8)]  # another source is left alone
    again = run_cli("import-suggestions", str(v2))
    assert "imported 0 suggestions; 1 already there, unchanged" in again.output
    assert "replaced" not in again.output
    # the same version again in another file adds to it (a dump in parts)
    part = write(tmp_path / "part.jsonl", _line(23, 0.6, "v2"))
    assert run_cli("import-suggestions", str(part)).exit_code == 0
    assert _rows(imported_db) == [(20, "v2", 0.7), (23, "v2", 0.6)]

    result = run_cli("suggestions", "remove", "roberta")
    assert result.exit_code == 0, result.output
    assert "removed roberta@v2: 2 suggestions" in result.output
    assert _rows(imported_db) == [] and _rows(imported_db, "llm") == [(22, "7", 0.8)]
    gone = run_cli("suggestions", "remove", "roberta")
    assert gone.exit_code == 1 and "no source 'roberta' (imported: llm)" in gone.output
    own = run_cli("suggestions", "remove", "cues")
    assert own.exit_code == 1 and "annotator's own" in own.output


def test_a_dropped_labels_suggestions_go_and_do_not_come_back(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit15a F9: after a label left the schema, its suggestions (the model's, an outside
    source's) stayed: `suggestions list` handed them out as current, and adopting the label
    again brought back the scores from before the drop."""
    from annotator.guidelines import default_guidelines_dir
    from tests.conftest import guidelines_copy
    from tests.test_label_sets import without_label

    f = write(
        tmp_path / "llm.jsonl",
        _line(12, 0.9, "1", "llm") + _line(13, 0.8, "1", "llm").replace("LOADED", "QUOTE"),
    )
    assert run_cli("import-suggestions", str(f)).exit_code == 0
    no_loaded = without_label(guidelines_copy(tmp_path / "g"), "LOADED")
    result = run_cli("--guidelines", str(no_loaded), "suggestions", "refresh")
    assert result.exit_code == 0, result.output
    assert "1 suggestion of labels it lacks removed" in result.output
    result = run_cli("suggestions", "list", "--format", "json")
    listed = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert [(x["position"], x["label"]) for x in listed if x["source"] == "llm"] == [(13, "QUOTE")]
    # LOADED adopted again: nothing of it from before the drop
    back = run_cli("--guidelines", str(default_guidelines_dir()), "suggestions", "refresh")
    assert back.exit_code == 0, back.output
    assert "LOADED" not in run_cli("suggestions", "list").output
    conn = sqlite3.connect(imported_db)
    try:
        assert conn.execute(
            "SELECT count(*) FROM suggestions WHERE label = 'LOADED'"
        ).fetchone() == (0,)
    finally:
        conn.close()


def test_a_replacement_interrupted_halfway_is_finished_by_the_same_file(
    imported_db: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old version's rows go in the import's short transactions: stopped among them,
    what is deleted stays deleted, and the same file again deletes the rest."""
    from annotator.export.suggestion_reader import read_suggestions
    from annotator.models.suggestions import Suggestion
    from annotator.store import paced_writes
    from annotator.store.database import open_store
    from annotator.store.paced_writes import ImportInterrupted
    from annotator.store.schemas import use_guidelines
    from annotator.store.suggestion_import import import_outside

    v1 = write(tmp_path / "v1.jsonl", "".join(_line(p, 0.9, "v1") for p in range(6)))
    assert run_cli("import-suggestions", str(v1)).exit_code == 0
    v2 = write(tmp_path / "v2.jsonl", _line(0, 0.7, "v2"))
    monkeypatch.setattr(paced_writes, "BATCH_SECONDS", 0.0)  # one step a transaction
    monkeypatch.setattr(paced_writes, "PAUSE_SECONDS", 0.0)
    store = open_store(imported_db)
    schema = use_guidelines(store)[0].schema

    def items() -> Iterator[tuple[Incoming, Suggestion]]:
        return (
            (x.where, Suggestion(0, x.label, x.source, x.version, x.score))
            for x in read_suggestions(v2, schema)
        )

    calls: list[int] = []

    def stop_after_two_deletions(done: int) -> None:
        calls.append(done)  # the source, the new row, then one deletion a transaction
        if len(calls) == 4:
            raise KeyboardInterrupt

    with pytest.raises(ImportInterrupted):
        import_outside(store, items(), progress=stop_after_two_deletions)
    assert _rows(imported_db) == [(0, "v2", 0.7), (3, "v1", 0.9), (4, "v1", 0.9), (5, "v1", 0.9)]
    report = import_outside(store, items())
    store.close()
    assert (report.written, report.unchanged) == (0, 1)
    assert report.replaced == [("roberta", ["v1"], 3)]
    assert _rows(imported_db) == [(0, "v2", 0.7)]
