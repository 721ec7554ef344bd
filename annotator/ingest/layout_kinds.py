"""What a line of a paragraph is: furniture, a credit, a headline on its own line, a teaser,
the opening of a box of related stories or of the comment section; and whether the break
after a line without final punctuation ends a segment."""

from __future__ import annotations

import re

from annotator.ingest import furniture as fx
from annotator.ingest import word_counts
from annotator.ingest.dates import DATE_CORE
from annotator.ingest.layout_lines import (
    CONTINUES,
    OPENING_MARKS,
    Block,
    Line,
    is_byline_line,
    is_furniture,
    looks_like_heading,
    remembered,
    words,
)
from annotator.ingest.reference_links import LINK_DEFINITION
from annotator.ingest.sentences import split_sentences
from annotator.ingest.static_site import is_shortcode

# a markdown table row "| a | b |", and its separator "|---|:--:|"
TABLE_ROW = re.compile(r"^\|.*\|$")
TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")

is_credit = remembered(fx.is_credit)


def line_boundary(before: str, line: str, source: str | None = None) -> bool:
    """Does the line break between two prose lines end a segment although the first line has
    no final punctuation? Yes after a headline, a standfirst, a caption or a credit ("Photo:
    Jonathan Nackstrand/AFP", "(Matt Stone/Boston Herald)") when the next line opens a new
    sentence; no when the line really continues (a word a crude scraper broke at an inline
    link, a lowercase continuation). Given the article's `source` (before its first
    sentence), a lede whose drop capital the extractor lost ("urkey, Poland ...") opens a
    sentence too."""
    if not before or fx.ends_sentence(before):
        return False
    if before.endswith(("—", "–", "-")):
        # "Brian Manning -" / "He reiterated ...": a caption naming who is pictured, not a
        # sentence running on after a dash
        return bool(_NAME_DASH.match(before.lstrip())) and line.lstrip()[:1].isupper()
    if before.endswith((",", ";")):
        return False
    opening = line.lstrip().lstrip(OPENING_MARKS)  # " Itineraries": an image went before
    c = opening[0] if opening else ""
    # a capital, a digit, or a letter of a script without case (Chinese) opens a sentence
    if not c or not (c.isupper() or c.isdigit() or (c.isalpha() and not c.islower())):
        if source is None or not c.islower() or not dropped_capital(source, opening):
            return False
        opening = opening[0].upper() + opening[1:]  # judged as the line it was
    # a line ending in a function word is cut mid-sentence ("A new recent breed of")
    tail_words = before.rsplit(None, 2)
    last = tail_words[-1].lower()
    # ... but "her" after a preposition is its object, and can end the line ("Meghan has
    # seen some of the headlines about her" / "Winfrey presented ...": a subheading)
    object_her = last == "her" and len(tail_words) > 2 and tail_words[-2].lower() in _OBJECT_OF
    if last in CONTINUES and not object_her:
        return False
    # judge the line's last sentence: "... daily briefings. Photo: Jonathan Nackstrand/AFP";
    # only a whole line can be a heading
    spans = split_sentences(before)
    tail = before[spans[-1][0] :] if len(spans) > 1 else before
    return (
        is_credit(tail)
        or is_furniture(tail)
        or paren_credit(tail)
        or (len(spans) <= 1 and looks_like_heading(before))
        or _complete_line(before, opening)
        or (before[-1].isdigit() and _ENDS_DATE.search(before[-24:]) is not None)
        or (_PICTURED.search(before) is not None and words(opening) >= 3)
    )


# the first word of a line, letters only
_FIRST_WORD = re.compile(r"[^\W\d_]{3,}(?![\w])")


