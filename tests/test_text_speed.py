"""The text stages' fast paths answer what their plain forms answer, hostile text included:
readability's token and Counts caches against textstat itself, sentence by sentence, with
caches that fill and empty all the time."""

from __future__ import annotations

import pytest

from annotator.ingest import readability
from tests.conftest import SAMPLES, SHARED

# what splits, strips or lowercases differently: apostrophes before and after contraction
# endings, whitespace of several kinds (\x1e and \x1c are whitespace to str.split and to
# the regex), NUL, letters that lowercase to two characters, punctuation-only tokens
HOSTILE = [
    "",
    "   \n\t ",
    "U.S.-led co-operation",
    "rock'n'roll dogs' toys 've x've 'll 're 'd 's 't O'Neill's",
    "''s 'tis 'twas 'quoted' it's they're we'd y'all o'clock '' ' x'",
    "it's It's IT'S it’s",
    "a\x1eb\x1cc\x00d \x00 e\x00",
    "İSTANBUL İstanbul ǅemal ß ﬁne ½ ² Zürich naïve café ÆON",
    "— ... … (ok) [sic] {x} #tag @name e-mail 3.5% $1,000",
    "«Ça va?» — l’économie; «Ça va?» — l’économie;",
    "the the the The THE the.",
    "Zzyzx zzyzxq qqqxyzzy sepulveda Sepulveda sepultura",
]


def _texts() -> list[str]:
    texts = [
        line
        for path in sorted(SAMPLES.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    corpus = SHARED / "news_corpus" / "crude"
    if corpus.is_dir():  # a few real pages: curly quotes, dashes, every kind of token
        for path in sorted(corpus.iterdir())[:6]:
            texts += path.read_text(encoding="utf-8").splitlines()
    return HOSTILE + texts + HOSTILE  # the second time from the caches


def _textstat_s(texts: list[str]) -> list[tuple[int, int, int]]:
    import textstat

    out = []
    for t in texts:
        words = textstat.lexicon_count(t)
        out.append((words, textstat.syllable_count(t) if words else 0, 1 if words else 0))
    return out


def test_counts_each_is_textstat_s_sentence_by_sentence() -> None:
    texts = _texts()
    got = [(c.words, c.syllables, c.sentences) for c in readability.counts_each(texts)]
    assert got == _textstat_s(texts)
    assert [readability.counts(t) for t in texts] == readability.counts_each(texts)
    assert readability.counts_each([]) == []


def test_counts_are_the_same_when_the_caches_fill_up(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    expected = _textstat_s(texts)
    # a token cache that empties every third new token, and no new Counts kept
    monkeypatch.setattr(readability, "TOKEN_CACHE", 3)
    monkeypatch.setattr(readability, "COUNTS_CACHE", 0)
    for _ in range(2):
        got = [(c.words, c.syllables, c.sentences) for c in readability.counts_each(texts)]
        assert got == expected
