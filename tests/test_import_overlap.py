"""A JSON Lines file is written while the workers parse it (store/import_stream.py), and
still imports nothing when it has an error: what was written before an error only parsing
finds is taken back (store/import_undo.py), unless someone's work is already on it or
another import wrote after it, which the error then says. What is stored is what parsing
in this process stores, and a kill -9 in the middle leaves whole articles that a second
import completes into what one clean import stores."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from annotator.store import import_stream, import_workers, import_writes, imports
from annotator.store.database import Store, open_store
from tests.conftest import ROOT, SAMPLES, SHARED, RunCli, write

CORPUS = SHARED / "news_corpus"
GOOD = "The minister said the talks went well. Officials agreed on Tuesday."
EMPTY = "[](http://example.com)"  # a link and nothing else: no text after cleaning
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))

ARTICLE_COLS = (
    "id, external_id, title, outlet_id, author, published, url, byline, text, text_sha256, "
    "original, encoding, offset_map, source_path, source_line, meta, words, syllables, "
    "flesch_reading_ease, flesch_kincaid_grade, sentence_count, language, extracted, "
    "first_sentence_id"
)


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row an import writes (not its time), in id order."""
    conn = sqlite3.connect(db)
    try:
        return {
            "articles": conn.execute(f"SELECT {ARTICLE_COLS} FROM articles ORDER BY id").fetchall(),
            "sentences": conn.execute("SELECT * FROM sentences ORDER BY id").fetchall(),
            "records": conn.execute(
                "SELECT * FROM sentence_records ORDER BY sentence_id"
            ).fetchall(),
            "outlets": conn.execute("SELECT * FROM outlets ORDER BY id").fetchall(),
            "by_writer": conn.execute("SELECT * FROM sentence_records_by_writer").fetchall(),
        }
    finally:
        conn.close()


def lines(n: int, *, outlet: bool = False) -> list[str]:
    return [
        json.dumps(
            {"id": f"a{i}", "text": f"{GOOD} Number {i}."}
            | ({"outlet": f"Outlet {i % 3}"} if outlet else {})
        )
        for i in range(n)
    ]


def import_with(db: Path, paths: Sequence[Path], workers: int) -> list[imports.FileResult]:
    with open_store(db) as store:
        return list(imports.import_files(store, paths, workers=workers))


def summary(results: list[imports.FileResult]) -> list[tuple[object, ...]]:
    return [
        (r.path, r.added, r.unchanged, r.unchanged_ids, r.sentences, str(r.error or ""), r.notes)
        for r in results
    ]


class Undone:
    """The real undo_import, counting what it was asked to take back; `before` runs first
    (someone working meanwhile)."""

    def __init__(self, mp: pytest.MonkeyPatch, before: object = None) -> None:
        self.asked: list[int] = []
        self._real = imports.undo_import
        self._before = before
        mp.setattr(imports, "undo_import", self)

    def __call__(self, store: Store, added: Sequence[int], outlets: int) -> str | None:
        self.asked.append(len(added))
        if callable(self._before):
            self._before()
        return self._real(store, added, outlets)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # many chunks on a small file, and a transaction per article: every article before the
    # error is committed before it is met, however fast the machine (a 10 ms batch could
    # hold the whole file and be rolled back with the error: nothing to take back)
    monkeypatch.setattr(import_workers, "CHUNK_ARTICLES", 4)
    monkeypatch.setattr(import_writes, "BATCH_SECONDS", 0.0)
    monkeypatch.setattr(import_writes, "PAUSE_SECONDS", 0.0)


def test_a_late_error_takes_back_what_the_file_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    rows = lines(60, outlet=True)
    rows[51] = json.dumps({"id": "empty", "text": EMPTY, "outlet": "Only here"})
    bad = write(tmp_path / "bad.jsonl", "\n".join(rows) + "\n")
    before = {}
    for workers in (0, 2):
        db = tmp_path / f"w{workers}.sqlite"
        import_with(db, SAMPLE_FILES, 0)  # a project with articles and outlets of its own
        before[workers] = dump(db)
    undone = Undone(monkeypatch)
    fast = import_with(tmp_path / "w2.sqlite", [bad], 2)
    plain = import_with(tmp_path / "w0.sqlite", [bad], 0)
    assert summary(fast) == summary(plain)
    assert str(fast[0].error) == f"{bad}:52: no text to annotate after cleaning"
    assert (fast[0].added, fast[0].sentences, fast[0].notes) == (0, 0, [])
    # the chunks before line 52's were written (48 articles: a chunk with an error hands
    # back none of its own), then taken back
    assert undone.asked == [48]
    assert dump(tmp_path / "w2.sqlite") == before[2]
    assert dump(tmp_path / "w0.sqlite") == before[0]
    # and nothing is left in the way of importing the file once fixed
    rows[51] = json.dumps({"id": "fixed", "text": f"{GOOD} Fixed."})
    write(bad, "\n".join(rows) + "\n")
    again = import_with(tmp_path / "w2.sqlite", [bad], 2)
    assert (again[0].added, again[0].error) == (60, None)
    clean = tmp_path / "clean.sqlite"
    import_with(clean, [*SAMPLE_FILES, bad], 0)
    assert dump(tmp_path / "w2.sqlite") == dump(clean)


