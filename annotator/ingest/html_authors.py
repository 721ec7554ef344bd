"""An HTML page's author as trafilatura reads it, without its placeholders and its glue.

trafilatura takes the author from the page's metadata and its byline's markup, and joins
several with "; ". Three of the news corpus's 59 pages came out wrong (audit11 F16):
- a placeholder the site writes where it has no name: `<meta name="author" content="No
  Author">` (japantimes); dropped, as the README drops other page furniture;
- the byline's label without its name: `<span>Article by</span><br><span>Barry
  Alleyne</span>` gave "Article by" (nationnews): the name the label stands before, when the
  page has one there, else nothing;
- words of the next element glued on: a date whose digits trafilatura strips ("CBS News" +
  "February 24, 2020" gave "CBS News February"), a job title ("Adam Aaronson" + "PhillyVoice
  Staff"). Only cut where the page itself shows the two apart: the name, then markup, then
  the date or the title; "Theresa May" and "John Staff" stay whole.
"""

from __future__ import annotations

import re

# what a site writes where it has no author's name
_PLACEHOLDER = re.compile(
    r"(?:no|unknown)(?: author)?|author(?: unknown)?|n/?a|none|null|undefined|"
    r"(?:(?:article|story|written|posted|words|report|reported|text|photos?) )?by",
    re.IGNORECASE,
)
# a byline's label, glued before the name ("Article by Barry Alleyne")
_LABEL = re.compile(r"(?:article|story|report|words) by\s+(?=\S)", re.IGNORECASE)
# what may be glued after a name: a month (its date's digits stripped), a job title
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
_ROLE = r"(?:\S+ )?(?:staff(?: writer| reporter)?|contributor|correspondent|contributing writer)"
_TAIL = re.compile(rf"\s+(?P<tail>(?:{_MONTH})|{_ROLE})$", re.IGNORECASE)
# markup and spaces between two elements' texts
_BETWEEN = rb"(?:\s|&nbsp;|<[^<>]{0,300}>)*"
# a name as a byline writes it: two to four capitalised words
_NAME = re.compile(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}")


def page_author(author: str | None, page: bytes) -> str | None:
    """trafilatura's author of `page`, each name ("; " between them) without a placeholder,
    a label or the glue the page shows apart; None when no name is left."""
    if not author:
        return None
    names: list[str] = []
    for name in author.split("; "):
        fixed = _fixed(name.strip(), page)
        if fixed and fixed not in names:
            names.append(fixed)
    return "; ".join(names) or None


def _fixed(name: str, page: bytes) -> str | None:
    if _PLACEHOLDER.fullmatch(name):
        return _named_after(name, page)
    name = _LABEL.sub("", name, count=1)
    m = _TAIL.search(name)
    if m is not None and _shown_apart(name[: m.start()], m.group("tail"), page):
        return name[: m.start()]
    return name


def _shown_apart(head: str, tail: str, page: bytes) -> bool:
    """Does the page show `head` and then, past some markup, `tail` (a month then a day's
    digits when it is a month)?"""
    after = re.escape(tail.encode("utf-8"))
    if re.fullmatch(_MONTH, tail, re.IGNORECASE):
        after += rb"\s+\d"
    pattern = re.escape(head.encode("utf-8")) + rb"\s*<[^<>]{0,300}>" + _BETWEEN + after
    return re.search(pattern, page, re.IGNORECASE) is not None


def _named_after(label: str, page: bytes) -> str | None:
    """The name an element holding only the byline's label ("Article by") stands before in
    the page, when the next element's text is one; None for a placeholder."""
    if not label.lower().endswith("by"):
        return None
    label_alone = rb">\s*" + re.escape(label.encode("utf-8")) + rb"\s*(?=<)"
    m = re.search(label_alone + _BETWEEN + rb"([^<>]{3,80})<", page, re.IGNORECASE)
    if m is None:
        return None
    text = " ".join(m.group(1).decode("utf-8", "replace").split())
    return text if _NAME.fullmatch(text) else None
