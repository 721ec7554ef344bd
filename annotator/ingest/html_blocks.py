"""A text made of HTML paragraphs ("<p>First.</p><p>Second.</p>", a CMS's body field put in
a JSON Lines `text`): its block tags end lines and paragraphs, as a browser shows them.

The tags are blanked in place, each by line breaks and spaces of its own length, so every
other character keeps its offset: the layout reads the blanked text, the lines it cuts are
trimmed (a blanked tag is never copied), and the cleaned text still maps exactly into the
original. Inline tags (<b>, <a href>, <s>) are the inline reader's (inline_html.py).

Only a text that opens a line with a block tag whose closing tag it also holds is read so:
"A <div>block</div> tag stays." and "Line<br>break" in prose are not HTML paragraphs
(a markdown table writes `<br>` inside its cells). A text without "</" costs one search.
"""

from __future__ import annotations

import re

_BLOCK = (
    r"p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|section|article|header|footer|aside|main"
    r"|figure|figcaption|pre|address|hr"
)
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*\s*/?"""
# a line that opens with a block tag: the sign that the text is HTML paragraphs (the text's
# first line is asked with _OPENS_FIRST; "\n" first lets the engine skip to each line break)
_OPENS_LINE = re.compile(rf"\n[ \t]*<({_BLOCK})\b{_ATTRIBUTES}>", re.IGNORECASE)
_OPENS_FIRST = re.compile(rf"[ \t]*<({_BLOCK})\b{_ATTRIBUTES}>", re.IGNORECASE)
# a closing block tag, looked for first: most texts have none ("</" first: a quick scan)
_CLOSING = re.compile(rf"</(?:{_BLOCK})\s*>", re.IGNORECASE)
# every block tag, opening or closing, and the line break tag; group "br" for <br>
_TAG = re.compile(rf"</?(?:{_BLOCK})\b{_ATTRIBUTES}>|(?P<br><br{_ATTRIBUTES}>)", re.IGNORECASE)


def html_paragraphs(text: str, start: int = 0) -> str:
    """text with the block tags of text[start:] blanked when it is a text of HTML
    paragraphs (the same length, the same characters elsewhere); else text itself."""
    if text.find("</", start) < 0 or _CLOSING.search(text, start) is None:
        return text
    m = _OPENS_FIRST.match(text, start) or _OPENS_LINE.search(text, start)
    if m is None or not re.compile(rf"</{m.group(1)}\s*>", re.IGNORECASE).search(text, m.end()):
        return text
    if text.find("`", start) >= 0:
        # markdown that shows HTML in code ("`<p>`", a fenced sample) is not HTML to read
        return text
    pieces: list[str] = [text[:start]]
    pos = start
    for tag in _TAG.finditer(text, start):
        a, b = tag.span()
        pieces.append(text[pos:a])
        # <br>: one line break; a block tag: a paragraph break (a blank line)
        breaks = "\n" if tag.group("br") else "\n\n"
        pieces.append(breaks + " " * (b - a - len(breaks)))
        pos = b
    pieces.append(text[pos:])
    out = "".join(pieces)
    assert len(out) == len(text)
    return out


# an item's opening tag
_ITEM = re.compile(rf"<li\b{_ATTRIBUTES}>", re.IGNORECASE)


def item_starts(source: str, blanked: str) -> frozenset[int]:
    """Where the text of each `<li>` item starts (offsets into both texts), when `blanked`
    is `source` read as HTML paragraphs; empty otherwise."""
    if blanked is source:
        return frozenset()
    starts: set[int] = set()
    for m in _ITEM.finditer(source):
        at = m.end()
        while at < len(blanked) and blanked[at].isspace():
            at += 1
        starts.add(at)
    return frozenset(starts)
