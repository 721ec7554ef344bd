"""An import never keeps an annotator from saving: a second process commits keys through
the session layer while a long import runs, and each key commits without waiting for it.

The import used to parse every article of a file inside one write transaction: annotators
saw NOT SAVED for as long as the reading took (minutes for a big file, forever for a FIFO).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The annotator's process (the benchmark's own): open a session, then toggle a label every
# 20 ms until told to stop, recording [seconds the key took to commit, saved, articles the
# import had written then] for each key.
from benchmarks.import_lock import KEYER
from tests.conftest import ROOT, SAMPLES, write

ARTICLES = 1500
KILLED = 400  # articles in the file of the kill -9 test


def write_corpus(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(
                f"Article {i} says the minister met official {j} on Tuesday." for j in range(12)
            )
            fh.write(json.dumps({"id": f"a{i}", "text": text, "title": f"Article {i}"}) + "\n")


def test_a_key_commits_while_an_import_runs(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "annotator", "--db", str(db)]
    subprocess.run([*cmd, "import", str(SAMPLES)], check=True, capture_output=True, env=env)
    corpus = tmp_path / "big.jsonl"
    write_corpus(corpus, ARTICLES)
    stop = tmp_path / "stop"

    keyer = subprocess.Popen(
        [sys.executable, "-c", KEYER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert keyer.stdout is not None
        assert keyer.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        importer = subprocess.run(
            [*cmd, "import", "-q", str(corpus)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        import_seconds = time.perf_counter() - started
        assert importer.returncode == 0, importer.stderr
        stop.touch()
        out, _ = keyer.communicate(timeout=60)
    finally:
        if keyer.poll() is None:
            keyer.kill()
    keys = [
        dict(zip(("seconds", "saved", "articles"), k, strict=True))
        for k in json.loads(out.strip().splitlines()[-1])
    ]

    before, after = 2, 2 + ARTICLES
    during_writes = [k for k in keys if before < k["articles"] < after]
    assert all(k["saved"] for k in keys), "a key was not saved while the import ran"
    # the import was still writing when these keys committed: they did not wait for it
    assert len(during_writes) >= 3, (len(keys), import_seconds)
    took = sorted(k["seconds"] for k in keys)
    worst = took[-1]
    writing = sorted(k["seconds"] for k in during_writes)
    print(
        f"\n{len(keys)} keys during a {import_seconds:.1f} s import of {ARTICLES} articles "
        f"({len(during_writes)} while it was writing): commit median "
        f"{statistics.median(took) * 1000:.1f} ms, p99 "
        f"{took[int(len(took) * 0.99)] * 1000:.1f} ms, max {worst * 1000:.1f} ms; while it "
        f"was writing: median {statistics.median(writing) * 1000:.1f} ms, "
        f"max {writing[-1] * 1000:.1f} ms"
    )
    # the target is 100 ms; a loaded 2-core test machine gets slack, but before the fix a
    # key waited for the whole import (5 s busy timeout x 3, then NOT SAVED)
    assert worst < 1.0


def test_articles_spooled_to_disk_are_stored_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same file imported with everything held in memory, and with a budget so small
    # that every parsed article goes through the temporary file: the databases agree
    from annotator.store import import_spool, imports
    from annotator.store.database import open_store

    corpus = tmp_path / "c.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for i, text in enumerate(
            [
                "First article. See [the report](http://example.com/r) for more.",
                "# A heading\n\nBy Jane Doe\n\nA body sentence. Another one, said Mr. Smith.",
                "Third. " * 40,
            ]
        ):
            fh.write(json.dumps({"id": f"s{i}", "text": text, "meta": {"n": i}}) + "\n")

    def rows(db: Path) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(db)
        try:
            return conn.execute(
                "SELECT a.external_id, a.meta, a.offset_map, a.words, s.* FROM sentences s "
                "JOIN articles a ON a.id = s.article_id ORDER BY s.id"
            ).fetchall()
        finally:
            conn.close()

    results = []
    for name, budget in (("memory", import_spool.SPOOL_MEMORY), ("disk", 1)):
        monkeypatch.setattr(import_spool, "SPOOL_MEMORY", budget)
        db = tmp_path / f"{name}.sqlite"
        with open_store(db) as store:
            r = imports.import_file(store, corpus)
        assert r.error is None and r.added == 3
        results.append(rows(db))
    assert results[0] == results[1]
    assert any(row[12] for row in results[0])  # links went through the spool too


def test_an_id_taken_meanwhile_by_another_import_is_said(tmp_path: Path) -> None:
    # validation passed, then another process imported the same id with other text before
    # this import wrote it: the import stops there and says what it had written (here
    # nothing: both articles were in the batch that rolled back)
    from annotator.ingest.articles import read_articles
    from annotator.store import import_spool, imports
    from annotator.store.articles import add_article
    from annotator.store.database import open_store

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "one", "text": "The first article. It is fine."}\n'
        '{"id": "two", "text": "The second article. Taken meanwhile."}\n',
        encoding="utf-8",
    )
    other = tmp_path / "two.txt"
    other.write_text("Another text for the id two. Imported first.\n", encoding="utf-8")
    db = tmp_path / "race.sqlite"
    with open_store(db) as store, open_store(db) as rival:
        result = imports.FileResult(corpus)
        with import_spool.Spool() as spool:
            assert imports._parse_all(store, corpus, None, spool) == []
            (art,) = read_articles(other)
            with rival.write() as conn:
                add_article(conn, art)
            imports._write_all(store, corpus, spool, result)
    assert result.error is not None
    assert str(result.error).startswith(f"{corpus}:2: article id 'two' is already")
    assert str(result.error).endswith("; nothing from this file was imported")
    assert result.added == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT external_id, source_path FROM articles").fetchall() == [
        ("two", str(other))
    ]
    conn.close()


def test_an_import_killed_mid_way_leaves_whole_articles_and_the_next_completes_it(
    tmp_path: Path,
) -> None:
    # kill -9 while the import writes: what is in the database is whole articles (each is
    # one transaction: its row, every segment, first_sentence_id), never half of one, and
    # importing the file again adds the rest and leaves those alone
    db = tmp_path / "team.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "annotator", "--db", str(db)]
    subprocess.run([*cmd, "import", str(SAMPLES)], check=True, capture_output=True, env=env)
    corpus = tmp_path / "big.jsonl"
    write_corpus(corpus, KILLED)
    importer = subprocess.Popen(
        [*cmd, "import", "-q", str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    watch = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and importer.poll() is None:
            if watch.execute("SELECT count(*) FROM articles").fetchone()[0] > 2 + 20:
                break
            time.sleep(0.01)
        assert importer.poll() is None, "the import ended before it could be killed"
        importer.kill()  # SIGKILL
        importer.wait()
        written = watch.execute("SELECT count(*) FROM articles").fetchone()[0] - 2
        assert 0 < written < KILLED
        # every article in the database is whole
        broken = watch.execute(
            "SELECT a.external_id FROM articles a WHERE a.first_sentence_id IS NULL "
            "OR a.sentence_count != (SELECT count(*) FROM sentences s WHERE s.article_id = a.id) "
            "OR a.first_sentence_id != (SELECT min(id) FROM sentences s WHERE s.article_id = a.id)"
        ).fetchall()
        assert broken == []
    finally:
        watch.close()
        if importer.poll() is None:
            importer.kill()
    again = subprocess.run(
        [*cmd, "import", "-q", str(corpus)], capture_output=True, text=True, env=env, timeout=600
    )
    assert again.returncode == 0, again.stderr
    summary = again.stdout + again.stderr
    assert f"imported {KILLED - written} articles" in summary
    assert f"{written} already imported, unchanged" in summary
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2 + KILLED
    conn.close()


def test_keys_commit_while_the_longest_article_allowed_imports(tmp_path: Path) -> None:
    # one article at the size limit is one transaction: keys go on being saved around it
    # (the benchmark import_lock.py --big-mb 0.23 times them), and one just over the limit
    # is refused by name before anything is parsed
    from annotator.ingest.reading import MAX_ARTICLE_CHARS

    db = tmp_path / "team.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "annotator", "--db", str(db)]
    subprocess.run([*cmd, "import", str(SAMPLES)], check=True, capture_output=True, env=env)
    sentence = "The minister met an official on Tuesday, the spokesman said. "
    at_limit = write(tmp_path / "long.txt", sentence * (MAX_ARTICLE_CHARS // len(sentence)))
    over = write(tmp_path / "over.txt", sentence * (MAX_ARTICLE_CHARS // len(sentence) + 1))
    stop = tmp_path / "stop"
    keyer = subprocess.Popen(
        [sys.executable, "-c", KEYER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert keyer.stdout is not None
        assert keyer.stdout.readline().strip() == "ready"
        done = subprocess.run(
            [*cmd, "import", str(at_limit), str(over)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        time.sleep(0.5)  # a few keys after the import, too
        stop.touch()
        out, _ = keyer.communicate(timeout=60)
    finally:
        if keyer.poll() is None:
            keyer.kill()
    assert done.returncode == 1
    too_long = len(sentence) * (MAX_ARTICLE_CHARS // len(sentence) + 1)
    assert f"{over}: article of {too_long:,} characters is over the limit" in done.stderr
    assert "imported 1 article" in done.stderr
    keys = json.loads(out.strip().splitlines()[-1])
    assert keys and all(saved for _took, saved, _articles in keys)
    # keys were saved before the article went in and after it
    assert {articles for _took, _saved, articles in keys} == {2, 3}
