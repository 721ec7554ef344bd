"""The write phase of an import, batch by batch: the articles taken out of the spool during
the pause between two transactions (store/import_writes.py `ToWrite`) are written in file order,
each once, exactly as one long batch writes them, whether they wait in memory or on disk,
parsed here or packed by a worker, small or over PREPARE_INSIDE sentences."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.store import import_spool, import_workers, import_writes, imports
from annotator.store.database import open_store
from tests.conftest import write


def rows(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT a.id, a.external_id, a.first_sentence_id, a.sentence_count, a.offset_map, "
            "s.*, r.record FROM sentences s JOIN articles a ON a.id = s.article_id "
            "JOIN sentence_records r ON r.sentence_id = s.id ORDER BY s.id"
        ).fetchall()
    finally:
        conn.close()


def corpus(path: Path) -> Path:
    texts = []
    for i in range(12):
        # every third article is long (more sentences than PREPARE_INSIDE, set low below):
        # prepared before its transaction, never inside one nor during a pause
        n = 9 if i % 3 == 2 else 1 + i % 2
        body = " ".join(f"Article {i} says official {j} met the minister." for j in range(n))
        texts.append(json.dumps({"id": f"a{i}", "text": f"# Title {i}\n\n{body}"}))
    texts.insert(5, texts[1].replace('"a1"', '"a1-again"'))  # the same text: unchanged
    return write(path, "\n".join(texts) + "\n")


@pytest.mark.parametrize("workers", [0, 2])
@pytest.mark.parametrize("budget", ["memory", "disk"])
def test_articles_taken_ahead_in_the_pauses_are_written_as_one_batch_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, budget: str
) -> None:
    src = corpus(tmp_path / "c.jsonl")
    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(import_workers, "CHUNK_ARTICLES", 4)
    monkeypatch.setattr(import_writes, "PREPARE_INSIDE", 5)
    if budget == "disk":
        monkeypatch.setattr(import_spool, "SPOOL_MEMORY", 1)

    def run(db: Path) -> imports.FileResult:
        with open_store(db) as store:
            (result,) = imports.import_files(store, [src], workers=workers)
        return result

    whole = run(tmp_path / "whole.sqlite")  # 10 ms: one batch holds the whole file
    # one article per transaction, with a pause after each that takes the next one out
    monkeypatch.setattr(import_writes, "BATCH_SECONDS", 0.0)
    monkeypatch.setattr(import_writes, "PAUSE_SECONDS", 0.002)
    split = run(tmp_path / "split.sqlite")
    assert (split.added, split.unchanged, split.unchanged_ids, split.error) == (12, 1, ["a1"], None)
    assert (split.sentences, split.notes) == (whole.sentences, whole.notes)
    assert whole.added == 12
    stored = rows(tmp_path / "split.sqlite")
    assert stored == rows(tmp_path / "whole.sqlite")
    assert [r[1] for r in stored if r[7] == 0] == [f"a{i}" for i in range(12)]


def test_an_id_taken_during_a_pause_stops_the_file_where_it_was_taken(tmp_path: Path) -> None:
    # another process writes between two of this import's transactions, taking an id that
    # an article already taken out of the spool has: the import stops at that article, and
    # says how many of the file's articles it had written before it
    from annotator.ingest.articles import read_articles
    from annotator.store.articles import add_article

    src = corpus(tmp_path / "c.jsonl")
    other = write(tmp_path / "a1.txt", "Another text for the id a1. Imported meanwhile.\n")
    db = tmp_path / "race.sqlite"
    with open_store(db) as store, open_store(db) as rival:
        result = imports.FileResult(src)
        with import_spool.Spool() as spool:
            assert imports._parse_all(store, src, None, spool) == []
            arts = import_writes.ToWrite(iter(spool))
            seen: list[int] = []
            real_fill = arts.fill

            def fill(until: float, most: int) -> None:
                real_fill(until, most)
                if not seen:  # a1, just taken out of the spool, is taken by the rival meanwhile
                    seen.append(most)
                    with rival.write() as conn:
                        add_article(conn, next(iter(read_articles(other))))

            arts.fill = fill  # type: ignore[method-assign]
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(import_writes, "BATCH_SECONDS", 0.0)
                mp.setattr(import_writes, "PAUSE_SECONDS", 0.0)
                mp.setattr(imports, "ToWrite", lambda _articles: arts)
                imports._write_all(store, src, spool, result)
    assert seen == [1]
    assert result.error is not None
    assert str(result.error).startswith(f"{src}:2: article id 'a1' is already")
    assert str(result.error).endswith("; 1 article(s) of this file before it were already imported")
    assert (result.added, result.unchanged) == (1, 0)


def test_small_files_parsed_ahead_are_written_together_as_they_would_be_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # many small files through the workers: several go to one transaction, and what is
    # stored and said is what importing them one by one here gives, with the cases where
    # one file of a group meets another: the same text (unchanged, under the first id),
    # the same id with other text (refused), a file the workers could not parse, an id
    # repeated in a file, and a file too long to join a group
    folder = tmp_path / "in"
    paths = []
    for i in range(30):
        body = f"Article {i} says the minister met officials on Tuesday. They agreed."
        paths.append(write(folder / f"{i:02d}.txt", f"# Title {i}\n\n{body}\n"))
    paths[7] = write(folder / "07.txt", paths[3].read_text(encoding="utf-8"))  # 03's text
    write(folder / "12.txt", "")  # empty: the worker says so
    other = write(tmp_path / "x" / "05.txt", "Other text under the id 05. It is refused.\n")
    # over GROUP_CHARS, in fewer segments than one article may hold
    long_one = write(
        folder / "20.txt", "A long one, with words enough for a long sentence. " * 2_800
    )
    repeats = write(
        folder / "25.jsonl",
        '{"id": "r", "text": "One text."}\n{"id": "r", "text": "Another text."}\n',
    )
    paths[20], paths[25] = long_one, repeats
    paths.insert(9, other)  # id 05 again, in the middle of a group
    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 1)

    def run(db: Path, workers: int) -> tuple[list[tuple[object, ...]], int]:
        with open_store(db) as store:
            transactions = 0
            write_txn = store.write

            def counted(**how: bool) -> object:
                nonlocal transactions
                transactions += 1
                return write_txn(**how)

            monkeypatch.setattr(store, "write", counted)
            results = list(imports.import_files(store, paths, workers=workers))
        said: list[tuple[object, ...]] = [
            (r.path, r.added, r.unchanged, r.unchanged_ids, r.sentences, r.notes, str(r.error))
            for r in results
        ]
        return said, transactions

    alone, alone_txns = run(tmp_path / "alone.sqlite", 0)
    together, together_txns = run(tmp_path / "together.sqlite", 2)
    assert together == alone
    errors = {Path(str(a[0])).name: str(a[-1]) for a in alone if a[-1] != "None"}
    assert set(errors) == {"05.txt", "12.txt", "25.jsonl"}
    assert "empty file" in errors["12.txt"]
    assert "'05' is already in the database with different text" in errors["05.txt"]
    assert "repeats" in errors["25.jsonl"]
    assert next(a for a in alone if Path(str(a[0])).name == "07.txt")[3] == ["03"]
    assert rows(tmp_path / "together.sqlite") == rows(tmp_path / "alone.sqlite")
    assert together_txns < alone_txns / 2, (together_txns, alone_txns)


def test_a_group_refused_at_its_write_is_written_file_by_file(tmp_path: Path) -> None:
    # phase 1 passed for every file of a group, then another process took one of its ids
    # with other text: nothing of the group's transaction stays, and each file is written
    # alone, the one whose id was taken saying so and the others imported
    from annotator.ingest.articles import read_articles
    from annotator.store.articles import add_article

    files = [
        write(tmp_path / f"{name}.txt", f"Article {name} says the talks went well. It ends.\n")
        for name in ("a", "b", "c")
    ]
    other = write(tmp_path / "x" / "b.txt", "Another text for the id b. Imported meanwhile.\n")
    db = tmp_path / "race.sqlite"
    with open_store(db) as store, open_store(db) as rival:
        group = imports._Group(store)
        for p in files:
            assert list(group.add(p, import_spool.serial(p, None))) == []
        with rival.write() as conn:
            add_article(conn, next(iter(read_articles(other))))
        results = list(group.flush())
    assert [(r.path.name, r.added) for r in results] == [("a.txt", 1), ("b.txt", 0), ("c.txt", 1)]
    assert [r.error is None for r in results] == [True, False, True]
    assert str(results[1].error).startswith(f"{files[1]}: article id 'b' is already")
    assert str(results[1].error).endswith("; nothing from this file was imported")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT external_id, source_path FROM articles ORDER BY id").fetchall() == [
        ("b", str(other)),
        ("a", str(files[0])),
        ("c", str(files[2])),
    ]
    conn.close()
