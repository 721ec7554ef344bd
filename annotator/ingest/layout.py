"""From a scraped article to cleaned text and typed segments with offsets.

The steps, in order:
1. Split the body into lines; reduce markdown links to their text (the URL is kept as a link
   on the segment); drop CRs.
2. Find page furniture: short lines (a byline, a running header) that repeat in the article.
   The first is kept as metadata and as one `byline` segment; the repeats are removed, and
   when a repeat had split a sentence in two (text before it does not end a sentence), the
   two halves are joined again with one space.
3. Type each line: heading, byline, image credit, embed signature, bare media link, list
   item, or prose. Prose lines are grouped into runs (a line ending with a colon closes its
   run) and split into sentences.

Every segment is a span of the cleaned text, so `text[start:end]` is the segment, always.

The work is split by what it holds: source_lines (the source cut into lines), layout_lines
(lines and paragraphs, repeated furniture), layout_inline (links and emphasis), layout_kinds
(what a line is), layout_segments (the segments of a paragraph) and layout_assembly (the
cleaned text and the sentences of prose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from annotator.ingest import bylines
from annotator.ingest import furniture as fx
from annotator.ingest.dates import byline_date
from annotator.ingest.html_blocks import html_paragraphs, item_starts
from annotator.ingest.html_tables import table_rows
from annotator.ingest.layout_assembly import MAX_SEGMENT, Assembler, Segment
from annotator.ingest.layout_inline import Link
from annotator.ingest.layout_kinds import (
    headline_sized,
    link_only,
    navigation,
    one_sentence,
    special_kind,
)
from annotator.ingest.layout_lines import Line, forget, group_blocks, looks_like_heading
from annotator.ingest.layout_segments import block_segments
from annotator.ingest.line_ends import with_line_feeds
from annotator.ingest.source_lines import article_lines
from annotator.ingest.static_site import code_span
from annotator.ingest.subtitles import may_be_subtitles, subtitle_cues, subtitle_segments
from annotator.ingest.textmap import OffsetMap

__all__ = ["KINDS", "MAX_SEGMENT", "Layout", "Link", "Segment", "layout"]

# new kinds go at the end: the hf export encodes the kind by its index here
KINDS = (
    "title",
    "heading",
    "byline",
    "credit",
    "embed",
    "media",
    "list_item",
    "body",
    "furniture",
    "table",
    "code",
)
# what an annotator reads and labels; when a text has none of it, its headings are its text
_READ = frozenset({"body", "list_item", "table", "embed"})
_HEADS = frozenset({"title", "heading"})
# the author named by a byline: "Written by Jane Doe on October 24, 2024"
_AUTHOR = re.compile(r"^(?:\w+\s+)?by\s+(.+?)(?:\s+(?:on|at|\||,|-|—|–)\s+.*)?$", re.IGNORECASE)


@dataclass
class Layout:
    text: str
    offset_map: OffsetMap
    segments: list[Segment]
    byline: str | None = None
    author: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date from the byline ("... on October 24, 2024")
    removed_furniture: int = 0
    rejoined: int = 0


def layout(source: str, body_start: int = 0, title: str | None = None) -> Layout:
    """Clean `source[body_start:]` and cut it into typed segments."""
    try:
        # other line ends (a bare CR, a form feed, U+2028 ...) as line feeds, in place
        source = with_line_feeds(source, body_start)
        # a text of HTML paragraphs: its block tags blanked in place (offsets unchanged)
        blanked = html_paragraphs(source, body_start)
        lay = _layout(blanked, body_start, title)
        if blanked is not source:
            lay.segments = _html_items(lay, item_starts(source, blanked))
        return lay
    finally:
        forget()  # what the predicates remembered of this article


def _html_items(lay: Layout, starts: frozenset[int]) -> list[Segment]:
    """The segments of a text of HTML paragraphs with each `<li>` item's sentences (its
    paragraph) of kind list item."""
    if not starts:
        return lay.segments
    to_original = lay.offset_map.to_original
    items = {
        seg.paragraph
        for seg in lay.segments
        if seg.kind in ("body", "heading") and to_original(seg.start) in starts
    }
    return [
        replace(seg, kind="list_item")
        if seg.paragraph in items and seg.kind in ("body", "heading")
        else seg
        for seg in lay.segments
    ]


def _html_table(asm: Assembler, ln: Line) -> None:
    """An HTML table (html_tables.py): a segment of kind table per row, its cells' text
    joined by " | ", a line break between rows; the tags are not copied."""
    for ri, row in enumerate(table_rows(asm.source, ln.start, ln.end)):
        if ri:
            asm.b.insert("\n", row[0][0])
        begin = len(asm.b)
        links: list[Link] = []
        for ci, (a, b) in enumerate(row):
            if ci:
                asm.b.insert(" | ", a)
            links += asm.copy_inline(a, b)[2]
        asm.add(begin, len(asm.b), "table", links)


def _layout(source: str, body_start: int, title: str | None) -> Layout:
    if may_be_subtitles(source, body_start) and (cues := subtitle_cues(source, body_start)):
        # subtitles pasted as text: the cue texts, their timings left out (subtitles.py)
        text, offset_map, segments = subtitle_segments(source, cues[0])
        return Layout(text, offset_map, segments, removed_furniture=cues[1])
    lines = article_lines(source, body_start)
    blocks, removed, rejoined, byline = group_blocks(lines)
    asm = Assembler(source)
    asm.may_title = title is None
    asm.lines = [ln for block in blocks for ln in block.lines]
    asm.line_index = {id(ln): i for i, ln in enumerate(asm.lines)}

    for bi, block in enumerate(blocks):
        if bi:
            asm.b.insert("\n\n", block.lines[0].start)
        asm.paragraph += 1
        if block.region == "code":
            # copied as written, fences and all; the code between them is the segment
            ln = block.lines[0]
            begin, _ = asm.b.copy(ln.start, ln.end)
            a, b = code_span(asm.source, ln.start, ln.end)
            asm.add(begin + a - ln.start, begin + b - ln.start, "code", [])
            continue
        if block.region == "table":
            _html_table(asm, block.lines[0])
            continue
        if block.furniture:
            ln = block.lines[0]
            s, e, links = asm.copy_line(ln)
            asm.add(s, e, "byline" if bylines.is_byline(ln.visible) else "furniture", links)
            continue
        single = len(block.items) == 1
        # a headline near the top becomes the title when the file did not name one
        if (
            single
            and title is None
            and asm.found_title is None
            and bi <= 3
            and looks_like_heading(block.lines[0].visible)
            # a one- or two-word line is a section label ("Environnement"), not the headline
            and headline_sized(block.lines[0].visible)
            and one_sentence(block.lines[0].visible)
            and not special_kind(block.lines[0].visible)
            and not fx.LIST_ITEM.match(block.lines[0].visible)
            # a link to another story is a teaser, and a headline after the byline or the
            # first sentence is not the article's
            and not link_only(asm.source[block.lines[0].start : block.lines[0].end])
            and not asm.source.startswith("![", block.lines[0].start)
            and asm.title_allowed()
        ):
            ln = block.lines[0]
            # "# Schools 'safe' amidst surge": the marker is markup
            mark = fx.MARKDOWN_HEADING.match(asm.source[ln.start : ln.end])
            skip = mark.end() if mark else 0
            s, e, links = asm.copy_inline(ln.start + skip, ln.end)
            asm.add(s, e, "title", links)
            asm.found_title = ln.visible[skip:]
            continue
        if navigation(asm.source, block):
            for li, ln in enumerate(block.lines):
                if li:
                    asm.b.insert("\n", block.lines[li - 1].end)
                bullet = fx.LIST_ITEM.match(asm.source[ln.start : ln.end])
                s, e, links = asm.copy_line(ln)
                asm.add(s + (bullet.end() if bullet else 0), e, "furniture", links)
            continue
        block_segments(asm, block, single)

    text, offset_map, segments = asm.finish()
    found_title = asm.found_title
    if found_title is not None and not any(seg.kind == "title" for seg in segments):
        found_title = None  # its neighbours showed it was not one (a post's author's name)
    if not any(seg.kind in _READ for seg in segments):
        # a text of headings only (a one-line JSONL claim, a post, a headline to label) has
        # nothing else to read: its lines are the item, not headings to skip (audit4 F7)
        segments = [replace(seg, kind="body") if seg.kind in _HEADS else seg for seg in segments]
        found_title = None
    author = None
    if byline:
        m = _AUTHOR.match(byline)
        author = m.group(1).strip() if m else None
    return Layout(
        text=text,
        offset_map=offset_map,
        segments=segments,
        byline=byline,
        author=author,
        title=found_title,
        published=byline_date(byline) if byline else None,
        removed_furniture=removed,
        rejoined=rejoined,
    )
