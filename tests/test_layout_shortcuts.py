"""The shortcuts of the layout pass's fourth speed round give the answers of the plain route
they spare: a pattern tried only where a line's first character can open it, and the rules
over neighbouring segments (neighbours.py) walking from one furniture segment to the next
instead of over every segment. Each is compared with the plain route on every line of the
news corpus and on lines or sequences made to sit on its edges; the whole pass is pinned by
tests/test_layout_fingerprint.py."""

from __future__ import annotations

import random

from annotator.ingest import bylines
from annotator.ingest import furniture as fx
from annotator.ingest import layout_kinds as lk
from annotator.ingest import layout_lines as ll
from annotator.ingest import layout_segments as ls
from annotator.ingest import neighbours as nb
from annotator.ingest.layout import KINDS, layout
from annotator.ingest.name_lines import EMAIL
from tests.conftest import SHARED
from tests.test_layout_fast_paths import corpus_lines

CORPUS = SHARED / "news_corpus"


HOSTILE = [
    "",
    " ",
    "- item",
    "-item",
    "1. item",
    "١. an Arabic-Indic digit",
    "१) a Devanagari digit",
    "² superscript two is not a decimal digit",
    "a) item",
    "A) item",
    "ä) item",
    "• item",
    "▪ item",
    "# Heading",
    "#Heading",
    "| a | b |",
    "|a",
    "---",
    "- - -",
    "• • •",
    "·  ·  ·",
    "=~_",
    "***",
    "*** bold?",
]
LINES = HOSTILE + corpus_lines()


def every_character() -> list[str]:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_a_list_item_opens_only_with_a_character_that_may_open_one() -> None:
    for c in every_character():
        opens = bool(fx.LIST_ITEM.match(c + " x") or fx.LIST_ITEM.match(c + ") x"))
        assert fx.may_open_list_item(c) == opens, hex(ord(c))
    assert not fx.may_open_list_item("")
    for line in LINES:
        plain = fx.LIST_ITEM.match(line)
        guarded = fx.LIST_ITEM.match(line) if fx.may_open_list_item(line[:1]) else None
        assert (guarded and guarded.span()) == (plain and plain.span()), line


def test_a_separator_opens_only_with_one_of_its_characters() -> None:
    for c in every_character():
        assert bool(fx.SEPARATOR.match(c * 3)) == (c in ll._SEPARATOR_OPENERS), hex(ord(c))
    for line in LINES:
        guarded = line[:1] in ll._SEPARATOR_OPENERS and bool(fx.SEPARATOR.match(line))
        assert guarded == bool(fx.SEPARATOR.match(line)), line


def test_headings_and_table_rows_open_with_their_mark() -> None:
    for c in every_character():
        if fx.MARKDOWN_HEADING.match(c + " x"):
            assert c == "#", hex(ord(c))
        if lk.TABLE_ROW.match(c + "x|"):
            assert c == "|", hex(ord(c))
    for line in LINES:
        if fx.MARKDOWN_HEADING.match(line):
            assert line[:1] == "#", line
        if lk.TABLE_ROW.match(line):
            assert line[:1] == "|", line


def test_a_line_spared_the_credit_search_has_no_credit_closing_it() -> None:
    hostile = [
        "A caption. Photo: AFP",
        "A caption. Photo: AFP.",
        "A caption. (Matt Stone/Boston Herald)",
        "A caption. (Matt Stone/Boston Herald).",
        "A caption.Credit...Rich Pedroncelli/Associated Press",
        "A caption.Credit...Rich Pedroncelli/Associated Press.",
        "A caption. Photos: Donavan McIntosh/Tribune Staff  ",
        "A caption。新华社记者 才扬 摄",
        "A caption。新华社记者 才扬 摄。",
        "A caption. Getty Images,",
        "A caption. Getty Images:",
        "Ends here.",
        "。",
        ". ",
    ]
    for line in hostile + LINES:
        if not ls.may_end_in_credit(line):
            assert lk.caption_credit(line) is None, line
    ll.forget()


# -- the neighbour rules as they were written: every segment visited in turn --


def plain_list_entries(kinds: list[str], texts: list[str]) -> None:
    n = len(kinds)
    for i in range(1, n - 1):
        if kinds[i - 1] != "furniture" or kinds[i] != "body":
            continue
        for j in (i, i + 1):
            if j + 1 >= n or kinds[j] != "body":
                break
            if kinds[j + 1] != "furniture":
                continue
            run = range(i, j + 1)
            if sum(len(texts[r]) for r in run) <= nb._ENTRY and not fx.ends_sentence(texts[j]):
                for r in run:
                    kinds[r] = "furniture"
            break


