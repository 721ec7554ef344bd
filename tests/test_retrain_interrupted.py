"""A retrain ended halfway (audit F16): the screen closing sends SIGTERM to its retrain
child, most often while it rescores. The new model's version and fingerprints become the
project's only when the rescoring is complete, so the next retrain redoes it and no row of
the old model stays for good."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path

from annotator.store.database import open_store
from annotator.suggesting import retrain_due, start_retraining
from benchmarks.corpus import articles
from tests.conftest import RunCli, write
from tests.test_suggestion_model import CUES


def _import_labels(run_cli: RunCli, db: Path, tmp_path: Path, name: str, half: int) -> None:
    """bob labels one half of the sentences (ATTRIBUTED where a cue is, else NONE)."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.external_id, s.position, s.text FROM sentences s "
        "JOIN articles a ON a.id = s.article_id WHERE s.id % 2 = ?",
        [half],
    ).fetchall()
    conn.close()
    lines = []
    for article, position, text in rows:
        attributed = any(c in text.lower() for c in CUES)
        lines.append(
            json.dumps(
                {
                    "article_id": article,
                    "position": position,
                    "annotator": "bob",
                    "labels": ["ATTRIBUTED"] if attributed else ["NONE"],
                    "fields": {"source_type": "named_person"} if attributed else {},
                }
            )
        )
    result = run_cli("import-labels", str(write(tmp_path / name, "\n".join(lines) + "\n")))
    assert result.exit_code == 0, result.output


def _versions(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT version, count(*) FROM suggestions WHERE source = 'model' GROUP BY 1"
            ).fetchall()
        )
    finally:
        conn.close()


def _train(run_cli: RunCli) -> dict[str, object]:
    result = run_cli("suggestions", "train", "--format", "json")
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.output)
    return report


def _kill_after_first_batch(db: Path, old: str) -> None:
    """Start the screen's retrain child; once its first rows of the new version are in,
    take the write lock (so it cannot finish meanwhile) and end it as the screen does."""
    child = start_retraining(db)
    watch = sqlite3.connect(db, isolation_level=None, timeout=30)
    try:
        while True:
            (n,) = watch.execute(
                "SELECT count(*) FROM suggestions WHERE source = 'model' AND version != ?", [old]
            ).fetchone()
            if n:
                break
            assert child.poll() is None, "the retrain ended before its first batch was seen"
            time.sleep(0.001)
        watch.execute("BEGIN IMMEDIATE")
        child.terminate()  # SIGTERM, as retrain_if_due does when the screen closes
        child.wait(30)
        watch.execute("ROLLBACK")
    finally:
        watch.close()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0


def test_a_retrain_killed_while_rescoring_is_redone(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    corpus = write(
        tmp_path / "corpus.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(60, seed=5)),
    )
    assert run_cli("import", str(corpus)).exit_code == 0
    for who in ("bob", "carol"):  # carol still needs suggestions everywhere
        assert run_cli("team", "add", who).exit_code == 0
    _import_labels(run_cli, db_path, tmp_path, "first.jsonl", 0)
    old = str(_train(run_cli)["version"])
    assert set(_versions(db_path)) == {old}
    _import_labels(run_cli, db_path, tmp_path, "second.jsonl", 1)  # a new model is due

    _kill_after_first_batch(db_path, old)
    halfway = _versions(db_path)
    assert halfway.get(old) and len(halfway) == 2  # both models' rows: it was interrupted
    with open_store(db_path, create=False) as store:
        assert retrain_due(store)  # the next start retrains (the child's pid is gone)

    again = _train(run_cli)
    rescored = again["rescored"]
    assert isinstance(rescored, dict) and rescored["sentences"] > 0
    assert set(_versions(db_path)) == {str(again["version"])}  # nothing of the old model
    assert str(again["version"]) != old


def test_labels_an_interrupted_retrain_was_deleting_are_deleted_next_time(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    corpus = write(
        tmp_path / "corpus.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(6, seed=3)),
    )
    assert run_cli("import", str(corpus)).exit_code == 0
    for who in ("bob", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    _import_labels(run_cli, db_path, tmp_path, "all0.jsonl", 0)
    _import_labels(run_cli, db_path, tmp_path, "all1.jsonl", 1)
    _train(run_cli)
    # as a retrain killed before it deleted the rows of QUOTE (which its model dropped)
    # leaves them: QUOTE rows, no QUOTE fingerprint, QUOTE among the unfinished labels
    conn = sqlite3.connect(db_path)
    with conn:
        (text,) = conn.execute(
            "SELECT report FROM suggestion_sources WHERE source = 'model'"
        ).fetchone()
        report = json.loads(text)
        assert "QUOTE" not in report["fingerprints"]
        report["unfinished"] = ["QUOTE"]
        conn.execute(
            "UPDATE suggestion_sources SET report = ? WHERE source = 'model'", [json.dumps(report)]
        )
        conn.execute(
            "INSERT INTO suggestions (sentence_id, article_id, label, source, version, score, "
            "created_at) SELECT id, article_id, 'QUOTE', 'model', 'old', 0.9, 'x' "
            "FROM sentences LIMIT 3"
        )
    conn.close()
    with open_store(db_path, create=False) as store:
        assert retrain_due(store)  # no more confirmations, but the last one is unfinished
    done = _train(run_cli)["rescored"]
    assert isinstance(done, dict) and done["deleted"] == 3
    assert "old" not in _versions(db_path)


def test_no_second_retrain_while_one_is_rescoring(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    corpus = write(
        tmp_path / "corpus.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(6, seed=3)),
    )
    assert run_cli("import", str(corpus)).exit_code == 0
    _import_labels(run_cli, db_path, tmp_path, "all0.jsonl", 0)
    _train(run_cli)
    alive = subprocess.Popen(["sleep", "30"])  # stands for the retrain child, alive
    try:
        conn = sqlite3.connect(db_path)
        with conn:
            (text,) = conn.execute(
                "SELECT report FROM suggestion_sources WHERE source = 'model'"
            ).fetchone()
            report = {**json.loads(text), "unfinished": ["NONE"], "by": alive.pid}
            conn.execute(
                "UPDATE suggestion_sources SET report = ? WHERE source = 'model'",
                [json.dumps(report)],
            )
        conn.close()
        with open_store(db_path, create=False) as store:
            assert not retrain_due(store)  # its rows are on their way
    finally:
        alive.kill()
        alive.wait()
    with open_store(db_path, create=False) as store:
        assert retrain_due(store)  # it ended halfway: due again
