"""Inline markdown in a scraped line: links, images, autolinks and emphasis markers.

A line is classified by its visible text (links reduced to their text, markers dropped) and
copied into the cleaned text the same way, with each link kept as a span and its URL. Every
pattern below needs a character that most prose lines lack ("](", "<", "*", "[!["): that
character is looked for first, so a plain line costs no regex at all.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TypeVar

from annotator.ingest.emphasis import EMPHASIS, code_spans, emphasis
from annotator.ingest.inline_html import (
    ENTITY,
    HTML_LINK,
    STRUCK,
    STRUCK_OPEN,
    STRUCK_TILDES,
    html_tags,
    replacement,
    struck_over_lines,
    struck_spans,
)
from annotator.ingest.reference_links import REF_LINK

__all__ = ["EMPHASIS", "code_spans", "emphasis"]

# an image inside a link's text: html2text writes a teaser as "[![](thumb.jpg)Headline](url)",
# often with two images (a placeholder and the picture); its alt text is the text it shows
INNER_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\s]*\)")
# [text](url "optional title") and <https://...> autolinks; images ![alt](src) keep their alt
# text. The text may hold images, brackets ("[Berbice Bridge […]](...)") and escaped brackets
# ("[\\[4K\\] ...](...)"): otherwise the inner ones are taken for the link and the outer "[",
# "](url)" are left in the text; an escaped bracket opens none (or a line of "\\[" would be
# scanned to its end from each of them). It may run over lines when source_lines made them one line
# (html2text breaks a teaser's link text: "[![](thumb.jpg)Headline\n\n\n](/story/)").
# ("!\[" or "\[" not after a backslash, as alternatives opening with their character: the
# engine skips to them at C speed; the same matches: tests/test_layout_shortcuts5.py)
MD_LINK = re.compile(
    r"(?:!(?<!\\!)\[|\[(?<!\\\[))"
    r"((?:[^\[\]\\]|\\.|!\[[^\[\]\n]*\]\([^()\s]*\)|\[[^\[\]\n]*\](?!\())*)\]"
    r"\(\s*(<(?:[^<>\n\\]|\\.)*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
    r"(?:\s+\"[^\"\n]*\")?\s*\)"
)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def destination(raw: str) -> str:
    """A link's address as written in `[text](raw)`: an angle-bracket destination
    (`<https://x.example/q?a=[1]&b=\\<2\\>>`) without its brackets and with its backslash
    escapes undone, as CommonMark reads it (audit6 F19: it ended at the first ">", escaped
    or not, and kept the backslashes); a plain one as written."""
    if raw.startswith("<") and raw.endswith(">"):
        return _ESCAPED.sub(r"\1", raw[1:-1])
    return raw


# a line that is one markdown image and nothing else: its alt text is a caption, not prose
# (the alt text may span lines, and escape brackets: "![\\[4K\\] ...](...)")
# a picture's address inside `(...)`, balanced parentheses allowed, and an optional title
IMAGE_URL = r"\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*"
IMAGE_LINE = re.compile(r"^!\[((?:[^\[\]\\]|\\.)*)\]\(" + IMAGE_URL + r"\)$", re.DOTALL)
# A backslash escape (CommonMark: any ASCII punctuation): markdown and html2text write
# "\\[These were\\]", "1\\. First", "\\*": the reader sees the character alone. An escaped
# backslash ("\\\\") is one backslash.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# a linked image "[![alt](src)](href)": its alt text, linked to href
LINKED_IMAGE = re.compile(r"\[!\[([^\[\]\n]*)\]\([^()\s]*\)\]\(\s*([^()\s]*)\s*\)")
AUTOLINK = re.compile(r"<((?:https?://|pic\.twitter\.com/)[^<>\n]*)>")
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


@dataclass(frozen=True, init=False)
class Link:
    start: int  # offsets into the cleaned article text
    end: int
    url: str

    def __init__(self, start: int, end: int, url: str) -> None:
        # straight into the instance's dict, as Segment's fields are (layout_assembly.py)
        self.__dict__.update(start=start, end=end, url=url)


def _quoted_opening(c: str) -> bool:
    """Can a quote's text open with c right after its ">": a letter or an opening mark?"""
    return c.isalpha() or c in "\"'“‘«([*"


def blockquote_end(text: str, start: int, end: int) -> int:
    """Past the blockquote markers opening text[start:end] ("> ", "> > ", a lone ">"): they
    are markup, the quote is the text. CommonMark opens a quote with a ">" before a letter
    too (">The minister resigned.", audit5 F9); a ">" before anything else (a digit, a sign)
    is text (">50%", ">=")."""
    q = start
    while q < end and text[q] == ">":
        after = q + 1
        if after < end and text[after] not in " \t>" and not _quoted_opening(text[after]):
            break
        q = after
        while q < end and text[q] in " \t":
            q += 1
    return q