def dropped_capital(source: str, opening: str) -> bool:
    """Does the line open with a word that lost its drop capital (standard.co.uk's lede
    "urkey, Poland and the Caribbean islands ..." under "Turkey, Poland and three Caribbean
    islands ...")? The word shows with a capital in front elsewhere in the article and never
    alone: "and", "here" or "urkey" run on only when the article has them on their own."""
    m = _FIRST_WORD.match(opening)
    if m is None:
        return False
    w = m.group()
    if not w.islower() or w in CONTINUES:
        return False
    alone = 0
    capitalised = False
    for found in re.finditer(rf"(\w?){re.escape(w)}(?!\w)", source):
        head = found.group(1)
        if not head:
            alone += 1
            if alone > 1:
                return False  # the line itself is one
        elif head.isupper() and (found.start() == 0 or not source[found.start() - 1].isalnum()):
            capitalised = True
    return capitalised


_OBJECT_OF = frozenset(["about", "to", "with", "for", "of", "at", "on", "from", "by", "behind"])
# "Brian Manning -": a name (two to four capitalised words) and a dash, a photo's caption
_NAME_DASH = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){2,4}[-–—]$")
# "... cheap imports (pictured, broiler chickens at a farm near Taylorsville, Mississippi)":
# a Daily Mail-style caption ends in the bracket that says what the picture shows ("(left)",
# "(right, with his wife)"; not "(right now nobody knows)")
_PICTURED = re.compile(
    r"\((?:pictured\b|(?:above|below|left|right|top|bottom|centre|center|inset)[,)])[^()]*\)$",
    re.I,
)


# "Last", "KVELLER via JTA — ...": a capitalised word or a word in capitals
_CAPITALISED = re.compile(r"[A-Z][A-Za-z’']+\b")


# a line ending on a day of a month, without the year ("on Feb. 9", "by March 15")
_ENDS_DAY = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2}$"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{1,2}$"
)


def _complete_line(before: str, opening: str) -> bool:
    """A long line that stops on a lowercase word that can end a clause ("... seen from
    space", "... in three weeks"), before a line that opens with a capitalised word
    ("Last week, NASA ...", "The Albert Quay spot said"): a paragraph that lost its full
    stop (a dek, a caption, a pull quote), not a sentence a scraper cut at a link, which
    breaks before the link's words ("disclosed in" / "an interview with POLITICO")."""
    # a closing quote is not the sentence's end: "... ‘because she’s the best for the job’"
    last = before.rsplit(None, 1)[-1].rstrip("’'\"”")
    return (
        words(before) >= 9
        # (or a day of a month: "... at the Oscars on Feb. 9")
        and ((last.isalpha() and last.islower()) or _ENDS_DAY.search(before[-16:]) is not None)
        and bool(_CAPITALISED.match(opening))
        and words(opening) >= 4
    )


# a line that ends on a full date ("Miami Today" / "on November 7, 2023"): a byline's
_ENDS_DATE = re.compile(rf"(?:^|\s){DATE_CORE}$")


def complete_line(before: str, line: str) -> bool:
    """_complete_line of the last sentence of a line and the next line (its opening marks
    aside); or a line ending on a date before a capitalised one (the byline's date, then
    the lede, with an advertisement removed between them)."""
    if not before or not line or fx.ends_sentence(before):
        return False
    opening = line.lstrip().lstrip(OPENING_MARKS)
    if before[-1:].isdigit() and opening[:1].isupper() and _ENDS_DATE.search(before[-24:]):
        return True
    if before.rsplit(None, 1)[-1].lower() in CONTINUES:
        return False  # "... call the" / "National Suicide Prevention Lifeline": cut at a link
    # the last sentence of the line: "... in the region. The report, published" is cut
    spans = split_sentences(before)
    tail = before[spans[-1][0] :] if len(spans) > 1 else before
    return _complete_line(tail, opening)


# "(Matt Stone/Boston Herald)", "(Photo by ...)": a credit in brackets closing a caption
_PAREN_CREDIT = re.compile(
    r".*\([^()]{2,80}/[^()]{2,80}\)$|.*\((?:photo|image|credit)[^()]*\)$", re.I
)