def late_error_rows() -> list[str]:
    """40 JSONL lines, the 38th with no text after cleaning: an error only parsing finds."""
    rows = lines(40)
    rows[37] = json.dumps({"id": "empty", "text": EMPTY})
    return rows


def label_a3(db: Path) -> None:
    """An annotator opens a3 as soon as it is there, and labels it."""
    from annotator.session import AnnotationSession
    from annotator.store.schemas import use_guidelines

    with open_store(db) as other:
        g, _ = use_guidelines(other)
        assert AnnotationSession(other, g, "quick", article="a3").toggle("QUOTE").saved


def test_work_done_meanwhile_is_kept_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    rows = late_error_rows()
    bad = write(tmp_path / "bad.jsonl", "\n".join(rows) + "\n")
    db = tmp_path / "team.sqlite"
    import_with(db, SAMPLE_FILES, 0)

    undone = Undone(monkeypatch, lambda: label_a3(db))
    (result,) = import_with(db, [bad], 2)
    (written,) = undone.asked
    assert written == 36  # the chunks of 4 before line 38's
    assert str(result.error) == (
        f"{bad}:38: no text to annotate after cleaning; {written} article(s) of this file "
        "before it were already imported and are kept: work on 1 of them (a3) is already "
        "stored (annotations, annotators, events, suggestion_conditions)"
    )
    assert result.added == written
    conn = sqlite3.connect(db)
    stored = [r[0] for r in conn.execute("SELECT external_id FROM articles ORDER BY id")]
    conn.close()
    assert stored[-written:] == [f"a{i}" for i in range(written)]
    # importing the fixed file adds the rest and leaves those (and the label) alone
    rows[37] = json.dumps({"id": "fixed", "text": f"{GOOD} Fixed."})
    write(bad, "\n".join(rows) + "\n")
    (again,) = import_with(db, [bad], 2)
    assert (again.added, again.unchanged, again.error) == (40 - written, written, None)


def test_another_import_written_after_them_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    # deleting this file's articles from under another import's would leave a gap in the
    # ids, which the store counts and ranks by
    rows = late_error_rows()
    bad = write(tmp_path / "bad.jsonl", "\n".join(rows) + "\n")
    other = write(tmp_path / "other.txt", "Another text. Imported meanwhile by someone else.\n")
    db = tmp_path / "team.sqlite"

    def rival_import() -> None:
        with open_store(db) as rival:
            assert imports.import_file(rival, other).added == 1

    undone = Undone(monkeypatch, rival_import)
    (result,) = import_with(db, [bad], 2)
    (written,) = undone.asked
    assert str(result.error).endswith(
        f"; {written} article(s) of this file before it were already imported and are "
        "kept: another import wrote articles after them"
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == written + 1
    assert conn.execute("SELECT max(id) - min(id) + 1 FROM articles").fetchone()[0] == written + 1
    conn.close()


def test_what_reading_finds_is_found_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    # an id twice, a line that is not JSON, an id stored with other text: the file is
    # parsed whole before writing, as before, and the undo is never needed
    rows = lines(30)
    twice = write(tmp_path / "twice.jsonl", "\n".join([*rows, rows[4]]) + "\n")
    broken = write(tmp_path / "broken.jsonl", "\n".join([*rows[:25], "{not json"]) + "\n")
    taken = write(
        tmp_path / "taken.jsonl",
        "\n".join([*rows[10:30], json.dumps({"id": "a3", "text": "Other words."})]) + "\n",
    )
    first = write(tmp_path / "first.jsonl", "\n".join(rows[:10]) + "\n")
    undone = Undone(monkeypatch)
    paths = [first, twice, broken, taken]
    fast = import_with(tmp_path / "fast.sqlite", paths, 2)
    plain = import_with(tmp_path / "plain.sqlite", paths, 0)
    assert summary(fast) == summary(plain)
    assert undone.asked == []
    assert [str(r.error) for r in fast[1:]] == [
        f"{twice}:31: article id 'a4' repeats (first on line 5)",
        f"{broken}:26: invalid JSON: Expecting property name enclosed in double quotes at column 2",
        f"{taken}:21: article id 'a3' is already in the database with different text; "
        "give this version another id (front matter or JSON 'id') to import it",
    ]
    assert dump(tmp_path / "fast.sqlite") == dump(tmp_path / "plain.sqlite")


def test_the_check_reads_ids_as_they_are_stored(tmp_path: Path) -> None:
    # ids repeated or stored, looked up in batches larger than one query's
    rows = lines(1_200)
    path = write(tmp_path / "many.jsonl", "\n".join(rows) + "\n")
    with open_store(tmp_path / "db.sqlite") as store:
        assert import_stream.check_jsonl(store, path, None)
        assert imports.import_file(store, write(tmp_path / "one.jsonl", rows[1100] + "\n")).added
        assert import_stream.check_jsonl(store, path, None)  # the same bytes: unchanged
        changed = write(tmp_path / "c.jsonl", "\n".join([*rows[:1100], rows[1100][:-3] + '!"}']))
        assert not import_stream.check_jsonl(store, changed, None)
        assert not import_stream.check_jsonl(store, write(tmp_path / "d.jsonl", rows[7] * 2), None)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not there")
def test_the_corpus_streamed_stores_what_parsing_here_stores(
    tmp_path: Path, small_chunks: None
) -> None:
    files = [p for d in ("txt", "md") for p in sorted((CORPUS / d).iterdir())][::3]
    jsonl = tmp_path / "corpus.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for p in files:
            fh.write(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) + "\n")
    fast = import_with(tmp_path / "fast.sqlite", [jsonl], 2)
    plain = import_with(tmp_path / "plain.sqlite", [jsonl], 0)
    assert summary(fast) == summary(plain)
    assert fast[0].error is None and fast[0].added > 20
    assert dump(tmp_path / "fast.sqlite") == dump(tmp_path / "plain.sqlite")


