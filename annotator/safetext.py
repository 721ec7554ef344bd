"""Making untrusted text safe to put on a terminal, one character for one.

Article text is scraped from the web and may hold ESC sequences, OSC 52 clipboard writes,
bidi overrides or NUL. Sent to a terminal they would act instead of show. Each is replaced by
a single visible placeholder, so the displayed string has the same length as the stored one
and every offset (sentence start/end, link spans) stays valid.
"""

from __future__ import annotations

# C0 controls as the Unicode "Control Pictures" (␀ ␁ ... ␛ ...), DEL as ␡
_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}
_TABLE[0x7F] = "\u2421"
# line breaks and tabs inside a sentence display as a plain space
for _c in (0x09, 0x0A, 0x0D):
    _TABLE[_c] = " "
# C1 controls (0x80-0x9F include CSI 0x9B and OSC 0x9D, which some terminals obey)
for _c in range(0x80, 0xA0):
    _TABLE[_c] = "\ufffd"
# bidi embeddings, overrides and isolates: they reorder what follows them on screen
for _c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)):
    _TABLE[_c] = "\ufffd"
# line and paragraph separators break lines in some terminals
_TABLE[0x2028] = " "
_TABLE[0x2029] = " "


def printable(text: str) -> str:
    """`text` with every terminal-active character replaced by a visible placeholder."""
    return text.translate(_TABLE)


def has_controls(text: str) -> bool:
    return printable(text) != text


# Text of many lines (guidelines, messages, tables): line breaks and tabs stay what they are;
# a carriage return would let a line overwrite itself, so it shows as a placeholder.
_LINES: dict[int, str] = dict(_TABLE)
del _LINES[0x0A], _LINES[0x09]
_LINES[0x0D] = "\u240d"


def printable_lines(text: str) -> str:
    """`text` for a terminal, keeping its line breaks and tabs (CRLF reads as one break);
    every other terminal-active character becomes a visible placeholder."""
    return text.replace("\r\n", "\n").translate(_LINES)


# JSON for a terminal: the same characters as \uXXXX escapes, which decode to the same value.
# JSON already escapes C0 controls inside strings, and outside strings there are only the
# line breaks, tabs and spaces of its layout, which must stay.
_JSON: dict[int, str] = {c: f"\\u{c:04x}" for c in _TABLE if c not in (0x09, 0x0A, 0x0D)}


def json_for_terminal(text: str) -> str:
    """JSON text with every terminal-active character escaped: still valid JSON, same value."""
    return text.translate(_JSON)


# Text a person typed or pasted to be stored (a note, a comment): what is terminal-active is
# dropped, not shown as a placeholder; line breaks and tabs stay.
_TYPED: dict[int, str | None] = {c: None for c in _LINES}
_TYPED[0x2028] = _TYPED[0x2029] = "\n"


def typed(text: str) -> str:
    """`text` as a note is stored: without control characters, bidi overrides and the
    like (audit15d F1: a note pasted in the browser kept a raw ESC, which every export and
    `review` then printed), its line breaks (CRLF as one) and tabs kept."""
    return text.replace("\r\n", "\n").translate(_TYPED)
