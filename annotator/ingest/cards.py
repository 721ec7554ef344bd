"""Teaser cards as html2text writes them: a line of links back to back."""

from __future__ import annotations

import re

# One link of a teaser card: html2text writes a card as its links back to back, nothing between
# ("[Cork Loves](/all-about/cork-loves)[Gillian returned to Cork ...](/culture/...)", "[![](
# thumb.png)](/news/...)[Headline](/news/...)"): a section label, a picture, a headline, a
# standfirst, each a link to another story
_CARD_LINK = re.compile(r"\[((?:[^\[\]\n]|!\[[^\[\]\n]*\]\([^()\s]*\))*)\]\([^()\s]*\)")


def card_links(raw: str) -> list[tuple[int, int]] | None:
    """The spans (in `raw`) of the links of a teaser card when the line is two links or more
    back to back and nothing else; None otherwise. A line of prose never glues two links with
    nothing between."""
    if ")[" not in raw:
        return None
    spans: list[tuple[int, int]] = []
    pos = 0
    line = raw.rstrip()
    while pos < len(line):
        m = _CARD_LINK.match(line, pos)
        if m is None:
            return None
        spans.append(m.span())
        pos = m.end()
    return spans if len(spans) >= 2 else None
