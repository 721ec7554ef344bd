"""Inline markdown in a scraped line: links, images, autolinks and emphasis markers.

A line is classified by its visible text (links reduced to their text, markers dropped) and
copied into the cleaned text the same way, with each link kept as a span and its URL. Every
pattern below needs a character that most prose lines lack ("](", "<", "*", "[!["): that
character is looked for first, so a plain line costs no regex at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

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
# Inline HTML that a markdown extractor passed through ("GAZA — <u>The Israeli assault</u>
# on"): the tag is markup, the text between is kept. Only the inline tags of prose: a block
# element (an <iframe> embed, a <div>) is not prose to read through. The empty group is the
# (nothing) kept.
HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span"
    r"|strike|strong|sub|sup|time|tt|u|var)(?:\s[^<>\n]*)?>()",
    re.IGNORECASE,
)
# A footnote reference is a mark, not text: "[^1]" (and "[^1]: " opening the note itself),
# a superscript number "<sup>1</sup>", and fivethirtyeight's linked one
# "[<sup>1</sup>](#fn-1)". Kept, "points<sup>1</sup> than" would read "points1 than" and
# "combined.<sup>4</sup> And" would not end its sentence.
FOOTNOTE = re.compile(
    r"(?:(?<!\S)\[\^[^\]\s]{1,20}\]:[ \t]*|\[\^[^\]\s]{1,20}\]"
    r"|\[<sup>[^<>\n]{1,8}</sup>\]\(#[^()\s]*\)"
    r"|<sup>\s*[0-9*†‡§]{1,4}\s*</sup>)()",
    re.IGNORECASE,
)
# "[text][ref]", "[text][]": a reference link, read as its text (the URL is the definition's,
# when the article has one: `reference_urls`). Its text holds a letter: "[1][2]" is a pair
# of citation marks, left as written. (The look for a letter stops at the next bracket: a
# line of many "[" is read once, not once per bracket.)
REF_LINK = re.compile(r"(?<!\\)\[((?=[^\[\]]*?[^\W\d_])(?:[^\[\]\\]|\\.)+)\]\[([^\[\]\n]{0,100})\]")
# "[ref]: http://x.com "Title"": the definition a reference link points to, a line of
# markup (furniture), never a heading
LINK_DEFINITION = re.compile(r"^\[([^\[\]^][^\[\]]{0,99})\]:[ \t]*(<[^<>\s]*>|\S+)(?:\s.*)?$")
_DEFINITIONS = re.compile(
    r"^[ \t]{0,3}\[([^\[\]^][^\[\]\n]{0,99})\]:[ \t]*<?([^<>\s]+)>?", re.MULTILINE
)
# An HTML entity ("&amp;", "&nbsp;", "&#8217;", "&#x2019;") and a line break tag: replaced by
# the character they stand for (`replacement`); an unknown name ("&foo;") stays as written.
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|<br\s*/?>")


@dataclass(frozen=True)
class Link:
    start: int  # offsets into the cleaned article text
    end: int
    url: str


def _first_group(m: re.Match[str]) -> str:
    return m.group(1)


def replacement(m: re.Match[str]) -> str:
    """What an ENTITY match reads as: its character; a line break tag, a space."""
    token = m.group()
    return " " if token[0] == "<" else unescape(token)


_last_urls: tuple[str, dict[str, str]] = ("", {})


def reference_urls(source: str) -> dict[str, str]:
    """The article's link reference definitions, by their label case-folded (the first
    definition of a label wins, as in CommonMark). Remembered for the last source: the
    article's reference links all ask about the same one."""
    global _last_urls
    if _last_urls[0] is source:
        return _last_urls[1]
    urls: dict[str, str] = {}
    if "]:" in source:
        for m in _DEFINITIONS.finditer(source):
            urls.setdefault(" ".join(m.group(1).split()).casefold(), m.group(2))
    _last_urls = (source, urls)
    return urls


def reference_label(m: re.Match[str]) -> str:
    """The label a REF_LINK match refers by ("[text][]" refers by its text)."""
    label = m.group(2) or m.group(1)
    return " ".join(label.split()).casefold()


