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
from dataclasses import dataclass, field

from annotator.ingest import furniture as fx
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
    r"|(?<=[^\s*])\*{1,3}(?![^\s)\].,;:!?\"'”’])"
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
    return out, removed, rejoined, furniture_line


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

    def copy_inline(self, start: int, end: int) -> tuple[int, int, list[Link]]:
        """Copy source[start:end], reducing markdown links to their text."""
        links: list[Link] = []
        pos = start
        begin = len(self.b)
        for m in _iter_links(self.source, start, end):
            self.b.copy(pos, m.start())
            ts, te = m.span(1)
            cs, ce = self.b.copy(ts, te)
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
                    kind = "furniture" if e - s <= 160 and fx.is_furniture(text[s:e]) else "body"
                    segments.append(Segment(s, e, kind, item.paragraph, own))
            else:
                s, e = _trim(text, item.start, item.end)
                if e > s:
                    segments.append(Segment(s, e, item.kind, item.paragraph, item.links))
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
    found_title: str | None = None

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
            and found_title is None
            and bi <= 3
            and fx.looks_like_heading(block.lines[0].visible)
            and _one_sentence(block.lines[0].visible)
            and not _special_kind(block.lines[0].visible)
            and not fx.LIST_ITEM.match(block.lines[0].visible)
        ):
            ln = block.lines[0]
            s, e, links = asm.copy_inline(ln.start, ln.end)
            asm.add(s, e, "title", links)
            found_title = ln.visible
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
        title=found_title,
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
_LINK_ITEM = re.compile(r"(?:[-*+•]\s+)?\[([^\[\]\n]{1,60})\]\([^()\s]*\)")


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
    if fx.is_byline(visible):
        return "byline"
    if fx.is_credit(visible):
        return "credit"
    return None


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
    for item in block.items:
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
            furniture = fx.is_furniture(vis[heading.end() :])
            asm.add(s, e, "furniture" if furniture else "heading", links)
        elif image:
            # the image's alt text is its caption; the syntax and the URL are not text
            close_run()
            s, e = asm.b.copy(ln.start + image.start(1), ln.start + image.end(1))
            asm.add(s, e, "media", [Link(s, e, image.group(2))] if e > s else [])
        elif kind:
            close_run()
            s, e, links = asm.copy_inline(ln.start, ln.end)
            asm.add(s, e, kind, links)
        elif bullet and fx.is_furniture(vis[len(bullet.group()) :]):
            close_run()  # a navigation list: "- Facebook", "- Skip to content"
            s, e, links = asm.copy_inline(ln.start, ln.end)
            asm.add(s + bullet.end(), e, "furniture", links)
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
                # segment each, of kind list item; a markdown bullet is syntax, not text
                first = s + (bullet.end() if raw[0] in "-*+" else 0)
                for i, (a, b) in enumerate(spans):
                    asm.add(first if i == 0 else s + a, s + b, "list_item", links)
        elif single and not trailing and fx.looks_like_heading(vis) and _one_sentence(vis):
            s, e, links = asm.copy_inline(ln.start, ln.end)
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
            continue
        last_prose = ""
    close_run()
