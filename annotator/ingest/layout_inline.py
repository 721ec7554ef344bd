"""Inline markdown in a scraped line: links, images, autolinks and emphasis markers.

A line is classified by its visible text (links reduced to their text, markers dropped) and
copied into the cleaned text the same way, with each link kept as a span and its URL. Every
pattern below needs a character that most prose lines lack ("](", "<", "*", "[!["): that
character is looked for first, so a plain line costs no regex at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# an image inside a link's text: html2text writes a teaser as "[![](thumb.jpg)Headline](url)",
# often with two images (a placeholder and the picture); its alt text is the text it shows
INNER_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\s]*\)")
# [text](url "optional title") and <https://...> autolinks; images ![alt](src) keep their alt
# text. The text may hold images, brackets ("[Berbice Bridge […]](...)") and escaped brackets
# ("[\\[4K\\] ...](...)"): otherwise the inner ones are taken for the link and the outer "[",
# "](url)" are left in the text; an escaped bracket opens none (or a line of "\\[" would be
# scanned to its end from each of them). It may run over lines when source_lines made them one line
# (html2text breaks a teaser's link text: "[![](thumb.jpg)Headline\n\n\n](/story/)").
MD_LINK = re.compile(
    r"(?<!\\)!?\[((?:[^\[\]\\]|\\.|!\[[^\[\]\n]*\]\([^()\s]*\)|\[[^\[\]\n]*\](?!\())*)\]"
    r"\(\s*(<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
    r"(?:\s+\"[^\"\n]*\")?\s*\)"
)
# Markdown emphasis markers (*, **, ***): syntax, not text. A run of asterisks is a marker
# when it opens (after a space or an opening bracket or quote, before a non-space), closes
# (after a non-space, before a space or punctuation) or touches punctuation ("**33%**of").
# "5 * 3", "a*b" and a "* " bullet stay. Four or more in a row are an empty bold ("****"
# where a scraper dropped what was inside). The empty group is the (nothing) kept.
EMPHASIS = re.compile(
    r"(?:(?<![^\s(\[\"'“‘])\*{1,3}(?=[^\s*])"
    r"|(?<=[^\s*])\*{1,3}(?![^\s()\].,;:!?\"'”’])"
    r"|(?<=[^\w\s*])\*{1,3}(?=\w)"
    r"|(?<!\*)\*{4,}(?!\*))()"
)
# a line that is one markdown image and nothing else: its alt text is a caption, not prose
# (the alt text may span lines, and escape brackets: "![\\[4K\\] ...](...)")
IMAGE_LINE = re.compile(
    r"^!\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*\)$",
    re.DOTALL,
)
# A backslash escape (CommonMark: any ASCII punctuation): markdown and html2text write
# "\\[These were\\]", "1\\. First", "\\*": the reader sees the character alone. An escaped
# backslash ("\\\\") is one backslash.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# a linked image "[![alt](src)](href)": its alt text, linked to href
LINKED_IMAGE = re.compile(r"\[!\[([^\[\]\n]*)\]\([^()\s]*\)\]\(\s*([^()\s]*)\s*\)")
AUTOLINK = re.compile(r"<((?:https?://|pic\.twitter\.com/)[^<>\n]*)>")


@dataclass(frozen=True)
class Link:
    start: int  # offsets into the cleaned article text
    end: int
    url: str


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)


def _link_text(m: re.Match[str]) -> str:
    text = m.group(1)
    return INNER_IMAGE.sub(_first_group, text) if "](" in text else text


def visible(s: str) -> str:
    """The line as a reader sees it: links reduced to their text, emphasis markers gone."""
    # each pattern consumes the characters looked for (a link "](", an autolink "<")
    if "[![" in s:
        s = LINKED_IMAGE.sub(_first_group, s)
    if "](" in s:
        s = MD_LINK.sub(_link_text, s)
    if "<" in s:
        s = AUTOLINK.sub(_first_group, s)
    if "\\" in s:
        s = ESCAPE.sub(_first_group, s)
    return EMPHASIS.sub("", s) if "*" in s else s


def iter_links(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The links, autolinks, emphasis markers and backslash escapes of text[start:end], in
    order, not overlapping (the first to start wins)."""
    piece = text[start:end]
    found: list[re.Match[str]] = []
    if "](" in piece:
        found += MD_LINK.finditer(text, start, end)
    if "<" in piece:
        found += AUTOLINK.finditer(text, start, end)
    if "*" in piece:
        found += EMPHASIS.finditer(text, start, end)
    if "[![" in piece:
        found += LINKED_IMAGE.finditer(text, start, end)
    if "\\" in piece:
        found += ESCAPE.finditer(text, start, end)
    if len(found) <= 1:
        return found
    found.sort(key=lambda m: m.start())
    out: list[re.Match[str]] = []
    last = start
    for m in found:
        if m.start() >= last:
            out.append(m)
            last = m.end()
    return out
