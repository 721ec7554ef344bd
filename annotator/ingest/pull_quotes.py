"""Pull quotes: a quotation the page repeats in large type beside the article, with its
attribution under it (politico, html2text: '> "Meadows screwed everybody ... They have all
been eyeing that seat and figured they had two more years."' / '> A GOP operative in the
state'). Its words are already in the article, where they are labelled; shown again as
body they would be labelled twice, and the attribution read as a heading. Both are
furniture."""

from __future__ import annotations

import re
from collections.abc import Sequence

_OPENING = "\"“‘'"
_CLOSING = "\"”’'"
# the pieces of a quotation a pull quote joins with an ellipsis
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…)\s*")
# an attribution: a few words, no final punctuation ("A GOP operative in the state")
_MAX_ATTRIBUTION_WORDS = 10
# how far back a pull quote's words are looked for: it stands beside what it repeats, and a
# bounded look keeps an article of many quotations linear
_LOOK_BACK = 20_000


def _pieces(quote: str) -> list[str] | None:
    """The pieces of a quotation that is a whole segment, or None when it is not one."""
    s = quote.strip()
    if len(s) < 20 or s[0] not in _OPENING or s[-1] not in _CLOSING:
        return None
    inner = s[1:-1].strip().rstrip(".!?").strip()
    pieces = [p for p in _ELLIPSIS.split(inner) if p]
    # every piece long enough that finding it earlier is no coincidence
    if not pieces or any(len(p.split()) < 3 for p in pieces) or len(inner.split()) < 8:
        return None
    return pieces


def pull_quote_kinds(text: str, segs: Sequence[tuple[str, int, int, int]]) -> list[str]:
    """The kinds of (kind, start, end, paragraph) segments of `text`, with a pull quote (a
    body paragraph that is one quotation whose every piece the article said shortly before)
    and its attribution (the short unpunctuated segment right after it) made furniture."""
    kinds = [k for k, _s, _e, _p in segs]
    for i, (kind, start, end, para) in enumerate(segs):
        if kind != "body" or text[start] not in _OPENING:
            continue
        if (i and segs[i - 1][3] == para) or (i + 1 < len(segs) and segs[i + 1][3] == para):
            continue  # a quotation inside a paragraph is the article's own
        pieces = _pieces(text[start:end])
        low = max(0, start - _LOOK_BACK)
        if pieces is None or not all(text.find(p, low, start) >= 0 for p in pieces):
            continue
        attribution = False
        if i + 1 < len(segs):
            nkind, ns, ne, _np = segs[i + 1]
            after = text[ns:ne]
            attribution = (
                nkind in ("heading", "body")
                and len(after.split()) <= _MAX_ATTRIBUTION_WORDS
                and after.rstrip()[-1:] not in ".!?:\"”’'"
            )
        # a quotation said again whole is a live blog repeating itself, not a pull quote:
        # one is cut with an ellipsis or signed under it
        if len(pieces) < 2 and not attribution:
            continue
        kinds[i] = "furniture"
        if attribution:
            kinds[i + 1] = "furniture"
    return kinds
