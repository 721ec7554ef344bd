"""Page furniture that repeats: a running header or footer, a byline at every page break.
Which lines could be one (short, unended, not a list item), and the key under which two
lines are the same one (ingest/layout_lines.py `group_blocks` removes the repeats)."""

from __future__ import annotations

import re

from annotator.ingest.bylines import is_byline
from annotator.ingest.furniture import LIST_ITEM, ends_sentence
from annotator.ingest.word_counts import SHORT, at_most_words_spaced_or_not

# a page number at either end of a running header or footer
_PAGE_NUMBER = re.compile(r"^\d{1,4}(?=\s)|(?<=\s)\d{1,4}$")


def normalise_line(line: str) -> str:
    """Key for spotting repeated furniture: case and spacing do not matter, nor a page
    number at either end of a line that has at least three words besides it. A page footer
    or header repeats with its page number changed ("Downloaded from
    https://journals.example.org on 2026-03-04   1", "... 2": audit6 F3, text from PDFs);
    "Chapter 1" / "Chapter 2" and "Page 1 of 5" keep theirs (one or two words: they may be
    the article's own headings), and so do numbers inside a line (a gallery's "... 47
    Alexandria Douziech ..."). The number folds to "0", so a key opens with "0" where its
    line opens with a digit."""
    key = " ".join(line.split()).casefold()
    if not (key[:1].isdecimal() or key[-1:].isdecimal()):
        return key
    folded = _PAGE_NUMBER.sub("0", key)
    words = sum(1 for w in folded.split() if any(c.isalpha() for c in w))
    return folded if words >= 3 else key


def may_repeat(line: str) -> bool:
    """repeatable_furniture's first, cheap test (short, not ended by a full stop): a line
    failing it is not repeatable furniture. group_blocks keys the lines that pass and asks
    the whole test only of those whose key comes twice (most pages repeat nothing)."""
    s = line.strip()
    return bool(s) and len(s) <= SHORT and s[-1] != "."


def repeatable_furniture(line: str) -> bool:
    """Could this line be page furniture if it repeats (a header or footer at a page break)?"""
    s = line.strip()
    # (a line ending in "." is neither a byline nor unended: the shortest way to no)
    if not s or len(s) > SHORT or s[-1] == "." or LIST_ITEM.match(s):
        return False
    if is_byline(s):
        return True
    return not ends_sentence(s) and at_most_words_spaced_or_not(s, 12)  # (cheaper test first)