def paren_credit(s: str) -> bool:
    # both forms end in ")" ($ also matches before a final newline): spare the scan otherwise
    return s.endswith((")", ")\n")) and bool(_PAREN_CREDIT.match(s))


# "* [HAITI](https://...)": a list item that is one link and nothing else
_LINK_ITEM = re.compile(r"(?:[-*+•]\s+)?\[([^\[\]\n]{1,160})\]\([^()\s]*\)")


def navigation(source: str, block: Block) -> bool:
    """A menu: three or more list items, each a single short link ("* [HAITI](...)")."""
    lines = block.lines
    if len(lines) < 3:
        return False
    for ln in lines:
        m = _LINK_ITEM.fullmatch(source, ln.start, ln.end)
        if m is None or words(m.group(1)) > 4:
            return False
    return True


@remembered
def headline_sized(visible: str) -> bool:
    """Three words or more, or a line of a script written without spaces (Chinese)."""
    return word_counts.words(visible) >= 3 or (
        " " not in visible.strip() and any("\u2e80" <= c <= "\u9fff" for c in visible)
    )


def long_headline(visible: str) -> bool:
    """A headline longer than a heading may be (21 to 40 words: the Daily Mail's "Jamie's war
    on toxic US food: Chef and fitness guru Joe Wicks lead plea to Boris Johnson to ... trade
    deals"), asked only of the body's first line: no final punctuation, a capital first."""
    s = visible.strip()
    if not s or not s[0].isupper() or fx.ends_sentence(s) or s.endswith((",", ";")):
        return False
    return 20 < words(s) <= 40 and not fx._SENTENCE_OPENING.match(s)


def one_sentence(visible: str) -> bool:
    """A heading or title has one sentence at most: "Hello?? Who is there?" is prose."""
    return len(split_sentences(visible)) <= 1


# Raw HTML a scraper left on a line of its own (audit4: each was a "heading"): a comment or a
# script is the page's machinery; a player (<iframe>, <video>) is the media it shows
_HTML_MACHINERY = re.compile(
    r"<!--(?:(?!-->).)*-->|<(script|style|noscript|template)\b[^>]*>(?:(?!</\1).)*(?:</\1\s*>)?",
    re.IGNORECASE | re.DOTALL,
)
_HTML_PLAYER = re.compile(
    r"<(iframe|video|audio|embed|object)\b[^>]*>(?:(?!</\1).)*(?:</\1\s*>)?",
    re.IGNORECASE | re.DOTALL,
)
# a caption or credit in the words of its label: the BBC's "Image caption Protesters ...",
# the New York Times' "Credit...Erin Schaff/The New York Times" standing on its own line
_LABELLED_CAPTION = re.compile(r"(?:image|media|video) caption\s+\S.{0,200}", re.IGNORECASE)
_LABELLED_CREDIT = re.compile(r"credit\s*(?:\.\.\.|…|:)\s*\S.{0,100}", re.IGNORECASE)


@remembered
def special_kind(visible: str) -> str | None:
    if visible[:1] == "<":
        if _HTML_MACHINERY.fullmatch(visible):
            return "furniture"
        if _HTML_PLAYER.fullmatch(visible):
            return "media"
    elif visible[:1] in "CIMVcimv":
        if _LABELLED_CREDIT.fullmatch(visible):
            return "credit"
        if _LABELLED_CAPTION.fullmatch(visible):
            return "media"
    elif visible[:1] == "{" and is_shortcode(visible):
        return "furniture"  # a static site's template tag: `{{< notice >}}`, `{% raw %}`
    if is_furniture(visible):
        return "furniture"
    if visible[:1] == "[" and LINK_DEFINITION.match(visible):
        return "furniture"  # "[ref]: http://x.com", what a reference link points to
    if fx.is_embed_signature(visible):
        return "embed"
    if fx.is_media_only(visible):
        return "media"
    if is_byline_line(visible):
        return "byline"
    if is_credit(visible):
        return "credit"
    return None


# a line opened by a dash and a space, as a list's points are in some boxes
_DASH_POINT = re.compile(r"[—–]\s")


