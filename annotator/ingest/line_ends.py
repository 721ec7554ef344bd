"""Line ends other than LF (and the CR of a CRLF, which the line reader trims as trailing
space): a bare CR (old Mac files), a form feed (pdftotext's page break), a vertical tab
(Word's manual line break), NEL, the information separators and U+2028/U+2029 (the line and
paragraph separators of JavaScript and CMS JSON). They were not line breaks: a headline and
the first sentence were one segment, the character inside its text (audit6 F4).

Each is replaced by "\\n" in a copy of the source of the same length, as ingest/html_blocks.py
blanks block tags in place: every offset into the source stays valid, so the offset map
still points into the text as written (which keeps the original characters). str.splitlines
breaks at exactly these characters.
"""

from __future__ import annotations

import re

_ENDS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_ENDS = re.compile(f"[{_ENDS}]")


def _newline(m: re.Match[str]) -> str:
    s = m.string
    i = m.start()
    if s[i] == "\r" and s[i + 1 : i + 2] == "\n":
        return "\r"  # the CR of a CRLF: the LF breaks the line
    return "\n"


def with_line_feeds(source: str, start: int = 0) -> str:
    """`source` with every other line end from `start` on as a line feed (the same length);
    the same string when it has none."""
    if not has_other_ends(source, start):
        return source
    tail = source[start:]
    if "\r" not in tail:  # no CR: one translation, no look at the neighbours
        return source[:start] + tail.translate(_TABLE)
    return source[:start] + _OTHER_ENDS.sub(_newline, tail)


def has_other_ends(source: str, start: int = 0) -> bool:
    """Does source[start:] hold one of those line ends (most texts hold none)? One str.find
    per character: over a text with a character past Latin-1 (a curly quote will do) the
    regex engine scans its class at about a tenth of find's speed, and every text is
    scanned whole (the same answer as _OTHER_ENDS.search: tests/test_layout_shortcuts5.py)."""
    return any(source.find(c, start) >= 0 for c in _ENDS)


_TABLE = str.maketrans(dict.fromkeys("\v\f\x1c\x1d\x1e\x85\u2028\u2029", "\n"))
