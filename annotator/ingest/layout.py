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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from annotator.ingest import furniture as fx
from annotator.ingest.neighbours import in_context
from annotator.ingest.sentences import split_sentences
from annotator.ingest.textmap import OffsetMap, TextBuilder

# [text](url "optional title") and <https://...> autolinks; images ![alt](src) keep their alt text
_MD_LINK = re.compile(
    r"!?\[([^\[\]\n]*)\]\(\s*(<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
    r"(?:\s+\"[^\"\n]*\")?\s*\)"
)
# Markdown emphasis markers (*, **, ***): syntax, not text. A run of asterisks is a marker
# when it opens (after a space or an opening bracket or quote, before a non-space), closes
# (after a non-space, before a space or punctuation) or touches punctuation ("**33%**of").
# "5 * 3", "a*b" and a "* " bullet stay. The empty group is the (nothing) kept.
_EMPHASIS = re.compile(
    r"(?:(?<![^\s(\[\"'“‘])\*{1,3}(?=[^\s*])"
    r"|(?<=[^\s*])\*{1,3}(?![^\s()\].,;:!?\"'”’])"
    r"|(?<=[^\w\s*])\*{1,3}(?=\w))()"
)
# a line that is one markdown image and nothing else: its alt text is a caption, not prose
# (the alt text may span lines, and escape brackets: "![\\[4K\\] ...](...)")
_IMAGE_LINE = re.compile(
    r"^!\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*\)$",
    re.DOTALL,
)
# a linked image "[![alt](src)](href)": its alt text, linked to href
_LINKED_IMAGE = re.compile(r"\[!\[([^\[\]\n]*)\]\([^()\s]*\)\]\(\s*([^()\s]*)\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|pic\.twitter\.com/)[^<>\n]*)>")

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
)
# a markdown table row "| a | b |", and its separator "|---|:--:|"
_TABLE_ROW = re.compile(r"^\|.*\|$")
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")
# past this length a body segment is cut (at a line break, else at a space): a page dump or
# a list run together is not a sentence, and nobody can judge 2,000 characters as one
MAX_SEGMENT = 1000


@dataclass(frozen=True)
class Link:
    start: int  # offsets into the cleaned article text
    end: int
    url: str


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: str
    paragraph: int
    links: tuple[Link, ...] = ()


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


@dataclass
class _Line:
    start: int  # span in the source, whitespace-trimmed
    end: int
    visible: str  # links reduced, for classification

    @property
    def empty(self) -> bool:
        return self.end <= self.start


@dataclass
class _Block:
    # lines, with a True between two lines that were rejoined across removed furniture
    items: list[_Line | bool] = field(default_factory=list)
    furniture: bool = False  # the kept first occurrence of repeated furniture

    @property
    def lines(self) -> list[_Line]:
        return [i for i in self.items if not isinstance(i, bool)]


def _visible(s: str) -> str:
    if "[![" in s:
        s = _LINKED_IMAGE.sub(lambda m: m.group(1), s)
    s = _MD_LINK.sub(lambda m: m.group(1), s)
    s = _AUTOLINK.sub(lambda m: m.group(1), s)
    return _EMPHASIS.sub("", s) if "*" in s else s


def _source_lines(text: str, start: int) -> list[_Line]:
    lines = []
    pos = start
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        # trimmed as str.strip() trims (the same isspace() characters), without a loop
        raw = text[pos:end]
        body = raw.lstrip()
        s = pos + len(raw) - len(body)
        e = s + len(body.rstrip())
        # emphasis around the whole line ("*Photo: AFP*", "**Read more**") is markup
        if e - s > 2 and text[s] in "*_":
            for mark in ("**", "*", "__", "_"):
                w = len(mark)
                if e - s > 2 * w and text.startswith(mark, s) and text.endswith(mark, s, e):
                    if not text[s + w].isspace() and not text[e - w - 1].isspace():
                        s, e = s + w, e - w
                    break
        if text.startswith("![", s) and "](" not in text[s:e]:
            # an image whose alt text runs over lines: one line, up to its "](url)"
            close = text.find("](", e, e + 1000)
            stop = text.find("\n", close) if close >= 0 else -1
            stop = n if close >= 0 and stop < 0 else stop
            if (
                close >= 0
                and text[s:stop].rstrip().endswith(")")
                and text.count("\n", e, close) <= 3
            ):
                e = stop
                while e > s and text[e - 1].isspace():
                    e -= 1
                nl = stop if stop < n else -1
        lines.append(_Line(s, e, _visible(text[s:e]) if e > s else ""))
        if nl < 0:
            break
        pos = nl + 1
    return lines


