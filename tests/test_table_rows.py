"""Table rows can be skipped (audit F12): a Daily Mail food page carries a 364-row table (every
Tory MP's e-mail address) that took 364 Enters. The importer suggests BOILERPLATE for table
rows (less surely than for other furniture: a data table of the reporting is not, says the
guidelines' BOILERPLATE section), so `B` takes them with the rest of the furniture."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggest import importer
from annotator.suggesting import accept_boilerplate
from tests.conftest import SHARED, RunCli

PAGE = SHARED / "news_corpus" / "html" / "dailymail.co.uk.food.html"


@pytest.mark.skipif(not PAGE.exists(), reason="../shared/news_corpus is not present")
def test_b_takes_a_pages_table_rows(run_cli: RunCli, db_path: Path) -> None:
    assert run_cli("import", str(PAGE)).exit_code == 0
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    conn = sqlite3.connect(db_path)
    (article,) = conn.execute("SELECT external_id FROM articles").fetchone()
    rows = {
        int(sid): (str(cue), float(score))
        for sid, cue, score in conn.execute(
            "SELECT s.id, g.cue, g.score FROM sentences s JOIN suggestions g "
            "ON g.sentence_id = s.id AND g.source = 'importer' WHERE s.kind = 'table'"
        )
    }
    tables = {int(r[0]) for r in conn.execute("SELECT id FROM sentences WHERE kind = 'table'")}
    conn.close()
    assert len(tables) > 300  # the e-mail list
    assert set(rows) == tables
    assert set(rows.values()) == {("kind: table", importer.TABLE_SCORE)}
    with open_store(db_path) as store:
        g, _ = use_guidelines(store)
        s = AnnotationSession(store, g, "alice", article=article)
        assert s.suggesting
        first = min(tables)
        s.move_to(next(i for i, x in enumerate(s.sentences) if x.id == first))
        s.toggle("NONE")  # alice decided this row herself: B leaves it alone
        assert s.confirm(advance=False).message is None
        assert accept_boilerplate(s).saved
        for sid in tables - {first}:
            st = s.state_of(sid)
            assert st.labels == ("BOILERPLATE",) and st.confirmed, sid
        assert s.state_of(first).labels == ("NONE",)
        body = [x.id for x in s.sentences if x.kind == "body"]
        assert body and all(not s.state_of(sid).confirmed for sid in body)


def test_an_older_importer_version_is_recomputed(run_cli: RunCli, imported_db: Path) -> None:
    """A project whose importer suggestions are of an older version (before table rows,
    VERSION 1) gets the new ones at the next refresh, the old rows replaced."""
    conn = sqlite3.connect(imported_db)
    with conn:
        conn.execute("UPDATE suggestions SET version = 'old' WHERE source = 'importer'")
        conn.execute("UPDATE suggestion_sources SET version = 'old' WHERE source = 'importer'")
    conn.close()
    assert run_cli("suggestions", "refresh").exit_code == 0
    conn = sqlite3.connect(imported_db)
    versions = {
        v for (v,) in conn.execute("SELECT version FROM suggestions WHERE source = 'importer'")
    }
    conn.close()
    assert versions == {importer.VERSION}