def writing(importer: subprocess.Popen[bytes], db: Path, past: int = 10) -> bool:
    """Wait (5 minutes at most) until the import has written more than `past` articles;
    False if it ended first."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and importer.poll() is None:
        if db.exists():
            try:
                watch = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                written = watch.execute("SELECT count(*) FROM articles").fetchone()[0]
                watch.close()
            except sqlite3.OperationalError:
                written = 0  # not yet made
            if written > past:
                break
        time.sleep(0.002)
    return importer.poll() is None


def test_a_streamed_import_killed_mid_way_is_completed_by_the_next(tmp_path: Path) -> None:
    # over PARALLEL_BYTES: the real CLI parses it in workers and writes as it parses
    corpus = tmp_path / "big.jsonl"
    n = 0
    with open(corpus, "w", encoding="utf-8") as fh:
        while fh.tell() < 1.3 * import_workers.PARALLEL_BYTES:
            text = " ".join(f"Article {n} says official {j} met the minister." for j in range(12))
            fh.write(json.dumps({"id": f"a{n}", "text": text, "outlet": f"O{n % 5}"}) + "\n")
            n += 1
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    db = tmp_path / "team.sqlite"
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import", "-q", str(corpus)]
    importer = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        assert writing(importer, db), "the import ended before it could be killed"
        importer.kill()  # SIGKILL, while parsing goes on
        importer.wait()
    finally:
        if importer.poll() is None:
            importer.kill()
    conn = sqlite3.connect(db)
    written = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert 0 < written < n
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"imported {n - written} articles" in again.stdout + again.stderr
    clean = tmp_path / "clean.sqlite"
    subprocess.run([*cmd[:4], str(clean), *cmd[5:]], check=True, capture_output=True, env=env)
    assert dump(db) == dump(clean)


def test_an_id_taken_after_the_check_stops_the_file_and_takes_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    # another import stores a30 with other text between this file's check and its write:
    # found when a30 comes back from the workers, the file's 30 articles written before it
    # are taken back, and the error is the one the check would have said
    path = write(tmp_path / "f.jsonl", "\n".join(lines(40)) + "\n")
    other = write(tmp_path / "a30.txt", "Other words for a30. Stored meanwhile.\n")
    db = tmp_path / "team.sqlite"
    real_check = imports.check_jsonl

    def check_then_rival(store: Store, p: Path, encoding: str | None) -> bool:
        passed = real_check(store, p, encoding)
        with open_store(db) as rival:
            assert imports.import_file(rival, other).added == 1
        return passed

    monkeypatch.setattr(imports, "check_jsonl", check_then_rival)
    undone = Undone(monkeypatch)
    (result,) = import_with(db, [path], 2)
    assert undone.asked == [30]
    assert str(result.error) == (
        f"{path}:31: article id 'a30' is already in the database with different text; "
        "give this version another id (front matter or JSON 'id') to import it"
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT external_id FROM articles").fetchall() == [("a30",)]
    conn.close()


def test_the_summary_says_a_failed_file_kept_what_it_wrote(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_chunks: None,
    run_cli: RunCli,
    db_path: Path,
) -> None:
    """When a late error keeps the articles written (someone's work is on them), the last
    line said "nothing imported from them", against the error line above it."""
    assert run_cli("import", *map(str, SAMPLE_FILES)).exit_code == 0
    rows = late_error_rows()
    bad = write(tmp_path / "bad.jsonl", "\n".join(rows) + "\n")

    monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(import_workers, "CHUNK_CHARS", 1)
    Undone(monkeypatch, lambda: label_a3(db_path))
    result = run_cli("import", str(bad))
    assert result.exit_code == 1
    assert "are kept: work on 1 of them (a3)" in result.output
    assert f"1 failed (1 kept what they wrote first): {bad}" in result.output
    assert "nothing imported from them" not in result.output
