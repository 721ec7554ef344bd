"""Opening databases: refuse what is not ours without touching it; migrate what is."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from annotator.store import migrations
from annotator.store.database import open_store
from annotator.store.database_file import APPLICATION_ID
from annotator.store.introspect import schema_sql
from tests.conftest import ROOT, RunCli, write


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_fresh_database_is_migrated_in_wal_mode(db_path: Path) -> None:
    store = open_store(db_path)
    store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "articles",
        "sentences",
        "outlets",
        "schemas",
        "schema_labels",
        "annotators",
        "events",
        "annotations",
        "article_annotations",
        "outlet_annotations",
        "gold_annotations",
        "gold_article_fields",
    } <= names
    # opening again applies nothing new
    open_store(db_path).close()
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == migrations.NAMES


def test_schema_sql_is_current() -> None:
    expected = (ROOT / "db" / "schema.sql").read_text(encoding="utf-8")
    assert schema_sql() == expected, (
        "db/schema.sql is stale: run `.venv/bin/annotator dump-schema > db/schema.sql`"
    )


@pytest.mark.parametrize(
    "content",
    [
        b"this is a text file, not a database\n",
        b"SQLite format 3\x00" + b"\x00" * 84,  # a header and nothing sensible after it
    ],
)
def test_not_a_database_is_refused_untouched(
    run_cli: RunCli, tmp_path: Path, content: bytes
) -> None:
    path = write(tmp_path / "notes.sqlite", content)
    before = digest(path)
    result = run_cli("status", db=path)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and str(path) in result.output
    assert "Traceback" not in result.output
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_someone_elses_sqlite_is_refused_untouched(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    result = run_cli("status", db=path)
    assert result.exit_code == 1
    assert "not an annotator one (its tables: customers)" in result.output
    assert digest(path) == before


def test_newer_schema_is_refused_untouched(run_cli: RunCli, db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('annotator', '9999_from_the_future', 'later')"
    )
    conn.commit()
    conn.close()
    before = digest(db_path)
    result = run_cli("status")
    assert result.exit_code == 1
    assert "newer annotator" in result.output and "9999_from_the_future" in result.output
    assert digest(db_path) == before


def test_database_path_resolution(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from annotator.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    seed = str(ROOT / "samples" / "000_60cc46f11ca30d04.txt")
    # import creates the database where it resolves to (and says so); status then finds it
    assert runner.invoke(cli, ["import", seed]).exit_code == 0
    assert (tmp_path / "db" / "annotations.sqlite").exists()  # the default
    assert runner.invoke(cli, ["status"]).exit_code == 0
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite"))
    assert runner.invoke(cli, ["import", seed]).exit_code == 0
    assert (tmp_path / "env.sqlite").exists()
    assert runner.invoke(cli, ["--db", str(tmp_path / "opt.sqlite"), "import", seed]).exit_code == 0
    assert (tmp_path / "opt.sqlite").exists()


def test_status_json(run_cli: RunCli, imported_db: Path) -> None:
    import json

    data = json.loads(run_cli("status", "--format", "json").output)
    assert data["articles"] == 2 and data["sentences"] == 98
    assert data["annotators"] == []
    assert data["schema"]["name"] == "news-credibility"


def test_an_older_database_is_upgraded_with_its_data(db_path: Path, run_cli: RunCli) -> None:
    from sqlite_utils import Database

    from annotator.store.migrations import migration_set

    # a database as the first release left it: only 0001_initial, with an article in it
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.commit()
    migration_set().apply(Database(conn), stop_before="0002_gold")
    conn.close()
    assert run_cli("import", str(ROOT / "samples" / "000_60cc46f11ca30d04.txt")).exit_code == 0
    names = [
        r[0]
        for r in sqlite3.connect(db_path).execute("SELECT name FROM _sqlite_migrations ORDER BY id")
    ]
    assert names == migrations.NAMES
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_second_connection_in_the_process_keeps_the_wal_alive(db_path: Path) -> None:
    """Regression: the header check used Python's open()/close() on the database file,
    which drops every POSIX lock of the process, so another process closing its connection
    deleted the WAL under the app, and the app's later commits went to a deleted file."""
    import subprocess
    import sys

    reader = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        'print(c.execute("select group_concat(key) from settings where key in '
        "('first', 'second')\").fetchone()[0]); c.close()"
    )
    main = open_store(db_path)
    with main.write() as c:
        c.execute("INSERT INTO settings VALUES ('first', '1')")
    open_store(db_path).close()  # what a worker thread of the app does
    subprocess.run(
        [sys.executable, "-c", reader, str(db_path)], check=True, capture_output=True
    )  # `annotator status` in another terminal
    assert Path(str(db_path) + "-wal").exists()
    with main.write() as c:
        c.execute("INSERT INTO settings VALUES ('second', '2')")
    seen = subprocess.run(
        [sys.executable, "-c", reader, str(db_path)], check=True, capture_output=True, text=True
    ).stdout.strip()
    main.close()
    assert seen == "first,second"
