"""Split a paragraph of news prose into sentences, as character offsets.

`split_sentences(text, start, end)` reads the block `text[start:end]` and returns one
`(s, e)` pair per sentence, offsets into `text` itself, so `text[s:e]` is the sentence exactly
as written. Spans are trimmed (no whitespace at either end), in order, never overlap, and
together cover every non-whitespace character of the block; an empty or all-whitespace block
gives `[]`.

What the caller should know:
- Newlines are ordinary whitespace: a line break never ends a sentence by itself, and a
  sentence may span lines. Headings, bylines, list lines and "a line ending with a colon" are
  the caller's business; a colon here is just a character, never a boundary.
- A block with no terminal punctuation is one sentence, and whatever follows the last
  boundary is the last sentence, terminated or not ("So, a nothingburger:" is one sentence).
- Boundaries are decided at terminators (`.`, `?`, `!`, `…`, runs and spaced ellipses), with
  closing quotes and brackets kept on the sentence they close (`“disinformation.”`).
  A lowercase word after a terminator always continues the sentence (`“Great.” she said`,
  `Yahoo! in`), so a sentence starting with "iPhone" is not split off.
- Inline list items are split before the next marker when the block opens with one
  (`1. ... 2. ...`, `a) ... b) ...`, sequential numbering only), and before a bullet
  (`•`, `⁃`, `▪`, `◦`, `‣`) that follows whitespace.
- Chinese and Japanese sentence ends (。！？, with closing quotes and brackets) are
  boundaries wherever they stand: those scripts put no space after them. A quote closed
  after one keeps what says it was said: 「...。」と彼は付け加えた。 (Japanese と, って),
  “...。”他补充说。 (a Chinese quote opening its sentence, then only a clause of saying).
  Those rules, and the other scripts' full stops, are in script_stops.py.
- A day and a German month are no boundary: "am 12. März" (the months English does not
  write; ingest/ordinals.py joins "am 9. November" in German articles).
- Pure standard library, regexes compiled at import, no state that changes an answer (one
  look at the last text split is remembered): the same input always gives the same output.
"""

from __future__ import annotations

import re

from annotator.ingest.abbreviations import (
    AMBIGUOUS,
    GERMAN,
    GERMAN_STARTERS,
    NAME_ENDINGS,
    ORDINAL_MONTHS,
    PREPOSITIVE,
    SENTENCE_STARTERS,
    STATES,
    TIME_FOLLOWERS,
    TIMES,
)
from annotator.ingest.ellipses import ellipsis_boundary
from annotator.ingest.script_stops import CJK_END, SCRIPT_STOPS, cjk_split

__all__ = ["split_sentences"]

_BULLETS = "•⁃▪◦‣"
_OPENERS = "\"'“‘«‹([{¿¡"
_CLOSERS = ")]}\"'”’»›"
_QUOTES = frozenset("\"'”’»›")
_LEAD_CHARS = _OPENERS + _BULLETS

_B = re.escape(_BULLETS)

