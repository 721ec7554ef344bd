"""The shortcuts of the layout pass's fifth speed round give the answers of the route they
spare: the splitter's answer for a block that holds no character a sentence can break at,
the segments and links built without the frozen dataclass's own __init__, and the look for
other line ends by str.find. Each is compared with the plain route on every line of the news
corpus and on strings made to sit on its edges; the whole pass is pinned by
tests/test_layout_fingerprint.py."""

from __future__ import annotations

import dataclasses
import pickle
import random
import re
import unicodedata

import pytest

from annotator.ingest import emphasis, line_ends, page_repeats, script_stops, sentences
from annotator.ingest import layout_inline as li
from annotator.ingest import layout_lines as ll
from annotator.ingest.layout_assembly import Segment
from annotator.ingest.layout_inline import Link
from annotator.ingest.layout_lines import BLANK, Line
from annotator.ingest.sentences import split_sentences
from annotator.ingest.source_lines import source_lines
from tests.conftest import SHARED
from tests.test_layout_fast_paths import corpus_lines

CORPUS = SHARED / "news_corpus"


def reference_split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """split_sentences as it was before the shortcut: every block through _split."""
    start, end, _ = slice(start, end).indices(len(text))
    if start >= end:
        return []
    rare = sentences._RARE.search(text, start, end)
    if start > 0 and not text[start - 1].isspace() and not text[start].isspace():
        block = text[start:end]
        spans = [
            (s + start, e + start)
            for s, e in sentences._split(block, 0, len(block), rare is not None)
        ]
    else:
        spans = sentences._split(text, start, end, rare is not None)
    if rare is not None and script_stops.CJK_END.search(text, rare.start(), end):
        spans = script_stops.cjk_split(text, spans)
    return spans


# blocks on the shortcut's edges: no break character at all, or exactly one of each kind
SPLIT_EDGES = [
    "",
    " ",
    "\u00a0\u2003\t\n",
    "Environnement",
    "  Six Sixers takeaways after six games  ",
    "Photo: Jonathan Nackstrand/AFP",
    "1) the first item 2) the second item",
    "a) one b) two",
    "1. one 2. two",
    "(Matt Stone/Boston Herald) The next",
    "Why? Because",
    "Stop! Go",
    "He paused… Then",
    "What‽ Really",
    "• one • two",
    "one ⁃ two ▪ three ◦ four ‣ five",
    "新华社记者 才扬 摄。下一句",
    "हिंदी वाक्य। दूसरा वाक्य",
    "جملة۔ جملة؟ أخرى",
    "“Quoted” and «guillemets» and ‘single’ without a stop",
    "A line\nover two lines\nwithout a stop",
    "\u200bzero width\u200b",
]


def blocks() -> list[tuple[str, int, int | None]]:
    """Each edge and corpus line whole, and cut at seeded random places (a block inside a
    token included: split_sentences reads it apart from what surrounds it)."""
    rng = random.Random(5)
    out: list[tuple[str, int, int | None]] = []
    for text in SPLIT_EDGES + corpus_lines():
        out.append((text, 0, None))
        if len(text) > 2:
            a = rng.randrange(len(text))
            b = rng.randrange(a, len(text) + 1)
            out += [(text, a, b), (text, a, None), (text, -b, None)]
    return out


def test_a_block_without_a_break_character_splits_as_the_full_route_splits_it() -> None:
    checked = spared = 0
    for text, start, end in blocks():
        got = split_sentences(text, start, end)
        assert got == reference_split(text, start, end), (text, start, end)
        s, e, _ = slice(start, end).indices(len(text))
        spared += s < e and sentences._MAY_SPLIT.search(text, s, e) is None
        checked += 1
    # the corpus gives the shortcut work, and the full route too
    assert spared > 1000 and checked - spared > 1000


def characters() -> list[str]:
    """Every character below U+3100 and every punctuation mark, symbol, separator and
    format character above it (where sentence ends and bullets live), the rest sampled."""
    rng = random.Random(5)
    out = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        cat = unicodedata.category(c)
        if code < 0x3100 or cat[0] in "PSZ" or cat == "Cf" or rng.random() < 0.002:
            out.append(c)
    return out


