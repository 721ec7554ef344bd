"""The importer writes each sentence's export record itself (store/records.py, migration 0016).

The records it builds must be the bytes SQLite's trigger would have written (`stale_records`
compares every row with the SQL expression): the whole news corpus, parsed in workers and
here, and attack text (controls, quotes, non-ASCII, links). What the importer cannot say
exactly (a float SQLite formats its own way) is left to the trigger, which still fills every
sentence that comes in another way.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from annotator.ingest.articles import read_articles
from annotator.ingest.readability import Counts
from annotator.store import exporting, records
from annotator.store.articles import add_article, prepare_article
from annotator.store.database import Store, open_store
from annotator.store.imports import import_files
from tests.conftest import SHARED, write

CORPUS = SHARED / "news_corpus"


def stale(store: Store) -> dict[str, int]:
    return exporting.stale_records(store)


def written_by_the_importer(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM sentence_records") or 0)


def test_this_sqlite_writes_what_the_importer_writes() -> None:
    # when it does not, every record is left to the trigger: still right, only slower
    assert records.python_records_agree()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not present")
@pytest.mark.parametrize("workers", [0, 2])
def test_the_corpus_records_are_the_triggers_bytes(tmp_path: Path, workers: int) -> None:
    paths = sorted(p for folder in ("txt", "md", "crude") for p in (CORPUS / folder).iterdir())
    store = open_store(tmp_path / "c.sqlite")
    results = list(import_files(store, paths, workers=workers))
    assert all(r.error is None for r in results)
    assert sum(r.sentences for r in results) == written_by_the_importer(store) > 10_000
    assert stale(store) == {"sentences": 0, "annotations": 0, "gold": 0}
    assert store.scalar("SELECT count(*) FROM sentence_records_by_writer") == 0
    # first_sentence_id is now given, not queried: still each article's first sentence
    assert (
        store.scalar(
            "SELECT count(*) FROM articles a WHERE first_sentence_id IS NOT "
            "(SELECT min(id) FROM sentences s WHERE s.article_id = a.id)"
        )
        == 0
    )
    store.close()


ATTACK = (
    'id: "quo\\"ted \\\\ é"\n---\n'
    'Control \x01 and tab\tin a line, said "he" \\ with a backslash.\n\n'
    "Non-ASCII: “curly” — naïve café 😀 \u2028 line separator.\n\n"
    'A [link](https://example.com/a?b=1&c="x") in a sentence. </script> too.\n\n'
    "中文句子。第二句！\n"
)


def test_attack_text_records_are_the_triggers_bytes(tmp_path: Path) -> None:
    src = write(tmp_path / "attack.md", ATTACK)
    (art,) = read_articles(src)
    prepared = prepare_article(art)
    assert prepared.records is not None  # built by the importer, not left to the trigger
    store = open_store(tmp_path / "a.sqlite")
    with store.write() as conn:
        add_article(conn, prepared)
    assert written_by_the_importer(store) == len(prepared.sentence_rows) >= 4
    assert stale(store) == {"sentences": 0, "annotations": 0, "gold": 0}
    store.close()


def test_what_the_importer_cannot_say_is_left_to_the_trigger(tmp_path: Path) -> None:
    src = write(tmp_path / "one.txt", "One plain sentence here. And a second one.\n")
    (art,) = read_articles(src)
    rows = prepare_article(art).sentence_rows
    odd = [(*r[:9], 1 / 3, r[10]) for r in rows]  # a float SQLite writes as 0.333333333333333
    assert records.sentence_record(art.external_id, odd[0]) is None
    assert records.article_records(art.external_id, odd) is None
    prepared = dataclasses.replace(prepare_article(art), sentence_rows=odd, records=None)
    store = open_store(tmp_path / "t.sqlite")
    with store.write() as conn:
        add_article(conn, prepared)
    assert written_by_the_importer(store) == len(odd)
    assert stale(store) == {"sentences": 0, "annotations": 0, "gold": 0}
    record = store.scalar("SELECT record FROM sentence_records ORDER BY sentence_id LIMIT 1")
    assert '"flesch_reading_ease":0.333333333333333' in str(record)
    store.close()


def test_a_sentence_inserted_another_way_still_gets_its_record(tmp_path: Path) -> None:
    src = write(tmp_path / "one.txt", "One plain sentence here. And a second one.\n")
    store = open_store(tmp_path / "m.sqlite")
    list(import_files(store, [src], workers=0))
    store.close()
    conn = sqlite3.connect(tmp_path / "m.sqlite")
    conn.execute(
        'INSERT INTO sentences (article_id, position, paragraph, start, "end", kind, text, '
        "words, syllables) VALUES (1, 99, 9, 0, 3, 'body', 'One', 1, 1)"
    )
    conn.commit()
    conn.close()
    store = open_store(tmp_path / "m.sqlite")
    assert written_by_the_importer(store) == 3
    assert stale(store) == {"sentences": 0, "annotations": 0, "gold": 0}
    store.close()


def test_a_failed_article_leaves_no_records_and_no_marker(tmp_path: Path) -> None:
    """The marker row and the records are in the article's transaction: an error rolls back
    all of them (a kill -9 too: tests/test_import_lock.py kills imports midway)."""
    src = write(tmp_path / "one.txt", "One plain sentence here. And a second one.\n")
    (art,) = read_articles(src)
    prepared = prepare_article(art)
    store = open_store(tmp_path / "f.sqlite")
    with pytest.raises(RuntimeError), store.write() as conn:
        add_article(conn, prepared)
        raise RuntimeError("the disk filled up")
    assert store.scalar("SELECT count(*) FROM sentence_records_by_writer") == 0
    assert written_by_the_importer(store) == 0
    assert store.scalar("SELECT count(*) FROM articles") == 0
    store.close()


@pytest.mark.parametrize(
    "value",
    [0.0, -0.0, 89.6, -48.98, 121.22, 12345.67, 9999999999999.99, 1e13, -1e13, 0.005,
     1e-05, 1 / 3, 0.1 + 0.2, 100.0, -3.41, 5e-324, 1e16, float("inf"), float("nan")],
)  # fmt: skip
def test_a_figure_is_written_as_sqlite_writes_it_or_left_to_the_trigger(value: float) -> None:
    # the importer writes a REAL as Python's repr only where json_object's "%!.15g" gives
    # the same text; anywhere else the record is SQLite's to write
    row = (0, 0, 0, 5, "body", "Text.", None, 1, 1, value, 1.5)
    mine = records.sentence_record("x", row)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, external_id TEXT)")
        conn.execute(
            'CREATE TABLE s (position, paragraph, start, "end", kind, text, links, words, '
            "syllables, flesch_reading_ease REAL, flesch_kincaid_grade REAL, article_id)"
        )
        conn.execute("INSERT INTO articles VALUES (1, 'x')")
        conn.execute("INSERT INTO s VALUES (?,?,?,?,?,?,?,?,?,?,?,1)", row)
        (theirs,) = conn.execute(
            f"SELECT {exporting.SENTENCE_RECORD.format(s='s')} FROM s "
            "JOIN articles a ON a.id = s.article_id"
        ).fetchone()
    finally:
        conn.close()
    if repr(value) in ("89.6", "-48.98", "121.22", "12345.67", "0.0", "100.0"):  # readability's
        assert mine is not None
    assert mine is None or mine == theirs


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not present")
def test_the_rows_made_in_one_pass_are_each_sentence_s_own_values() -> None:
    # prepare_article formats what depends only on the counts once per distinct count:
    # every row must still be its own sentence's, and the records what sentence_record says
    from annotator.store.jsontext import dumps

    for path in sorted((CORPUS / "md").iterdir())[:30]:
        for art in read_articles(path):
            prepared = prepare_article(art)
            expected = [
                (
                    *(s.position, s.paragraph, s.start, s.end, s.kind, s.text),
                    dumps(s.links_json()) if s.links else None,
                    *(s.counts.words, s.counts.syllables),
                    *(s.counts.flesch_reading_ease, s.counts.flesch_kincaid_grade),
                )
                for s in art.sentences
            ]
            assert prepared.sentence_rows == expected
            assert prepared.records == records.article_records(art.external_id, expected)
            assert prepared.offset_map == dumps(art.offset_map.to_json())


@pytest.mark.parametrize(
    "points",
    [(), ((0, 0),), ((0, 3), (17, 40)), ((0, -1), (2**70, 5)), ((True, 0),), ((0, 1.5),)],
    ids=["empty", "one", "two", "negative and huge", "a bool", "a float"],
)
def test_the_offset_map_s_json_is_the_encoder_s(points: tuple[tuple[int, int], ...]) -> None:
    from annotator.ingest.textmap import OffsetMap
    from annotator.store.articles import offset_map_json
    from annotator.store.jsontext import dumps

    offsets = OffsetMap(points)
    assert offset_map_json(offsets) == dumps(offsets.to_json())


def test_an_article_without_sentences_is_written_without_rows(tmp_path: Path) -> None:
    # the rows go to executemany through zip: with no rows there are no columns to stop it
    src = write(tmp_path / "one.txt", "One plain sentence here. And a second one.\n")
    (art,) = read_articles(src)
    prepared = dataclasses.replace(prepare_article(art), sentence_rows=[], records=[])
    store = open_store(tmp_path / "e.sqlite")
    with store.write() as conn:
        add_article(conn, prepared)
    assert store.scalar("SELECT count(*) FROM sentences") == 0
    assert store.scalar("SELECT first_sentence_id FROM articles") is None
    store.close()


def test_a_pickled_prepared_article_ships_without_what_its_rows_say(tmp_path: Path) -> None:
    import pickle

    src = write(tmp_path / "a.md", ATTACK)
    (art,) = read_articles(src)
    prepared = prepare_article(art)
    assert art.sentences and art.offset_map.points  # left whole in this process
    back = pickle.loads(pickle.dumps(prepared, pickle.HIGHEST_PROTOCOL))
    assert back.article.sentences == [] and back.article.offset_map.points == ()
    assert type(back.article.counts) is Counts and back.article.counts == art.counts
    assert (back.sha, back.offset_map, back.meta) == (
        prepared.sha,
        prepared.offset_map,
        prepared.meta,
    )
    assert (back.sentence_rows, back.records) == (prepared.sentence_rows, prepared.records)
    assert (
        dataclasses.replace(back.article, sentences=art.sentences, offset_map=art.offset_map) == art
    )
    stores = []
    for name, one in (("here", prepared), ("shipped", back)):
        store = open_store(tmp_path / f"{name}.sqlite")
        with store.write() as conn:
            add_article(conn, one)
        stores.append(
            store.all("SELECT offset_map, text, meta, sentence_count FROM articles")
            + store.all("SELECT * FROM sentences")
            + store.all("SELECT * FROM sentence_records")
        )
        store.close()
    assert stores[0] == stores[1]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not present")
def test_a_packed_article_names_no_class_and_unpacks_to_what_was_prepared() -> None:
    # the worker's bytes are plain values (store/articles.py ship): unpickling them imports
    # nothing by name; unpacked, each article is what prepare_article made, less what its
    # rows and offset map's JSON say
    import pickletools

    from annotator.store.import_spool import pack, unpack

    paths = sorted((CORPUS / "md").iterdir())[:20]
    for art in (a for p in paths for a in read_articles(p)):
        data = pack(art)
        ops = {op.name for op, _arg, _pos in pickletools.genops(data)}
        assert not ops & {"GLOBAL", "STACK_GLOBAL", "REDUCE", "NEWOBJ", "BUILD"}, ops
        prepared, back = prepare_article(art), unpack(data)
        assert type(back.article.counts) is Counts
        assert (
            dataclasses.replace(
                back,
                article=dataclasses.replace(
                    back.article, sentences=art.sentences, offset_map=art.offset_map
                ),
            )
            == prepared
        )