def _link_text(m: re.Match[str]) -> str:
    text = m.group(1)
    return INNER_IMAGE.sub(_first_group, text) if "](" in text else text


def blockquote_end(text: str, start: int, end: int) -> int:
    """Past the blockquote markers opening text[start:end] ("> ", "> > ", a lone ">"): they
    are markup, the quote is the text. A ">" before anything but a space, another ">" or the
    line's end is text (">50%")."""
    q = start
    while q < end and text[q] == ">":
        after = q + 1
        if after < end and text[after] not in " \t>":
            break
        q = after
        while q < end and text[q] in " \t":
            q += 1
    return q


def emphasis(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """EMPHASIS.finditer(text, start, end), tried only where a "*" is: every match opens on
    one, and the pattern's lookbehinds would otherwise be tried at every character."""
    stop = len(text) if end is None else end
    found: list[re.Match[str]] = []
    at = text.find("*", start, stop)
    match = EMPHASIS.match
    while at >= 0:
        m = match(text, at, stop)
        if m is None:
            at = text.find("*", at + 1, stop)
        else:
            found.append(m)
            at = text.find("*", m.end(), stop)
    return found


def _unmarked(s: str) -> str:
    """EMPHASIS.sub("", s): the text between the markers."""
    pieces = []
    pos = 0
    for m in emphasis(s):
        pieces.append(s[pos : m.start()])
        pos = m.end()
    pieces.append(s[pos:])
    return "".join(pieces)


def visible(s: str) -> str:
    """The line as a reader sees it: links reduced to their text, emphasis markers, footnote
    marks and inline tags gone, escapes and entities read as their character."""
    # each pattern consumes the characters looked for (a link "](", an autolink "<")
    tag = "<" in s
    if tag or "[^" in s:
        s = FOOTNOTE.sub("", s)
    if "[![" in s:
        s = LINKED_IMAGE.sub(_first_group, s)
    if "](" in s:
        s = MD_LINK.sub(_link_text, s)
    if "][" in s:
        s = REF_LINK.sub(_first_group, s)
    if tag:
        s = AUTOLINK.sub(_first_group, s)
        s = HTML_TAG.sub("", s)
    # in one pass: an escaped "\\&amp;" is the five characters "&amp;"
    if "\\" in s or "&" in s or tag:
        s = _ESCAPE_OR_ENTITY.sub(_character, s)
    return _unmarked(s) if "*" in s else s


_ESCAPE_OR_ENTITY = re.compile(f"{ESCAPE.pattern}|{ENTITY.pattern}")


def _character(m: re.Match[str]) -> str:
    escaped = m.group(1)
    return escaped if escaped is not None else replacement(m)


def iter_links(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The links, autolinks, emphasis markers, backslash escapes, footnote marks, inline HTML
    tags and entities of text[start:end], in order, not overlapping (the first to start
    wins)."""
    # (looked for in place: a paragraph is not copied to be searched)
    found: list[re.Match[str]] = []
    tag = text.find("<", start, end) >= 0
    # (a footnote first: "[<sup>1</sup>](#fn-1)" is one, not a link)
    if tag or text.find("[^", start, end) >= 0:
        found += FOOTNOTE.finditer(text, start, end)
    link = text.find("](", start, end) >= 0
    if link:
        found += MD_LINK.finditer(text, start, end)
    if text.find("][", start, end) >= 0:
        found += REF_LINK.finditer(text, start, end)
    if tag:
        found += AUTOLINK.finditer(text, start, end)
        found += HTML_TAG.finditer(text, start, end)
    if text.find("*", start, end) >= 0:
        found += emphasis(text, start, end)
    # (in this order: of two matches at one place, the first found wins; an image link
    # holds a "](")
    if link and text.find("[![", start, end) >= 0:
        found += LINKED_IMAGE.finditer(text, start, end)
    if text.find("\\", start, end) >= 0:
        found += ESCAPE.finditer(text, start, end)
    if tag or text.find("&", start, end) >= 0:
        found += ENTITY.finditer(text, start, end)
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