# The block holds two kinds of event, taken in order of position:
# - a bullet that follows whitespace (`_BULLET`);
# - a terminator candidate (`_CANDIDATE`): a terminator cluster `cl` + closing
#   quotes/brackets `cq`, followed by whitespace or the end of the block, and the token
#   `tok` before it (from the whitespace before it, not ending in a terminator).
#   `cl` is a run of . ! ? … (possessive, so the run is whole) plus spaced ellipsis dots
#   (". . ."). Dots inside a token ("U.S.-led", "3.5", "t.co") are not followed by
#   whitespace and never become candidates.
# The cluster is searched first and its token found by walking back to the whitespace:
# the regex engine skips to the next terminator at C speed, where a pattern that opened
# with the token tried to match at every token of the text (two thirds of the splitter's
# time). tests/test_sentences_scan.py checks the events against that one-pattern scan.
# `[.!?…‽][.!?…‽]*+` is `[.!?…‽]++` written so that the pattern opens with a character
# class: the engine then skips to the next terminator at C speed (half the scan's time).
_CANDIDATE = re.compile(
    rf"(?P<cl>[.!?…‽][.!?…‽]*+(?:[ \u00a0][.…]++)*)(?P<cq>[{re.escape(_CLOSERS)}]*)(?=\s|\Z)"
)
_BULLET = re.compile(rf"(?<=\s)[{_B}]")
# What follows a candidate: whitespace, opening quotes/brackets, then the next word.
_NEXT = re.compile(rf"\s+([{re.escape(_OPENERS)}]*)(\w*)")
_NON_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")
# What may precede the first real word of a sentence: bullets, dashes, opening quotes.
_LEADER = re.compile(rf"[\s{_B}{re.escape(_OPENERS)}*\-–—]*")
_ENUMERATOR = re.compile(r"\d{1,3}|[A-Za-z]|[IVXivx]{2,4}")
# Dotted abbreviations and initials: "U.S", "U.S.A", "J.K", "Ph.D", "D.C"
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
# A sentence cannot be just a time phrase: "At 5 a.m. Mr. Smith went..." does not split.
_INTRO_TIME = re.compile(
    r"(?:(?:at|by|until|till|from|before|after|around|about|since|near|starting at|"
    r"beginning at|shortly (?:after|before)|just (?:after|before))\s+)?"
    r"(?:about\s+|around\s+|approximately\s+|roughly\s+)?"
    r"\d{1,2}(?:[:.]\d{2})?\s*[ap]\.m\.",
    re.IGNORECASE,
)
# `“Why?” Smith asked.`: a question or exclamation in quotes followed by its attribution.
_ATTRIBUTION = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){1,5}(?:said|says|asked|asks|told|tells|wrote|writes|added|"
    r"adds|replied|replies|continued|exclaimed|shouted|yelled|cried|tweeted|posted|insisted|"
    r"argued|noted|declared|remarked|responded|wondered|joked|warned|recalled|explained)\b"
)
# what follows the attribution's verb: up to four words (an object, "reporters on
# Tuesday") and "that", no comma between ("asked, adding that" stays the attribution's)
_OWN_CLAUSE = re.compile(r"(?:\s+(?!that\b)[\w’'-]+){0,4}\s+that\b")
# Inline lists: the block opens with a marker ("1.", "1)", "1.)", "a.") and later markers
# continue the sequence.
_LIST_START = re.compile(rf"[\s{_B}]*(?:(\d{{1,3}})|([a-z]))(\.\)|\)|\.)(?=\s)")
_LIST_MARK = re.compile(rf"(?<=[\s{_B}])(?:(\d{{1,3}})|([a-z]))(\.\)|\)|\.)(?=\s)")


# The agency after a dateline, then a dash: "SOUTHWEST MIAMI-DADE, FLA. (WSVN) - An overnight"
_AGENCY = re.compile(r"\s+\([A-Z][A-Za-z]{1,9}\)\s*(?:--|[-—–])\s")
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40},(?:\s+[A-Z][A-Za-z]{1,5}\.){1,2}")

