"""The splitter's scan for bullets and terminator candidates (sentences._events) finds what
the one-pattern scan it replaced found: that pattern, kept here, is the reference."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.ingest import sentences
from annotator.ingest.sentences import _B, _CLOSERS, split_sentences

# the splitter's scan until it searched the cluster first (same events, one pattern)
_REFERENCE = re.compile(
    rf"(?P<bullet>(?<=\s)(?=[{_B}]))"
    rf"|(?<!\S)(?P<tok>\S*?)(?<![.!?…‽])"
    rf"(?P<cl>[.!?…‽]++(?:[ \u00a0][.…]++)*)"
    rf"(?P<cq>[{re.escape(_CLOSERS)}]*)(?=\s|\Z)"
)

Event = tuple[int, int, int, int, str | None]


def reference(text: str, start: int, end: int) -> list[Event]:
    out: list[Event] = []
    for m in _REFERENCE.finditer(text, start, end):
        if m.group("tok") is None:
            out.append((m.start(), m.start(), m.start(), m.start(), None))
        else:
            out.append((m.start(), m.start("cl"), m.end("cl"), m.end(), m.group("tok")))
    return out


def ours(text: str, start: int, end: int) -> list[Event]:
    out: list[Event] = []
    for pos, m in sentences._events(text, start, end):
        if m is None:
            out.append((pos, pos, pos, pos, None))
        else:
            out.append((pos, m.start("cl"), m.end("cl"), m.end(), text[pos : m.start()]))
    return out


# the characters the scan decides on, whitespace of several kinds, letters and digits
_ALPHABET = ".!?…‽ \u00a0\n\t\x1e\u2028" + _CLOSERS + "•◦-([“‘«aZ3é中。"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.integers(0, 5), st.integers(0, 5))
def test_events_are_the_one_pattern_scan_s(text: str, lead: int, trail: int) -> None:
    start = min(lead, len(text))
    end = max(start, len(text) - trail)
    if start > 0 and not text[start - 1].isspace():
        start = 0  # _split is never asked to scan from inside a token
    assert ours(text, start, end) == reference(text, start, end)


def test_events_on_the_cases_that_decide() -> None:
    cases = [
        "• He left. • She stayed… “Why?” he asked.",
        "x. . .y. z",
        "compounds. . . . The practice",
        "a.b. c!? d… e [...] f",
        "“disinformation.” Next",
        "U.S.-led 3.5 t.co. End.",
        "  •Hello. ◦There!",
        "word.\u00a0. Next",
    ]
    for text in cases:
        assert ours(text, 0, len(text)) == reference(text, 0, len(text)), text


def test_split_gives_what_it_gave_before_the_scan_changed() -> None:
    # outputs of the splitter before the change, bullets and list markers among candidates
    cases = {
        "• He left. • She stayed… Then “Why?” Smith asked. 1. One 2. Two": [
            "• He left.",
            "• She stayed…",
            "Then “Why?” Smith asked.",
            "1. One 2.",
            "Two",
        ],
        "1. One 2. Two. • x. Done": ["1. One", "2. Two.", "• x. Done"],
    }
    for text, expected in cases.items():
        assert [text[s:e] for s, e in split_sentences(text)] == expected
