"""Captions of an HTML page, told from its markup: the extracted text does not say which of
its lines were an image's caption, but the page does.

trafilatura keeps a caption's text as a paragraph of its own and drops the image (we ask for
no images), so the Daily Mail's `<p class="imageCaption">` lines read as headings or body
sentences, and nothing in the words tells them from CNN's long subheadings. The page marks
them: a `<figcaption>`, or an element whose class names a caption ("imageCaption",
"wp-caption-text", "Caption"). Such a line of the extracted Markdown is written as the
image it captions, `![caption](picture)`, which the layout reads as media with its link,
as it reads a Markdown extraction that kept the picture.

Lines are matched to the page's text elements in document order, so a sentence the page
also uses as a caption (the Daily Mail repeats its standfirst under a picture) is a
caption only where the caption stands.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

# a class that names a caption, and the elements that carry paragraph text
_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_TEXT_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote", "div")
_CAPTION_BYTES = re.compile(rb"caption", re.IGNORECASE)
# markup around a whole Markdown line that is not in the page's text
_WRAP = "*_ \t"
IMAGE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "src", "data-aghref", "srcset")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def norm(text: str) -> str:
    """Words as the page shows them, one space between."""
    return " ".join(text.split())


def page_tree(data: bytes) -> Any:
    """The page parsed, when it says "caption" (the one parse that captions_as_images and
    html_figures share); None when it does not, or cannot be parsed. `data` is UTF-8
    (ingest/html_bytes.py made it so)."""
    if _CAPTION_BYTES.search(data) is None:
        return None
    from lxml.html import HTMLParser, fromstring  # type: ignore[import-untyped]

    # read as UTF-8, as trafilatura reads it: left to itself, libxml2 reads a page that
    # declares no charset as latin-1, and a caption or a figure's neighbour with an accent
    # ("à Zürich" read "Ã  ZÃ¼rich") matched no line of the text (the figure was lost)
    parser = HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        return fromstring(data, parser=parser)
    except Exception:  # an unparsable page: trafilatura read what it could; we add nothing
        return None


def captions_as_images(data: bytes, text: str, root: Any = None) -> str:
    """`text` (trafilatura's Markdown of the page `data`) with each line that is one of the
    page's image captions written as that image, `![caption](src)`; `text` itself when the
    page marks no caption. `root` is the page's tree when page_tree has parsed it."""
    if root is None:
        root = page_tree(data)
    if root is None:
        return text
    order = _page_texts(root)
    if order is None or not any(src is not None for _t, src in order):
        return text
    where: dict[str, list[int]] = {}
    for i, (t, _src) in enumerate(order):
        where.setdefault(t, []).append(i)
    lines = text.split("\n")
    at = 0  # the page's text elements are met in order
    changed = False
    for n, line in enumerate(lines):
        key = norm(_ESCAPE.sub(r"\1", line.strip(_WRAP)))
        spots = where.get(key) if len(key) >= 10 else None
        if not spots:
            continue
        k = bisect.bisect_left(spots, at)
        i = spots[min(k, len(spots) - 1)]
        at = max(at, i + 1)
        # a text that is a caption wherever the page has it is one here; a text the page
        # also has as a paragraph is a caption where the order says the caption stands
        src = order[i][1] if k < len(spots) else None
        if all(order[j][1] is not None for j in spots):
            src = order[i][1]
        if src is not None and "[" not in key and "]" not in key:
            lines[n] = f"![{key}]({src})"
            changed = True
    return "\n".join(lines) if changed else text


def _page_texts(root: Any) -> list[tuple[str, str | None]] | None:
    """The page's text elements in document order: (their text, the picture they caption,
    or None when they are no caption or no picture is beside them)."""
    out: list[tuple[str, str | None]] = []
    for el in root.iter(*_TEXT_TAGS):
        caption = el.tag == "figcaption" or bool(_CAPTION_CLASS.search(el.get("class") or ""))
        if el.tag == "div" and not caption:
            continue  # a div is a container, its paragraphs are met on their own
        t = norm(el.text_content())
        if t:
            out.append((t, _picture(el) if caption else None))
    return out


def _picture(el: Any) -> str | None:
    """The URL of the picture a caption element captions: an <img> in its figure or its
    image group (up to three levels up), the first with a real address."""
    node = el
    for _ in range(3):
        node = node.getparent()
        if node is None:
            return None
        for img in node.iter("img"):
            # (lazy-loading pages keep the address in a data- attribute, "src" a placeholder)
            for attr in IMAGE_ATTRIBUTES:
                url = (img.get(attr) or "").strip().split(" ")[0]
                if url and not url.startswith("data:") and not re.search(r"[\s()]", url):
                    return str(url)
    return None
