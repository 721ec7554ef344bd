"""The language shortcut finds a text's words by an ASCII pattern when the text is ASCII but
for punctuation that is part of no word (ingest/language.py _words): the words, and the
detector's answers, are the plain pattern's on the corpus, the seeds, short items and
hand-made mixed text."""

from __future__ import annotations

import random
import re

import pytest

from annotator.ingest import language
from annotator.ingest.reading import read_text_file
from benchmarks.import_short import item
from tests.conftest import SHARED

_WORD = re.compile(r"[^\W\d_]+")
CORPUS = SHARED / "news_corpus"


def texts() -> list[str]:
    out = [
        read_text_file(p).text
        for folder in ("txt", "md", "crude")
        for p in sorted((CORPUS / folder).glob("*"))
    ]
    out += [read_text_file(p).text for p in sorted((SHARED / "seeds").glob("*.txt"))]
    rng = random.Random(5)
    out += [" ".join(item(rng, i).values()) for i in range(2000)]
    out += [
        "l’été “café” — naïve–x…y‘z\xa0w",
        "It’s “quoted” — and – so… ‘on’\xa0end",
        "don’t stop—believing “now”",
        "Ｆｕｌｌｗｉｄｔｈ and ß and İstanbul’s",
        "élan vital, “déjà vu” — 中文 and ١٢٣ digits ² x_y",
        "",
    ]
    return out


def test_the_characters_made_spaces_are_part_of_no_word() -> None:
    for c in language._NOT_WORDS:
        assert _WORD.fullmatch(c) is None and not c.isascii()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not present")
def test_the_words_are_the_plain_pattern_s() -> None:
    for text in texts():
        for t in (text, text.lower(), text[: language.SAMPLE].lower()):
            assert language._words(t) == _WORD.findall(t)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/news_corpus is not present")
def test_the_detector_answers_as_with_the_plain_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = texts()
    fast = [language.detect(t, hint="xx") for t in samples]
    monkeypatch.setattr(language, "_words", _WORD.findall)
    assert [language.detect(t, hint="xx") for t in samples] == fast
    assert {"en", "xx"} <= set(fast) and len(set(fast)) >= 4
