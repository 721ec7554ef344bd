"""German dates whose month English writes too: "am 9. November", "bis zum 12. August".

German writes the day as an ordinal, with a full stop, and the month capitalised, so the
splitter's "a number, a full stop, a capitalised word" ends a sentence in the middle of a
date. The months English does not write ("März", "Oktober") are never a sentence end after
a day, in any article (abbreviations.ORDINAL_MONTHS). "April", "August", "September" and
"November" may open an English sentence after one that ends with a number ("The toll rose
to 12. August was the worst month"), so the splitter keeps those boundaries and they are
undone here, once the article is known to be German (or Luxembourgish): the splitter runs
before the language is detected, which reads the segments it made.
"""

from __future__ import annotations

import re

from annotator.ingest.layout_assembly import MAX_SEGMENT, Segment

__all__ = ["LANGUAGES", "joined"]

# the languages that write "12. April" for the twelfth of April
LANGUAGES = frozenset({"de", "lb"})
# the months' names (and short forms) as English writes them too
_SHARED = "April|August|September|November|Jan|Feb|Apr|Aug|Sep|Sept|Nov"
# a sentence that ends with a day ("... am 9."): 1 to 31, after a space or its start
_ENDS_WITH_DAY = re.compile(r"(?:^|(?<=\s))(?:0?[1-9]|[12]\d|3[01])\.\Z")
_OPENS_WITH_MONTH = re.compile(rf"(?:{_SHARED})\b")


def joined(text: str, segments: list[Segment], language: str | None) -> list[Segment]:
    """`segments` with each body sentence that ends with a day joined to the next when that
    opens with its month, in an article in a language of LANGUAGES; else as they are."""
    if language not in LANGUAGES:
        return segments
    out: list[Segment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if (
            prev is not None
            and seg.kind == "body"
            and prev.kind == "body"
            and prev.paragraph == seg.paragraph
            and seg.end - prev.start <= MAX_SEGMENT
            and not text[prev.end : seg.start].strip()
            and _OPENS_WITH_MONTH.match(text[seg.start : seg.end])
            and _ENDS_WITH_DAY.search(text[prev.start : prev.end])
        ):
            # a link across the boundary is on both: once on the sentence
            links = tuple(dict.fromkeys(prev.links + seg.links))
            out[-1] = Segment(prev.start, seg.end, "body", seg.paragraph, links)
            continue
        out.append(seg)
    return out
