"""HTML that a markdown extractor passed through into the text: inline tags of prose (read
through, when well formed and paired), an <a href> (its text, linked), entities and <br> (the
character they stand for). layout_inline.py finds them among the other inline markup."""

from __future__ import annotations

import re
from html import unescape

# Inline HTML that an extractor passed through ("GAZA — <u>The Israeli assault</u> on"): the
# tag is markup, the text between is kept. Only the inline tags of prose (a block element, an
# <iframe> embed or a <div>, is not prose to read through), and only a well-formed tag: a
# known name, attributes written name="...", name='...' or name=bare (a bare name is a
# word: "a<b and b>c" is prose, not a <b> with attributes "and" and "b"). An unpaired "<b>"
# is prose too ("the <b> tag"): `html_tags` keeps the pairs. Group 1 is the (nothing) kept.
_ATTRIBUTE = r"""(?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<>\n]*"|'[^'<>\n]*'|[^\s"'=<>`]+))"""
_INLINE_TAGS = (
    r"a|abbr|b|bdi|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span"
    r"|strike|strong|sub|sup|time|tt|u|var"
)
HTML_TAG = re.compile(
    rf"<()(?:/(?P<close>{_INLINE_TAGS})\s*|(?P<open>{_INLINE_TAGS}){_ATTRIBUTE}*\s*)>",
    re.IGNORECASE,
)
# Struck text, <s>/<del>/<strike> paired on one line ("The minister <del>resigned</del> was
# sacked"): what the page shows as withdrawn, not current text to label, so the element is
# dropped whole (its group 1 is the nothing kept), with the spaces before it when a space or
# a stop follows it ("minister was sacked", not "minister  was"). A "<s>" without its
# closing tag is prose ("the <s> tag").
_STRUCK_TAGS = r"s|del|strike"
STRUCK = re.compile(
    rf"()(?:[ \t]+(?=<(?:{_STRUCK_TAGS}){_ATTRIBUTE}*\s*>[^\n]*?</(?:{_STRUCK_TAGS})\s*>"
    r"(?:[\s.,;:!?)\]]|$)))?"
    rf"<(?P<struck>{_STRUCK_TAGS}){_ATTRIBUTE}*\s*>[^\n]*?</(?P=struck)\s*>",
    re.IGNORECASE,
)
# Markdown's struck text (GitHub's "~~resigned~~"), on one line, dropped whole as <del> is
# ("The minister ~~resigned~~ was sacked"); "~~" with a space inside its markers ("a ~~ b")
# is prose
STRUCK_TILDES = re.compile(
    r"()(?:[ \t]+(?=~~[^\s~](?:[^\n~]*[^\s~])?~~(?:[\s.,;:!?)\]]|$)))?"
    r"~~[^\s~](?:[^\n~]*?[^\s~])?~~"
)
# where struck text can start: looked for first (a regex opening with "<" is a quick scan;
# STRUCK, which may open with a space, would be tried at every space of the line)
STRUCK_OPEN = re.compile(rf"<(?:{_STRUCK_TAGS})[\s>]", re.IGNORECASE)
# <a href="URL">text</a>: its text (group "text"), linked to URL like a markdown link
HTML_LINK = re.compile(
    rf"<a(?={_ATTRIBUTE}*\s*>)(?:{_ATTRIBUTE}*?)\s+href\s*=\s*"
    r"""(?:"(?P<q2>[^"<>\n]*)"|'(?P<q1>[^'<>\n]*)'|(?P<bare>[^\s"'=<>`]+))"""
    rf"{_ATTRIBUTE}*\s*>(?P<text>(?:(?!</?a[\s>])[^\n])*?)</a\s*>",
    re.IGNORECASE,
)
# An HTML entity ("&amp;", "&nbsp;", "&#8217;", "&#x2019;") and a line break tag: replaced by
# the character they stand for (`replacement`); an unknown name ("&foo;") stays as written.
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|<br\s*/?>")