def _blocks(lines: list[_Line]) -> tuple[list[_Block], int, int, str | None]:
    """Group lines into blocks, removing repeated furniture and rejoining what it split."""
    counts: dict[str, int] = {}
    for ln in lines:
        if not ln.empty and fx.repeatable_furniture(ln.visible):
            key = fx.normalise_line(ln.visible)
            counts[key] = counts.get(key, 0) + 1
    repeated = {k for k, c in counts.items() if c >= 2}

    # first pass: blocks and furniture markers (None) in reading order
    seq: list[_Block | tuple[_Line, bool]] = []
    current = _Block()
    seen: set[str] = set()
    furniture_line: str | None = None
    for ln in lines:
        if ln.empty or fx.SEPARATOR.match(ln.visible):
            if current.items:
                seq.append(current)
                current = _Block()
            continue
        key = fx.normalise_line(ln.visible)
        if key in repeated:
            if current.items:
                seq.append(current)
                current = _Block()
            seq.append((ln, key not in seen))
            if furniture_line is None and fx.is_byline(ln.visible):
                furniture_line = ln.visible
            seen.add(key)
            continue
        current.items.append(ln)
    if current.items:
        seq.append(current)

    # second pass: rejoin a block split by furniture; keep the first occurrence otherwise
    out: list[_Block] = []
    removed = rejoined = 0
    i = 0
    while i < len(seq):
        item = seq[i]
        if isinstance(item, _Block):
            out.append(item)
            i += 1
            continue
        ln, first = item
        prev = out[-1] if out and not out[-1].furniture else None
        following = seq[i + 1] if i + 1 < len(seq) else None
        nxt = following if isinstance(following, _Block) else None
        if prev is not None and nxt is not None and _broken(prev, nxt):
            prev.items.append(True)
            prev.items.extend(nxt.items)
            removed += 1
            rejoined += 1
            i += 2
            continue
        if first:
            out.append(_Block(items=[ln], furniture=True))
        else:
            removed += 1
        i += 1
    return _continued(out), removed, rejoined, furniture_line


