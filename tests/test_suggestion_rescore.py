"""Rescoring after a retrain is incremental (issue 16): only the labels whose model changed,
only sentences some annotator still has to confirm, the sentences after each annotator's
cursor first; a label no longer suggested loses its suggestions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.store.database import open_store
from annotator.store.suggestion_model import AHEAD, _order
from tests.conftest import RunCli
from tests.test_suggestion_model import _labelled_project, _model_suggestions


def _train(run_cli: RunCli) -> dict[str, int]:
    result = run_cli("suggestions", "train", "--format", "json")
    assert result.exit_code == 0, result.output
    done: dict[str, int] = json.loads(result.output)["rescored"]
    return done


def _stamps(db: Path) -> list[tuple[int, str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT sentence_id, label, version, created_at FROM suggestions "
            "WHERE source = 'model' ORDER BY sentence_id, label"
        ).fetchall()
    finally:
        conn.close()


def test_nothing_changed_nothing_rescored(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    _labelled_project(run_cli, db_path, tmp_path)
    for who in ("bob", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    first = _train(run_cli)
    total = int(sqlite3.connect(db_path).execute("SELECT count(*) FROM sentences").fetchone()[0])
    assert first["sentences"] == total and first["written"] > 0
    before = _stamps(db_path)
    again = _train(run_cli)  # the same examples: the same models, label by label
    assert again == {
        "sentences": 0,
        "skipped_confirmed_by_everyone": 0,
        "written": 0,
        "deleted": 0,
    }
    assert _stamps(db_path) == before
    text = run_cli("suggestions", "train").output
    assert "rescored 0 sentences" in text


def test_sentences_everyone_confirmed_are_not_rescored(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    _labelled_project(run_cli, db_path, tmp_path)  # bob confirmed every sentence
    assert run_cli("team", "add", "bob").exit_code == 0  # and he is the whole team
    done = _train(run_cli)
    assert done["sentences"] == 0 and done["skipped_confirmed_by_everyone"] > 0
    assert _model_suggestions(db_path) == []


def test_a_label_no_longer_suggested_loses_its_suggestions(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    _labelled_project(run_cli, db_path, tmp_path)
    for who in ("bob", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    _train(run_cli)
    # as if an earlier model had suggested QUOTE (which this one has too few examples of)
    conn = sqlite3.connect(db_path)
    with conn:
        (report,) = conn.execute(
            "SELECT report FROM suggestion_sources WHERE source = 'model'"
        ).fetchone()
        data = json.loads(report)
        data["fingerprints"]["QUOTE"] = "an older model"
        conn.execute(
            "UPDATE suggestion_sources SET report = ? WHERE source = 'model'", [json.dumps(data)]
        )
        conn.execute(
            "INSERT INTO suggestions (sentence_id, article_id, label, source, version, score, "
            "created_at) SELECT id, article_id, 'QUOTE', 'model', 'old', 0.9, 'x' "
            "FROM sentences LIMIT 3"
        )
    conn.close()
    done = _train(run_cli)
    assert done["deleted"] == 3 and done["sentences"] == 0
    assert "QUOTE" not in {label for _t, label, _s in _model_suggestions(db_path)}


def test_what_annotators_read_next_comes_first(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    _labelled_project(run_cli, db_path, tmp_path)
    with open_store(db_path) as store:
        lo, hi = store.one("SELECT min(id), max(id) FROM sentences") or (0, 0)
        first, last = int(str(lo)), int(str(hi))
        middle = (first + last) // 2
        with store.write() as conn:
            conn.execute("UPDATE annotators SET cursor_sentence_id = ?", [middle])
        order = _order(store, first, last)
    assert order[0] == (middle, min(last, middle + AHEAD - 1))
    # then the rest, each sentence once
    covered = [i for a, b in order for i in range(a, b + 1)]
    assert sorted(covered) == list(range(first, last + 1))
