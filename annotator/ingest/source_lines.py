"""Cutting an article's source into its lines: each trimmed, with its span in the source and
its visible text (links reduced to their text, emphasis wrapping the whole line dropped). A
link or an image whose text runs over lines is one line; a blank line is the one shared
BLANK."""

from __future__ import annotations

from annotator.ingest.html_tables import may_hold_table, table_regions
from annotator.ingest.inline_html import STRUCK_OPEN
from annotator.ingest.layout_inline import (
    blockquote_end,
    emphasis,
    iter_links,
    paragraph_struck,
    render,
)
from annotator.ingest.layout_lines import BLANK, Line
from annotator.ingest.line_hyphens import joined_hyphens, may_hold_breaks
from annotator.ingest.static_site import code_regions, may_hold_code


def article_lines(text: str, start: int) -> list[Line]:
    """The lines of text[start:], a fenced code block (static_site.py) or an HTML table
    (html_tables.py) one line of its own, its `region` said (its text is not read for links,
    emphasis or kinds), and a word broken at a line end joined (line_hyphens.py)."""
    regions = (
        [(a, b, "code") for a, b in code_regions(text, start)] if may_hold_code(text, start) else []
    )
    if may_hold_table(text, start):
        # (a table shown inside a code block is code)
        regions += [
            (a, b, "table")
            for a, b in table_regions(text, start)
            if not any(c <= a < d for c, d, _k in regions)
        ]
        regions.sort()
    if not regions:
        lines = source_lines(text, start)
    else:
        lines = []
        pos = start
        for a, b, region in regions:
            lines += source_lines(text, pos, a)
            lines.append(Line(a, b, "", plain=True, region=region))
            pos = b
        lines += source_lines(text, pos)
    if may_hold_breaks(text, start):
        # a word a PDF extraction broke at a line end, joined back (line_hyphens.py)
        lines = joined_hyphens(text, lines)
    return lines


def source_lines(text: str, start: int, end: int | None = None) -> list[Line]:
    """The lines of text[start:end]."""
    lines: list[Line] = []
    n = len(text) if end is None else end
    # the lines are cut in one call (str.split) and walked with their offsets; a link or an
    # image running over lines swallows the pieces it spans
    pieces = text[start:n].split("\n")
    # struck text needs a "<" or a "~": most texts have neither (one look, not one a line)
    strikes = "<" in text or "~" in text
    count = len(pieces)
    pos = start
    i = 0
    while i < count:
        raw = pieces[i]
        end = pos + len(raw)
        # trimmed as str.strip() trims (the same isspace() characters), without a loop
        body = raw.lstrip()
        # (a line opening with an invisible character: one lookup, most lines pay no more)
        if not body or (body[0] in INVISIBLE_OPENING and not (body := _past_invisible(body))):
            # a blank line only ends a paragraph: one shared line stands for them all
            lines.append(BLANK)
            pos = end + 1
            i += 1
            continue
        s = end - len(body)
        body = body.rstrip()
        e = s + len(body)
        stop = -1  # where the line really ends when it runs over lines
        c = body[0]
        if c == ">":
            s = blockquote_end(text, s, e)
            body = text[s:e]
            if not body:
                # quote markers and nothing else: an empty line, it ends a paragraph
                lines.append(Line(s, e, ""))
                pos = end + 1
                i += 1
                continue
            c = body[0]
        # emphasis around the whole line ("*Photo: AFP*", "**Read more**") is markup: when
        # the run opening the line pairs with the run closing it ("**Update:** *Added.*"
        # does not: two emphases; "*Terms apply." pairs with nothing)
        # (cheap tests first: a "* " bullet, a line not ending on a marker)
        if e - s > 2 and c in "*_" and text[e - 1] in "*_" and not text[s + 1].isspace():
            w = _wrapping(text, s, e)
            if w:
                s, e = s + w, e - w
                body = text[s:e]
                c = body[0]
        if c == "#" and e - s <= 6 and not body.strip("#"):
            e = s  # an empty heading ("##" over a link): syntax, it ends a paragraph
        elif c == "!" and body.startswith("![") and "](" not in body:
            # an image whose alt text runs over lines: one line, up to its "](url)"
            close = text.find("](", e, min(e + 1000, n))
            stop = text.find("\n", close, n) if close >= 0 else -1
            stop = n if close >= 0 and stop < 0 else stop
            if not (
                close >= 0
                and text[s:stop].rstrip().endswith(")")
                and text.count("\n", e, close) <= 3
            ):
                stop = -1
        elif "[" in body and _opens_link(body):
            # a link whose text runs over lines (html2text breaks a teaser's link text,
            # even across blank lines): one line, up to its "](url)"
            close = text.find("](", e, min(e + 1000, n))
            stop = text.find("\n", close, n) if close >= 0 else -1
            stop = n if close >= 0 and stop < 0 else stop
            if not (
                close >= 0
                and text.count("\n", e, close) <= 3
                and "[" not in text[e:close]
                and "]" not in text[e:close]
            ):
                stop = -1
        if strikes and stop < 0 and ("<" in body or "~~" in body):
            # struck text that closes on a later line: one line up to there (layout_inline)
            stop = struck_run_end(text, s, e)
            stop = -1 if stop > n else stop
        if stop >= 0:
            e = stop
            while e > s and text[e - 1].isspace():
                e -= 1
            body = text[s:e]
            if stop >= n:
                lines.append(_line(text, s, e, body))
                break
            # the pieces up to the one ending at `stop` are inside this line
            i += text.count("\n", end, stop) + 1
            pos = stop + 1
        else:
            i += 1
            pos = end + 1
        lines.append(_line(text, s, e, body))
    return lines


