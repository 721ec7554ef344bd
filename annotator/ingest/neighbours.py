"""Kinds that only the neighbouring segments reveal.

furniture.py judges one line at a time. Some page furniture reads as prose on its own and
is only furniture where it stands (all from ../shared/news_corpus):
- a pitch's own sentences around its call to action: "CNN will soon launch Royal News, a
  weekly newsletter ..." before "Sign up here."; the paywall's perks between "To view the
  full story, please subscribe" and "If you're already a subscriber, you can log in";
  the letters page's rules before "Or by Email: ...";
- a site menu in a page dump: short lines, some already furniture ("Home", "Log In"), the
  others read as headings ("Agriculture", "Banking");
- a byline a scraper broke over lines ("By" / "ALLY MUTNICK"), the author's name over an
  address ("PETER CHRISTOPHER" / "peter.christopher@..."), a photographer's name in capitals
  under a caption ("NICOLE DRAYTON") (name_lines.py);
- list items that are the byline or contact block ("- Author Ben Knight", "- 501-666-6726").

The rules run over the finished segments (kind, text) and return the kinds, changed only
where the neighbours leave no doubt; prose between two pieces of prose is never touched.
"""

from __future__ import annotations

import re
from typing import TypeVar

from annotator.ingest import bylines, word_counts
from annotator.ingest import furniture as fx
from annotator.ingest.layout_lines import is_furniture  # remembered for the article
from annotator.ingest.name_lines import EMAIL as _EMAIL
from annotator.ingest.name_lines import names as _names

# what a pitch or the paywall promises; not "subscribers grew" in a news sentence unless the
# sentence stands beside a call to action
T = TypeVar("T")

_PITCH_WORDS = re.compile(
    r"\b(?:newsletters?|(?:un)?subscri\w*|membership|premium|sign(?:ing)? up|inbox|welcome gift|"
    r"send you|your data|(?:your|of) personal data|direct to (?:you|your inbox)|roundup e-?mail|"
    r"(?:unlimited|instant|digital|full) (?:digital )?access)\b",
    re.IGNORECASE,
)
# the reader addressed: "you'll get", "send us your comments"
_READER = re.compile(
    r"\b(?:you|your|yours|you['’](?:ll|re|ve|d)|contact us|send us|e-?mail us)\b", re.IGNORECASE
)
# a furniture segment that is a call to action of a pitch, a paywall or a contact box
_CALL = re.compile(
    r"\b(?:subscri\w*|newsletters?|sign(?:ing)? (?:up|in)|log ?in|membership|premium|"
    r"join now|renew|donate|e-?mail|contact)\b",
    re.IGNORECASE,
)
_PROSE = frozenset({"body", "list_item", "heading"})
# a pitch's prose next to its call to action is short; a quoted sentence is reported speech
_PITCH_MAX = 400
_QUOTED = re.compile(r"[\"“”]")
# between two calls to action, at most this many segments are taken for the pitch's
_SANDWICH = 4
# beside a call to action, at most this many sentences in a pitch's words run on (the CorkBeo
# pitch: "Simply pop your email" and four sentences of promises)
_BESIDE = 4

# the button of a photo gallery embedded in the article ("Show all 50")
_GALLERY = re.compile(r"^(?:show|view|see) all \d+$|^view (?:the )?gallery$", re.IGNORECASE)
_MENU_WORDS = 5  # a menu entry: a few words, no sentence punctuation
_MENU_RUN = 4


def in_context(kinds: list[str], texts: list[str]) -> list[str]:
    """The kinds of the segments (`kinds`, their `texts`) in reading order, corrected by
    their neighbours: `kinds` itself, changed in place."""
    _items(kinds, texts)
    _paywall(kinds, texts)
    _pitches(kinds, texts)
    _names(kinds, texts)
    _menus(kinds, texts)
    _strays(kinds, texts)
    _tags(kinds, texts)
    _caption_copies(kinds, texts)
    _references(kinds, texts)
    _list_entries(kinds, texts)
    return kinds


_ENTRY = 120  # characters: a headline in a list of other stories