# A bullet or a script's sentence end: most blocks hold neither, and one search that opens
# with a character class says so at C speed (a search that opens with a look-behind, as
# _BULLET does, tries every position in Python's engine)
_RARE = re.compile(rf"[{_B}{SCRIPT_STOPS}]")
# What every split needs: a terminator, a bullet, a script's stop, an inline list's ")" or
# "."; a block with none (a heading, a menu entry: half of what the layout asks) is one
# sentence, trimmed (the same answers as the full route: tests/test_layout_shortcuts5.py)
_MAY_SPLIT = re.compile(rf"[.!?…‽){_B}{SCRIPT_STOPS}]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of the block `text[start:end]` as `(s, e)` offsets into `text`.

    `start` and `end` follow slice rules (negative values count from the end, out-of-range
    values are clipped). The block is read as if it stood alone, whatever surrounds it.
    """
    start, end, _ = slice(start, end).indices(len(text))
    if start >= end:
        return []
    if _MAY_SPLIT.search(text, start, end) is None:
        first = _NON_SPACE.search(text, start, end)
        return _closed(text, [], first.start(), end) if first is not None else []
    # a bullet or a CJK sentence end, at least (none in a text that holds none)
    rare = _RARE.search(text, start, end) if _may_hold_rare(text, start, end) else None
    if start > 0 and not text[start - 1].isspace() and not text[start].isspace():
        # The block starts inside a token: the regexes would see the characters before it.
        block = text[start:end]
        spans = [(s + start, e + start) for s, e in _split(block, 0, len(block), rare is not None)]
    else:
        spans = _split(text, start, end, rare is not None)
    if rare is not None and CJK_END.search(text, rare.start(), end):
        spans = cjk_split(text, spans)
    return spans


# the last text split block by block, and whether it holds a bullet or a script stop at all
_last_text: tuple[str, bool] = ("", False)


def _may_hold_rare(text: str, start: int, end: int) -> bool:
    """False when the whole text holds no bullet and no script stop: looked at once by
    str.find (a class scan is 10x slower), remembered for the last text (the layout splits an
    article's runs in turn). A block that is its whole text is left to _RARE's search."""
    global _last_text
    if start == 0 and end == len(text):
        return True
    known, holds = _last_text
    if known is not text:
        holds = any(text.find(c) >= 0 for c in _BULLETS + SCRIPT_STOPS)
        _last_text = (text, holds)
    return holds


def _after_leader(text: str, pos: int, end: int) -> int:
    """The first character of the sentence at `pos` after bullets, quotes and dashes."""
    m = _LEADER.match(text, pos, end)  # it matches the empty string too, so always
    return m.end() if m is not None else pos


def _split(text: str, start: int, end: int, rare: bool = True) -> list[tuple[int, int]]:
    """`split_sentences` of the block; `rare` False when it holds no bullet (see _RARE)."""
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return []
    sent = first.start()  # where the current sentence begins
    body = _after_leader(text, sent, end)  # its first character after bullets, quotes
    spans: list[tuple[int, int]] = []
    markers = _list_markers(text, sent, end)
    if not rare and not markers:
        return _split_prose(text, sent, body, end)
    mi = 0
    for pos, m in _events(text, sent, end, rare):
        while mi < len(markers) and markers[mi] <= pos:
            if _cut_before(text, spans, sent, body, markers[mi]):
                sent = markers[mi]
                body = _after_leader(text, sent, end)
            mi += 1
        if m is None:  # a bullet
            if _cut_before(text, spans, sent, body, pos):
                sent = pos
                body = _after_leader(text, sent, end)
            continue
        if m.end() == end:
            continue  # the block ends with it: no boundary to decide (a third of them)
        cut = _boundary(text, m, pos, sent, body, end)
        if cut is not None:
            spans.append((sent, cut[0]))
            sent = cut[1]
            body = _after_leader(text, sent, end)
    for p in markers[mi:]:
        if _cut_before(text, spans, sent, body, p):
            sent = p
            body = _after_leader(text, sent, end)
    return _closed(text, spans, sent, end)


def _closed(text: str, spans: list[tuple[int, int]], sent: int, end: int) -> list[tuple[int, int]]:
    """`spans` with the last sentence, text[sent:end] less its trailing space, if any."""
    e = end
    while e > sent and text[e - 1].isspace():
        e -= 1
    if e > sent:
        spans.append((sent, e))
    return spans


def _split_prose(text: str, sent: int, body: int, end: int) -> list[tuple[int, int]]:
    """`_split` of a block with no bullet and no inline list (nearly all of them): only
    terminator candidates to decide, in order, with no events to merge."""
    start = sent
    spans: list[tuple[int, int]] = []
    for m in _CANDIDATE.finditer(text, start, end):
        if m.end() == end:
            break  # the block ends with it: no boundary to decide
        cut = _boundary(text, m, _token_start(text, start, m.start()), sent, body, end)
        if cut is not None:
            spans.append((sent, cut[0]))
            sent = cut[1]
            body = _after_leader(text, sent, end)
    return _closed(text, spans, sent, end)


def _token_start(text: str, start: int, t: int) -> int:
    """Where the token that ends at `t` starts: after the whitespace before it, not before
    `start`. Nearly always after a space, found at C speed (when other whitespace stands
    after that space, walk back to it instead)."""
    w = text.rfind(" ", start, t) + 1 or start
    if _SPACE.search(text, w, t) is None:
        return w
    while t > start and not text[t - 1].isspace():
        t -= 1
    return t


def _events(
    text: str, start: int, end: int, rare: bool = True
) -> list[tuple[int, re.Match[str] | None]]:
    """The block's bullets (position, None) and terminator candidates (where the token
    before the cluster starts, the cluster's match), in order; a bullet before a candidate
    at the same position (a token that opens with a bullet)."""
    events: list[tuple[int, re.Match[str] | None]] = []
    for m in _CANDIDATE.finditer(text, start, end):
        events.append((_token_start(text, start, m.start()), m))
    first = _RARE.search(text, start, end) if rare else None
    if first is None:
        return events
    bullets: list[tuple[int, re.Match[str] | None]] = [
        (b.start(), None) for b in _BULLET.finditer(text, first.start(), end)
    ]
    if not bullets:
        return events
    return sorted(events + bullets, key=lambda e: (e[0], e[1] is not None))


def _cut_before(text: str, spans: list[tuple[int, int]], sent: int, body: int, p: int) -> bool:
    """End the current sentence before position `p` (a bullet or list marker), if it has
    anything but bullets and quotes so far; those stay with what follows."""
    if p <= body:
        return False
    e = p
    while text[e - 1].isspace():
        e -= 1
    spans.append((sent, e))
    return True


def _list_markers(text: str, sent: int, end: int) -> list[int]:
    """Positions of the inline list markers after the first, if the block opens a list."""
    m = _LIST_START.match(text, sent, end)
    if m is None:
        return []
    num, letter, style = m.groups()
    expected = str(int(num) + 1) if num else chr(ord(letter) + 1)
    out: list[int] = []
    for mk in _LIST_MARK.finditer(text, m.end(), end):
        label = mk.group(1) or mk.group(2)
        if mk.group(3) == style and label == expected:
            out.append(mk.start())
            expected = str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)
    return out


def _quote_opens(text: str, sent: int, cut: int) -> bool:
    """Does the quotation closed at `cut` open the sentence that began at `sent`? (Its
    opening mark is the sentence's first character, or it opened in an earlier sentence.)"""
    opening = max(text.rfind(q, sent, cut) for q in '“"‘«')
    return opening < 0 or not text[sent:opening].strip()


def _boundary(
    text: str, m: re.Match[str], tok_start: int, sent: int, body: int, end: int
) -> tuple[int, int] | None:
    """(end of this sentence, start of the next) if candidate `m` (its token from
    `tok_start`) ends a sentence."""
    cut = m.end()
    if _AGENCY.match(text, cut, end) and _DATELINE.fullmatch(text, sent, cut):
        return None  # a dateline: "NAPA COUNTY, Calif. (KGO) -- A plan to bring"
    nm = _NEXT.match(text, cut, end)
    if nm is None:
        return None  # the block ends here
    following = nm.group(2)
    if following:
        c = following[0]
        if c.islower():
            return None  # a lowercase word continues the sentence, after any terminator
        kind = "U" if c.isupper() else "D" if c.isdigit() else "O"
    elif nm.group(1) or nm.end() < end:
        kind = "O"  # a dash, a symbol, "$5", "<https://...>"
    else:
        return None  # only whitespace to the end of the block
    nxt = nm.start(1)
    cl = m.group("cl")
    cq = m.group("cq")

    if "?" in cl or "!" in cl or "‽" in cl:
        if kind == "U" and _QUOTES.intersection(cq):
            said = _ATTRIBUTION.match(text, cut, end)
            # “Why?” Smith asked. But “Why?” Mr. Cueto told the trust that it could see
            # the scorecard: when the quote opens the sentence, a verb with its own "that"
            # clause reports something else, a new sentence. After words of its own ("After
            # Bell asked “Why?” Mr. Cueto responded that ...") the sentence runs on.
            if said and not (
                _OWN_CLAUSE.match(text, said.end(), end) and _quote_opens(text, sent, cut)
            ):
                return None
        return cut, nxt

    tok = text[tok_start : m.start()]
    word = tok.lstrip(_LEAD_CHARS)
    if len(cl) > 2 or "…" in cl:
        return ellipsis_boundary(m, tok, word, cl, cq, kind, cut, nxt)

    # a period (or a doubled one)
    base = word.rsplit("-", 1)[-1]  # "(D-Calif." -> "Calif", "ex-Gov." -> "Gov"
    if base in PREPOSITIVE:
        return None
    if base in TIMES:
        if kind != "U" or following in TIME_FOLLOWERS:
            return None  # "5 p.m. Tuesday", "9 a.m. ET"
        if _INTRO_TIME.fullmatch(text, sent, m.end("cl")):
            return None
        return cut, nxt
    if len(word) <= 4 and body >= tok_start + len(tok) - len(word) and _ENUMERATOR.fullmatch(word):
        return None  # the sentence opens with it: "1. The first item", "• 9. The", "a. The"
    if not (base in AMBIGUOUS or (len(base) == 1 and base.isalpha()) or _DOTTED.fullmatch(base)):
        if following in ORDINAL_MONTHS and not cq and _day(word):
            return None  # a German date: "am 12. März", "zum 1. Januar"
        return cut, nxt  # an ordinary word, a number, a URL or an email address
    # An abbreviation, an initial or a dotted acronym ("Co", "E", "U.S").
    if kind != "U":
        return None  # "No. 3", "Jan. 5", "p. 55", "U.S. $5 billion"
    if base == "no":
        # the word, not the abbreviation ("No. 3"): "the answer was no. Officials said",
        # Spanish and Italian "dijo que no. Llegó"
        return cut, nxt
    if cq:
        if following in PREPOSITIVE and not _QUOTES.intersection(cq):
            return None  # "(Ret.) Gen. John Allen"
        return cut, nxt  # "(D-Calif.) The", "the U.S.” Officials"
    if following in SENTENCE_STARTERS and not (
        len(following) == 1 and nm.end() < end and text[nm.end()] == "."
    ):
        return cut, nxt  # "the U.S. How about you?" but not "the U.S. A.I. Safety Institute"
    if base in GERMAN and following in GERMAN_STARTERS:
        return cut, nxt  # "um 2 Mio. Die Stadt sagte", but "5 Mio. Euro"
    if base in STATES and following not in PREPOSITIVE:
        return cut, nxt  # "in Tampa, Fla. Officials said" but "Calif. Gov. Gavin Newsom"
    if base in NAME_ENDINGS and following in PREPOSITIVE:
        after = nm.end()
        if after < end and text[after] == ".":
            return cut, nxt  # "according to Acme Inc. Sen. Warren said": a title opens a name
    return None  # "the U.S. Government", "John F. Kennedy", "Apple Inc. CEO"


def _day(word: str) -> bool:
    """Is `word` a day of the month, 1 to 31 ("12", "01")?"""
    return len(word) <= 2 and word.isdigit() and word.isascii() and 1 <= int(word) <= 31
