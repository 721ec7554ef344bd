"""The importer's write transactions run without SQLite's foreign-key checks (Store.write
foreign_keys=False: a look-up of the parent per sentence and per record, a tenth of the
write), and every reference it writes is still sound: `PRAGMA foreign_key_check` finds
nothing after importing the corpus, serially and in workers, and the checks are on again
for every other write of the connection, after a commit, a rollback or an error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.store.database import Store, open_store
from annotator.store.imports import import_files
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"

_ORPHAN = (
    'INSERT INTO sentences (article_id, position, paragraph, start, "end", kind, text, '
    "words, syllables) VALUES (999999, 0, 0, 0, 1, 'body', 'x', 1, 1)"
)


def checks_on(store: Store) -> bool:
    return bool(store.scalar("PRAGMA foreign_keys"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not present")
@pytest.mark.parametrize("workers", [0, 2])
def test_the_imported_corpus_has_no_dangling_reference(tmp_path: Path, workers: int) -> None:
    paths = sorted(p for folder in ("md", "html") for p in (CORPUS / folder).iterdir())
    store = open_store(tmp_path / "c.sqlite")
    results = list(import_files(store, paths, workers=workers))
    assert sum(r.added for r in results) > 100
    assert store.all("PRAGMA foreign_key_check") == []
    assert checks_on(store)
    # and the checks are on for the next write: an orphan sentence is refused
    with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
        conn.execute(_ORPHAN)
    store.close()


def test_the_checks_are_off_inside_and_on_again_after(tmp_path: Path) -> None:
    store = open_store(tmp_path / "w.sqlite")
    with store.write(foreign_keys=False) as conn:
        assert not checks_on(store)
        conn.execute(_ORPHAN)  # not checked: the importer's own rows only
        conn.execute("DELETE FROM sentences")
    assert checks_on(store)
    with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
        conn.execute(_ORPHAN)
    assert store.scalar("SELECT count(*) FROM sentences") == 0
    store.close()


def test_the_checks_are_on_again_after_an_error_inside(tmp_path: Path) -> None:
    store = open_store(tmp_path / "e.sqlite")
    with pytest.raises(ZeroDivisionError), store.write(foreign_keys=False) as conn:
        conn.execute(_ORPHAN)
        _ = 1 / 0
    assert checks_on(store)
    assert store.scalar("SELECT count(*) FROM sentences") == 0  # rolled back
    with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
        conn.execute(_ORPHAN)
    store.close()
