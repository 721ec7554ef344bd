"""What a page holds that no reader sees or that the extractor cannot hold, taken out
before trafilatura reads it (the page's bytes are kept whole as the article's original).

- Character references to code points XML cannot hold (`&#27;`, `&#8;`, `&#12;`,
  `&#xfffe;`: a form feed or backspace pasted from a word processor into a CMS): one of them
  anywhere made trafilatura's XML step fail and return nothing, so the whole page was
  refused as having no text (audit6 F9). A raw control byte in the same place is dropped by
  the HTML parser and the page imports: the reference is treated the same way (a form feed
  or vertical tab becomes a space, so that the words around it stay apart).
- `<template>` content (never rendered: client-side apps keep whole alternative articles,
  paywall teasers and consent texts there) and elements with the `hidden` attribute (not
  rendered either): they were imported as body sentences (audit6 F8). `aria-hidden` is left
  alone: it hides from screen readers what sighted readers do see.

Both are looked for with one byte search first, so that a page without them is handed to
trafilatura as it was parsed.
"""

from __future__ import annotations

import re
from typing import Any

_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
_SPACES = (0x0B, 0x0C)


def _has_unshown(data: bytes) -> bool:
    """A <template>, or an opening tag with a `hidden` attribute (`<p hidden>`, `<div
    class=x hidden="">`), in lower or upper case (plain byte searches: a case-blind pattern
    took 11 ms per MB of the corpus's pages, these about 4)."""
    if b"<template" in data or b"<TEMPLATE" in data:
        return True
    for word in (b"hidden", b"HIDDEN"):
        at = data.find(word)
        while at >= 0:
            after = data[at + 6 : at + 7]
            if (
                data[at - 1 : at].isspace()
                and (after.isspace() or after in (b"=", b"/", b">"))
                and data.rfind(b"<", 0, at) > data.rfind(b">", 0, at)  # inside a tag
            ):
                return True
            at = data.find(word, at + 6)
    return False


def _xml_can_hold(n: int) -> bool:
    # XML 1.0's Char production; &#0; is left to the parser (it reads it as U+FFFD)
    return (
        n in (0x0, 0x9, 0xA, 0xD)
        or 0x20 <= n <= 0xD7FF
        or 0xE000 <= n <= 0xFFFD
        or 0x10000 <= n <= 0x10FFFF
    )


def _code(hexadecimal: bytes, decimal: bytes) -> int:
    return int(hexadecimal, 16) if hexadecimal else int(decimal)


def _reference(m: re.Match[bytes]) -> bytes:
    n = _code(m.group(1) or b"", m.group(2) or b"")
    if _xml_can_hold(n):
        return m.group(0)
    return b" " if n in _SPACES else b""


def holdable_references(data: bytes) -> bytes:
    """The page with every character reference XML cannot hold dropped (a space for a form
    feed or vertical tab); the same bytes when there is none."""
    if b"&#" not in data:
        return data
    # a page holds thousands of references (&#8217;) and only a rare one XML cannot hold:
    # the distinct ones are checked, and the page rewritten only when one of them is bad
    if all(_xml_can_hold(_code(h, d)) for h, d in set(_CHAR_REF.findall(data))):
        return data
    return _CHAR_REF.sub(_reference, data)


def without_unshown(data: bytes, tree: Any) -> Any:
    """The page's tree (parsed from `data` with trafilatura's own `load_html`, which
    trafilatura takes as it is) without its <template>s and `hidden` elements; the tree
    untouched when the bytes show none."""
    if not _has_unshown(data):
        return tree
    for el in tree.xpath("//template | //*[@hidden]"):
        parent = el.getparent()
        if parent is None:
            continue
        # the text after the element (its tail) is shown: keep it
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    return tree