def test_every_character_that_can_end_a_sentence_is_a_break_character() -> None:
    # a character missing from _MAY_SPLIT would make a two-sentence block one: between two
    # sentences, each character is tried as the break
    for c in characters():
        if sentences._MAY_SPLIT.match(c):
            continue
        for text in (f"It rained{c} Then it stopped", f"It rained{c}Then it stopped"):
            assert split_sentences(text) == reference_split(text), repr(c)
        if c.isalnum() or c.isspace():
            continue
        # as an inline list's marker and as a bullet's place
        text = f"1{c} the first item 2{c} the second item"
        assert split_sentences(text) == reference_split(text), repr(c)


def test_segments_and_links_are_the_frozen_dataclasses_they_were() -> None:
    # the dataclass the decorator would have made, with its own __init__, as the reference
    @dataclasses.dataclass(frozen=True)
    class Plain:
        start: int
        end: int
        kind: str
        paragraph: int
        links: tuple[Link, ...] = ()

    link = Link(3, 7, "https://x.org/a")
    assert vars(link) == {"start": 3, "end": 7, "url": "https://x.org/a"}
    assert link == Link(start=3, end=7, url="https://x.org/a")
    assert hash(link) == hash(Link(3, 7, "https://x.org/a")) and link != Link(3, 7, "b")
    cases: list[tuple[int, int, str, int] | tuple[int, int, str, int, tuple[Link, ...]]]
    cases = [(0, 5, "body", 2), (0, 5, "body", 2, (link,))]
    for args in cases:
        seg, plain = Segment(*args), Plain(*args)
        assert list(vars(seg).items()) == list(vars(plain).items())
        assert repr(seg) == "Segment(" + repr(plain).split("(", 1)[1]
        assert hash(seg) == hash(Segment(*args)) and seg == Segment(*args)
        assert seg != Segment(0, 5, "heading", 2) and seg.links == plain.links
        again = pickle.loads(pickle.dumps(seg))
        assert again == seg and list(vars(again).items()) == list(vars(seg).items())
        changed = dataclasses.replace(seg, kind="furniture")
        assert vars(changed) == vars(dataclasses.replace(plain, kind="furniture"))
        with pytest.raises(dataclasses.FrozenInstanceError):
            seg.kind = "title"  # type: ignore[misc]
    assert Segment(start=1, end=2, kind="body", paragraph=0) == Segment(1, 2, "body", 0, ())
    with pytest.raises(TypeError):
        Segment(1, 2, "body")  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.url = "y"  # type: ignore[misc]


