"""A changed cue lexicon (or importer version) is recomputed batch by batch (audit F17):
the old version's rows are replaced as the recompute reaches their article, never deleted
all at once in one write transaction (1.4 s of the write lock at 300,000 rows, every key
waiting), and screens keep their suggestions meanwhile. A long command that meets other
writers says it waits once, not once per batch."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.cli.main import Project
from annotator.store import suggestions
from annotator.store.database import open_store
from annotator.store.suggestions import project_lexicon, refresh
from benchmarks.corpus import articles
from tests.conftest import RunCli, signals_only_lexicon, write


def _cue_versions(db: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT sentence_id, version FROM suggestions WHERE source = 'cues' ORDER BY 1"
        ).fetchall()
    finally:
        conn.close()


def test_a_new_lexicon_replaces_the_old_rows_as_it_goes(
    run_cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write(
        tmp_path / "corpus.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(20, seed=4)),
    )
    assert run_cli("import", str(corpus)).exit_code == 0
    old = _cue_versions(db_path)
    (old_version,) = {v for _s, v in old}
    folder = signals_only_lexicon(tmp_path / "g")
    with open_store(db_path, create=False) as store:
        lexicon = project_lexicon(store, folder)
        assert lexicon.version != old_version
        middle = old[len(old) // 2][0]
        monkeypatch.setattr(suggestions, "BATCH_SECONDS", 0.0)  # a batch: one article
        refresh(store, lexicon, until=middle)  # as if ended halfway, or still going
    halfway = _cue_versions(db_path)
    # what the recompute has not reached keeps the old rows (screens still show them) ...
    assert [x for x in halfway if x[0] > middle + 200] == [x for x in old if x[0] > middle + 200]
    assert any(x[0] > middle + 200 for x in old)
    # ... and what it has reached has only the new version's
    assert {v for s, v in halfway if s <= middle} == {lexicon.version}
    result = run_cli("--guidelines", str(folder), "suggestions", "refresh")
    assert result.exit_code == 0, result.output
    assert {v for _s, v in _cue_versions(db_path)} == {lexicon.version}


def test_waiting_for_the_lock_is_said_once_per_command(
    imported_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Project(str(imported_db), None).store()  # as every command opens it
    held, go, done = threading.Event(), threading.Event(), threading.Event()

    def other_writer() -> None:  # takes the lock twice, each time until told to let go
        conn = sqlite3.connect(imported_db, isolation_level=None)
        for _ in range(2):
            conn.execute("BEGIN IMMEDIATE")
            held.set()
            go.wait(10)
            go.clear()
            conn.execute("ROLLBACK")
            done.wait(10)
            done.clear()
        conn.close()

    t = threading.Thread(target=other_writer)
    t.start()
    try:
        for _ in range(2):
            assert held.wait(10)
            held.clear()
            threading.Timer(0.2, go.set).start()  # the other writer lets go meanwhile
            with store.write() as conn:  # meets the lock: says so, waits, then writes
                conn.execute("UPDATE settings SET value = value WHERE 0")
            done.set()
    finally:
        go.set()
        done.set()
        t.join(10)
        store.close()
    err = capsys.readouterr().err
    assert err.count("another process is writing to the database") == 1, err


def _rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT sentence_id, article_id, label, source, version, score, cue FROM suggestions "
            "ORDER BY sentence_id, source, label"
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def many_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """450 generated articles imported by the real CLI (with their suggestions), once for
    the module (4-5 s): each test refreshes its own copy."""
    folder = tmp_path_factory.mktemp("many-articles")
    corpus = write(
        folder / "corpus.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(450, seed=9)),
    )
    db = folder / "many.sqlite"
    # the autouse fixture that drops a developer's settings is not run for a module's
    runner = CliRunner(env=dict.fromkeys(("ANNOTATOR_DB", "ANNOTATOR_USER", "ANNOTATOR_SYNC")))
    result = runner.invoke(cli, ["--db", str(db), "import", "-q", str(corpus)])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("seconds", [0.0, 0.05])
def test_batches_over_many_articles_cover_each_once_as_one_pass_does(
    many_articles: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: float
) -> None:
    """The articles left are packed in an array and read by index (audit11 F10: a list of
    tuples of every article held 200 MB at 1M articles): with a batch of one article, or of
    up to 200 (the window each batch reads), across re-reads, every sentence is covered,
    and the rows are those of a pass in one batch."""
    src, dst = sqlite3.connect(many_articles), sqlite3.connect(db_path)
    src.backup(dst)
    src.close()
    dst.close()
    whole = _rows(db_path)
    assert len({r[1] for r in whole}) > 400
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM suggestions")
    conn.execute("UPDATE suggestion_sources SET through_sentence_id = 0")
    conn.commit()
    conn.close()
    monkeypatch.setattr(suggestions, "BATCH_SECONDS", seconds)
    monkeypatch.setattr(suggestions, "PAUSE_SECONDS", 0.0)
    with open_store(db_path, create=False) as store:
        written = refresh(store, project_lexicon(store))
        assert not suggestions.behind(store)
    assert written == len(whole)
    assert _rows(db_path) == whole
