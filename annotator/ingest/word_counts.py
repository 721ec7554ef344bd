"""Counting the words of a line, and the length past which a line is not page furniture.

A word is a run of word characters, joined across an apostrophe or a hyphen ("don't",
"well-known"). Furniture, credits and bylines are short lines: the length check spares their
patterns every prose paragraph.
"""

from __future__ import annotations

import re

# Furniture lines are short: the length checks spare the regexes every prose paragraph.
SHORT = 160

WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def words(line: str) -> int:
    return len(WORD.findall(line))


def at_most_words(line: str, k: int) -> bool:
    """words(line) <= k, without counting a line too short to hold more: a word is
    followed by a character that is not part of one, so n words need 2n - 1 characters."""
    return len(line) < 2 * k or len(WORD.findall(line)) <= k
