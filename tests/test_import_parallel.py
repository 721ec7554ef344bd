"""The fast import path stores exactly what the plain one does, and says the same errors.

Phase 1 of an import (read, clean, segment, score) runs in worker processes when there is
enough to parse; these tests force the workers on small inputs (PARALLEL_BYTES) and compare
every stored column (segments, offsets, kinds, readability, links, meta, offset maps) with
an import parsed in this process. Also here: the size limit of one article.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from annotator.ingest import reading
from annotator.store import import_workers, imports
from annotator.store.database import open_store
from tests.conftest import SAMPLES, SHARED, RunCli, write

CORPUS = SHARED / "news_corpus"

# every column but the import time (and ids, which follow the order of writing anyway)
ARTICLE_COLS = (
    "external_id, title, outlet_id, author, published, url, byline, text, text_sha256, "
    "original, encoding, offset_map, source_path, source_line, meta, words, syllables, "
    "flesch_reading_ease, flesch_kincaid_grade, sentence_count, language, extracted, "
    "first_sentence_id"
)
SENTENCE_COLS = (
    'id, article_id, position, paragraph, start, "end", kind, text, links, words, syllables, '
    "flesch_reading_ease, flesch_kincaid_grade"
)


def stored(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        arts = conn.execute(f"SELECT {ARTICLE_COLS} FROM articles ORDER BY id").fetchall()
        sents = conn.execute(f"SELECT {SENTENCE_COLS} FROM sentences ORDER BY id").fetchall()
        return arts, sents
    finally:
        conn.close()


def import_with(db: Path, paths: list[Path], workers: int) -> list[imports.FileResult]:
    with open_store(db) as store:
        return list(imports.import_files(store, paths, workers=workers))


def summary(results: list[imports.FileResult]) -> list[tuple[object, ...]]:
    return [
        (r.path, r.added, r.unchanged, r.sentences, str(r.error) if r.error else None, r.notes)
        for r in results
    ]


def corpus_jsonl(path: Path, files: list[Path]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for p in files:
            fh.write(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) + "\n")
    return path


def test_workers_store_what_parsing_here_stores(tmp_path: Path) -> None:
    files = sorted(SAMPLES.glob("*.txt"))
    pages: list[Path] = []
    if CORPUS.is_dir():
        # every extraction, and some HTML pages (trafilatura is the slow part): first, so
        # that the same page's text extractions meet an id already taken (an error to say)
        pages = sorted((CORPUS / "html").iterdir())[:6]
        for folder in ("txt", "md", "crude"):
            files += sorted((CORPUS / folder).iterdir())
    # the same texts again in one JSON Lines file: unchanged, found through the workers
    taken = {p.stem for p in pages}
    again = [f for f in files if f.stem not in taken]
    jsonl = corpus_jsonl(tmp_path / "all.jsonl", again)
    paths = [*pages, *files, jsonl]
    # small chunks: a JSON Lines file in many pieces, handed back in order
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(import_workers, "CHUNK_ARTICLES", 3)
        fast = import_with(tmp_path / "fast.sqlite", paths, workers=2)
    plain = import_with(tmp_path / "plain.sqlite", paths, workers=0)
    assert summary(fast) == summary(plain)
    errors = [str(r.error) for r in plain if r.error]
    assert len(errors) <= len(pages)
    assert all("is already in the database with different text" in e for e in errors)
    assert plain[-1].error is None and plain[-1].unchanged == len(again)
    a_fast, s_fast = stored(tmp_path / "fast.sqlite")
    a_plain, s_plain = stored(tmp_path / "plain.sqlite")
    assert len(s_plain) > (5000 if CORPUS.is_dir() else 50)
    assert a_fast == a_plain
    assert s_fast == s_plain


def test_errors_come_back_in_order_with_their_line(tmp_path: Path) -> None:
    good = "The minister said the talks went well. Officials agreed on Tuesday."
    lines = [json.dumps({"id": f"a{i}", "text": f"{good} Number {i}."}) for i in range(40)]
    # line 12 has no text after cleaning (found by a worker), line 30 is not JSON (found
    # by the reader): the first is the one reported, as parsing in order would
    lines[11] = json.dumps({"id": "empty", "text": "[](http://example.com)"})
    lines[29] = "{not json"
    bad = write(tmp_path / "bad.jsonl", "\n".join(lines) + "\n")
    dup = write(
        tmp_path / "dup.jsonl",
        "\n".join([*lines[:5], lines[3].replace("Number 3.", "Other."), *lines[6:10]]) + "\n",
    )
    ok = write(tmp_path / "ok.txt", good + "\n")
    paths = [bad, dup, ok, bad]
    results = {}
    for workers in (0, 2):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(import_workers, "CHUNK_ARTICLES", 4)
            results[workers] = summary(import_with(tmp_path / f"w{workers}.sqlite", paths, workers))
    assert results[2] == results[0]
    errors = [r[4] for r in results[2]]
    assert errors[0] == f"{bad}:12: no text to annotate after cleaning"
    assert (
        errors[1] is not None and errors[1] == f"{dup}:6: article id 'a3' repeats (first on line 4)"
    )
    assert errors[2] is None and results[2][2][1] == 1
    assert errors[3] == errors[0]
    for workers in (0, 2):
        assert stored(tmp_path / f"w{workers}.sqlite")[0][0][0] == "ok"


def test_the_cli_imports_a_folder_through_the_workers(
    run_cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 1)
    folder = tmp_path / "in"
    for i in range(6):
        write(folder / f"{i}.txt", f"Article {i} says the talks went well. It ends here.\n")
    write(folder / "3b.txt", "")  # an empty file among them
    result = run_cli("import", str(folder))
    assert result.exit_code == 1
    assert "imported 6 articles (12 segments) from 6 of 7 files; 1 failed" in result.output
    assert f"{folder / '3b.txt'}: empty file" in result.output


# --- the size of one article ---------------------------------------------------------------


def test_an_article_over_the_limit_is_refused_by_name_and_line(
    run_cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_ARTICLE_CHARS", 2_000)
    sentence = "The minister said the talks went well on Tuesday. "
    at_limit = sentence * (2_000 // len(sentence))
    over = sentence * (2_000 // len(sentence) + 1)
    jsonl = write(
        tmp_path / "c.jsonl",
        json.dumps({"id": "fits", "text": at_limit}) + "\n" + json.dumps({"id": "x", "text": over}),
    )
    txt = write(tmp_path / "long.txt", "---\ntitle: Long\n---\n" + over)
    fits = write(tmp_path / "fits.txt", "---\ntitle: Fits\n---\n" + at_limit)
    result = run_cli("import", str(jsonl), str(txt), str(fits))
    assert result.exit_code == 1
    limit = "over the limit of 2,000 characters for one article; split it into several articles"
    assert f"{jsonl}:2: article of {len(over):,} characters is {limit}" in result.output
    assert f"{txt}: article of {len(over):,} characters is {limit}" in result.output
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT external_id FROM articles")] == ["fits"]


def test_an_article_of_too_many_segments_is_refused_by_name_and_line(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit11 F12: 62,000 one-word list items (248,000 characters, under the character
    limit) held the write lock 0.5 s in one transaction; the segments are bounded too."""
    limit = reading.MAX_ARTICLE_SEGMENTS
    fits = write(tmp_path / "fits.txt", "- a\n" * limit)
    over = write(tmp_path / "over.txt", "- a\n" * (limit + 1))
    jsonl = write(
        tmp_path / "items.jsonl",
        json.dumps({"id": "ok", "text": "The minister said the talks went well."})
        + "\n"
        + json.dumps({"id": "many", "text": "- b\n" * (limit + 1)})
        + "\n",
    )
    result = run_cli("import", str(fits), str(over), str(jsonl))
    assert result.exit_code == 1, result.output
    why = (
        f"article of {limit + 1:,} segments is over the limit of {limit:,} segments for one "
        "article; split it into several articles"
    )
    assert f"{over}:1: {why}" in result.output, result.output
    assert f"{jsonl}:2: {why}" in result.output, result.output
    conn = sqlite3.connect(db_path)
    rows = dict(conn.execute("SELECT external_id, sentence_count FROM articles").fetchall())
    conn.close()
    assert rows == {"fits": limit}  # a file with an error imports nothing of it


