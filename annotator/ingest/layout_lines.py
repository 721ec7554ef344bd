"""A scraped article's lines, and the paragraphs (blocks) they make.

Each line is trimmed and reduced to its visible text once (source_lines.py); blank lines
and separators end a block; short lines that repeat (a running header at a page break) are
removed, and the sentence they cut is joined again; a paragraph an extractor cut at an
inline link runs on into the next.

The line predicates of furniture.py are pure functions of a string, and the layout asks the
same ones of the same line several times (its kind, then again as the next line of the one
before); `remembered` keeps their answers for one article (`forget` clears it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from annotator.ingest import bylines, word_counts
from annotator.ingest import furniture as fx
from annotator.ingest.page_repeats import may_repeat, normalise_line, repeatable_furniture

T = TypeVar("T")
_clears: list[Callable[[], None]] = []


def remembered(f: Callable[[str], T]) -> Callable[[str], T]:
    """f, remembering its answers until `forget` (one article: bounded by its size)."""
    cached = functools.cache(f)
    _clears.append(cached.cache_clear)
    return cached


def forget() -> None:
    """Drop what the predicates remembered (after each article)."""
    for clear in _clears:
        clear()


is_furniture = remembered(fx.is_furniture)
looks_like_heading = remembered(fx.looks_like_heading)
words = remembered(word_counts.words)
is_byline_line = remembered(bylines.is_byline_line)


@dataclass(slots=True)
class Line:
    start: int  # span in the source, whitespace-trimmed
    end: int
    visible: str  # links reduced, for classification
    # none of the characters inline markup is made of ("[", "]", "<", "*", "\\", "&": every
    # pattern iter_links runs needs one): the line is copied into the cleaned text as it is
    # (Assembler.copy_line)
    plain: bool = False
    # the markup iter_links found in the span (None: not looked for), kept so that copying
    # the line (Assembler.copy_line) does not look again
    marks: list[re.Match[str]] | None = None
    # a region read as a whole, a block of its own (source_lines.article_lines): "code" (a
    # fenced code block, fences and all), "table" (an HTML table); "" for a line of text
    region: str = ""

    @property
    def empty(self) -> bool:
        return self.end <= self.start


BLANK = Line(0, 0, "")


@dataclass
class Block:
    # lines, with a True between two lines that were rejoined across removed furniture
    items: list[Line | bool] = field(default_factory=list)
    furniture: bool = False  # the kept first occurrence of repeated furniture
    region: str = ""  # a region's block (its one line): Line.region
    _lines: list[Line] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def lines(self) -> list[Line]:
        if self._lines is None:
            self._lines = [i for i in self.items if not isinstance(i, bool)]
        return self._lines

    def append(self, line: Line) -> None:
        self.items.append(line)
        self._lines = None

    def join(self, other: Block) -> None:
        """Run on into `other` (a True marks where)."""
        self.items.append(True)
        self.items.extend(other.items)
        self._lines = None


# the characters a separator line (fx.SEPARATOR) can open with
_SEPARATOR_OPENERS = "-*_=~•·"


def group_blocks(lines: list[Line]) -> tuple[list[Block], int, int, str | None]:
    """Group lines into blocks, removing repeated furniture and rejoining what it split."""
    repeated, keys = repeated_keys(lines)
    # a key opens with its line's first non-space character, case-folded (casefold works
    # character by character): a line opening otherwise cannot be a repeat
    openings = {k[0] for k in repeated}

    # first pass: blocks and furniture markers (None) in reading order
    seq: list[Block | tuple[Line, bool]] = []
    current = Block()
    seen: set[str] = set()
    furniture_line: str | None = None
    separator = fx.SEPARATOR.match
    for ln in lines:
        # (a separator opens with one of its characters: the others spare the engine)
        if (
            ln is BLANK
            or ln.end <= ln.start
            or (ln.visible[:1] in _SEPARATOR_OPENERS and separator(ln.visible))
        ):
            if current.items:
                seq.append(current)
                current = Block()
            continue
        if ln.region:
            # a code block or a table is a paragraph of its own, whatever surrounds it
            if current.items:
                seq.append(current)
                current = Block()
            seq.append(Block(items=[ln], region=ln.region))
            continue
        # most pages repeat nothing, and a repeat opens as one
        key = ""
        if repeated:
            v = ln.visible
            c = v[:1] if not v[:1].isspace() else v.lstrip()[:1]
            # (a key's digits may be folded to "0": normalise_line)
            if c.casefold()[:1] in openings or (c.isdecimal() and "0" in openings):
                key = keys.get(id(ln)) or normalise_line(v)
        if key and key in repeated:
            if current.items:
                seq.append(current)
                current = Block()
            seq.append((ln, key not in seen))
            if furniture_line is None and bylines.is_byline(ln.visible):
                furniture_line = ln.visible
            seen.add(key)
            continue
        current.append(ln)
    if current.items:
        seq.append(current)

    # second pass: rejoin a block split by furniture; keep the first occurrence otherwise
    out: list[Block] = []
    removed = rejoined = 0
    i = 0
    while i < len(seq):
        item = seq[i]
        if isinstance(item, Block):
            out.append(item)
            i += 1
            continue
        ln, first = item
        prev = out[-1] if out and not out[-1].furniture and not out[-1].region else None
        following = seq[i + 1] if i + 1 < len(seq) else None
        nxt = following if isinstance(following, Block) and not following.region else None
        # (a repeated "By" opens a byline: what follows it is names, not the sentence going on)
        if prev is not None and nxt is not None and _broken(prev, nxt) and not _opens_byline(ln):
            prev.join(nxt)
            removed += 1
            rejoined += 1
            i += 2
            continue
        if nxt is not None and _POSSESSIVE.match(nxt.lines[0].visible):
            # "The Economist" / "‘s Open Future initiative asked ...": a name that repeats
            # (a masthead) is the subject of the sentence its "'s" goes on with (economist bs4)
            out.append(Block(items=[ln, *nxt.items]))
            i += 2
            continue
        if first:
            out.append(Block(items=[ln], furniture=True))
        else:
            removed += 1
        i += 1
    return _continued(out), removed, rejoined, furniture_line


def repeated_keys(lines: list[Line]) -> tuple[set[str], dict[int, str]]:
    """The keys (normalise_line) that two lines or more of repeatable furniture share, and
    the key of each line that could repeat, by id (worked out once). The whole test of
    repeatable furniture is asked only of a line whose key comes twice (short, unended
    lines are keyed first): a repeat needs two lines of one key, and most pages repeat
    nothing (the same keys as testing every line: tests/test_layout_shortcuts5.py)."""
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    candidates: list[tuple[Line, str]] = []
    for ln in lines:
        if ln is not BLANK and ln.end > ln.start and may_repeat(ln.visible):
            key = keys[id(ln)] = normalise_line(ln.visible)
            seen[key] = seen.get(key, 0) + 1
            candidates.append((ln, key))
    counts: dict[str, int] = {}
    if len(seen) < len(candidates):  # some key comes twice
        for ln, key in candidates:
            if seen[key] >= 2 and repeatable_furniture(ln.visible):
                counts[key] = counts.get(key, 0) + 1
    return {k for k, c in counts.items() if c >= 2}, keys


def _continued(blocks: list[Block]) -> list[Block]:
    """Join a paragraph to the next when an extractor cut a sentence at an inline link and
    put a blank line there ("... In the US, call the" / "[Lifeline](...)" / "at 1-800-273-8255.
    The"): the first ends in a word that cannot end a sentence, or the second opens in
    lowercase."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and not (
            prev.furniture or block.furniture or prev.region or block.region
        ):
            tail, head = prev.items[-1], block.items[0]
            assert isinstance(tail, Line) and isinstance(head, Line)
            last, first = tail.visible, head.visible
            if _runs_on(last, first, len(prev.items) == 1):
                prev.join(block)
                continue
        out.append(block)
    return out


