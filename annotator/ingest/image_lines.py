"""Lines that open with an image: a photograph and its caption on one line, or a site's own
small picture (an arrow, an icon) used as a bullet. Split from layout_kinds.py."""

from __future__ import annotations

import re

from annotator.ingest import furniture as fx
from annotator.ingest.layout_inline import IMAGE_URL
from annotator.ingest.layout_kinds import line_boundary
from annotator.ingest.layout_lines import Line, words

# an image opening a line, and the text after it ("![](...jpg) Brian Manning -")
_OPENING_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(([^()\s]*)\)\s*")
# a site's own picture (an arrow before a standfirst's point, a logo over a pitch): not a
# photograph with a caption
_DECORATION = re.compile(r"/themes?/|/icons?/|logo|sprite", re.IGNORECASE)


def image_caption(raw: str, vis: str, after: Line | bool | None) -> bool:
    """Is the line an image and its caption ("![](https://.../10279219.jpg) Brian Manning -"):
    a few words after the image that do not end a sentence, and that the next line does not
    continue? (A sentence after an image is prose: the image went before it; so are words
    that run on into the next line, "![](a.jpg) The council said the bridge".)"""
    m = _OPENING_IMAGE.match(raw)
    if m is None or m.end() >= len(raw) or "](" in raw[m.end() :]:
        return False
    if _DECORATION.search(m.group(1)):
        return False
    rest = vis.strip()
    if not rest or fx.ends_sentence(rest) or words(rest) > 12:
        return False
    if after is None:
        return True
    return isinstance(after, Line) and line_boundary(rest, after.visible)


def decorated_point(raw: str) -> int | None:
    """Where the text starts on a line that a site's own small picture (an arrow, an icon)
    opens as a bullet ("![](.../themes/arecoa/images/flecha.jpg) The Ávoris airline will
    offer ..."): a point of a standfirst, not a headline; None for any other line."""
    m = _OPENING_IMAGE.match(raw)
    if m is None or m.end() >= len(raw) or not _DECORATION.search(m.group(1)):
        return None
    rest = raw[m.end() :]
    if "![" in rest or words(rest) < 3:
        return None
    return m.end()


# Other ways a page writes a picture on a line of its own (audit6 F21), each a media segment
# whose text is the picture's alt text, as `![alt](url)` is:
# a linked picture, `[![alt](picture)](gallery)`, the commonest way a CMS writes a clickable one
LINKED_IMAGE_LINE = re.compile(
    r"^\[!\[((?:[^\[\]\\]|\\.)*)\]\(" + IMAGE_URL + r"\)\]\(" + IMAGE_URL + r"\)$", re.DOTALL
)
# a reference-style picture, `![alt][ref]` (or `![alt][]`), its address defined elsewhere
REF_IMAGE_LINE = re.compile(r"^!\[((?:[^\[\]\\]|\\.)+)\] ?\[[^\[\]]*\]$")
# a raw <img> tag alone on its line, with its alt text
_IMG_TAG = re.compile(r"^<img\b[^<>]*>$", re.IGNORECASE)
_IMG_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_IMG_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def img_tag(raw: str) -> tuple[int, int, str] | None:
    """A line that is one <img> tag: (start, end) of its alt text in the line (empty when
    it has none: nothing to read, as `![](url)`), and its address; None for any other line."""
    if not _IMG_TAG.match(raw):
        return None
    src = _IMG_SRC.search(raw)
    url = next((g for g in src.groups() if g is not None), "") if src else ""
    alt = _IMG_ALT.search(raw)
    if alt is None:
        return 0, 0, url
    group = 1 if alt.group(1) is not None else 2
    return alt.start(group), alt.end(group), url