def _continued(blocks: list[_Block]) -> list[_Block]:
    """Join a paragraph to the next when an extractor cut a sentence at an inline link and
    put a blank line there ("... In the US, call the" / "[Lifeline](...)" / "at 1-800-273-8255.
    The"): the first ends in a word that cannot end a sentence, or the second opens in
    lowercase."""
    out: list[_Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and not prev.furniture and not block.furniture:
            tail, head = prev.items[-1], block.items[0]
            assert isinstance(tail, _Line) and isinstance(head, _Line)
            last, first = tail.visible, head.visible
            # a headline over a lede whose first letter the extractor lost ("urkey, Poland")
            # stays a headline
            headline = len(prev.items) == 1 and fx.looks_like_heading(last)
            if _runs_on(last, first, headline):
                prev.items.append(True)
                prev.items.extend(block.items)
                continue
        out.append(block)
    return out


def _runs_on(last: str, first: str, headline: bool) -> bool:
    if not last or not first or fx.ends_sentence(last) or last.endswith(("|", "*")):
        return False
    if fx.is_furniture(last) or fx.is_furniture(first):
        return False  # "Supported by" (an advertising label) does not run on into the lede
    for line in (last, first):
        if fx.LIST_ITEM.match(line) or fx.MARKDOWN_HEADING.match(line) or line.startswith("|"):
            return False
    word = last.rsplit(None, 1)[-1].lower()
    c = first.lstrip(_OPENING_MARKS)[:1]
    return word in _CONTINUES or (c.islower() and not headline)


def _broken(prev: _Block, nxt: _Block) -> bool:
    """Was a sentence cut in two at this point (prose before that does not end a sentence)?"""
    last = prev.lines[-1].visible
    first = nxt.lines[0].visible
    if fx.ends_sentence(last) or fx.LIST_ITEM.match(first) or fx.MARKDOWN_HEADING.match(first):
        return False
    if len(prev.items) == 1 and fx.looks_like_heading(last) and fx.words(last) < 8:
        return False  # a short heading before a page break is still a heading
    return fx.words(last) >= 3


@dataclass
class _Run:
    """Prose waiting to be split into sentences once the cleaned text is complete."""

    start: int
    end: int
    paragraph: int
    links: list[Link]


class _Assembler:
    """Writes the cleaned text and collects segments (and prose runs) in reading order."""

    def __init__(self, source: str):
        self.source = source
        self.b = TextBuilder(source)
        self.items: list[Segment | _Run] = []
        self.paragraph = -1
        # inside a box of links to other stories ("MORE SIXERS", "Suggested articles")
        self.related = False
        # where the comment section opens (cleaned offset): everything after it is furniture
        self.comments: int | None = None
        self.may_title = False  # the file names no title: a headline at the top is one
        self.prose_ends = 0  # prose lines that ended a sentence so far: the article began
        self.lines: list[_Line] = []  # every line of the body, in order, to look ahead
        self.line_index: dict[int, int] = {}
        self.found_title: str | None = None

    def opens_related(self, vis: str) -> bool:
        """A box of links to other stories, once the article has begun: at the top of a
        whole-page dump "Latest News" is a menu, and the headline and standfirst follow it."""
        return self.prose_ends >= 2 and _opens_related(vis)

    def prose_resumes(self, ln: _Line) -> bool:
        """Two lines in a row that end sentences, from this line or the next: the article
        again (a box whose entries the extractor dropped leaves its heading before prose)."""
        i = self.line_index.get(id(ln))
        if i is None:
            return False
        lines = self.lines[i : i + 3]

        def prose(x: _Line) -> bool:
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
            and not any(isinstance(i, _Run) or i.kind == "body" for i in self.items)
        )

    def copy_inline(self, start: int, end: int) -> tuple[int, int, list[Link]]:
        """Copy source[start:end], reducing markdown links to their text."""
        links: list[Link] = []
        pos = start
        begin = len(self.b)
        for m in _iter_links(self.source, start, end):
            self.b.copy(pos, m.start())
            ts, te = m.span(1)
            cs, ce = self._copy_text(ts, te) if m.re is _MD_LINK else self.b.copy(ts, te)
            if m.re is _EMPHASIS:
                pass  # a marker: nothing kept
            elif m.re is _MD_LINK or m.re is _LINKED_IMAGE:
                if ce > cs:
                    links.append(Link(cs, ce, m.group(2).strip("<>")))
            else:
                # "<https://t.co/x pic.twitter.com/y>": one link per URL inside the brackets
                for u in re.finditer(r"\S+", m.group(1)):
                    links.append(Link(cs + u.start(), cs + u.end(), u.group()))
            pos = m.end()
        self.b.copy(pos, end)
        return begin, len(self.b), links

    def _copy_text(self, start: int, end: int) -> tuple[int, int]:
        """Copy a link's text, leaving out emphasis markers ("[*Lifeline*](...)")."""
        begin = len(self.b)
        pos = start
        if "*" in self.source[start:end]:
            for m in _EMPHASIS.finditer(self.source, start, end):
                self.b.copy(pos, m.start())
                pos = m.end()
        self.b.copy(pos, end)
        return begin, len(self.b)

    def add(self, start: int, end: int, kind: str, links: list[Link]) -> None:
        own = tuple(lk for lk in links if lk.start < end and lk.end > start)
        self.items.append(Segment(start, end, kind, self.paragraph, own))

    def add_run(self, start: int, end: int, links: list[Link]) -> None:
        if end > start:
            self.items.append(_Run(start, end, self.paragraph, links))

    def finish(self) -> tuple[str, OffsetMap, list[Segment]]:
        text, offset_map = self.b.build()
        segments: list[Segment] = []
        for item in self.items:
            if isinstance(item, _Run):
                for s, e in _bounded(text, split_sentences(text, item.start, item.end)):
                    own = tuple(lk for lk in item.links if lk.start < e and lk.end > s)
                    # a sentence of furniture inside prose ("... admitted. Follow us on X.")
                    kind = "body"
                    cut = fx.share_row_end(text[s:e]) if e - s > 160 else 0
                    lead = "furniture"  # a page dump's headline, byline and share row
                    if not cut and text.startswith("By ", s):
                        cut, lead = fx.byline_prefix_end(text[s:e]), "byline"  # "By X: The"
                    if cut:
                        a, b = _trim(text, s, s + cut)
                        segments.append(Segment(a, b, lead, item.paragraph, own))
                        s = s + cut
                        own = tuple(lk for lk in item.links if lk.start < e and lk.end > s)
                    if self.comments is not None and s >= self.comments:
                        kind = "furniture"  # the comment section: readers, rules, forms
                    elif (
                        fx.is_furniture(text[s:e])
                        if e - s <= 160
                        else fx.is_dump_fragment(text[s:e])  # a page dump's boxes
                    ):
                        kind = "furniture"
                    elif e - s <= 160 and fx.is_byline_line(text[s:e]):
                        # "By\nIvan Penn", a byline a scraper broke; "(BA)" signing off
                        kind = "byline"
                    segments.append(Segment(s, e, kind, item.paragraph, own))
            else:
                s, e = _trim(text, item.start, item.end)
                kind = item.kind
                if self.comments is not None and s >= self.comments and kind != "table":
                    kind = "furniture"
                if e > s:
                    segments.append(Segment(s, e, kind, item.paragraph, item.links))
        # kinds that only the neighbouring segments reveal (neighbours.py)
        kinds = in_context([(g.kind, text[g.start : g.end]) for g in segments])
        segments = [
            g if k == g.kind else replace(g, kind=k) for g, k in zip(segments, kinds, strict=True)
        ]
        return text, offset_map, segments


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut any span longer than MAX_SEGMENT: at line breaks, then at the last space."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > MAX_SEGMENT:
            cut = text.rfind("\n", s + 1, s + MAX_SEGMENT)
            if cut < 0:
                cut = text.rfind(" ", s + MAX_SEGMENT // 2, s + MAX_SEGMENT)
            if cut < 0:
                break
            a, b = _trim(text, s, cut)
            if b > a:
                out.append((a, b))
            s = _trim(text, cut, e)[0]
        if e > s:
            out.append((s, e))
    return out


def _iter_links(text: str, start: int, end: int) -> list[re.Match[str]]:
    found = list(_MD_LINK.finditer(text, start, end)) + list(_AUTOLINK.finditer(text, start, end))
    if "*" in text[start:end]:
        found += _EMPHASIS.finditer(text, start, end)
    if "[![" in text[start:end]:
        found += _LINKED_IMAGE.finditer(text, start, end)
    found.sort(key=lambda m: m.start())
    out: list[re.Match[str]] = []
    last = start
    for m in found:
        if m.start() >= last:
            out.append(m)
            last = m.end()
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def layout(source: str, body_start: int = 0, title: str | None = None) -> Layout:
    """Clean `source[body_start:]` and cut it into typed segments."""
    lines = _source_lines(source, body_start)
    blocks, removed, rejoined, byline = _blocks(lines)
    asm = _Assembler(source)
    asm.may_title = title is None
    asm.lines = [ln for block in blocks for ln in block.lines]
    asm.line_index = {id(ln): i for i, ln in enumerate(asm.lines)}

    for bi, block in enumerate(blocks):
        if bi:
            asm.b.insert("\n\n", block.lines[0].start)
        asm.paragraph += 1
        if block.furniture:
            ln = block.lines[0]
            s, e, links = asm.copy_inline(ln.start, ln.end)
            asm.add(s, e, "byline" if fx.is_byline(ln.visible) else "furniture", links)
            continue
        single = len(block.items) == 1
        # a headline near the top becomes the title when the file did not name one
        if (
            single
            and title is None
            and asm.found_title is None
            and bi <= 3
            and fx.looks_like_heading(block.lines[0].visible)
            # a one- or two-word line is a section label ("Environnement"), not the headline
            and _headline_sized(block.lines[0].visible)
            and _one_sentence(block.lines[0].visible)
            and not _special_kind(block.lines[0].visible)
            and not fx.LIST_ITEM.match(block.lines[0].visible)
            # a link to another story is a teaser, and a headline after the byline or the
            # first sentence is not the article's
            and not _link_only(asm.source[block.lines[0].start : block.lines[0].end])
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
        if _navigation(asm.source, block):
            for li, ln in enumerate(block.lines):
                if li:
                    asm.b.insert("\n", block.lines[li - 1].end)
                bullet = fx.LIST_ITEM.match(asm.source[ln.start : ln.end])
                s, e, links = asm.copy_inline(ln.start, ln.end)
                asm.add(s + (bullet.end() if bullet else 0), e, "furniture", links)
            continue
        _block_segments(asm, block, single)

    text, offset_map, segments = asm.finish()
    author = None
    if byline:
        m = re.match(
            r"^(?:\w+\s+)?by\s+(.+?)(?:\s+(?:on|at|\||,|-|—|–)\s+.*)?$", byline, re.IGNORECASE
        )
        author = m.group(1).strip() if m else None
    return Layout(
        text=text,
        offset_map=offset_map,
        segments=segments,
        byline=byline,
        author=author,
        title=asm.found_title,
        published=fx.byline_date(byline) if byline else None,
        removed_furniture=removed,
        rejoined=rejoined,
    )


def _line_boundary(before: str, line: str) -> bool:
    """Does the line break between two prose lines end a segment although the first line has
    no final punctuation? Yes after a headline, a standfirst, a caption or a credit ("Photo:
    Jonathan Nackstrand/AFP", "(Matt Stone/Boston Herald)") when the next line opens a new
    sentence; no when the line really continues (a word a crude scraper broke at an inline
    link, a lowercase continuation)."""
    if not before or fx.ends_sentence(before) or before.endswith((",", ";", "—", "–", "-")):
        return False
    opening = line.lstrip(_OPENING_MARKS)
    c = opening[0] if opening else ""
    # a capital, a digit, or a letter of a script without case (Chinese) opens a sentence
    if not c or not (c.isupper() or c.isdigit() or (c.isalpha() and not c.islower())):
        return False
    # a line ending in a function word is cut mid-sentence ("A new recent breed of")
    last = before.rsplit(None, 1)[-1].lower()
    if last in _CONTINUES:
        return False
    # judge the line's last sentence: "... daily briefings. Photo: Jonathan Nackstrand/AFP";
    # only a whole line can be a heading
    spans = split_sentences(before)
    tail = before[spans[-1][0] :] if len(spans) > 1 else before
    return (
        fx.is_credit(tail)
        or fx.is_furniture(tail)
        or bool(_PAREN_CREDIT.match(tail))
        or (len(spans) <= 1 and fx.looks_like_heading(before))
        or _complete_line(before, opening)
    )


_CAPITALISED = re.compile(r"[A-Z][a-z’']+\b")


def _complete_line(before: str, opening: str) -> bool:
    """A long line that stops on a lowercase word that can end a clause ("... seen from
    space", "... in three weeks"), before a line that opens with a capitalised word
    ("Last week, NASA ...", "The Albert Quay spot said"): a paragraph that lost its full
    stop (a dek, a caption, a pull quote), not a sentence a scraper cut at a link, which
    breaks before the link's words ("disclosed in" / "an interview with POLITICO")."""
    last = before.rsplit(None, 1)[-1]
    return (
        fx.words(before) >= 10
        and last.isalpha()
        and last.islower()
        and bool(_CAPITALISED.match(opening))
        and fx.words(opening) >= 4
    )


_CONTINUES = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "but",
        "nor",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "whom",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "between",
        "during",
        "without",
        "within",
        "via",
        "per",
    ]
)
_OPENING_MARKS = "\"'“‘«([*_"
# "(Matt Stone/Boston Herald)", "(Photo by ...)": a credit in brackets closing a caption
_PAREN_CREDIT = re.compile(
    r".*\([^()]{2,80}/[^()]{2,80}\)$|.*\((?:photo|image|credit)[^()]*\)$", re.I
)


