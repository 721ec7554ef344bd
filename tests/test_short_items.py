"""Short items (audit5 F10: a JSON Lines file of one- or two-sentence claims and posts) cost
a per-article fixed price. What was cut of it must store and say exactly what it did: the
database asked about a group of articles at once (store/import_stream.py `Known`), the
import time formatted once a second, the worker's answers pickled by their constructors."""

from __future__ import annotations

import dataclasses
import json
import pickle
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, parse_source, read_sources
from annotator.ingest.readability import Counts
from annotator.store import imports
from annotator.store.articles import DuplicateArticle, prepare_article
from annotator.store.database import now, open_store
from annotator.store.import_spool import Parsed, make_parsed, pack, unpack
from annotator.store.import_stream import Known, already_imported
from annotator.store.imports import import_files
from tests.conftest import write

EMPTY = "[](http://example.com)"  # a link and nothing else: no text after cleaning


def items(n: int, start: int = 0) -> list[str]:
    return [
        json.dumps({"id": f"t{i}", "text": f"Officials said item {i} was approved. It was close."})
        for i in range(start, start + n)
    ]


def parsed_of(path: Path) -> list[Parsed]:
    return [make_parsed(parse_source(src), packed=False) for src in read_sources(path)]


def test_known_answers_what_asking_one_article_at_a_time_answers(tmp_path: Path) -> None:
    store = open_store(tmp_path / "k.sqlite")
    first = write(tmp_path / "first.jsonl", "\n".join(items(5)) + "\n")
    assert [r.error for r in import_files(store, [first], workers=0)] == [None]
    rows = [
        *items(2),  # stored already, same id and text: unchanged under its own id
        json.dumps({"id": "other", "text": json.loads(items(1, 2)[0])["text"]}),  # t2's text
        *items(2, 10),  # new
    ]
    again = write(tmp_path / "again.jsonl", "\n".join(rows) + "\n")
    arts = parsed_of(again)
    known = Known(store, arts)
    together = [already_imported(store, a, known) for a in arts]
    one_by_one = [already_imported(store, a) for a in arts]
    assert together == one_by_one == ["t0", "t1", "t2", None, None]
    # an id stored with other text: refused by both, with the one message
    clash = write(tmp_path / "clash.jsonl", json.dumps({"id": "t3", "text": "Changed."}) + "\n")
    (art,) = parsed_of(clash)
    with pytest.raises(DuplicateArticle) as alone:
        already_imported(store, art)
    with pytest.raises(DuplicateArticle) as grouped:
        already_imported(store, art, Known(store, [art, *arts]))
    assert str(alone.value) == str(grouped.value)
    store.close()


def test_known_asks_in_groups_of_at_most_the_query_limit(tmp_path: Path) -> None:
    # more articles than one IN (...) takes at once: each is still found
    store = open_store(tmp_path / "g.sqlite")
    path = write(tmp_path / "many.jsonl", "\n".join(items(1200)) + "\n")
    assert [r.error for r in import_files(store, [path], workers=0)] == [None]
    arts = parsed_of(path)
    known = Known(store, arts)
    assert len(known.by_sha) == len(known.by_id) == 1200
    assert [already_imported(store, a, known) for a in arts] == [f"t{i}" for i in range(1200)]
    store.close()


@pytest.mark.parametrize("workers", [0])
def test_an_early_error_is_said_before_a_later_one_in_the_same_group(
    tmp_path: Path, workers: int
) -> None:
    # phase 1 checks the articles a group at a time: an id repeated on line 4 is the error,
    # not the text-less article on line 6 that the group's parsing meets first. (Workers
    # say line 6 here, before and after this change: a worker's chunk with an error hands
    # back none of its articles, so line 4 is never checked. Left as it was.)
    rows = items(10)
    rows[3] = json.dumps({"id": "t1", "text": "Another text for an id used on line 2."})
    rows[5] = json.dumps({"id": "empty", "text": EMPTY})
    path = write(tmp_path / "bad.jsonl", "\n".join(rows) + "\n")
    store = open_store(tmp_path / f"e{workers}.sqlite")
    (result,) = import_files(store, [path], workers=workers)
    assert str(result.error) == f"{path}:4: article id 't1' repeats (first on line 2)"
    assert store.scalar("SELECT count(*) FROM articles") == 0
    # and the text-less article alone, after good ones: its own line, nothing written
    rows = items(10)
    rows[5] = json.dumps({"id": "empty", "text": EMPTY})
    path = write(tmp_path / "late.jsonl", "\n".join(rows) + "\n")
    (result,) = import_files(store, [path], workers=workers)
    assert str(result.error) == f"{path}:6: no text to annotate after cleaning"
    assert store.scalar("SELECT count(*) FROM articles") == 0
    store.close()