def _dash_point(item: Line | bool | None) -> bool:
    if not isinstance(item, Line):
        return False
    vis = item.visible
    return vis[:1] in "—–" and bool(_DASH_POINT.match(vis)) and not fx.ends_sentence(vis)


def dash_points(items: list[Line | bool], idx: int) -> bool:
    """Is the line a point of a list whose points open with a dash ("— Instant access to ..."
    / "— Local news from ...", haitiantimes' paywall box): a dash, a space, no final
    punctuation, beside another such line? (Not a dialogue's lines: they end sentences.)"""
    return _dash_point(items[idx]) and (
        (idx > 0 and _dash_point(items[idx - 1])) or _dash_point(next_line(items, idx))
    )


def next_line(items: list[Line | bool], idx: int) -> Line | bool | None:
    return items[idx + 1] if idx + 1 < len(items) else None


def standalone(
    fresh: bool, before: str, line: str, after: Line | bool | None, source: str | None = None
) -> bool:
    """Is this line of a multi-line paragraph a unit of its own? Yes when it starts fresh
    (no prose run open, or the line before ended a sentence or ended here) and the next line
    does not continue it (there is none, or the break after this line is a boundary). Text
    extractions put one paragraph per line with no blank line between: a headline there is
    a line like any other."""
    if not fresh and not (fx.ends_sentence(before) or line_boundary(before, line, source)):
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
        or TABLE_ROW.match(nxt)
        or line_boundary(line, nxt, source)
        or special_kind(nxt)  # a headline over a media link, a credit, a byline
    )


_GLUED_CREDIT = re.compile(r"[.!?”’\")](Credit(?:\.\.\.|…)\S)")


def caption_credit(vis: str) -> tuple[int, int] | None:
    """(end of the caption, start of the credit) when a line is a short caption whose last
    sentence is a photo credit."""
    if len(vis) > 400:
        return None
    # the New York Times' "... 80 percent of California.Credit...Rich Pedroncelli/Associated
    # Press": the credit glued to the caption's full stop, no space for the splitter
    glued = _GLUED_CREDIT.search(vis)
    if glued and is_credit(vis[glued.start(1) :]):
        return glued.start(1), glued.start(1)
    # the last sentence, roughly: spare the splitter when it cannot be a credit
    cut = max(vis.rfind(". "), vis.rfind("? "), vis.rfind("! "), vis.rfind("。"))
    if cut < 0:
        return None
    rough = vis[cut + 1 :].strip()
    if not (is_credit(rough) or paren_credit(rough)):
        return None
    spans = split_sentences(vis)
    if len(spans) < 2 or len(spans) > 3:
        return None
    tail = vis[spans[-1][0] : spans[-1][1]]
    if not (is_credit(tail) or paren_credit(tail)):
        return None
    return spans[-2][1], spans[-1][0]


# a link to another story, with at most a short label before it ("AVOIDING CONTACT: [The
# rules on self-isolation](...)") or its date after it ("[Gavin's Choice ...](...) - October
# 10, 2020")
_TEASER_LINK = re.compile(
    r"(?:[-*+•]\s+)?(?:[A-Z][A-Z0-9 '’&-]{1,30}:\s+)?\[([^\[\]\n]{1,160})\]\([^()\s]*\)"
    r"(?:\s*[-–—|]\s*" + DATE_CORE + r")?",
    re.IGNORECASE,
)


AUTHOR_PAGE = re.compile(
    r"\]\([^()\s]*/(?:author|authors|reporter|reporters|people|profile|staff|writers?|"
    r"journalists?|byline)/[^()\s]*\)$"
)


def link_only(raw: str) -> bool:
    """A line that is one markdown link and nothing else, to a headline-like text."""
    if "](" not in raw:
        return False  # no link at all
    m = _TEASER_LINK.fullmatch(raw.strip())
    return m is not None and not fx.ends_sentence(m.group(1)) and words(m.group(1)) >= 1