# "* [HAITI](https://...)": a list item that is one link and nothing else
_LINK_ITEM = re.compile(r"(?:[-*+•]\s+)?\[([^\[\]\n]{1,160})\]\([^()\s]*\)")


def _navigation(source: str, block: _Block) -> bool:
    """A menu: three or more list items, each a single short link ("* [HAITI](...)")."""
    lines = block.lines
    if len(lines) < 3:
        return False
    for ln in lines:
        m = _LINK_ITEM.fullmatch(source, ln.start, ln.end)
        if m is None or fx.words(m.group(1)) > 4:
            return False
    return True


def _headline_sized(visible: str) -> bool:
    """Three words or more, or a line of a script written without spaces (Chinese)."""
    return fx.words(visible) >= 3 or (
        " " not in visible.strip() and any("\u2e80" <= c <= "\u9fff" for c in visible)
    )


def _one_sentence(visible: str) -> bool:
    """A heading or title has one sentence at most: "Hello?? Who is there?" is prose."""
    return len(split_sentences(visible)) <= 1


def _special_kind(visible: str) -> str | None:
    if fx.is_furniture(visible):
        return "furniture"
    if fx.is_embed_signature(visible):
        return "embed"
    if fx.is_media_only(visible):
        return "media"
    if fx.is_byline_line(visible):
        return "byline"
    if fx.is_credit(visible):
        return "credit"
    return None


