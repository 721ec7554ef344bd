"""Names on lines of their own, judged by their neighbours (a rule of neighbours.py): "By" /
"ALLY MUTNICK" (a byline a scraper broke over two lines), the author's name over the
address ("PETER CHRISTOPHER" / "peter.christopher@..."), a photographer's name in capitals
between a caption and the text ("NICOLE DRAYTON")."""

from __future__ import annotations

import re

from annotator.ingest import furniture as fx

# a name on its own line: two to four capitalised words, initials allowed
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}$")
# a photographer's name in capitals: first name and surname ("NICOLE DRAYTON"); a heading
# of two capitalised words that are not in _NOT_NAME reads the same (a known limit)
_CAPS_NAME = re.compile(r"^[A-Z][A-Z'’.-]+\s+[A-Z][A-Z'’.-]+$")
# capitalised words that make a short heading, not a person's name
_NOT_NAME_WORDS = (
    "THE A AN OF AND OR FOR IN ON AT TO BY WITH FROM NEWS LIVE UPDATE UPDATES VIDEO VIDEOS "
    "WATCH KEY EVENT EVENTS BREAKING LATEST MORE TOP STORIES RULES HOUSE SECTIONS EDITIONS "
    "POLICY SERIES CRIME CRIMES SEX CAUGHT CAMERA TAPE COUNTY OFFICE CITY STATE WORLD SPORTS "
    "SPORT BUSINESS OPINION EDITORIAL LETTERS POLITICS HEALTH TRAVEL WEATHER HOME MENU SEARCH "
    "NEW READ ALSO PHOTOS PHOTO GALLERY"
)
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split(" "))
# an address alone on its line (the list-item rule of neighbours.py asks it too)
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def _name_like(text: str) -> bool:
    t = text.strip()
    return bool(_NAME.match(t)) and not any(w.upper() in _NOT_NAME for w in t.split())


_NAMED = frozenset({"body", "heading", "title", "byline", "furniture"})


def names(kinds: list[str], texts: list[str]) -> None:
    """A name on its own line beside a byline, an address or a caption: the byline (broken
    over lines, or over its address) or a photographer's credit (neighbours.in_context)."""
    n = len(kinds)
    for i in range(n):
        if kinds[i] not in _NAMED:
            continue
        t = texts[i].strip()
        if len(t) > 60:
            continue
        if t.lower() == "by" and i + 1 < n and _name_like(texts[i + 1]):
            # "By" / "ALLY MUTNICK": a byline broken over two lines
            kinds[i] = kinds[i + 1] = "byline"
            continue
        if kinds[i] in ("byline", "furniture") or not _name_like(t):
            continue
        nxt = texts[i + 1].strip() if i + 1 < n else ""
        if i + 1 < n and kinds[i + 1] == "byline" and EMAIL.match(nxt):
            # the author's name over the address: "PETER CHRISTOPHER" / "peter.christopher@"
            local = nxt.split("@")[0].lower()
            if any(w.lower() in local for w in t.split() if len(w) > 2):
                kinds[i] = "byline"
                continue
        if (
            kinds[i] == "heading"
            and _CAPS_NAME.match(t)
            and 0 < i < n - 1
            and (
                (kinds[i - 1] == "body" and fx.ends_sentence(texts[i - 1]))
                or kinds[i - 1] == "media"  # a caption the HTML page marked as one
            )
            and kinds[i + 1] == "body"
        ):
            # a name in capitals between a caption and the text: the photographer's credit
            kinds[i] = "credit"
