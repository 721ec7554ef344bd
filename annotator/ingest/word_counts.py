"""Counting the words of a line, and the length past which a line is not page furniture.

A word is a run of word characters, joined across an apostrophe or a hyphen ("don't",
"well-known"). Chinese and Japanese are written without spaces, where such a run takes a
whole clause: there, two Han or kana characters count as one word more (audit5 F6), so that
a line's length in words means the same in every script (Korean spaces its words). Furniture,
credits and bylines are short lines: the length check spares their patterns every prose
paragraph.
"""

from __future__ import annotations

import re

# Furniture lines are short: the length checks spare the regexes every prose paragraph.
SHORT = 160

WORD = re.compile(r"\w+(?:[’'-]\w+)*")

# Han and kana: Chinese and Japanese are written without spaces, where \w+ takes a whole
# clause as one word (Korean spaces its words)
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(line: str) -> int:
    """The words of a line: its word runs, a Han or kana character counting half a word
    ("新华社记者 才扬 摄" is three words and a half, rounded up; a Chinese clause was one run)."""
    # (no character as high as kana: a quick C loop spares the scan for Han)
    if line.isascii() or max(line) < "\u3040":
        return len(WORD.findall(line))
    han = len(_UNSPACED.findall(line))
    if not han:
        return len(WORD.findall(line))
    return len(WORD.findall(_UNSPACED.sub(" ", line))) + (han + 1) // 2


def at_most_words(line: str, k: int) -> bool:
    """words(line) <= k, without counting a line too short to hold more: a word is
    followed by a character that is not part of one, so n words need 2n - 1 characters
    (two Han or kana characters make one word: the bound holds for them too)."""
    if len(line) < 2 * k:
        return True
    n = len(WORD.findall(line))
    if line.isascii() or max(line) < "\u3040":
        return n <= k  # (no Han or kana: its word runs are its words)
    return words(line) <= k


def at_most_words_spaced_or_not(line: str, k: int) -> bool:
    """at_most_words (the name the furniture test of repeated lines knew it by before words
    counted Han and kana: a Chinese paragraph of four sentences was one word run between its
    commas and stops, audit5 F6)."""
    return at_most_words(line, k)