def _next_line(items: list[_Line | bool], idx: int) -> _Line | bool | None:
    return items[idx + 1] if idx + 1 < len(items) else None


def _standalone(fresh: bool, before: str, line: str, after: _Line | bool | None) -> bool:
    """Is this line of a multi-line paragraph a unit of its own? Yes when it starts fresh
    (no prose run open, or the line before ended a sentence or ended here) and the next line
    does not continue it (there is none, or the break after this line is a boundary). Text
    extractions put one paragraph per line with no blank line between: a headline there is
    a line like any other."""
    if not fresh and not (fx.ends_sentence(before) or _line_boundary(before, line)):
        return False
    if after is None:
        return True
    if isinstance(after, bool):
        return False  # rejoined across removed furniture: the sentence runs on
    nxt = after.visible
    return bool(
        not nxt  # an image with no alt text ("![](...jpg)") under a headline
        or fx.LIST_ITEM.match(nxt)
        or fx.MARKDOWN_HEADING.match(nxt)
        or _TABLE_ROW.match(nxt)
        or _line_boundary(line, nxt)
        or _special_kind(nxt)  # a headline over a media link, a credit, a byline
    )


def _caption_credit(vis: str) -> tuple[int, int] | None:
    """(end of the caption, start of the credit) when a line is a short caption whose last
    sentence is a photo credit."""
    if len(vis) > 400:
        return None
    # the last sentence, roughly: spare the splitter when it cannot be a credit
    cut = max(vis.rfind(". "), vis.rfind("? "), vis.rfind("! "), vis.rfind("。"))
    rough = vis[cut + 1 :].strip()
    if cut < 0 or not (fx.is_credit(rough) or _PAREN_CREDIT.match(rough)):
        return None
    spans = split_sentences(vis)
    if len(spans) < 2 or len(spans) > 3:
        return None
    tail = vis[spans[-1][0] : spans[-1][1]]
    if not (fx.is_credit(tail) or _PAREN_CREDIT.match(tail)):
        return None
    return spans[-2][1], spans[-1][0]


