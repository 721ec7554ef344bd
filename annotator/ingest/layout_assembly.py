"""The cleaned text as it is written, and the segments collected on the way: typed segments
as they are decided, prose runs split into sentences once the text is complete."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from annotator.ingest import furniture as fx
from annotator.ingest import page_dumps
from annotator.ingest.credit_lines import credit_plan, has_credit_label
from annotator.ingest.forum_lines import post_headers
from annotator.ingest.inline_html import ENTITY, HTML_LINK, html_href, replacement
from annotator.ingest.layout_inline import (
    AUTOLINK,
    ESCAPE,
    INNER_IMAGE,
    LINKED_IMAGE,
    MD_LINK,
    Link,
    destination,
    iter_links,
    link_text_marks,
)
from annotator.ingest.layout_lines import Line, is_byline_line, is_furniture
from annotator.ingest.neighbours import in_context
from annotator.ingest.page_sections import opens_comments, opens_related
from annotator.ingest.plain_captions import caption_kinds, marks_subheadings
from annotator.ingest.pull_quotes import pull_quote_kinds
from annotator.ingest.reference_links import REF_LINK, reference_label, reference_urls
from annotator.ingest.sentences import split_sentences
from annotator.ingest.teaser_repeats import repeated_teasers
from annotator.ingest.textmap import OffsetMap, TextBuilder

# past this length a body segment is cut (at a line break, else at a space): a page dump or
# a list run together is not a sentence, and nobody can judge 2,000 characters as one
MAX_SEGMENT = 1000
_URL = re.compile(r"\S+")


@dataclass(frozen=True, init=False)
class Segment:
    start: int
    end: int
    kind: str
    paragraph: int
    links: tuple[Link, ...] = ()

    def __init__(
        self, start: int, end: int, kind: str, paragraph: int, links: tuple[Link, ...] = ()
    ) -> None:
        # the fields written straight into the instance's dict: the frozen dataclass's own
        # __init__ sets each through object.__setattr__, 2.5x the time, and the layout makes
        # a segment per sentence (tests/test_layout_shortcuts5.py: the same objects)
        d = self.__dict__
        d["start"] = start
        d["end"] = end
        d["kind"] = kind
        d["paragraph"] = paragraph
        d["links"] = links


@dataclass
class Run:
    """Prose waiting to be split into sentences once the cleaned text is complete."""

    start: int
    end: int
    paragraph: int
    links: list[Link]


class Assembler:
    """Writes the cleaned text and collects segments (and prose runs) in reading order."""

    def __init__(self, source: str):
        self.source = source
        self.b = TextBuilder(source)
        self.items: list[Segment | Run] = []
        self.paragraph = -1
        # inside a box of links to other stories ("MORE SIXERS", "Suggested articles")
        self.related = False
        # where the comment section opens (cleaned offset): everything after it is furniture
        self.comments: int | None = None
        self.may_title = False  # the file names no title: a headline at the top is one
        self.prose_ends = 0  # prose lines that ended a sentence so far: the article began
        self.lines: list[Line] = []  # every line of the body, in order, to look ahead
        self.line_index: dict[int, int] = {}
        self.found_title: str | None = None

    def open_comments(self, vis: str, at: int, start: int) -> bool:
        """Note that the comment section opens at `start` (cleaned offset) when the furniture
        line `vis`, at `at` in the source, is its heading and none opened before; True then."""
        if self.comments is None and opens_comments(vis, at, len(self.source)):
            self.comments = start
            return True
        return False

    def opens_related(self, vis: str) -> bool:
        """A box of links to other stories, once the article has begun: at the top of a
        whole-page dump "Latest News" is a menu, and the headline and standfirst follow it."""
        return self.prose_ends >= 2 and opens_related(vis)

    def prose_resumes(self, ln: Line) -> bool:
        """Two lines in a row that end sentences, from this line or the next: the article
        again (a box whose entries the extractor dropped leaves its heading before prose)."""
        i = self.line_index.get(id(ln))
        if i is None:
            return False
        lines = self.lines[i : i + 3]

        def prose(x: Line) -> bool:
            return fx.ends_sentence(x.visible) and not fx.LIST_ITEM.match(x.visible)

        return (len(lines) >= 2 and prose(lines[0]) and prose(lines[1])) or (
            len(lines) >= 3 and prose(lines[1]) and prose(lines[2])
        )

    def title_allowed(self) -> bool:
        """A headline near the top is the title, unless a title or the first sentence came
        before it."""
        return (
            self.may_title
            and self.found_title is None
            and self.paragraph <= 3
            and len(self.items) <= 3
            and not any(isinstance(i, Run) or i.kind == "body" for i in self.items)
        )

    def copy_line(self, ln: Line) -> tuple[int, int, list[Link]]:
        """copy_inline(ln.start, ln.end), sparing the search on a line without markup."""
        if ln.plain:
            begin, stop = self.b.copy(ln.start, ln.end)
            return begin, stop, []
        return self.copy_inline(ln.start, ln.end, ln.marks)

    def copy_inline(
        self, start: int, end: int, found: list[re.Match[str]] | None = None
    ) -> tuple[int, int, list[Link]]:
        """Copy source[start:end], reducing markdown links to their text (`found`: its
        iter_links, when known)."""
        if found is None:
            found = iter_links(self.source, start, end)
        if not found:  # most lines: no link, no marker
            begin, stop = self.b.copy(start, end)
            return begin, stop, []
        links: list[Link] = []
        pos = start
        begin = self.b.length
        for m in found:
            self.b.copy(pos, m.start())
            pos = m.end()
            if m.re is ENTITY:  # "&amp;": the character it stands for, in its place
                self.b.insert(replacement(m), m.start())
                continue
            ts, te = m.span("text") if m.re is HTML_LINK else m.span(1)
            linked = m.re is MD_LINK or m.re is REF_LINK or m.re is HTML_LINK
            cs, ce = self._copy_text(ts, te) if linked else self.b.copy(ts, te)
            if m.re is HTML_LINK:  # <a href="URL">text</a>, as a markdown link
                if ce > cs:
                    links.append(Link(cs, ce, html_href(m)))
            elif m.re is MD_LINK or m.re is LINKED_IMAGE:
                if ce > cs:
                    links.append(Link(cs, ce, destination(m.group(2))))
            elif m.re is REF_LINK:
                url = reference_urls(self.source).get(reference_label(m))
                if url is not None and ce > cs:
                    links.append(Link(cs, ce, url))
            elif m.re is AUTOLINK:
                # "<https://t.co/x pic.twitter.com/y>": one link per URL inside the brackets
                for u in _URL.finditer(m.group(1)):
                    links.append(Link(cs + u.start(), cs + u.end(), u.group()))
            # else a marker (emphasis, a footnote mark, an HTML tag): nothing kept; an escaped
            # character: itself, kept
        self.b.copy(pos, end)
        return begin, self.b.length, links

    def _copy_text(self, start: int, end: int) -> tuple[int, int]:
        """Copy a link's text, leaving out emphasis markers ("[*Lifeline*](...)") and the
        syntax of images inside it ("[![](thumb.jpg)Headline](...)": their alt text stays)."""
        begin = self.b.length
        pos = start
        piece = self.source[start:end]
        if (
            "*" in piece
            or "_" in piece
            or "](" in piece
            or "\\" in piece
            or "<" in piece
            or "&" in piece
        ):
            for m in link_text_marks(self.source, start, end):
                self.b.copy(pos, m.start())
                if m.re is INNER_IMAGE or m.re is ESCAPE:
                    self.b.copy(*m.span(1))
                elif m.re is ENTITY:
                    self.b.insert(replacement(m), m.start())
                pos = m.end()
        # the link ends at its last character: not on the line breaks of a link text that
        # ran over lines ("Headline \n\n\n](/story/)")
        last = start + len(self.source[start:end].rstrip())
        if last < pos:
            last = end
        self.b.copy(pos, last)
        stop = self.b.length
        self.b.copy(last, end)
        return begin, stop

    def add(self, start: int, end: int, kind: str, links: list[Link]) -> None:
        own = tuple(lk for lk in links if lk.start < end and lk.end > start) if links else ()
        self.items.append(Segment(start, end, kind, self.paragraph, own))

    def add_run(self, start: int, end: int, links: list[Link]) -> None:
        if end > start:
            self.items.append(Run(start, end, self.paragraph, links))

    def finish(self) -> tuple[str, OffsetMap, list[Segment]]:
        text, offset_map = self.b.build()
        segments: list[Segment] = []
        comments = self.comments
        for item in self.items:
            if isinstance(item, Run):
                for s, e in bounded(text, split_sentences(text, item.start, item.end)):
                    own = (
                        tuple(lk for lk in item.links if lk.start < e and lk.end > s)
                        if item.links
                        else ()
                    )
                    # a sentence of furniture inside prose ("... admitted. Follow us on X.")
                    kind = "body"
                    sentence = text[s:e]
                    cut = page_dumps.share_row_end(sentence) if e - s > 160 else 0
                    lead = "furniture"  # a page dump's headline, byline and share row
                    if not cut and sentence.startswith("By "):
                        cut, lead = page_dumps.byline_prefix_end(sentence), "byline"  # "By X: The"
                    if cut:
                        a, b = trim(text, s, s + cut)
                        segments.append(Segment(a, b, lead, item.paragraph, own))
                        s = s + cut
                        sentence = text[s:e]
                        own = tuple(lk for lk in item.links if lk.start < e and lk.end > s)
                    if comments is not None and s >= comments:
                        kind = "furniture"  # the comment section: readers, rules, forms
                    elif e - s > 160:
                        if page_dumps.is_dump_fragment(sentence):  # a page dump's boxes
                            kind = "furniture"
                    elif is_furniture(sentence):
                        kind = "furniture"
                        # a comment section's heading read as prose ("3 thoughts on “...”":
                        # a crude extraction of a WordPress page): what follows is readers'
                        if comments is None and opens_comments(sentence, s, len(text)):
                            comments = e
                    elif is_byline_line(sentence):
                        # "By\nIvan Penn", a byline a scraper broke; "(BA)" signing off
                        kind = "byline"
                    segments.append(Segment(s, e, kind, item.paragraph, own))
            else:
                s, e = trim(text, item.start, item.end)
                kind = item.kind
                if comments is not None and s >= comments and kind != "table":
                    kind = "furniture"
                if e > s:
                    # (the segment as added, when trimming and the comments left it alone)
                    same = s == item.start and e == item.end and kind == item.kind
                    segments.append(
                        item if same else Segment(s, e, kind, item.paragraph, item.links)
                    )
        # kinds that only the neighbouring segments reveal (neighbours.py)
        # (each segment's text cut once, for the rules and the teasers both)
        texts = [text[g.start : g.end] for g in segments]
        kinds = in_context([g.kind for g in segments], texts)
        if "\n@" in text or text.startswith("@"):
            # a post's header, a handle opening a line: its author's name over the handle, its
            # date (forum_lines.py)
            post_headers(kinds, texts)
        if kinds.count("furniture") >= 3:
            # teasers a page dump repeats in its boxes, beside its furniture (teaser_repeats.py;
            # a page with its boxes has furniture, an article's text little or none)
            repeated_teasers(
                kinds,
                texts,
                lambda i: _whole_line(text, segments[i].start, segments[i].end),
            )
        # a pull quote repeats the article (pull_quotes.py)
        kinds = pull_quote_kinds(
            text, [(k, g.start, g.end, g.paragraph) for k, g in zip(kinds, segments, strict=True)]
        )
        segments = [
            g if k == g.kind else replace(g, kind=k) for g, k in zip(segments, kinds, strict=True)
        ]
        # a caption a markdown extraction left plain among its marked subheadings
        captions = (
            caption_kinds(
                self.source,
                text,
                offset_map.to_original,
                [(g.kind, g.start, g.end, g.paragraph) for g in segments],
            )
            if "heading" in kinds and marks_subheadings(self.source)
            else None
        )
        if captions is not None:
            segments = [
                g if k == g.kind else replace(g, kind=k)
                for g, k in zip(segments, captions, strict=True)
            ]
        # (a broken credit is two credits, or a credit's label alone: "Credit..." / a name)
        if kinds.count("credit") >= 2 or has_credit_label(text):
            segments = _rejoin_credits(text, segments)
        return text, offset_map, segments


def _rejoin_credits(text: str, segments: list[Segment]) -> list[Segment]:
    """A credit a scraper broke over lines made one segment, its caption media
    (credit_lines.py)."""
    plan = credit_plan(text, [(g.kind, g.start, g.end, g.paragraph) for g in segments])
    if plan is None:
        return segments
    out = []
    for first, last, kind in plan:
        g = segments[first]
        if last > first:
            links = tuple(lk for h in segments[first : last + 1] for lk in h.links)
            g = Segment(g.start, segments[last].end, kind, g.paragraph, links)
        elif kind != g.kind:
            g = replace(g, kind=kind)
        out.append(g)
    return out


def _whole_line(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a line of its own in the cleaned text (a bullet before it)?"""
    if end < len(text) and text[end] != "\n":
        return False
    return start == 0 or not text[text.rfind("\n", 0, start) + 1 : start].strip("*-+•# \t")


def bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut any span longer than MAX_SEGMENT: at line breaks, then at the last space, then
    after the last clause mark (Chinese and Japanese have no spaces: "，" "、" "；"), else
    where the limit falls (a data: URL, a run of letters with no break at all)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > MAX_SEGMENT:
            cut = text.rfind("\n", s + 1, s + MAX_SEGMENT)
            if cut < 0:
                cut = text.rfind(" ", s + MAX_SEGMENT // 2, s + MAX_SEGMENT)
            if cut < 0:
                cut = _after_clause_mark(text, s + MAX_SEGMENT // 2, s + MAX_SEGMENT)
            if cut < 0:
                cut = _grapheme_start(text, s + MAX_SEGMENT, s + 1)
            a, b = trim(text, s, cut)
            if b > a:
                out.append((a, b))
            s = trim(text, cut, e)[0]
        if e > s:
            out.append((s, e))
    return out


_CLAUSE_MARKS = "，、；：,;:"


def _after_clause_mark(text: str, lo: int, hi: int) -> int:
    """Just after the last clause mark in text[lo:hi], or -1."""
    best = max(text.rfind(c, lo, hi - 1) for c in _CLAUSE_MARKS)
    return best + 1 if best >= 0 else -1


def _grapheme_start(text: str, at: int, lo: int) -> int:
    """`at`, or before it, where a character does not continue the one before: never between
    a letter and its combining mark ("क्ष": a lone virama would open the next segment), nor
    around a zero-width joiner or a variation selector (an emoji sequence)."""
    while at > lo and (
        unicodedata.combining(text[at])
        or text[at] in _JOINING
        or text[at - 1] == "\u200d"
        or unicodedata.category(text[at]) == "Mc"
    ):
        at -= 1
    return at


_JOINING = "\u200d\ufe0e\ufe0f"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
