"""The byline block: "By Jane Doe | Reuters", the reporter's role, a contact address, the
agency's credits, the date line under the headline."""

from __future__ import annotations

import re

from annotator.ingest.dates import DATE_CORE, DATE_LINE, TIME_LINE
from annotator.ingest.word_counts import SHORT, at_most_words

# "Written by Jane Doe on October 24, 2024", "By Jane Doe | Reuters", "Posted by ... at ..."
BYLINE = re.compile(
    r"^(?:(?:written|posted|published|reported|story|words)\s+)?by\s+\S.{0,120}$",
    re.IGNORECASE,
)

# Lines that belong to the byline without naming the author with "By": the reporter's role,
# a contact address, the agency's credits, a date line, initials signing off an article.
BYLINE_EXTRA = re.compile(
    r"^(?:(?:(?-i:[A-Z])[\w.'’-]*\s+){0,4}(?:staff|senior|chief|political|business|sports|special|"
    r"foreign|news|contributing|investigative)?\s*(?:reporter|writer|correspondent|editor|"
    r"columnist|contributor|journalist)s?|"
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
    r"(?:additional )?(?:reporting|writing|editing|compiled|produced) by\b.{1,160}|"
    r"(?:auteur|autor|author|édition|edition)\s*:?\s+\S.{0,60}|(?:date|datum)\s*:?\s+\d.{0,40}|"
    r"(?:written|updated|posted|published|last updated|latest update)(?:\s+on)?\s*:?"
    r"(?:\s+.{0,80})?|"
    r"(?-i:[A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+){0,3}(?:, [A-Z][A-Za-z.]+)?)\s*[—–]|"
    # two names in capitals ("JAKE SHERMAN and ANNA PALMER": politico bs4, its "By" removed
    # as repeated furniture); "FOOD and DRINK" is no pair of names (one word each)
    r"(?-i:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){1,3}"
    r"\s+and\s+[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){1,3})|"
    # a name over its date: "Miami Today on November 7, 2023" (a linked name the extractor
    # glued to the "on": "[Miami Today](/author/)on November 7, 2023")
    r"(?-i:[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3})\s*on\s+" + DATE_CORE + "|"
    r"\((?-i:[A-Z]{2,4})\)|[（(](?:评论员|记者|编辑|作者|责任编辑)[^）)]{1,30}[）)]|[—–]\s*(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}))$",
    re.IGNORECASE,
)


def is_byline(line: str) -> bool:
    return (
        len(line) <= SHORT
        and bool(BYLINE.match(line))
        and at_most_words(line, 16)
        and not line.rstrip().endswith(".")
    )


# "Posted: Thursday, April 21, 2022": the date line with its label
_POSTED = re.compile(r"^(?:posted|published|updated)(?:\s+on)?\s*:?\s+", re.IGNORECASE)


_DIGIT = re.compile(r"\d")


def is_byline_line(line: str) -> bool:
    """A line of the byline block: "By ...", the reporter's role, a contact address, the
    agency's credits, a date line (wider than is_byline, which also feeds the metadata)."""
    s = line.strip()
    # (DATE_LINE and TIME_LINE need a \d: looked for in one search, not character by character)
    if s.endswith(".") and len(s) <= 60 and _DIGIT.search(s):
        # a date or time line that the extractor closed with a full stop
        bare = _POSTED.sub("", s[:-1].rstrip())
        if DATE_LINE.match(bare) or TIME_LINE.match(bare):
            return True
    if len(s) > SHORT or s.endswith((",", ";", ".", "!", "?")):
        return False
    if is_byline(s) or DATE_LINE.match(s) or TIME_LINE.match(s):
        return True
    if s[:1] in _ROLE_OPENINGS and _ACADEMIC_ROLE.match(s):
        return True
    return bool(BYLINE_EXTRA.match(s)) and at_most_words(s, 30) and not s.endswith((".", "!", "?"))


# an academic author's role under the name ("Assistant professor of political science at UC
# Santa Barbara", theatlantic h2t), tried only on a line whose first letter can open it
_ROLE_OPENINGS = frozenset("AaPpLlRrSsVvDd")
_ACADEMIC_ROLE = re.compile(
    r"(?:(?:assistant|associate|adjunct|visiting|senior|research|distinguished)\s+)*"
    r"(?:professor|lecturer|researcher|scholar)\s+(?:of|at|in)\s+\S.{0,80}$",
    re.IGNORECASE,
)