def _runs_on(last: str, first: str, alone: bool) -> bool:
    """Does the paragraph ending in `last` run on into the one opening with `first`? (`alone`:
    `last` is its paragraph's only line.)"""
    if not last or not first or fx.ends_sentence(last) or last.endswith(("|", "*")):
        return False
    if last.isspace() or first.isspace():
        return False  # a line of empty links ("[](url) [](url)"): nothing to run on
    if is_furniture(last) or is_furniture(first):
        return False  # "Supported by" (an advertising label) does not run on into the lede
    for line in (last, first):
        if fx.LIST_ITEM.match(line) or fx.MARKDOWN_HEADING.match(line) or line.startswith("|"):
            return False
    word = last.rsplit(None, 1)[-1].lower()
    c = first.lstrip(OPENING_MARKS)[:1]
    # a headline over a lede whose first letter the extractor lost ("urkey, Poland") stays a
    # headline (asked last: most paragraphs end a sentence and never get here)
    return word in CONTINUES or (c.islower() and not (alone and looks_like_heading(last)))


# a line that opens with the possessive "'s" ("‘s Open Future initiative"): the line before it
# is its noun
_POSSESSIVE = re.compile(r"^['‘’]s\b")


def _opens_byline(ln: Line) -> bool:
    """Is the line a byline's "By" alone (politico bs4: "By" / "JAKE SHERMAN" / "and" ...)?"""
    return ln.visible.strip().lower() in ("by", "by:")


def _broken(prev: Block, nxt: Block) -> bool:
    """Was a sentence cut in two at this point (prose before that does not end a sentence)?"""
    last = prev.lines[-1].visible
    first = nxt.lines[0].visible
    if fx.ends_sentence(last) or fx.LIST_ITEM.match(first) or fx.MARKDOWN_HEADING.match(first):
        return False
    if len(prev.items) == 1 and looks_like_heading(last) and words(last) < 8:
        return False  # a short heading before a page break is still a heading
    return words(last) >= 3


# a line ending in one of these words is cut mid-sentence
CONTINUES = frozenset(
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


OPENING_MARKS = "\"'“‘«([*_"
