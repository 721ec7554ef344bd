"""Teasers a page dump repeats: a list of other stories printed in several boxes ("Most
Read", "Most Recent", "Top Stories"), each entry a headline, a section label and a
standfirst on lines of their own (CorkBeo, bs4). The short labels repeat and are removed as
page furniture; the headlines and standfirsts repeat too, but are too long for that rule,
and read as headings and body sentences between the furniture.

A segment whose exact text is another segment's too, short as a teaser is, and standing
next to furniture (a headline: before it), is an entry of such a list, and so is a run of
such segments holding headlines. A sentence of the article is printed once, between other
sentences; a pull quote repeats it in quotation marks (pull_quotes.py); a post a live blog
prints twice is sentences, not headlines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from annotator.ingest import furniture as fx

# a teaser: a headline or a standfirst (characters)
_TEASER = 200
# a run of repeated segments this long, with this many headlines (no final punctuation), is
# a list of stories even with no furniture beside it; a live blog's post the page prints
# twice is sentences
_RUN = 3
_HEADLINES = 2
_READ = ("body", "heading")


def repeated_teasers(kinds: list[str], texts: list[str], whole_line: Callable[[int], bool]) -> None:
    """Mark as furniture the repeated teasers among the segments (kinds, texts, and whether
    segment i is a line of its own, asked only of repeated ones), in place. A teaser is a
    line of its own: a sentence the article repeats inside a paragraph is the article's
    ("It voted against the plan." twice)."""
    n = len(kinds)
    if n < 3:
        return
    counts = Counter(texts)
    if len(counts) == n:
        return  # (most articles: no segment repeats)
    repeated = [
        counts[t] >= 2 and len(t) <= _TEASER and kinds[i] != "table" and whole_line(i)
        for i, t in enumerate(texts)
    ]
    # forward, then back: an entry next to an entry just marked is beside furniture too
    for order in (range(n), range(n - 1, -1, -1)):
        for i in order:
            if kinds[i] not in _READ or not repeated[i]:
                continue
            after = i + 1 < n and kinds[i + 1] == "furniture"
            # a headline opens what follows it: a teaser's when furniture follows, the
            # article's own when its date line or its text does (kaieteur h2t)
            if after or (kinds[i] == "body" and i > 0 and kinds[i - 1] == "furniture"):
                kinds[i] = "furniture"
    # a run of repeated segments holding headlines: the list again, no label left beside it
    i = 0
    while i < n:
        j = i
        while j < n and repeated[j]:
            j += 1
        if j - i >= _RUN and sum(not fx.ends_sentence(texts[k]) for k in range(i, j)) >= _HEADLINES:
            for k in range(i, j):
                if kinds[k] in _READ:
                    kinds[k] = "furniture"
        i = max(j, i + 1)