def _next_of(items: list[T], value: T, start: int) -> int:
    """The first position at or after `start` holding `value`, -1 if none: the rules below
    start from furniture (or media, or a short segment), and most segments are not (found
    by the list's own search, each time in the kinds as they stand, which a rule changes as
    it goes)."""
    try:
        return items.index(value, start)
    except ValueError:
        return -1


def _list_entries(kinds: list[str], texts: list[str]) -> None:
    """A headline in a list of other stories that the splitter cut at an abbreviation
    ("Agri." / "Ministry seeking contractor to build abattoir in Region Five", between two
    other headlines): one or two body segments between furniture, short, and ending
    without sentence punctuation, are an entry of the list, not prose."""
    n = len(kinds)
    i = 0
    while (i := _next_of(kinds, "furniture", i) + 1) and i < n - 1:
        if kinds[i] != "body":
            continue
        for j in (i, i + 1):  # the run is i..j
            if j + 1 >= n or kinds[j] != "body":
                break
            if kinds[j + 1] != "furniture":
                continue
            run = range(i, j + 1)
            if sum(len(texts[r]) for r in run) <= _ENTRY and not fx.ends_sentence(texts[j]):
                for r in run:
                    kinds[r] = "furniture"
            break


_MORE_INFO = re.compile(r"^more information\s*:", re.IGNORECASE)
_DOI = re.compile(r"^doi\s*:", re.IGNORECASE)
_REFERENCE = 3  # segments of a reference: authors, title, journal


def _references(kinds: list[str], texts: list[str]) -> None:
    """The paper under "More information:" up to its "DOI:" (phys.org): "Proceedings of the
    National Academy of Sciences(2019)." is the reference's journal, not a sentence."""
    n = len(kinds)
    i = -1
    while (i := _next_of(kinds, "furniture", i + 1)) >= 0:
        if not _MORE_INFO.match(texts[i]):
            continue
        for j in range(i + 1, min(n, i + 2 + _REFERENCE)):
            if kinds[j] == "furniture" and _DOI.match(texts[j]):
                for r in range(i + 1, j):
                    if kinds[r] == "body":
                        kinds[r] = "furniture"
                break


# the label of a tag list ("Tagged:", "Tags:", "Topics:")
_TAG_LABEL = re.compile(r"^(?:tagged|tags|topics|keywords)\s*:$", re.IGNORECASE)


def _tags(kinds: list[str], texts: list[str]) -> None:
    """The tags under their label ("Tagged:" / "amazon brazil deforestation Wildfire"): a
    body segment without sentence punctuation right after the label is the list, not prose."""
    n = len(kinds)
    i = 0
    while (i := _next_of(kinds, "furniture", i) + 1) and i < n:
        if (
            kinds[i] == "body"
            and _TAG_LABEL.match(texts[i - 1].strip())
            and len(t := texts[i].strip()) <= 200
            and not fx.ends_sentence(t)
        ):
            kinds[i] = "furniture"


_NOT_WORD = re.compile(r"\W+")


def _caption_copies(kinds: list[str], texts: list[str]) -> None:
    """A caption printed twice, as the image's alt text and under it (the Daily Mail): the
    copy is the caption too, not a sentence of the article. Compared by words only: the
    copies differ in a dash the page mangled ("food ¿ and" / "food – and")."""
    n = len(kinds)
    i = 0
    while (i := _next_of(kinds, "media", i) + 1) and i < n:
        if kinds[i] not in ("body", "heading"):
            continue
        key = _NOT_WORD.sub("", texts[i]).casefold()
        if key and key == _NOT_WORD.sub("", texts[i - 1]).casefold():
            kinds[i] = "media"


def _strays(kinds: list[str], texts: list[str]) -> None:
    """A body segment of one lowercase word ("from" over the author's badge, "by" under
    "Sponsored", "report" over a headline) or of no word at all ("|", "»"): a label or a
    button left by the extractor, never a sentence."""
    # (the rule changes only the segment it looks at: the candidates can be listed first)
    for i in [i for i, k in enumerate(kinds) if k == "body" and len(texts[i]) <= 15]:
        s = texts[i].strip()
        if (s.isalpha() and s.islower()) or not any(c.isalnum() for c in s):
            kinds[i] = "furniture"


