"""Segments per kind, as `status` counts them, from an index without the body segments
(migration 0017: updating `sentences_by_kind` for every body segment was a tenth of the
importer's write). A database made before it is upgraded with its sentences, and the counts
are what counting every sentence gives, before and after."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.ingest.articles import read_articles
from annotator.store.articles import add_article
from annotator.store.database import Store, open_store
from annotator.store.database_file import APPLICATION_ID
from annotator.store.migrations import migration_set
from annotator.store.progress import segment_kinds
from tests.conftest import SHARED, RunCli

CORPUS = SHARED / "news_corpus"
ROOT = Path(__file__).resolve().parent.parent


def counted(store: Store) -> dict[str, int]:
    """Every sentence counted, by kind."""
    return {str(k): int(n) for k, n in store.all("SELECT kind, count(*) FROM sentences GROUP BY 1")}


def indexes(store: Store) -> set[str]:
    return {
        str(r[0])
        for r in store.all(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sentences'"
        )
    }


def test_an_older_database_is_upgraded_and_counts_its_kinds_the_same(
    db_path: Path, run_cli: RunCli
) -> None:
    from sqlite_utils import Database

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migration_set().apply(Database(conn), stop_before="0017_kinds_index_without_body")
    conn.execute("BEGIN")
    for path in sorted((CORPUS / "md").iterdir())[:12] + sorted(ROOT.glob("samples/*.txt"))[:2]:
        for art in read_articles(path):
            add_article(conn, art)
    conn.execute("COMMIT")
    conn.close()
    store = open_store(db_path)  # migrates
    assert "sentences_by_kind" not in indexes(store)
    assert "sentences_by_kind_not_body" in indexes(store)
    kinds = segment_kinds(store)
    assert kinds == counted(store)
    assert len(kinds) >= 4 and kinds["body"] > 100
    assert list(kinds.values()) == sorted(kinds.values(), reverse=True)
    plan = " ".join(
        str(r[-1])
        for r in store.all(
            "EXPLAIN QUERY PLAN SELECT kind, count(*) FROM sentences WHERE kind <> 'body' "
            "GROUP BY kind"
        )
    )
    assert "COVERING INDEX sentences_by_kind_not_body" in plan  # the text is never read
    store.close()
    shown = json.loads(run_cli("status", "--format", "json").output)["segment_kinds"]
    assert shown == kinds


def test_kinds_without_body_and_without_sentences(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.sqlite")
    assert segment_kinds(store) == {}
    with store.write() as conn:
        conn.execute(
            "INSERT INTO articles (external_id, text, text_sha256, original, encoding, "
            "offset_map, words, syllables, sentence_count, imported_at) "
            "VALUES ('a', 'T', 'x', x'54', 'utf-8', '[]', 1, 1, 2, 'now')"
        )
        for pos, kind in enumerate(("heading", "title", "heading")):
            conn.execute(
                'INSERT INTO sentences (article_id, position, paragraph, start, "end", kind, '
                "text, words, syllables) VALUES (1, ?, 0, 0, 1, ?, 'T', 1, 1)",
                [pos, kind],
            )
    assert segment_kinds(store) == {"heading": 2, "title": 1} == counted(store)
    store.close()