def test_other_line_ends_are_found_as_the_pattern_finds_them() -> None:
    pattern = re.compile("[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
    rng = random.Random(5)
    for c in characters():
        text = f"a line{c}and “another”"
        for start in (0, 6, 7):
            expected = pattern.search(text, start) is not None
            assert line_ends.has_other_ends(text, start) is expected, (hex(ord(c)), start)
    for line in corpus_lines()[:3000]:
        start = rng.randrange(len(line) + 1)
        assert line_ends.has_other_ends(line, start) is (pattern.search(line, start) is not None)
    assert line_ends.with_line_feeds("a\u2028b\r\nc\rd", 0) == "a\nb\r\nc\nd"


def test_marker_runs_are_found_as_the_plain_pattern_finds_them() -> None:
    plain = re.compile(r"\*+|_+")
    rng = random.Random(5)
    texts = ["", "*", "_", "**_*__", "a*b**c_d__e", "*_*_", "x***", "___y", "\\**bold**"]
    texts += [line for line in corpus_lines() if "*" in line or "_" in line]
    assert len(texts) > 500
    for text in texts:
        for a, b in _spans(text, rng):
            got = [m.span() for m in emphasis._RUN.finditer(text, a, b)]
            assert got == [m.span() for m in plain.finditer(text, a, b)], (text, a, b)


def test_a_text_without_bullets_or_script_stops_spares_each_block_the_search() -> None:
    # blocks of one text in turn, as the layout splits an article's runs, and of texts that
    # alternate: the text remembered must be the one asked about
    plain = "It rained. Then it stopped. The end"
    bullet_before = "• a point. It rained. Then it stopped"
    bullet_inside = "It rained. • a point. Then it stopped"
    cjk = "第一句。第二句。 It rained. Then"
    texts = [plain, bullet_before, bullet_inside, cjk, plain + " • x", "x. ▪ y. z"]
    texts += [line for line in corpus_lines() if len(line) > 20][:4000]
    rng = random.Random(5)
    for _ in range(3):
        rng.shuffle(texts)
        for text in texts:
            for _ in range(2):
                a = rng.randrange(1, len(text))
                b = rng.randrange(a, len(text) + 1)
                assert split_sentences(text, a, b) == reference_split(text, a, b), (text, a, b)
                held = sentences._RARE.search(text, a, b) is not None
                assert sentences._may_hold_rare(text, a, b) or not held


REPEATS = [
    "",
    " ",
    ".",
    "By Jane Doe",
    "BY JANE  DOE",
    "By Jane Doe.",
    "- Home",
    "Page 1 of 5",
    "Downloaded from https://journals.example.org on 2026-03-04   1",
    "Downloaded from https://journals.example.org on 2026-03-04   2",
    "12 Advertisement",
    "Advertisement 13",
    "Is this a question?",
    "x" * 160,
    "x" * 161,
    "one two three four five six seven eight nine ten eleven twelve thirteen",
]


def reference_repeated(lines: list[Line]) -> set[str]:
    """The repeated keys as group_blocks found them before: every line tested in full."""
    counts: dict[str, int] = {}
    for ln in lines:
        if ln is not BLANK and ln.end > ln.start and page_repeats.repeatable_furniture(ln.visible):
            key = page_repeats.normalise_line(ln.visible)
            counts[key] = counts.get(key, 0) + 1
    return {k for k, c in counts.items() if c >= 2}


def test_repeated_furniture_is_keyed_as_when_every_line_was_tested() -> None:
    pool = REPEATS + [line for line in corpus_lines() if line.strip()]
    for line in pool:
        # the first test is a necessary condition of the whole one
        assert page_repeats.may_repeat(line) or not page_repeats.repeatable_furniture(line)
    rng = random.Random(5)
    folders = ("txt", "md", "crude")
    pages = [p.read_text(encoding="utf-8") for f in folders for p in sorted((CORPUS / f).iterdir())]
    # pages of lines drawn from the pool, repeats among them, and the corpus pages
    pages += ["\n".join(rng.choice(pool) for _ in range(rng.randrange(60))) for _ in range(400)]
    found = 0
    for page in pages:
        lines = source_lines(page, 0)
        repeated, keys = ll.repeated_keys(lines)
        assert repeated == reference_repeated(lines)
        assert all(
            keys[id(ln)] == page_repeats.normalise_line(ln.visible)
            for ln in lines
            if id(ln) in keys
        )
        found += bool(repeated)
    assert found > 50


def test_markdown_links_are_found_as_the_pattern_opening_with_a_look_behind_found_them() -> None:
    # the pattern as it was: "(?<!\\)!?\[" opening, the rest the same
    rest = li.MD_LINK.pattern.split("))", 1)[1]
    plain = re.compile(r"(?<!\\)!?\[" + rest)
    edges = [
        "[a](b)",
        "![a](b)",
        "!![a](b)",
        "\\[a](b)",
        "\\![a](b)",
        "x\\\\[a](b)",
        "!\\[a](b)",
        "[![i](s.jpg)](h) and [t](u)",
        '[a [b] c](u) [d]( e ) [\\[x\\]](y "t") [[a](b)',
        "![alt\nover lines](img.jpg) [text\n\n\n](/story/)",
    ]
    rng = random.Random(5)
    texts = edges + [line for line in corpus_lines() if "[" in line]
    assert len(texts) > 500
    for text in texts:
        for a, b in _spans(text, rng):
            got = [(m.span(), m.groups()) for m in li.MD_LINK.finditer(text, a, b)]
            assert got == [(m.span(), m.groups()) for m in plain.finditer(text, a, b)], text


def _spans(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """The whole text and three random stretches of it, where a search may start and end."""
    spans = [(0, len(text))]
    for _ in range(3):
        a, b = sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)))
        spans.append((a, b))
    return spans