def struck_run_end(text: str, start: int, end: int) -> int:
    """Where the line text[start:end] really ends when struck text opening on it (`<del>`,
    `<s>`, `<strike>`, `~~`) closes on a later line of its paragraph: the end of that line
    (the lines between are struck whole: one line, as a link's text over lines is); else -1."""
    if STRUCK_OPEN.search(text, start, end) is None and text.find("~~", start, end) < 0:
        return -1
    stop = -1
    for a, b in paragraph_struck(text, start, end):
        if start <= a < end < b:
            stop = text.find("\n", b)
            stop = len(text) if stop < 0 else stop
            end = stop  # (the closing line may open the next one)
    return stop


# Format characters that open a line and show nothing: zero-width spaces and joiners, the
# word joiner, a byte-order mark, a soft hyphen, and the bidi overrides and pop (audit5 F9).
# They are not part of a segment's text (two equal sentences would differ by them); the
# marks an RTL sentence may need to set its direction (U+200E, U+200F, U+061C, the
# embeddings U+202A/U+202B and the isolates U+2066-U+2069) stay.
INVISIBLE_OPENING = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u202c\u202d\u202e\u180e")


def _past_invisible(body: str) -> str:
    """body without the invisible characters and spaces opening it."""
    i = 0
    while i < len(body) and (body[i] in INVISIBLE_OPENING or body[i].isspace()):
        i += 1
    return body[i:]


def _line(text: str, s: int, e: int, body: str) -> Line:
    """The line text[s:e] (= body)."""
    if e <= s:
        return Line(s, e, "")
    plain = not (
        "[" in body
        or "]" in body
        or "<" in body
        or "*" in body
        or "_" in body
        or "\\" in body
        or "&" in body
        or "~" in body  # "~~struck~~"
    )
    if plain:
        return Line(s, e, body, plain)
    # (read in the source: an emphasis or a tag pairs within the paragraph, over lines)
    found = iter_links(text, s, e)
    return Line(s, e, render(text, s, e, found) if found else body, plain, found)


def _wrapping(text: str, s: int, e: int) -> int:
    """How many marker characters of one emphasis wrap the whole line text[s:e] (0 when
    none: "**Update:** *Added.*" is two emphases, "*Terms apply." none)."""
    pairs: list[tuple[int, int]] = []
    emphasis(text, s, e, pairs=pairs)
    for a, b in pairs:
        if a == s and b == e:
            # the pair's markers: as many at each end (1 or 2)
            w = 1
            while w < 2 and text[s + w] == text[s] and text[e - 1 - w] == text[s]:
                w += 1
            return w if e - s > 2 * w else 0
    return 0


def _opens_link(line: str) -> bool:
    """Does the line open a bracket it does not close: the text of a link that goes on?"""
    plain = line.replace("\\[", "").replace("\\]", "")
    return plain.count("[") > plain.count("]")
