"""Emphasis markers ("*", "**", "_") and code spans in a line of markdown, read as CommonMark
reads them: a run of markers is markup only when it pairs with another as opener and closer,
otherwise it is text ("Get the f*** out", "euros*"). Pure functions of a string."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# An emphasis marker, once `emphasis` has paired it (CommonMark's delimiter runs): the span
# of "*", "**", "_" ... to drop. The empty group is the (nothing) kept.
EMPHASIS = re.compile(r"[*_]+()")
# A run of one marker: "\*+|_+", written to open with a character class, which the engine
# skips to at C speed (a pattern opening with a repeat is tried at every position: 3x the
# time over a paragraph; the same runs: tests/test_layout_shortcuts5.py)
_RUN = re.compile(r"[*_](?:(?<=\*)\**|(?<=_)_*)")


def code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The backtick code spans of text[start:end] (CommonMark: a run of n backticks up to
    the next run of exactly n): their text is code, nothing inside them is markup."""
    spans: list[tuple[int, int]] = []
    at = text.find("`", start, end)
    while at >= 0:
        after = at
        while after < end and text[after] == "`":
            after += 1
        n = after - at
        look = after
        close = -1
        while True:
            c = text.find("`", look, end)
            if c < 0:
                break
            ce = c
            while ce < end and text[ce] == "`":
                ce += 1
            if ce - c == n:
                close = ce
                break
            look = ce
        if close < 0:  # no closer: the run is text
            at = text.find("`", after, end)
            continue
        spans.append((at, close))
        at = text.find("`", close, end)
    return spans


def _punct(c: str) -> bool:
    # CommonMark's Unicode punctuation: the P and S categories
    return not c.isalnum() and not c.isspace() and unicodedata.category(c)[0] in "PS"


# how far back a closer looks for its opener (CommonMark looks all the way back; a line of
# thousands of unpaired runs would then cost their square)
_LOOK_BACK = 64


@dataclass(slots=True)
class _Run:
    """A run of "*" or "_" (a delimiter run) while emphasis pairs them."""

    char: str
    at: int  # its first marker not yet used by a pair
    left: int  # markers not yet used
    length: int  # markers it had
    opens: bool
    closes: bool


def _flanking(text: str, a: int, b: int) -> _Run:
    """The run text[a:b], and whether it may open and close emphasis."""
    before = text[a - 1] if a > 0 else " "
    after = text[b] if b < len(text) else " "
    left = not after.isspace() and (not _punct(after) or before.isspace() or _punct(before))
    right = not before.isspace() and (not _punct(before) or after.isspace() or _punct(after))
    c = text[a]
    if c == "_" and b - a >= 2:
        # extractors write bold as "**": a "__" is a name ("__init__", "__main__")
        opens = closes = False
    elif c == "_":
        opens = left and (not right or _punct(before))
        closes = right and (not left or _punct(after))
    elif before.isalnum() and after.isalnum():
        # inside a word: a censored one ("f***ing", "sh*t", "s**t and f**k"), not emphasis
        # (a bold html2text glued to a word, "holistic**view of Haiti**", stays too)
        opens = closes = False
    else:
        # html2text drops the space after a bold label ("information:**Marcel",
        # "**33%**of"): a run after punctuation and before a letter closes too
        opens = left
        closes = right or (left and _punct(before) and after.isalnum())
    return _Run(c, a, b - a, b - a, opens, closes)


def _censored(text: str, at: int) -> bool:
    """Does the "*" run at `at` follow the first letters of a word it masks ("b****",
    "sh***": one to three letters), rather than a whole word it was the empty bold after
    ("Atmospheric**** Administration")?"""
    n = 0
    while n < 4 and at - n > 0 and text[at - n - 1].isalnum():
        n += 1
    return 1 <= n <= 3


def emphasis(
    text: str,
    start: int = 0,
    end: int | None = None,
    skip: list[tuple[int, int]] | None = None,
    pairs: list[tuple[int, int]] | None = None,
    loose: list[int] | None = None,
) -> list[re.Match[str]]:
    """The emphasis markers of text[start:end] (EMPHASIS matches, in order): the "*" and "_"
    runs that pair up as opener and closer by CommonMark's rules. An opener is
    left-flanking (before a non-space, and after a space or punctuation when before
    punctuation), a closer right-flanking; "_" opens and closes only at a word's edge. A run
    that pairs with nothing is text: "Get the f*** out", "euros*", "*Terms apply.", "5 * 3".
    A run of four or more "*" that pairs with nothing is an empty bold a scraper left
    ("congress.**** The", "Atmospheric**** Administration"), unless it masks a word
    ("b****"). Three departures from CommonMark, for what scrapers and newsrooms write: a
    "*" run inside a word is text ("f***ing", "sh*t", "s**t"); a "__" run is text (a name,
    "__init__": extractors write bold as "**"); a run after punctuation and before a letter
    may close ("**More information:**Marcel").
    Runs inside `skip` (code spans, links, escapes) are not markers. `pairs`, when given,
    receives each pair's span (from its opener's first marker to its closer's last);
    `loose`, the runs that could open or close and paired with nothing."""
    stop = len(text) if end is None else end
    spans = sorted(skip) if skip else []
    runs: list[_Run] = []
    k = 0
    for m in _RUN.finditer(text, start, stop):
        a, b = m.span()
        while k < len(spans) and spans[k][1] <= a:
            k += 1
        if k < len(spans) and spans[k][0] <= a:
            a = spans[k][1]  # "\\**": the escaped one is text
            if a >= b:
                continue
        runs.append(_flanking(text, a, b))
    if not runs:
        return []
    marks: list[tuple[int, int]] = []
    openers: list[_Run] = []  # runs that may still open, in order
    for r in runs:
        while r.closes and r.left > 0:
            found = -1
            for j in range(len(openers) - 1, max(-1, len(openers) - 1 - _LOOK_BACK), -1):
                o = openers[j]
                # the rule of 3: "*foo**bar*" is one emphasis, not two
                if o.char == r.char and not (
                    (o.closes or r.opens)
                    and (o.length + r.length) % 3 == 0
                    and (o.length % 3 or r.length % 3)
                ):
                    found = j
                    break
            if found < 0:
                break
            o = openers[found]
            use = 2 if o.left >= 2 and r.left >= 2 else 1
            o.left -= use
            opener_at = o.at + o.left  # the opener's innermost markers
            marks.append((opener_at, opener_at + use))
            marks.append((r.at, r.at + use))
            if pairs is not None:
                pairs.append((opener_at, r.at + use))
            r.at += use
            r.left -= use
            del openers[found + 1 :]  # the openers between are text now
            if o.left == 0:
                del openers[found]
        if r.left > 0 and r.opens:
            openers.append(r)
    if loose is not None:
        loose += [r.at for r in runs if r.left == r.length and (r.opens or r.closes)]
    for r in runs:
        if r.char == "*" and r.left >= 4 and r.left == r.length and not _censored(text, r.at):
            marks.append((r.at, r.at + r.left))
    if not marks:
        return []
    marks.sort()
    merged: list[list[int]] = []
    for a, b in marks:
        if merged and merged[-1][1] == a:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    match = EMPHASIS.match
    return [mk for a, b in merged if (mk := match(text, a, b)) is not None]
