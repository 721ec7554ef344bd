"""Markdown reference links, "[text][ref]" and "[text][]", and the definitions they point
to ("[ref]: http://x.com"): read as their text, with the definition's URL."""

from __future__ import annotations

import re

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