def _items(kinds: list[str], texts: list[str]) -> None:
    """A list item or a short line that is a byline line or a contact entry."""
    # (the rule changes only the segment it looks at: the candidates can be listed first)
    for i in [i for i, k in enumerate(kinds) if k == "list_item" or k == "heading"]:
        k, t = kinds[i], texts[i]
        if len(t) > 160:
            continue
        # a button in brackets ("[Log in]"); a number alone under "Views:" ("184")
        if is_furniture(t.strip("[] ")) or not any(c.isalpha() for c in t):
            kinds[i] = "furniture"
        elif k == "heading" and i + 1 < len(kinds) and _GALLERY.match(texts[i + 1]):
            kinds[i] = "furniture"  # a gallery's title over its button: "UK news in pictures"
        elif k == "list_item" and bylines.is_byline_line(t):
            # "- Author Ben Knight", "- Date 19.01.2020", "- news@breakingbelizenews.com"
            kinds[i] = "furniture" if _EMAIL.match(t.strip().lstrip("_")) else "byline"


def _is_call(kind: str, text: str) -> bool:
    return kind == "furniture" and bool(_CALL.search(text))


def _speaks_pitch(text: str, reader_too: bool) -> bool:
    if len(text) > _PITCH_MAX or _QUOTED.search(text):
        return False
    return bool(_PITCH_WORDS.search(text) or (reader_too and _READER.search(text)))


# a paywall's first line: the story stops here and the box begins
_PAYWALL = re.compile(
    r"^(?:to (?:view|read|continue reading) (?:the|this) (?:full )?(?:story|article)|"
    r"(?:subscribe|log in|sign in) to (?:continue|keep) reading|"
    r"this (?:story|article|content) is (?:only )?(?:for|available to) (?:subscribers|members))",
    re.IGNORECASE,
)
_PAYWALL_BOX = 16  # segments: the perks (one a line), the prices, the buttons


def _paywall(kinds: list[str], texts: list[str]) -> None:
    """From a paywall's first line to its last call to action (or the end of the article,
    when that is near): the box, perks and all ("— Instant access to ...")."""
    n = len(kinds)
    i = -1
    while (i := _next_of(kinds, "furniture", i + 1)) >= 0:
        if not _PAYWALL.match(texts[i]):
            continue
        window = range(i + 1, min(n, i + 1 + _PAYWALL_BOX))
        calls = [j for j in window if _is_call(kinds[j], texts[j])]
        end = calls[-1] if calls else (n - 1 if n - 1 - i <= _PAYWALL_BOX else i)
        for j in range(i + 1, end):
            if kinds[j] in _PROSE:
                kinds[j] = "furniture"
        return


def _pitches(kinds: list[str], texts: list[str]) -> None:
    n = len(kinds)
    if "furniture" not in kinds:
        return
    # whether a furniture segment is a call to action, asked once of each: the first loop
    # asks it of both ends of a run (the end of one run opens the next), the second of all
    calls: dict[int, bool] = {}

    def is_call(k: int) -> bool:  # (_is_call of a furniture segment)
        got = calls.get(k)
        if got is None:
            got = calls[k] = _CALL.search(texts[k]) is not None
        return got

    # between two pieces of furniture, one of them a call to action: a short run most of
    # whose segments speak to the reader or in a pitch's words
    i = 0
    while (i := _next_of(kinds, "furniture", i)) >= 0:
        j = i + 1
        while j < n and kinds[j] in _PROSE:
            j += 1
        run = range(i + 1, j)
        if not (0 < len(run) <= _SANDWICH and j < n and kinds[j] == "furniture"):
            i = j
            continue
        call_i, call_j = is_call(i), is_call(j)  # (both furniture)
        both = call_i and call_j
        if (
            (call_i or call_j)
            # speaking to the reader counts between two calls to action only: news that
            # says "you" can sit between an ad and a newsletter box
            and 2 * sum(_speaks_pitch(texts[r], reader_too=both) for r in run) > len(run)
        ):
            for r in run:
                kinds[r] = "furniture"
        i = j
    # beside a call to action: a sentence in a pitch's words, and the next one out, up to _BESIDE
    i = -1
    while (i := _next_of(kinds, "furniture", i + 1)) >= 0:
        if not is_call(i):
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < n and abs(j - i) <= _BESIDE and kinds[j] == "body":
                if not _speaks_pitch(texts[j], reader_too=False):
                    break
                kinds[j] = "furniture"
                j += step


