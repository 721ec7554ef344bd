"""Figures of an HTML page, put back where they stand in the extracted text.

trafilatura drops a whole `<figure>` when asked for no images, caption included (and with
images it keeps the picture's alt text, still not the caption): 129 of the corpus's 135
`<figcaption>` texts were in no segment (audit6 F9). Captions carry claims ("Drone footage
shows mass burials in New York") and the photo credits the guidelines' credit kind exists
for. So each figure of the article is written into the extracted Markdown as the picture it
captions, `![caption](picture)`, with its credit on the next line when there is one: the
layout reads the first as media linked to the picture and the second as a credit.

A figure is placed by its neighbours: the nearest paragraph before it in the page and the
nearest after it. Both must be lines of the extracted text (a figure before the article's
first paragraph needs only the one after it), and it goes right after the one before it. A
figure in a sidebar, a related-stories box or a gallery that opens over the page has
neighbours that trafilatura did not keep, so it is left out. A caption the text already has
is not written twice (captions_as_images marks that line).

The page is parsed once for both (html_captions.page_tree): only when it says "caption".

Finding the figures (here: the page's tree, their neighbours, the words their markup marks as
caption and credit) and writing them into the text (html_figure_lines: telling a credit from a
caption by the layout's own rules) are two steps, so that the child `annotator import` forks to
extract a page (html_ahead.py) does not import the layout's rules, 0.09 s on the one-page
import's critical path: the parent, which has them loaded anyway, writes the figures in.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from annotator.ingest.html_captions import IMAGE_ATTRIBUTES as _IMAGE_ATTRIBUTES
from annotator.ingest.html_captions import norm

# elements whose text is a paragraph of the page, as a neighbour of a figure
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd")
# a class that names a photo credit ("caption__credit", "media-credit", "o-credit__attribution",
# the BBC's "story-image-copyright") and one that hides a label from sighted readers (the
# BBC's "Image caption" before each caption)
_CREDIT_CLASS = re.compile(r"credit|copyright|attribution|\bsource\b", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_UNSEEN_CLASS = re.compile(r"off-?screen|sr-only|visually-hidden|screen-reader", re.IGNORECASE)
_NOT_TEXT = frozenset(("script", "style", "svg", "button", "noscript", "template"))
# where a lazy loader keeps a picture's address on an element that is no image (the BBC's
# div, The Verge's span around a <picture> whose addresses hold brackets)
_LAZY = ("data-src", "data-original")
_OVERLAYS = frozenset(("amp-lightbox", "dialog"))
# a neighbour is a paragraph of at least this many characters: shorter blocks (a byline, a
# date, "Advertisement") are stepped over, up to _SKIP of them
_NEIGHBOUR = 40
_SKIP = 4
# more figures than this in one spot are a gallery (the Independent's "UK news in pictures",
# 50 captions of other days' news, between its title and "Show all 50")
_GALLERY = 4
_REACH = 64  # items of the page looked at on each side of a figure for its neighbour
# what a Markdown line wears around its words: a list or heading mark, a quote mark
_LINE_MARK = re.compile(r"^\s*(?:[#>]+|[-*+]|\d+[.)])\s+")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*\)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
KEY = 50  # characters of a paragraph that name it


# a figure of the article: the text line after which it goes (-1: before the first), the
# words its markup marks as caption and as credit (either may be empty), its picture
Figure = tuple[int, str, str, str]


def figures_in_text(root: Any, text: str) -> str:
    """`text` (trafilatura's Markdown of the page whose tree is `root`) with the captions of
    the article's figures inserted where the figures stand; `text` itself when none is."""
    # imported here: the layout's rules, which the forked extraction never needs (above)
    from annotator.ingest.html_figure_lines import place_figures

    return place_figures(text, figures_of(root, text))


def figures_of(root: Any, text: str) -> list[Figure]:
    """The article's figures in the page whose tree is `root`, in page order, placed against
    `text`: neither a figure whose neighbours the text does not have, nor one of a gallery,
    nor one without a picture to link it to."""
    lines = text.split("\n")
    where = _line_index(lines)
    order = _page_order(root)
    facts = _facts(order, where)
    first = next((i for i, (_f, line, _n) in enumerate(facts) if line is not None), len(facts))
    first_line = min(where.values(), default=-1)
    placed = [
        (item, _placed(facts, pos, first, first_line) if item[0] == "figure" else None)
        for pos, item in enumerate(order)
    ]
    spots = Counter(at for _item, at in placed if at is not None)
    out: list[Figure] = []
    for (kind, fig), at in placed:
        if kind != "figure" or at is None:
            continue
        if spots[at] > _GALLERY:
            continue  # a gallery or a carousel between two paragraphs, not the article's
        caption, credit = marked_caption_and_credit(fig)
        src = _picture(fig)
        if (caption or credit) and src is not None:  # a video player has no picture
            out.append((at, caption, credit, src))
    return out


def _page_order(root: Any) -> list[tuple[str, Any]]:
    """The page's paragraphs and captioned figures in document order: ("block", element)
    or ("figure", element); what a figure holds is the figure's, not a paragraph."""
    figures = {
        id(f): f
        for f in (_figure_of(c) for c in root.iter("figcaption"))
        if f is not None and not _in_lightbox(f)
    }
    if not figures:
        return []
    tags = set(_BLOCKS) | {f.tag for f in figures.values()}
    order: list[tuple[str, Any]] = []
    open_figure = None
    for el in root.iter(*tags):
        if open_figure is not None and _inside(el, open_figure):
            continue
        open_figure = None
        if id(el) in figures:
            order.append(("figure", el))
            open_figure = el
        elif el.tag in _BLOCKS:
            order.append(("block", el))
    return order


def marked_caption_and_credit(fig: Any) -> tuple[str, str]:
    """The words of a figure's caption and of its photo credit as its markup marks them (a
    class naming a credit, a `<cite>`, in the caption or beside it); a credit the markup does
    not mark is told by html_figure_lines.caption_and_credit."""
    cap = next(fig.iter("figcaption"), None)
    caption: list[str] = []
    credits: list[str] = []
    if cap is not None:
        _collect(cap, caption, credits, in_credit=False)
    words = norm("".join(caption))
    taken: list[Any] = []  # credits beside the caption, met already (a few at most)
    for el in fig.iter():
        if not isinstance(el.tag, str) or el is cap or (cap is not None and _inside(el, cap)):
            continue
        if el.tag == "cite" or _CREDIT_CLASS.search(el.get("class") or ""):
            if len(taken) < 4 and not _unseen(el) and not any(_inside(el, t) for t in taken):
                taken.append(el)
                part: list[str] = []
                _collect(el, part, part, in_credit=True)
                credits.append("".join(part))
        elif (
            not words
            and _CAPTION_CLASS.search(el.get("class") or "")
            and el.tag in ("p", "div", "span")
        ):
            # the caption beside a figcaption that holds only the credit (The Intercept)
            words = norm(el.text_content())
    return words, " ".join(dict.fromkeys(c for c in (norm(c) for c in credits) if c))


def _collect(el: Any, caption: list[str], credits: list[str], in_credit: bool) -> None:
    """The text under `el` (its tail is the caller's), the parts a credit holds sent to
    `credits` as one each, a label hidden from sighted readers left out."""
    if not isinstance(el.tag, str) or el.tag in _NOT_TEXT or _unseen(el):
        return
    if not in_credit and (el.tag == "cite" or _CREDIT_CLASS.search(el.get("class") or "")):
        part: list[str] = []
        _collect(el, part, part, in_credit=True)
        credits.append("".join(part))
        caption.append(" ")  # the caption's words go on after the credit, not into it
        return
    target = credits if in_credit else caption
    if el.text:
        target.append(el.text)
    for child in el:
        _collect(child, caption, credits, in_credit)
        if child.tail:
            target.append(child.tail)


def _picture(fig: Any) -> str | None:
    """The address of a figure's picture: an <img> or AMP's <amp-img>, a <picture>'s
    <source>, or a lazy loader's data-src, the first real one."""
    for el in fig.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in _IMAGE_ATTRIBUTES if el.tag in ("img", "amp-img", "source") else _LAZY:
            url = (el.get(attr) or "").strip().split(" ")[0]
            if url and not url.startswith("data:") and not re.search(r"[\s()\[\]]", url):
                return str(url)
    return None


def _unseen(el: Any) -> bool:
    return bool(_UNSEEN_CLASS.search(el.get("class") or "")) or el.get("hidden") is not None


def _figure_of(cap: Any) -> Any:
    """The figure a figcaption captions: its `<figure>` (up to three levels up: The Verge
    wraps caption and credit in a span), else its parent."""
    node = cap.getparent()
    parent = node
    for _ in range(3):
        if node is None:
            break
        if node.tag == "figure":
            return node
        node = node.getparent()
    return parent


def _in_lightbox(fig: Any) -> bool:
    """Is the figure in a gallery that opens over the page (AMP's `<amp-lightbox>`): the
    Independent's "UK news in pictures", 50 captions of other days' news?"""
    return any(a.tag in _OVERLAYS for a in fig.iterancestors())


def _inside(el: Any, ancestor: Any) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def visible(line: str) -> str:
    """A Markdown line's words as the page shows them: links and pictures as their text,
    escapes undone, list and heading marks off."""
    return norm(_ESCAPE.sub(r"\1", _LINK.sub(r"\1", _LINE_MARK.sub("", line))))


def _line_index(lines: list[str]) -> dict[str, int]:
    """The first line of the text that each paragraph key names."""
    where: dict[str, int] = {}
    for n, line in enumerate(lines):
        words = visible(line)
        if len(words) >= 10:
            where.setdefault(words[:KEY], n)
    return where


# what the placing needs of each item of the page's order: is it a figure, the text line
# of a paragraph (None: not in the text), the paragraph's length
_Fact = tuple[bool, int | None, int]


def _facts(order: list[tuple[str, Any]], where: dict[str, int]) -> list[_Fact]:
    out: list[_Fact] = []
    for kind, el in order:
        if kind == "figure":
            out.append((True, None, 0))
            continue
        words = norm(el.text_content())
        out.append((False, where.get(words[:KEY]) if len(words) >= 10 else None, len(words)))
    return out


def _placed(facts: list[_Fact], pos: int, first: int, first_line: int) -> int | None:
    """The line after which the figure at `facts[pos]` goes (-1: before the first line),
    or None when it is not in the article: its neighbours are not in the text. `first` is
    where the first paragraph the text has stands in the order, `first_line` its line."""
    after = _neighbour(facts, pos, +1)
    if after is None:
        return None
    before = _neighbour(facts, pos, -1)
    if before is not None:
        return before if before < after else None
    # no paragraph just before it is in the text: the article's lead picture (under the
    # headline, the byline) when nothing before it is and the text starts after it
    return -1 if pos < first and after == first_line else None


def _neighbour(facts: list[_Fact], pos: int, step: int) -> int | None:
    """The text line of the nearest paragraph on one side of a figure, stepping over a few
    short ones the text does not have (a byline, a date), empty ones and other figures (a
    bounded number: past that it is a gallery, or no paragraph is near); None when that is
    not in the text."""
    skipped = 0
    for i in range(pos + step, pos + step * _REACH, step):
        if not 0 <= i < len(facts):
            return None
        figure, line, size = facts[i]
        if figure or not size:
            continue  # another figure beside it, an empty paragraph (a spacer)
        if line is not None:
            return line
        skipped += 1
        if size >= _NEIGHBOUR or skipped > _SKIP:
            return None
    return None
