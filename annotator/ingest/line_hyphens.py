"""A word a PDF extraction hyphenated at a line end ("the bus net-" / "work will expand"):
joined back ("network") when the joined word is a known word and the hyphenated form is not
("well-" / "known" stays "well-known", "e-" / "mail" stays "e-mail": cmudict spells both
with the hyphen). Known means in cmudict, the pronouncing dictionary the readability scores
already read (offline, ~135,000 words, names included). The next line must open with a
lowercase letter ("anti-" / "American" is a compound), and the two lines must be one
paragraph's.

The two lines become one line; the hyphen, the line break and the indentation between them
are a mark that shows nothing (as an emphasis marker is), so the cleaned text reads
"network" and every other character keeps its offset into the source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from annotator.ingest.layout_lines import BLANK, Line
from annotator.ingest.lazy_re import rx

# the hyphen at a line end, the line break and the next line's indentation: nothing shown
_BREAK = r"()-[ \t]*\n[ \t]*"
_LAST_WORD = r"([^\W\d_]+)-$"
_FIRST_WORD = r"[^\W\d_]+"


class _Lookup(Protocol):
    def syllables(self, word: str) -> int | None: ...


@lru_cache(maxsize=1)
def _cmudict() -> _Lookup:
    # (imported here: the layout does not pay for the readability module until a text has
    # a word broken at a line end)
    from annotator.ingest.readability import cmudict_lookup

    return cmudict_lookup()


def known(word: str) -> bool:
    """Is the word (lowercase) in cmudict?"""
    return _cmudict().syllables(word) is not None


def may_hold_breaks(text: str, start: int) -> bool:
    # (the engine's scan for a literal is faster than str.find's for "-\n": "-" and "\n" are
    # common characters)
    return _HYPHEN_END.search(text, start) is not None


_HYPHEN_END = re.compile("-\n")


def joined_hyphens(text: str, lines: list[Line]) -> list[Line]:
    """lines, with each line that ends in a word broken by a hyphen made one with the next
    line, when the word joined is known and the hyphenated one is not."""
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev is not BLANK
            and ln is not BLANK
            and prev.visible[-1:] == "-"
            and ln.visible[:1].islower()
            and not prev.region
            and not ln.region
            and text[prev.end - 1 : prev.end] == "-"
        ):
            joined = _joined(text, prev, ln)
            if joined is not None:
                out[-1] = joined
                continue
        out.append(ln)
    return out


def _joined(text: str, a: Line, b: Line) -> Line | None:
    head = rx(_LAST_WORD).search(a.visible)
    tail = rx(_FIRST_WORD).match(b.visible)
    if head is None or tail is None or not tail.group().islower():
        return None
    m = rx(_BREAK).match(text, a.end - 1, b.start)
    if m is None or m.end() != b.start:
        return None  # not the next line of the same paragraph
    first, second = head.group(1).lower(), tail.group()
    if not known(first + second) or known(f"{first}-{second}"):
        return None
    marks = [*(a.marks or []), m, *(b.marks or [])]
    return Line(a.start, b.end, a.visible[:-1] + b.visible, False, marks)
