"""Suggestions from what the importer already knows: the segment's kind.

Bylines, image credits, bare media links, the signature lines of embedded posts and every
kind of page furniture are BOILERPLATE by the guidelines; so are the rows of a table the
page carries along (less surely: a data table of the reporting is not). So is a
subscription or newsletter pitch that ends the article: the importer marks its heading or
button as furniture but the pitch's own paragraphs and bullet points read as prose, so the
block from the pitch's heading to the end of the article is suggested as a whole. The rules
key on kinds (which the segmenter decides) plus one pattern for the pitch's first line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.models.suggestions import IMPORTER, Suggestion

VERSION = "2"
"""Bumped when the rules below change: stored suggestions of an older version are
recomputed (suggestion_sources)."""

BOILERPLATE = "BOILERPLATE"
BOILERPLATE_KINDS = frozenset({"byline", "credit", "media", "embed", "furniture"})
KIND_SCORE = 0.95
TABLE_SCORE = 0.6
"""Table rows: BOILERPLATE when the page carries the table along (a sidebar of contacts,
prices, fixtures), not when the article presents it as part of its reporting (guidelines,
BOILERPLATE: "Tables"); the importer cannot tell which, so it suggests them less surely,
still shown (and taken by `B`), for the annotator to check that the table is furniture.
A static site's code block (kind `code`) is suggested the same way: a snippet the page
carries (an embed's markup, a config file) is not a sentence to label, a listing the article
discusses may be part of its reporting. (VERSION stays: a stored sentence keeps the kind it
was imported with, so no stored suggestion would change.)"""
# the kinds suggested at TABLE_SCORE
DATA_KINDS = frozenset({"table", "code"})
PITCH_SCORE = 0.85
# a pitch is short: a trailing block longer than this is more likely part of the article
PITCH_MAX_SEGMENTS = 40
PITCH_START_KINDS = frozenset({"heading", "furniture"})
PITCH = re.compile(
    r"^\W*(?:subscribe|sign up|get (?:our|the) .{0,40}newsletter|newsletter|support (?:us|our)|"
    r"donate|become a (?:member|subscriber|supporter)|join (?:us|our)|already a subscriber)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """What the importer's rules read of one sentence."""

    sentence_id: int
    kind: str
    text: str


def suggest(segments: Sequence[Segment]) -> list[Suggestion]:
    """BOILERPLATE suggestions for one article's segments (in reading order)."""
    out: dict[int, Suggestion] = {}
    for s in segments:
        if s.kind in BOILERPLATE_KINDS or s.kind in DATA_KINDS:
            score = TABLE_SCORE if s.kind in DATA_KINDS else KIND_SCORE
            out[s.sentence_id] = Suggestion(
                s.sentence_id, BOILERPLATE, IMPORTER, VERSION, score, f"kind: {s.kind}"
            )
    start = _pitch_start(segments)
    if start is not None:
        head = segments[start]
        cue = f"pitch: {head.text[:60]}"
        for s in segments[start:]:
            if s.sentence_id not in out:
                out[s.sentence_id] = Suggestion(
                    s.sentence_id, BOILERPLATE, IMPORTER, VERSION, PITCH_SCORE, cue
                )
    return [out[s.sentence_id] for s in segments if s.sentence_id in out]


def _pitch_start(segments: Sequence[Segment]) -> int | None:
    """Where a pitch that runs to the end of the article begins (its heading or button)."""
    lo = max(1, len(segments) - PITCH_MAX_SEGMENTS)  # never the title
    for i in range(lo, len(segments)):
        s = segments[i]
        if s.kind in PITCH_START_KINDS and PITCH.match(s.text):
            return i
    return None
