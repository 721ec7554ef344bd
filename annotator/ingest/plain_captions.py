"""Captions that a markdown extraction leaves as plain lines among its paragraphs.

trafilatura's markdown marks a page's subheadings ("**Freedom fighters replace colonial
leaders**", "#### **Did you go to art school?**") and leaves a photo's caption as a plain
line ("Tahir Della helped organize Berlin's new initiative", dw.com): in a text that marks
its subheadings, a plain headline-sized line under a picture, or between two paragraphs of
prose, is the caption of a picture the extraction dropped, not a heading. A text that marks
nothing (a .txt extraction) gives no such hint: its captions stay headings (README, Known
limits)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from annotator.ingest.word_counts import words

# a subheading marked as markdown marks it: "## ...", or a line in bold ("**...**", "__...__")
_MARKED = re.compile(
    r"#{2,6}[ \t]+\S|\*\*[^*\n]{3,}\*\*[ \t]*$|__[^_\n]{3,}__[ \t]*$", re.MULTILINE
)


def marks_subheadings(source: str) -> bool:
    """Does the text mark a subheading (a line opening "## ", or a line all in bold)? Each
    line opening with a mark is asked, found by a plain search (no pattern over the text)."""
    for mark in ("#", "**", "__"):
        if source.startswith(mark) and _MARKED.match(source):
            return True
        at = source.find("\n" + mark)
        while at >= 0:
            if _MARKED.match(source, at + 1):
                return True
            at = source.find("\n" + mark, at + 1)
    return False


# how a marked line opens in the source
_MARKS = ("#", "**", "__", "*", "_")
_ENDS_SENTENCE = (".", "!", "?", "”", '"', "’", ":", "…")


def caption_kinds(
    source: str,
    text: str,
    to_original: Callable[[int], int],
    spans: Sequence[tuple[str, int, int, int]],
) -> list[str] | None:
    """The kinds of the segments (kind, start, end, paragraph) with each plain heading that is
    a caption made `media`; None when there is none (most texts: the source is looked at only
    when a heading is there to judge)."""
    kinds = [k for k, _s, _e, _p in spans]
    if "heading" not in kinds or not marks_subheadings(source):
        return None
    changed = False
    for i, (kind, s, e, para) in enumerate(spans):
        seg = text[s:e]
        if kind != "heading" or i == 0 or seg.endswith("?") or ". " in seg:
            continue  # (a question, or two sentences: a reader's comment, not a caption)
        if not (seg[0].isupper() or seg[0].isdigit()):
            continue  # a caption opens with a name, a place, a date
        at = to_original(s)
        line_start = source.rfind("\n", 0, at) + 1
        line_end = source.find("\n", at)
        line = source[line_start : len(source) if line_end < 0 else line_end]
        if source[line_start:at].strip() or line.startswith(_MARKS) or "[" in line or "<" in line:
            continue  # a marked heading, a heading inside a line, links or tags: not plain
        before_kind, bs, be, bpara = spans[i - 1]
        if bpara != para - 1:
            continue
        after = spans[i + 1] if i + 1 < len(spans) else None
        # (an image's segment is its alt text: the line it is on opens with "![")
        # (a section label, "Transportation", "October 2006", is no caption: the line is a
        # description, two words or more under a picture, five between paragraphs)
        n = words(seg)
        under_picture = (
            n >= 2
            and before_kind == "media"
            and source.startswith("![", source.rfind("\n", 0, to_original(bs)) + 1)
        )
        between_prose = (
            n >= 5
            and before_kind == "body"
            and text[bs:be].endswith(_ENDS_SENTENCE)
            and after is not None
            and after[0] == "body"
            and after[3] == para + 1
        )
        if under_picture or between_prose:
            kinds[i] = "media"
            changed = True
    return kinds if changed else None