def link_text_marks(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The markup inside a link's text text[start:end], in order, not overlapping: inline
    tags ("[<u>Headline</u>](...)"), entities, images ("[![](thumb.jpg)Headline](...)":
    their alt text stays), escapes ("[\\[4K\\] Highlights](...)") and emphasis
    ("[*Lifeline*](...)"). Nothing inside a code span."""
    inner: list[re.Match[str]] = []
    tag = text.find("<", start, end) >= 0
    if tag:
        inner += html_tags(text, start, end)
    if tag or text.find("&", start, end) >= 0:
        inner += ENTITY.finditer(text, start, end)
    if text.find("](", start, end) >= 0:
        inner += INNER_IMAGE.finditer(text, start, end)
    if text.find("\\", start, end) >= 0:
        inner += ESCAPE.finditer(text, start, end)
    return _resolved(text, start, end, inner)


def _resolved(
    text: str,
    start: int,
    end: int,
    found: list[re.Match[str]],
    scope: _Scope | None = None,
    loose: list[int] | None = None,
) -> list[re.Match[str]]:
    """found without what lies in a code span, the first to start winning where two
    overlap, and the emphasis markers outside them all, in order. With a `scope` (the
    paragraph), code spans and emphasis are the paragraph's: a pair may span its lines.
    `loose` receives the positions of marker runs that pair with nothing here."""
    if scope is not None:
        code = _within(scope.code, scope.code_starts, start, end)
    else:
        code = code_spans(text, start, end) if text.find("`", start, end) >= 0 else []
    if code and found:
        found = [m for m in found if not _in_code(m, code)]
    if len(found) > 1:
        found = _leftmost(found, start)
    if scope is not None:
        marks = [
            m
            for m in _within(scope.marks, scope.mark_starts, start, end)
            if not _overlaps(m, found)
        ]
    elif text.find("*", start, end) >= 0 or text.find("_", start, end) >= 0:
        marks = emphasis(text, start, end, [m.span() for m in found] + code, loose=loose)
    else:
        marks = []
    if marks:
        found = sorted(found + marks, key=lambda m: m.start())
    return found


def _overlaps(m: re.Match[str], found: list[re.Match[str]]) -> bool:
    """Does m overlap one of found (in order, not overlapping)?"""
    s, e = m.span()
    i = bisect.bisect_right(found, s, key=lambda f: f.start())
    # the match starting at or before s, and the one after it
    return (i > 0 and found[i - 1].end() > s) or (i < len(found) and found[i].start() < e)


_T = TypeVar("_T", re.Match[str], tuple[int, int])


def _within(items: list[_T], starts: list[int], start: int, end: int) -> list[_T]:
    """The items (spans or matches, in order, their starts given) inside [start, end)."""
    i = bisect.bisect_left(starts, start)
    j = bisect.bisect_left(starts, end, i)
    return [x for x in items[i:j] if _end(x) <= end]


def _end(x: re.Match[str] | tuple[int, int]) -> int:
    return x[1] if isinstance(x, tuple) else x.end()


@dataclass(frozen=True)
class _Scope:
    """What pairs across the lines of one paragraph: inline tags ("<u>The Israeli\n
    assault</u>"), emphasis ("**Open Future  \n[Open Future](/open-future/)**"), code."""

    tags: list[re.Match[str]]
    marks: list[re.Match[str]]
    code: list[tuple[int, int]]
    tag_starts: list[int]
    mark_starts: list[int]
    code_starts: list[int]
    struck: list[tuple[int, int]]  # struck text over lines (inline_html.struck_spans)


_BLANK_LINE = re.compile(r"^[ \t]*$", re.MULTILINE)
# the last text: its blank lines (starts, ends) and the paragraphs asked of, by start
_scopes: tuple[str, list[int], list[int], dict[int, _Scope]] = ("", [], [], {})


def _scope(text: str, start: int, end: int) -> _Scope | None:
    """The paragraph around text[start:end] (up to blank lines) when it runs over more than
    this line, its pairs found once (remembered for the last text: the layout asks of one
    article's lines in turn). None when the paragraph is this line."""
    global _scopes
    known_text, starts, ends, paragraphs = _scopes
    if known_text is not text:
        blank = list(_BLANK_LINE.finditer(text))
        starts, ends, paragraphs = [m.start() for m in blank], [m.end() for m in blank], {}
        _scopes = (text, starts, ends, paragraphs)
    i = bisect.bisect_left(starts, start)
    pa = ends[i - 1] + 1 if i > 0 else 0
    pb = starts[i] if i < len(starts) else len(text)
    if pb < end:
        return None  # a link run over blank lines (source_lines made it one line)
    if text.find("\n", pa, start) < 0 and text.find("\n", end, max(end, pb - 1)) < 0:
        return None  # one line
    known = paragraphs.get(pa)
    if known is None:
        known = paragraphs[pa] = _paragraph_pairs(text, pa, pb)
    return known


def _paragraph_pairs(text: str, pa: int, pb: int) -> _Scope:
    code = code_spans(text, pa, pb) if text.find("`", pa, pb) >= 0 else []
    tags = html_tags(text, pa, pb) if text.find("<", pa, pb) >= 0 else []
    if code and tags:
        tags = [m for m in tags if not _in_code(m, code)]
    skip: list[tuple[int, int]] = list(code)
    if text.find("*", pa, pb) >= 0 or text.find("_", pa, pb) >= 0:
        at = pa
        while at < pb:
            stop = text.find("\n", at, pb)
            stop = pb if stop < 0 else stop
            line_tags = [m for m in tags if m.start() >= at and m.end() <= stop]
            skip += [m.span() for m in _markup(text, at, stop, line_tags, code)]
            at = stop + 1
        marks = emphasis(text, pa, pb, skip)
    else:
        marks = []
    return _Scope(
        tags,
        marks,
        code,
        [m.start() for m in tags],
        [m.start() for m in marks],
        [c[0] for c in code],
        struck_spans(text, pa, pb, tags, code),
    )


def _in_code(m: re.Match[str], code: list[tuple[int, int]]) -> bool:
    """Does the match start or end inside a code span (a link around one is fine)?"""
    s, e = m.span()
    return any(a < s < b or a < e < b for a, b in code)


def render(text: str, start: int, end: int, found: list[re.Match[str]]) -> str:
    """text[start:end] as the layout copies it, given its markup `found` (iter_links):
    links read as their text, markers gone, entities and escapes as their character."""
    pieces: list[str] = []
    pos = start
    for m in found:
        pieces.append(text[pos : m.start()])
        pos = m.end()
        if m.re is ENTITY:
            pieces.append(replacement(m))
        elif m.re is MD_LINK or m.re is REF_LINK or m.re is HTML_LINK:
            ts, te = m.span("text") if m.re is HTML_LINK else m.span(1)
            pieces.append(render(text, ts, te, link_text_marks(text, ts, te)))
        else:
            pieces.append(text[m.start(1) : m.end(1)])
    pieces.append(text[pos:end])
    return "".join(pieces)


def visible(s: str) -> str:
    """The line as a reader sees it, the text the layout copies of it: links reduced to
    their text, emphasis markers, footnote marks and paired inline tags gone, escapes and
    entities read as their character."""
    found = iter_links(s, 0, len(s))
    return render(s, 0, len(s), found) if found else s


def iter_links(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The links, autolinks, emphasis markers, backslash escapes, footnote marks, inline HTML
    tags and entities of text[start:end], in order, not overlapping (the first to start
    wins); nothing inside a backtick code span. Inline tags and emphasis pair within the
    paragraph: when the line leaves a marker or a tag unpaired and its paragraph runs over
    other lines, the pairs are the paragraph's."""
    tag = text.find("<", start, end) >= 0
    loose: list[int] = []
    tags = html_tags(text, start, end, loose) if tag else []
    found = _resolved(text, start, end, _markup(text, start, end, tags, None), None, loose)
    if loose:
        scope = _scope(text, start, end)
        if scope is not None:
            tags = _within(scope.tags, scope.tag_starts, start, end)
            return _resolved(text, start, end, _markup(text, start, end, tags, None), scope)
    if (tag or text.find("~~", start, end) >= 0) and text.find("\n", start, end) >= 0:
        # a line that runs over lines (struck_run_end, a link's text): struck text in it
        code = code_spans(text, start, end) if text.find("`", start, end) >= 0 else []
        struck = struck_spans(text, start, end, tags, code)
        if struck:
            found = struck_over_lines(text, start, end, found, struck)
    return found


def paragraph_struck(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The struck spans over lines of the paragraph around text[start:end] (source_lines)."""
    scope = _scope(text, start, end)
    return scope.struck if scope is not None else []


def _markup(
    text: str,
    start: int,
    end: int,
    tags: list[re.Match[str]],
    code: list[tuple[int, int]] | None,
) -> list[re.Match[str]]:
    """Every match but emphasis in text[start:end] (the paired `tags` given); with `code`,
    resolved: out of code spans, not overlapping."""
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
    if text.find("~~", start, end) >= 0:
        found += STRUCK_TILDES.finditer(text, start, end)
    if tag:
        # (struck text before the tags: its <del> is part of it, and the first found wins)
        if STRUCK_OPEN.search(text, start, end):
            found += STRUCK.finditer(text, start, end)
        found += AUTOLINK.finditer(text, start, end)
        found += HTML_LINK.finditer(text, start, end)
        found += tags
    # (in this order: of two matches at one place, the first found wins; an image link
    # holds a "](")
    if link and text.find("[![", start, end) >= 0:
        found += LINKED_IMAGE.finditer(text, start, end)
    if text.find("\\", start, end) >= 0:
        found += ESCAPE.finditer(text, start, end)
    if tag or text.find("&", start, end) >= 0:
        found += ENTITY.finditer(text, start, end)
    if code is None:
        return found
    if code:
        found = [m for m in found if not _in_code(m, code)]
    return _leftmost(found, start)


def _leftmost(found: list[re.Match[str]], start: int) -> list[re.Match[str]]:
    """The matches in text order, each one that overlaps an earlier one dropped (the
    leftmost wins, as the regex engine's own alternation would choose)."""
    found.sort(key=lambda m: m.start())
    out: list[re.Match[str]] = []
    last = start
    for m in found:
        if m.start() >= last:
            out.append(m)
            last = m.end()
    return out