def replacement(m: re.Match[str]) -> str:
    """What an ENTITY match reads as: its character; a line break tag, a space."""
    token = m.group()
    return " " if token[0] == "<" else unescape(token)


def html_href(m: re.Match[str]) -> str:
    """The URL of an HTML_LINK match, its entities read ("?a=1&amp;b=2")."""
    url = m.group("q2")
    if url is None:
        url = m.group("q1")
    if url is None:
        url = m.group("bare")
    return unescape(url.strip())


def html_tags(
    text: str, start: int, end: int, loose: list[int] | None = None
) -> list[re.Match[str]]:
    """The HTML_TAG matches of text[start:end] that pair up: an opening tag whose closing
    tag follows, and that closing tag. An unpaired "<b>" or "</i>" is text ("the <b> tag");
    `loose` receives where they are."""
    tags = list(HTML_TAG.finditer(text, start, end))
    if not tags:
        return tags
    keep = [False] * len(tags)
    opened: dict[str, list[int]] = {}
    for i, m in enumerate(tags):
        name = m.group("close")
        if name is None:
            opened.setdefault(m.group("open").lower(), []).append(i)
        else:
            waiting = opened.get(name.lower())
            if waiting:
                keep[waiting.pop()] = keep[i] = True
    if loose is not None:
        loose += [m.start() for m, k in zip(tags, keep, strict=True) if not k]
    return [m for m, k in zip(tags, keep, strict=True) if k]


# the part of a line inside struck text that runs over lines: nothing of it is kept (its
# group 1, empty, is what the layout copies)
_STRUCK_PIECE = re.compile(r"()[\s\S]*")
# "~~" pairs of a paragraph, over lines (a paragraph holds no blank line)
_TILDE_PAIR = re.compile(r"~~[^\s~](?:[^~]*?[^\s~])?~~")
_STRUCK_NAMES = frozenset({"s", "del", "strike"})


def struck_over_lines(
    text: str, start: int, end: int, found: list[re.Match[str]], struck: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """found, with each struck span (`<del>..</del>`, `~~..~~` over a line break;
    inline_html's STRUCK on one line) dropped whole: the spaces before it go with it ("The
    minister <s>was\nsacked</s> resigned": "The minister resigned"), or the spaces after it
    where it opens the line."""
    pieces: list[re.Match[str]] = []
    for a, b in struck:
        if b <= start or a >= end:
            continue
        ps, pe = max(a, start), min(b, end)
        while ps > start and text[ps - 1] in " \t":
            ps -= 1
        if ps == start:
            while pe < end and text[pe] in " \t":
                pe += 1
        m = _STRUCK_PIECE.match(text, ps, pe)
        if m is not None:
            pieces.append(m)
    if not pieces:
        return found
    kept = [
        m for m in found if not any(m.start() < p.end() and m.end() > p.start() for p in pieces)
    ]
    return sorted(kept + pieces, key=lambda m: m.start())


def struck_spans(
    text: str, pa: int, pb: int, tags: list[re.Match[str]], code: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The struck spans of the paragraph text[pa:pb] that run over a line break: a paired
    `<s>`, `<del>`, `<strike>` and its closing tag, or a `~~` pair (on one line,
    inline_html's STRUCK and STRUCK_TILDES drop them)."""
    out: list[tuple[int, int]] = []
    opened: dict[str, list[int]] = {}
    for m in tags:
        name = (m.group("open") or m.group("close")).lower()
        if name not in _STRUCK_NAMES:
            continue
        if m.group("open") is not None:
            opened.setdefault(name, []).append(m.start())
        elif opened.get(name):
            a = opened[name].pop()
            if text.find("\n", a, m.end()) >= 0:
                out.append((a, m.end()))
    if text.find("~~", pa, pb) >= 0:
        for m in _TILDE_PAIR.finditer(text, pa, pb):
            if "\n" in m.group() and not any(a < m.start() < b or a < m.end() < b for a, b in code):
                out.append(m.span())
    return sorted(out)
