"""Suggestions from what the importer already knows: the segment's kind.

Bylines, image credits, bare media links, the signature lines of embedded posts and every
kind of page furniture are BOILERPLATE by the guidelines. So is a subscription or newsletter
pitch that ends the article: the importer marks its heading or button as furniture but the
pitch's own paragraphs and bullet points read as prose, so the block from the pitch's
heading to the end of the article is suggested as a whole. The rules key on kinds (which
the segmenter decides) plus one pattern for the pitch's first line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.models.suggestions import IMPORTER, Suggestion

VERSION = "1"
"""Bumped when the rules below change: stored suggestions of an older version are
recomputed (suggestion_sources)."""

BOILERPLATE = "BOILERPLATE"
BOILERPLATE_KINDS = frozenset({"byline", "credit", "media", "embed", "furniture"})
KIND_SCORE = 0.95
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
        if s.kind in BOILERPLATE_KINDS:
            out[s.sentence_id] = Suggestion(
                s.sentence_id, BOILERPLATE, IMPORTER, VERSION, KIND_SCORE, f"kind: {s.kind}"
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
