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
