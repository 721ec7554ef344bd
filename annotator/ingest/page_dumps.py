"""Judgements made inside one "sentence" of a page dump, where a crude scraper ran the page
together: the comment form's buttons or a list of dated headlines in it, a share row or a
byline glued to the lede (layout_assembly cuts or marks the sentence by these). furniture.py
judges whole lines."""

from __future__ import annotations

import re

from annotator.ingest.dates import DATE_ANY, DATE_AT_END

# phrases that only a page dump puts inside a "sentence": the comment form's buttons, the
# related-stories box's tabs (caymancompass: a whole page on one line)
DUMP_MARKER = re.compile(
    r"(?-i:LEAVE A REPLY)|\bCancel reply\b|^Related (?:Videos|articles|stories|posts)\b|"
    r"Related articles\s*More from author",
    re.IGNORECASE,
)
# a share row run into the page: "... - May 4, 2022 Share Facebook Twitter WhatsApp Email"
SHARE_ROW = re.compile(
    r"\bShare(?:\s+(?:Facebook|Twitter|WhatsApp|Email|Telegram|Pinterest|LinkedIn|Reddit|"
    r"Messenger|Print|Copy link)){2,}\s+(?=\S)"
)


def is_dump_fragment(sentence: str) -> bool:
    """A long "sentence" of a page dump holding the comment form's buttons or the related
    box's tabs (judged per sentence: the line around it may hold the article)."""
    s = sentence
    if ("Related" in s or "REPLY" in s or "reply" in s) and DUMP_MARKER.search(s):
        return True
    # headlines run together, each with its date, and no full stop: a list of other stories
    return s[-1:].isdigit() and bool(DATE_AT_END.search(s)) and len(DATE_ANY.findall(s)) >= 2


# "By Aaron Humes: The Americas cannot ...": the byline run on to the lede by a colon
BYLINE_PREFIX = re.compile(
    r"^By\s+(?-i:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}):\s+(?=[A-Z“\"‘'])"
)


def byline_prefix_end(sentence: str) -> int:
    """Where the lede begins after a byline glued to it ("By Jane Doe: ..."), 0 if none."""
    if not sentence.startswith("By "):
        return 0
    m = BYLINE_PREFIX.match(sentence)
    return m.end() if m else 0


def share_row_end(sentence: str) -> int:
    """Where prose resumes after a share row run into a page dump's first "sentence" (the
    headline, byline and share buttons glued to the lede), 0 when there is none."""
    if "Share" not in sentence:
        return 0
    m = SHARE_ROW.search(sentence)
    return m.end() if m else 0