def plain_references(kinds: list[str], texts: list[str]) -> None:
    n = len(kinds)
    for i in range(n):
        if kinds[i] != "furniture" or not nb._MORE_INFO.match(texts[i]):
            continue
        for j in range(i + 1, min(n, i + 2 + nb._REFERENCE)):
            if kinds[j] == "furniture" and nb._DOI.match(texts[j]):
                for r in range(i + 1, j):
                    if kinds[r] == "body":
                        kinds[r] = "furniture"
                break


def plain_tags(kinds: list[str], texts: list[str]) -> None:
    for i in range(1, len(kinds)):
        t = texts[i].strip()
        if (
            kinds[i] == "body"
            and kinds[i - 1] == "furniture"
            and nb._TAG_LABEL.match(texts[i - 1].strip())
            and len(t) <= 200
            and not fx.ends_sentence(t)
        ):
            kinds[i] = "furniture"


def plain_items(kinds: list[str], texts: list[str]) -> None:
    for i, (k, t) in enumerate(zip(kinds, texts, strict=True)):
        if k not in ("list_item", "heading") or len(t) > 160:
            continue
        # a button in brackets; a number alone
        if (
            ll.is_furniture(t.strip("[] "))
            or not any(c.isalpha() for c in t)
            or (k == "heading" and i + 1 < len(kinds) and nb._GALLERY.match(texts[i + 1]))
        ):
            kinds[i] = "furniture"
        elif k == "list_item" and bylines.is_byline_line(t):
            kinds[i] = "furniture" if EMAIL.match(t.strip().lstrip("_")) else "byline"


def plain_paywall(kinds: list[str], texts: list[str]) -> None:
    n = len(kinds)
    for i in range(n):
        if kinds[i] != "furniture" or not nb._PAYWALL.match(texts[i]):
            continue
        window = range(i + 1, min(n, i + 1 + nb._PAYWALL_BOX))
        calls = [j for j in window if nb._is_call(kinds[j], texts[j])]
        end = calls[-1] if calls else (n - 1 if n - 1 - i <= nb._PAYWALL_BOX else i)
        for j in range(i + 1, end):
            if kinds[j] in nb._PROSE:
                kinds[j] = "furniture"
        return


def plain_pitches(kinds: list[str], texts: list[str]) -> None:
    n = len(kinds)
    if "furniture" not in kinds:
        return
    i = 0
    while i < n:
        if kinds[i] != "furniture":
            i += 1
            continue
        j = i + 1
        while j < n and kinds[j] in nb._PROSE:
            j += 1
        run = range(i + 1, j)
        if not (0 < len(run) <= nb._SANDWICH and j < n and kinds[j] == "furniture"):
            i = j
            continue
        call_i, call_j = nb._is_call(kinds[i], texts[i]), nb._is_call(kinds[j], texts[j])
        both = call_i and call_j
        if (call_i or call_j) and 2 * sum(
            nb._speaks_pitch(texts[r], reader_too=both) for r in run
        ) > len(run):
            for r in run:
                kinds[r] = "furniture"
        i = j
    for i in range(n):
        if kinds[i] != "furniture" or not nb._CALL.search(texts[i]):
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < n and abs(j - i) <= nb._BESIDE and kinds[j] == "body":
                if not nb._speaks_pitch(texts[j], reader_too=False):
                    break
                kinds[j] = "furniture"
                j += step


def plain_caption_copies(kinds: list[str], texts: list[str]) -> None:
    for i in range(1, len(kinds)):
        if kinds[i] not in ("body", "heading") or kinds[i - 1] != "media":
            continue
        key = nb._NOT_WORD.sub("", texts[i]).casefold()
        if key and key == nb._NOT_WORD.sub("", texts[i - 1]).casefold():
            kinds[i] = "media"


def plain_strays(kinds: list[str], texts: list[str]) -> None:
    for i, (k, t) in enumerate(zip(kinds, texts, strict=True)):
        if k != "body" or len(t) > 15:
            continue
        s = t.strip()
        if (s.isalpha() and s.islower()) or not any(c.isalnum() for c in s):
            kinds[i] = "furniture"