# a link to another story, with at most a short label before it ("AVOIDING CONTACT: [The
# rules on self-isolation](...)") or its date after it ("[Gavin's Choice ...](...) - October
# 10, 2020")
_TEASER_LINK = re.compile(
    r"(?:[-*+•]\s+)?(?:[A-Z][A-Z0-9 '’&-]{1,30}:\s+)?\[([^\[\]\n]{1,160})\]\([^()\s]*\)"
    r"(?:\s*[-–—|]\s*" + fx.DATE_CORE + r")?",
    re.IGNORECASE,
)


_AUTHOR_PAGE = re.compile(
    r"\]\([^()\s]*/(?:author|authors|reporter|reporters|people|profile|staff|writers?|"
    r"journalists?|byline)/[^()\s]*\)$"
)


def _link_only(raw: str) -> bool:
    """A line that is one markdown link and nothing else, to a headline-like text."""
    m = _TEASER_LINK.fullmatch(raw.strip())
    return m is not None and not fx.ends_sentence(m.group(1)) and fx.words(m.group(1)) >= 1


# a furniture line that announces a box of links to other stories
_RELATED = re.compile(
    r"^(?:(?-i:MORE [A-Z0-9 ]+)|(?:related|suggested|recommended|latest|popular|trending|"
    r"most (?:read|popular|viewed|shared))(?: for you)?(?: articles| stories| news| posts| "
    r"videos| reads| content)?\s*:?|you (?:may|might) also like.*|more (?:from|on|in) .{1,40}|"
    r"(?:read|watch) (?:next|more)\s*:?|top stories|more (?:stories|news|videos|headlines)|"
    r"editor['’]s picks|in case you missed it|what to read next)$",
    re.IGNORECASE,
)