def test_same_text_twice_in_a_file_is_imported_once_whichever_way(tmp_path: Path) -> None:
    # the group's look-up is made before either is written: the second is found by the
    # write, under the lock, as a file parsed whole finds it, and counted unchanged
    rows = items(100)
    text = json.loads(rows[10])["text"]
    rows[70] = json.dumps({"id": "copy", "text": text})
    path = write(tmp_path / "twice.jsonl", "\n".join(rows) + "\n")
    seen = []
    for workers in (0, 2):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(imports, "CHECK_GROUP", 8)
            store = open_store(tmp_path / f"t{workers}.sqlite")
            (r,) = import_files(store, [path], workers=workers)
            seen.append((r.error, r.added, r.unchanged, r.unchanged_ids))
            assert store.scalar("SELECT count(*) FROM articles") == 99
            store.close()
    assert seen[0] == seen[1] == (None, 99, 1, ["t10"])


def test_now_formatted_once_a_second_is_the_clock_formatted_each_time() -> None:
    def slow() -> str:  # what now() did before
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    for _ in range(300):
        before = slow()
        stamp = now()
        after = slow()
        assert len(stamp) == len(before) == 24 and stamp.endswith("Z")
        assert before <= stamp <= after
    # a new second is formatted anew
    first = now()
    time.sleep(1.01)
    assert now()[:19] != first[:19]


def test_a_workers_answer_unpickles_to_what_was_pickled(tmp_path: Path) -> None:
    path = write(tmp_path / "p.jsonl", "\n".join(items(3)) + "\n")
    for art in parsed_of(path):
        back = pickle.loads(pickle.dumps(art, pickle.HIGHEST_PROTOCOL))
        assert back == art and back.article is not art.article
        packed = make_parsed(parse_source(next(read_sources(path))), packed=True)
        assert pickle.loads(pickle.dumps(packed)) == packed
    c = Counts(12, 17, 2)
    assert pickle.loads(pickle.dumps(c)) == c
    assert pickle.loads(pickle.dumps(c)).flesch_reading_ease == c.flesch_reading_ease


def test_stored_rows_of_short_items_are_the_same_serial_and_with_workers(tmp_path: Path) -> None:
    rows = items(300)
    rows[7] = json.dumps({"id": "titled", "title": "Update 7", "text": "Police said so. Sad!"})
    path = write(tmp_path / "s.jsonl", "\n".join(rows) + "\n")
    dumps = []
    for workers in (0, 2):
        db = tmp_path / f"s{workers}.sqlite"
        store = open_store(db)
        assert [r.error for r in import_files(store, [path], workers=workers)] == [None]
        store.close()
        conn = sqlite3.connect(db)
        dumps.append(
            (
                conn.execute(
                    "SELECT external_id, title, text, sentence_count, language FROM articles "
                    "ORDER BY id"
                ).fetchall(),
                conn.execute(
                    "SELECT article_id, position, kind, text, words FROM sentences ORDER BY id"
                ).fetchall(),
                conn.execute("SELECT record FROM sentence_records ORDER BY sentence_id").fetchall(),
            )
        )
        conn.close()
    assert dumps[0] == dumps[1]
    assert len(dumps[0][0]) == 300 and len(dumps[0][2]) == len(dumps[0][1])


def test_a_packed_article_unpacks_to_its_fields_without_sentences_and_map(
    tmp_path: Path,
) -> None:
    rows = [
        json.dumps(
            {
                "id": "full",
                "title": "Update 1",
                "url": "https://news.example.com/1",
                "meta": {"topic": "votes"},
                "text": "Police said so. See [the report](https://e.x/r). Sad!",
            }
        ),
        *items(2),
    ]
    path = write(tmp_path / "f.jsonl", "\n".join(rows) + "\n")
    backs = []
    for src in read_sources(path):
        art = parse_source(src)
        prepared = prepare_article(art)
        back = unpack(pack(art))
        assert (back.sha, back.offset_map, back.meta, back.sentence_rows, back.records) == (
            prepared.sha,
            prepared.offset_map,
            prepared.meta,
            prepared.sentence_rows,
            prepared.records,
        )
        for f in dataclasses.fields(ParsedArticle):
            if f.name not in ("sentences", "offset_map"):
                assert getattr(back.article, f.name) == getattr(art, f.name), f.name
        assert back.article.sentences == [] and not back.article.offset_map.points
        assert art.sentences  # the article pickled is left as it was
        backs.append(back.article)
    assert backs[0].sentences is not backs[1].sentences  # each a list of its own