def plain_menus(kinds: list[str], texts: list[str]) -> None:
    n = len(kinds)
    # each segment's _short, worked out once: the loops below ask it up to nine times of a
    # segment, and only ever turn a heading, body or list item into furniture, which _short
    # takes alike
    short = [nb._short(k, t) for k, t in zip(kinds, texts, strict=True)]
    # one longer entry between two menus ("Ideas and commentary Books, arts and culture"
    # between "Blogs" and "Prospero"): short entries before and after it, furniture among
    # those after, no sentence in it. Body only: a headline (a heading) over a share row
    # stays a heading
    for i in range(nb._MENU_RUN, n - nb._MENU_RUN):
        t = texts[i].strip()
        if (
            kinds[i] == "body"
            and len(t) <= 80
            and not fx.ends_sentence(t)
            and all(short[i - nb._MENU_RUN : i])
            and all(short[i + 1 : i + 1 + nb._MENU_RUN])
            and any(kinds[r] == "furniture" for r in range(i + 1, i + 1 + nb._MENU_RUN))
        ):
            kinds[i] = "furniture"
    i = 0
    while i < n:
        if not short[i]:
            i += 1
            continue
        j = i
        while j < n and short[j]:
            j += 1
        run = range(i, j)
        furniture = sum(kinds[r] == "furniture" for r in run)
        headings = sum(kinds[r] == "heading" for r in run)
        # or between furniture (a byline above it may be a menu entry: "By Invitation")
        bordered = i > 0 and kinds[i - 1] in ("furniture", "byline") and j < n
        bordered = bordered and kinds[j] == "furniture"
        if len(run) >= nb._MENU_RUN and (furniture or headings == len(run) or bordered):
            last = j - 1
            for r in run:
                if kinds[r] == "list_item" and 2 * furniture < len(run):
                    continue  # a list of short items beside one furniture line stays a list
                if r == last and kinds[r] == "heading" and j < n and kinds[j] == "body":
                    continue
                if kinds[r] in ("heading", "body", "list_item"):
                    kinds[r] = "furniture"
        i = j


def plain_short(kinds: list[str], texts: list[str]) -> list[bool]:
    return [nb._short(k, t) for k, t in zip(kinds, texts, strict=True)]


def fast_short(kinds: list[str], texts: list[str]) -> list[bool]:
    """The guard _menus puts before _short, alone."""
    return [
        (len(t) <= 50 or t[:1].isspace() or t[-1:].isspace()) and nb._short(k, t)
        for k, t in zip(kinds, texts, strict=True)
    ]


RULES = [
    (plain_items, nb._items),
    (plain_paywall, nb._paywall),
    (plain_pitches, nb._pitches),
    (plain_tags, nb._tags),
    (plain_references, nb._references),
    (plain_list_entries, nb._list_entries),
    (plain_caption_copies, nb._caption_copies),
    (plain_strays, nb._strays),
    (plain_menus, nb._menus),
]

# texts that set the rules off: calls to action, pitches, a paywall, a reference block, tag
# labels, menu entries, names, addresses, counters
TRIGGERS = [
    "A caption over its copy",
    "A caption — over its copy",
    "from",
    "|",
    "»",
    "Sign up for our newsletter",
    "Subscribe now",
    "You'll get the best stories in your inbox.",
    "Get unlimited digital access.",
    "To view the full story, please subscribe",
    "If you're already a subscriber, you can log in",
    "More information: A paper. Nature (2019).",
    "Proceedings of the National Academy of Sciences(2019).",
    "DOI: 10.1000/182",
    "Tags:",
    "amazon brazil deforestation Wildfire",
    "Home",
    "News",
    "Agriculture",
    "  padded menu entry that is long enough to pass fifty characters  ",
    "ALLY MUTNICK",
    "By",
    "peter.christopher@example.com",
    "- Author Ben Knight",
    "184",
    "[Log in]",
    "Show all 50",
    "Agri.",
    "The council met on Monday.",
    "He said “you will see”.",
]


def random_segments(rng: random.Random, pool: list[str]) -> tuple[list[str], list[str]]:
    n = rng.randrange(0, 40)
    common = ("furniture", "body", "heading", "media", "list_item")
    kinds = [rng.choice(KINDS) if rng.random() < 0.3 else rng.choice(common) for _ in range(n)]
    texts = [rng.choice(TRIGGERS) if rng.random() < 0.6 else rng.choice(pool) for _ in range(n)]
    return kinds, texts


def test_the_neighbour_rules_answer_as_when_every_segment_was_visited() -> None:
    pool = [line for line in corpus_lines() if line.strip()][:3000] + TRIGGERS
    rng = random.Random(13)
    cases = [random_segments(rng, pool) for _ in range(3000)]
    # and the segments of real pages, as the layout hands them over
    pages = sorted(CORPUS.glob("*/*.txt"))[::4] + sorted(CORPUS.glob("*/*.md"))[::4]
    for page in pages:
        lay = layout(page.read_text(encoding="utf-8"))
        segs = lay.segments
        cases.append(([g.kind for g in segs], [lay.text[g.start : g.end] for g in segs]))
    for kinds, texts in cases:
        assert fast_short(kinds, texts) == plain_short(kinds, texts), texts
        for plain, fast in RULES:
            want, got = list(kinds), list(kinds)
            plain(want, texts)
            ll.forget()
            fast(got, texts)
            ll.forget()
            assert got == want, (plain.__name__, kinds, texts)