# the heading of the comment section ("Comments", "LEAVE A REPLY", "Discussion", "0 comments")
_COMMENTS = re.compile(
    r"^(?:(?:recent |user |reader |readers['’] )?comments?(?: \(\d+\))?|"
    r"discussion|community guidelines|house rules|leave a (?:reply|comment)(?:\s+cancel reply)?|"
    r"join the (?:conversation|discussion)|comments are closed\.?)$",
    re.IGNORECASE,
)


def _opens_comments(vis: str, at: int, size: int) -> bool:
    """Does this furniture line open the comment section? Only in the second half of the
    page: a "Comments" counter near the headline of a whole-page dump is not one."""
    return at >= size // 2 and bool(_COMMENTS.match(vis.strip()))


def _opens_related(vis: str) -> bool:
    return bool(_RELATED.match(vis.strip()))


def _ends_related(vis: str) -> bool:
    """The box of related stories ends where prose resumes: a line of two sentences or more,
    or a long one (a teaser is a headline, a sentence, a date)."""
    return len(vis) > 300 or len(split_sentences(vis)) >= 2


def _block_segments(asm: _Assembler, block: _Block, single: bool) -> None:
    run_start: int | None = None  # cleaned offset where the current prose run began
    run_links: list[Link] = []

    def close_run() -> None:
        nonlocal run_start, run_links
        if run_start is not None:
            asm.add_run(run_start, len(asm.b), run_links)
        run_start, run_links = None, []

    previous: _Line | bool | None = None
    last_prose = ""  # the previous line, when it went into the current prose run
    items = block.items
    for idx, item in enumerate(items):
        if isinstance(item, bool):
            # rejoining across removed furniture: one space where the page broke
            assert isinstance(previous, _Line)
            asm.b.insert(" ", previous.end)
            previous = item
            last_prose = ""  # rejoined across removed furniture: a join, decided
            continue
        ln = item
        if isinstance(previous, _Line):
            asm.b.insert("\n", previous.end)
        previous = ln
        vis = ln.visible
        raw = asm.source[ln.start : ln.end]
        image = _IMAGE_LINE.match(raw) if raw.startswith("![") else None
        kind = "media" if image else _special_kind(vis)
        heading = fx.MARKDOWN_HEADING.match(raw)
        bullet = fx.LIST_ITEM.match(raw)
        trailing = None if kind or heading or bullet else fx.trailing_media(raw)
        if asm.related and not (image or _TABLE_ROW.match(raw)):
            # the entries of a related-stories box: headlines, teasers, dates
            if _ends_related(vis) or asm.prose_resumes(ln):
                asm.related = False
            else:
                close_run()
                s, e, links = asm.copy_inline(ln.start, ln.end)
                strip = bullet.end() if bullet else heading.end() if heading else 0
                asm.add(s + strip, e, "furniture", links)
                last_prose = ""
                continue
        if _TABLE_ROW.match(raw):
            # a table row is a segment of its own kind, never prose; the rule is markup
            close_run()
            if not _TABLE_RULE.match(raw):
                s, e, links = asm.copy_inline(ln.start, ln.end)
                asm.add(s, e, "table", links)
            else:
                asm.b.copy(ln.start, ln.end)
        elif heading:
            close_run()
            s, e, links = asm.copy_inline(ln.start + heading.end(), ln.end)
            # a heading holding an image is a teaser card ("# See wild horses![Limited -
            # ...](...jpg)"), not a section of the article
            furniture = fx.is_furniture(vis[heading.end() :]) or "![" in raw
            asm.add(s, e, "furniture" if furniture else "heading", links)
            if furniture:
                asm.related = asm.related or asm.opens_related(vis[heading.end() :])
                # "## Comments" opens the comment section as "Comments" does
                if asm.comments is None and _opens_comments(
                    vis[heading.end() :], ln.start, len(asm.source)
                ):
                    asm.comments = s
        elif image:
            # the image's alt text is its caption; the syntax and the URL are not text
            close_run()
            s, e = asm.b.copy(ln.start + image.start(1), ln.start + image.end(1))
            asm.add(s, e, "media", [Link(s, e, image.group(2))] if e > s else [])
        elif (
            kind in (None, "credit")
            and not (heading or bullet or trailing)
            and (cc := _caption_credit(vis)) is not None
            and (single or _standalone(run_start is None, last_prose, vis, _next_line(items, idx)))
        ):
            # a caption that ends with its credit ("... 拍照留念。新华社记者 才扬 摄",
            # "... area. Photos: Donavan McIntosh/Tribune Staff"): two segments
            close_run()
            s, e, links = asm.copy_inline(ln.start, ln.end)
            if e - s == len(vis):  # the cleaned line is its visible text, offsets and all
                asm.add(s, s + cc[0], "media", links)
                asm.add(s + cc[1], e, "credit", links)
            else:
                asm.add(s, e, "media", links)
        elif kind:
            close_run()
            s, e, links = asm.copy_inline(ln.start, ln.end)
            asm.add(s + (bullet.end() if bullet else 0), e, kind, links)
            if kind == "furniture":
                asm.related = asm.opens_related(vis)
                if asm.comments is None and _opens_comments(vis, ln.start, len(asm.source)):
                    asm.comments = s
        elif bullet and (
            fx.is_furniture(vis[len(bullet.group()) :])
            or _link_only(raw[bullet.end() :])
            or not any(c.isalnum() for c in vis[len(bullet.group()) :])  # "*   *": icons
            or raw.startswith("![", bullet.end())  # "- ![Limited - ...](...jpg) Visit ...": a card
        ):
            # a navigation list ("- Facebook", "- Skip to content"), or an item that is one
            # link to another story ("- [Six Sixers takeaways after six games](/sixers-...)")
            close_run()
            s, e, links = asm.copy_inline(ln.start, ln.end)
            asm.add(s + bullet.end(), e, "furniture", links)
            asm.related = asm.related or asm.opens_related(vis[len(bullet.group()) :])
        elif bullet:
            close_run()
            s, e, links = asm.copy_inline(ln.start, ln.end)
            # the line's cleaned text is its visible text (links reduced the same way)
            spans = split_sentences(vis) if len(vis) == e - s else []
            # fragments ("Coming Soon! Ad FREE") stay one item: split when at least two
            # pieces are sentence-sized
            if sum(fx.words(vis[a:b]) >= 3 for a, b in spans) < 2:
                asm.add(s + bullet.end(), e, "list_item", links)
            else:
                # an item of several sentences (or an inline list "1) ... 2) ..."): one
                # segment each, of kind list item. A bullet opening the line is markup, as
                # on a one-sentence item; an inline list keeps its markers ("• 9. The first
                # item • 10. The second item", as the Golden Rules expect), and so does a
                # number ("1.) The first item")
                asm.prose_ends += 1  # an item of sentences: the article has begun
                inline = vis.count(raw[0]) > 1 and raw[0] in "•‣⁃◦▪"
                first = s + (bullet.end() if raw[0] in "-*+•‣⁃◦▪" and not inline else 0)
                for i, (a, b) in enumerate(spans):
                    asm.add(first if i == 0 else s + a, s + b, "list_item", links)
        elif (
            not trailing
            and fx.looks_like_heading(vis)
            and _one_sentence(vis)
            and not fx.trailing_media(vis)  # a post's text and its link: "... nose. pic.twitter"
            and (single or _standalone(run_start is None, last_prose, vis, _next_line(items, idx)))
        ):
            # a line on its own (a paragraph of one line, or a line that neither continues
            # the one before nor runs on into the next): a headline; when it is only a link
            # to another story, a teaser
            close_run()
            s, e, links = asm.copy_inline(ln.start, ln.end)
            if _link_only(raw):
                # a link to the author's page is the byline ("[Clint Chan Tack](/reporter/...)")
                asm.add(s, e, "byline" if _AUTHOR_PAGE.search(raw) else "furniture", links)
            elif asm.title_allowed() and fx.words(vis) >= 3:
                asm.add(s, e, "title", links)
                asm.found_title = vis
            else:
                asm.add(s, e, "heading", links)
        else:
            prose_end = ln.start + trailing.start() if trailing else ln.end
            if run_start is not None and _line_boundary(last_prose, vis):
                close_run()
            if run_start is None:
                run_start = len(asm.b)
            _s, _e, links = asm.copy_inline(ln.start, prose_end)
            run_links.extend(links)
            if trailing:
                close_run()
                media_start = ln.start + trailing.start(1)
                asm.b.copy(prose_end, media_start)
                ms, me, mlinks = asm.copy_inline(media_start, ln.end)
                asm.add(ms, me, "media", mlinks)
            elif vis.endswith(":"):
                close_run()  # "So, a nothingburger:" stands alone
            last_prose = vis
            asm.prose_ends += fx.ends_sentence(vis)
            continue
        last_prose = ""
    close_run()