def test_a_file_too_big_for_any_article_is_not_read_whole(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # refused from its size, at the real limit: no decoding, no parsing
    big = tmp_path / "dump.txt"
    with open(big, "wb") as fh:
        fh.write(b"word " * (reading.MAX_ARTICLE_CHARS + 30_000))
    line = json.dumps({"id": "big", "text": "x" * (reading._MAX_LINE_BYTES + 1)})
    jsonl = write(tmp_path / "dump.jsonl", '{"id": "a", "text": "Fine."}\n' + line + "\n")
    result = run_cli("import", str(big), str(jsonl))
    assert result.exit_code == 1
    assert f"{big}: more than " in result.output and "split it into" in result.output
    assert f"{jsonl}:2: a line of more than " in result.output
    assert "Traceback" not in result.output
    assert not db_path.exists()  # nothing came in: the database it had created is removed


def test_a_line_filled_by_its_metadata_is_not_called_a_long_article(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """audit11 F16: a record whose text is 30 characters and whose `meta` fills the line was
    refused as 'over the limit of 250,000 characters for one article'."""
    meta = {"dump": "x" * (reading._MAX_LINE_BYTES + 10)}
    line = json.dumps({"id": "m", "text": "The mayor said the budget passed.", "meta": meta})
    jsonl = write(tmp_path / "meta.jsonl", line + "\n")
    result = run_cli("import", str(jsonl))
    assert result.exit_code == 1
    assert "over the limit for one record" in result.output, result.output
    assert "trim its metadata" in result.output, result.output


def test_an_html_page_over_its_limit_is_refused(
    run_cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_HTML_BYTES", 1_000)
    page = write(
        tmp_path / "p.html", "<html><body>" + "<p>Words here.</p>" * 100 + "</body></html>"
    )
    result = run_cli("import", str(page))
    assert result.exit_code == 1
    assert f"{page}: more than 1,000 bytes: an HTML page over the import's limit" in result.output


def test_small_files_go_to_the_workers_together_and_come_back_each_as_itself(
    tmp_path: Path,
) -> None:
    # several small files make one task: an error in the first, the middle or the last of
    # them is that file's alone, a JSON Lines file between them splits the run, and an id
    # taken by an earlier file of the same task is refused as it is when parsed here
    good = "The minister said the talks went well. Officials agreed on Tuesday."
    paths: list[Path] = []
    for i in range(14):
        text = f"{good} Number {i}.\n"
        if i in (0, 4, 8):
            text = "[](http://example.com)\n"  # nothing left after cleaning
        if i == 6:
            text = "---\nid: f3\n---\n" + good + " Other.\n"  # f3's id, different text
        paths.append(write(tmp_path / f"f{i}.txt", text))
        if i == 9:
            lines = [json.dumps({"id": f"j{k}", "text": f"{good} J{k}."}) for k in range(5)]
            paths.append(write(tmp_path / "between.jsonl", "\n".join(lines) + "\n"))
    paths.append(write(tmp_path / "last.txt", ""))  # an empty file ends the last task
    results = {}
    for workers in (0, 2):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(import_workers, "CHUNK_ARTICLES", 3)  # tasks of 3 files, or of 3 articles
            results[workers] = summary(import_with(tmp_path / f"w{workers}.sqlite", paths, workers))
    assert results[2] == results[0]
    failed = [Path(str(r[0])).name for r in results[2] if r[4] is not None]
    assert failed == ["f0.txt", "f4.txt", "f6.txt", "f8.txt", "last.txt"]
    assert stored(tmp_path / "w2.sqlite") == stored(tmp_path / "w0.sqlite")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="workers need 2 cores")
def test_workers_start_only_for_more_than_one_task_worth_parsing(tmp_path: Path) -> None:
    """audit5 F0b: one file over PARALLEL_BYTES started the pool, but a file that is not
    JSON Lines is one task for one worker: the pool's start-up was all it added (a 1.4 MB
    page: 1.4 s against 0.6 s). An HTML page is mostly markup and counts for half."""
    mb = import_workers.PARALLEL_BYTES
    line = "The council said the budget would pass. It did, on Monday.\n"
    big = write(tmp_path / "big.txt", line * (mb // len(line) + 10))
    small = write(tmp_path / "small.txt", line)
    page = write(tmp_path / "page.html", "<p>" + "x" * (mb + 10) + "</p>")
    page2 = write(tmp_path / "page2.html", "<p>" + "y" * (mb + 10) + "</p>")
    rows = "".join(json.dumps({"id": f"a{i}", "text": line}) + "\n" for i in range(mb // 60 + 10))
    jsonl = write(tmp_path / "big.jsonl", rows)
    assert import_workers.default_workers([big]) == 0  # one task
    assert import_workers.default_workers([big, small]) >= 2
    assert import_workers.default_workers([small] * 5) == 0  # too little to parse
    assert import_workers.default_workers([page, small]) == 0  # 0.5 MB of weight, 1 KB
    assert import_workers.default_workers([page, page2]) >= 2
    assert import_workers.default_workers([jsonl]) >= 2  # chunks: several tasks
    assert import_workers.default_workers([tmp_path / "missing.txt", big]) == 0


def test_a_source_sent_to_a_worker_keeps_every_field() -> None:
    # SourceArticle pickles by its constructor (ingest/reading.py): a field added to it and
    # not to its __reduce__ would come back as its default
    import dataclasses
    import pickle

    from annotator.ingest.reading import SourceArticle

    src = SourceArticle(
        "p.jsonl", 7, b"T\xc3\xa9", "latin-1", "Té", 1, {"title": "t"}, {"k": [1]}, "note",
        True, "fr", "de", "2024/01/index",
    )  # fmt: skip
    # every field other than its default
    assert all(getattr(src, f.name) not in (None, False, {}) for f in dataclasses.fields(src))
    back = pickle.loads(pickle.dumps([src, src], pickle.HIGHEST_PROTOCOL))
    assert back == [src, src]