def _short(kind: str, text: str) -> bool:
    return _short_shape(kind, text) and word_counts.at_most_words(text.strip(), _MENU_WORDS)


def _short_shape(kind: str, text: str) -> bool:
    """_short but for its word count (the dearest test, asked last)."""
    t = text.strip()
    return (
        kind in ("heading", "body", "list_item", "furniture")
        and len(t) <= 50
        and not t.endswith(",")
        and not fx.ends_sentence(t.rstrip(":"))  # "Follow Us:" is a label; "Quoted.”" is not
    )


def _menus(kinds: list[str], texts: list[str]) -> None:
    """A run of short lines (a site menu, a tag list, an archive by month) with furniture
    among them, or of headings only, is furniture; its last heading stays a heading when
    prose follows it (the article's headline under the menu)."""
    n = len(kinds)
    # each segment's _short, worked out once: the loops below ask it up to nine times of a
    # segment, and only ever turn a heading, body or list item into furniture, which _short
    # takes alike
    # (a text over 50 characters with no space at either end is not short: spared the call)
    short = [
        (len(t) <= 50 or t[:1].isspace() or t[-1:].isspace()) and _short_shape(k, t)
        for k, t in zip(kinds, texts, strict=True)
    ]
    if True not in short:
        return  # no menu entry at all (most articles): neither loop below has work
    # the words are counted only in a run of _MENU_RUN short shapes or more: both loops
    # below need that many short entries in a row, and a count only takes entries out (a
    # run of fewer is left False: it does nothing either way)
    i = 0
    while (i := _next_of(short, True, i)) >= 0:
        j = i
        while j < n and short[j]:
            j += 1
        for r in range(i, j):
            short[r] = j - i >= _MENU_RUN and word_counts.at_most_words(
                texts[r].strip(), _MENU_WORDS
            )
        i = j
    if True not in short:
        return
    # one longer entry between two menus ("Ideas and commentary Books, arts and culture"
    # between "Blogs" and "Prospero"): short entries before and after it, furniture among
    # those after, no sentence in it. Body only: a headline (a heading) over a share row
    # stays a heading
    for i in range(_MENU_RUN, n - _MENU_RUN):
        if (
            kinds[i] == "body"
            and len(t := texts[i].strip()) <= 80
            and not fx.ends_sentence(t)
            and all(short[i - _MENU_RUN : i])
            and all(short[i + 1 : i + 1 + _MENU_RUN])
            and any(kinds[r] == "furniture" for r in range(i + 1, i + 1 + _MENU_RUN))
        ):
            kinds[i] = "furniture"
    i = 0
    while (i := _next_of(short, True, i)) >= 0:
        j = i
        while j < n and short[j]:
            j += 1
        run = range(i, j)
        furniture = sum(kinds[r] == "furniture" for r in run)
        headings = sum(kinds[r] == "heading" for r in run)
        # or between furniture (a byline above it may be a menu entry: "By Invitation")
        bordered = i > 0 and kinds[i - 1] in ("furniture", "byline") and j < n
        bordered = bordered and kinds[j] == "furniture"
        if len(run) >= _MENU_RUN and (furniture or headings == len(run) or bordered):
            last = j - 1
            for r in run:
                if kinds[r] == "list_item" and 2 * furniture < len(run):
                    continue  # a list of short items beside one furniture line stays a list
                if r == last and kinds[r] == "heading" and j < n and kinds[j] == "body":
                    continue
                if kinds[r] in ("heading", "body", "list_item"):
                    kinds[r] = "furniture"
        i = j
