"""German ordinals the splitter cut: "am 9. November", "im 19. Jahrhundert", "zum 3. Mal".

German writes an ordinal as a number with a full stop and capitalises nouns, so the
splitter's English rule, "a number, a full stop, a capitalised word", ends a sentence in the
middle of a date or a noun phrase. The months English does not write ("März", "Oktober")
are never a sentence end after a day, in any article (abbreviations.ORDINAL_MONTHS). The
rest is undone here, once the article is known to be German (or Luxembourgish): the
splitter runs before the language is detected, which reads the segments it made, and in
English these are sentence ends ("The toll rose to 12. August was the worst month").
Two body sentences of a paragraph are joined when the first ends with
- a day (1-31) and the second opens with a month English writes too ("April", "Nov");
- an article or a contraction that needs a noun, then a number ("im 19.", "der 2.",
  "beim 3.", "zur 2."), the noun being what the second opens with; or "zum N." before
  "Mal". Not "am 14.", "vom 3.", "den 3.": a date whose month is left out ends a sentence
  ("Die Sitzung ist am 14. Danach ...").
"""

from __future__ import annotations

import re

from annotator.ingest.layout_assembly import MAX_SEGMENT, Segment

__all__ = ["LANGUAGES", "joined"]

# the languages that write "12. April" for the twelfth of April and "19. Jahrhundert"
LANGUAGES = frozenset({"de", "lb"})
# a sentence that ends with a day ("... am 9."): 1 to 31, after a space or its start
_ENDS_WITH_DAY = re.compile(r"(?:^|(?<=\s))(?:0?[1-9]|[12]\d|3[01])\.\Z")
# the months' names (and short forms) English writes too
_OPENS_WITH_MONTH = re.compile(r"(?:April|August|September|November|Jan|Feb|Apr|Aug|Sept?|Nov)\b")
# a sentence that ends with an article (or a preposition fused with one) and an ordinal
_ENDS_WITH_ORDINAL = re.compile(
    r"(?:^|(?<=\s))(?:(?:[Dd](?:er|ie|as|es)|[Ii]m|[Bb]eim|[Ii]ns|[Zz]ur)\s+\d{1,3}|"
    r"(?P<zum>[Zz]um\s+\d{1,3}))\.\Z"
)
_OPENS_WITH_NOUN = re.compile(r"[^\W\d_]")
_MAL = re.compile(r"Mal\b")


def _continues(prev: str, nxt: str) -> bool:
    """Does sentence `nxt` go on with the date or noun phrase `prev` ends with?"""
    if not nxt[:1].isupper():
        return False
    if _OPENS_WITH_MONTH.match(nxt) and _ENDS_WITH_DAY.search(prev):
        return True
    m = _ENDS_WITH_ORDINAL.search(prev)
    if m is None:
        return False
    return _MAL.match(nxt) is not None if m.group("zum") else bool(_OPENS_WITH_NOUN.match(nxt))


def joined(text: str, segments: list[Segment], language: str | None) -> list[Segment]:
    """`segments` with each body sentence that ends with a date or an ordinal joined to the
    next that goes on with it, in an article in a language of LANGUAGES; else as they are."""
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
            and text[prev.end - 1] == "."
            and not text[prev.end : seg.start].strip()
            and _continues(text[prev.start : prev.end], text[seg.start : seg.end])
        ):
            # a link across the boundary is on both: once on the sentence
            links = tuple(dict.fromkeys(prev.links + seg.links))
            out[-1] = Segment(prev.start, seg.end, "body", seg.paragraph, links)
            continue
        out.append(seg)
    return out
