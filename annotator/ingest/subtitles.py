"""Subtitles pasted as text: SRT (a cue number, `00:00:01,000 --> 00:00:04,000`, the cue's
lines, a blank line) and WebVTT (a `WEBVTT` header, `00:01.000 --> 00:04.000 align:start`,
NOTE and STYLE blocks, cue identifiers).

The numbers, identifiers, timings, the header and the notes are the format's machinery: left
out of the cleaned text (counted as removed furniture, as a running header is; the offset
map still points into the file). The cue texts are the body: a cue's lines are one line of
speech wrapped for the screen, and a sentence that goes on in the next cue ("Tonight we will
vote on the budget" / "approved last week.") is joined to it with a space, so the splitter
sees the sentence whole; a cue that ends a sentence ends its paragraph (where the splitter
ends one: "... Mr." / "Smith said" goes on). Captions without punctuation (fewer than one
cue in four ends a sentence: a machine's) are read a cue at a time. A dialogue dash
opening a line ("- Is it closing?") and the cue's own markup (`<i>`, `<v Reporter>`,
`{\\an8}`) are not text; a cue that only describes a sound ("[applause]", "♪ ... ♪") is
furniture.

A text is read so when it holds two timing lines at least and most of its paragraphs are
cues: asked only of a text that holds "-->".
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.ingest import furniture as fx
from annotator.ingest.layout_assembly import Assembler, Segment, trim
from annotator.ingest.layout_inline import Link
from annotator.ingest.lazy_re import rx
from annotator.ingest.sentences import split_sentences
from annotator.ingest.textmap import OffsetMap

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
TIMING = rf"[ \t]*{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t][^\n]*)?$"
_TIMING_LINE = rf"(?m)^[ \t]*{_TIME}[ \t]+-->[ \t]+{_TIME}"
# a block of the WebVTT format that is not a cue
_VTT_BLOCK = r"(?:WEBVTT|NOTE|STYLE|REGION)(?:[ \t]|$)"
# a cue's markup: WebVTT's and SRT's tags (<i>, <v Name>, <c.yellow>, <00:00:05.000>) and
# SubStation's position codes that SRT files carry ({\an8})
_MARKUP = r"<[^<>\n]*>|\{\\[^{}\n]*\}"
_DIALOGUE_DASH = r"[-‐–—][ \t]+"
_SOUND = r"[\[(♪♫].*[\])♪♫]|♪.*"


@dataclass
class Cue:
    lines: list[tuple[int, int]]  # its text lines (trimmed spans)
    timed: bool  # a cue (False: a paragraph of text among them)


def may_be_subtitles(text: str, start: int) -> bool:
    # (">" first: one character is found fastest, and most texts have none)
    return ">" in text and text.find("-->", start) >= 0


def subtitle_cues(text: str, start: int) -> tuple[list[Cue], int] | None:
    """The cues of text[start:] and how many lines of machinery they leave out, or None when
    the text is not subtitles."""
    first = rx(_TIMING_LINE).search(text, start)
    if first is None or rx(_TIMING_LINE).search(text, first.end()) is None:
        return None
    blocks: list[list[tuple[int, int]]] = [[]]
    pos = start
    n = len(text)
    while pos <= n:
        stop = text.find("\n", pos)
        stop = n if stop < 0 else stop
        a, b = trim(text, pos, stop)
        if b > a:
            blocks[-1].append((a, b))
        elif blocks[-1]:
            blocks.append([])
        pos = stop + 1
    cues: list[Cue] = []
    removed = 0
    timed = 0
    for block in blocks:
        if not block:
            continue
        at = next((i for i, (a, b) in enumerate(block) if rx(TIMING).match(text, a, b)), -1)
        if at >= 0:
            timed += 1
            removed += at + 1  # its number or identifier, and its timing
            cues.append(Cue(block[at + 1 :], True))
        elif rx(_VTT_BLOCK).match(text, block[0][0], block[0][1]):
            removed += len(block)
        else:
            cues.append(Cue(block, False))
    if timed < 2 or timed < len(cues) - timed:
        return None
    return cues, removed


def subtitle_segments(source: str, cues: list[Cue]) -> tuple[str, OffsetMap, list[Segment]]:
    """The cleaned text of subtitles and its segments: the cue texts as prose, a sentence
    running over cues joined."""
    asm = Assembler(source)
    run_start: int | None = None
    links: list[Link] = []
    ended = True  # the previous cue ended a sentence (or there is none)

    def close_run() -> None:
        nonlocal run_start, links
        if run_start is not None:
            asm.add_run(run_start, len(asm.b), links)
        run_start, links = None, []

    shown = [[_shown(source, a, b) for a, b in cue.lines] for cue in cues]
    said = [" ".join(s for s in lines if s) for lines in shown]
    # captions without punctuation (a machine's): a cue is a unit, nothing to join by
    timed = [t for t, cue in zip(said, cues, strict=True) if cue.timed and t]
    joins = 4 * sum(fx.ends_sentence(t) for t in timed) >= len(timed)
    before = ""
    for cue, lines, text in zip(cues, shown, said, strict=True):
        if not text:
            continue
        sound = cue.timed and rx(_SOUND).fullmatch(text) is not None
        if ended and before and not sound and joins:
            # "... Mr." / "Smith said": the splitter says whether the sentence ended
            ended = _ends_at(before, text)
        if run_start is None or ended or sound or not cue.timed or not joins:
            close_run()
            if len(asm.b):
                asm.b.insert("\n\n", cue.lines[0][0])
            asm.paragraph += 1
            if not sound:
                run_start = len(asm.b)
        else:
            asm.b.insert(" ", cue.lines[0][0])
        begin = len(asm.b)
        put = False
        for (a, b), line in zip(cue.lines, lines, strict=True):
            if not line:
                continue
            if put:
                asm.b.insert(" ", a)
            links += _copy(asm, a, b)
            put = True
        if sound:
            asm.add(begin, len(asm.b), "furniture", [])
            ended, before = True, ""
        else:
            ended, before = fx.ends_sentence(text), text
    close_run()
    return asm.finish()


def _ends_at(before: str, after: str) -> bool:
    """Does the splitter end a sentence between two cues' texts?"""
    return any(e == len(before) for _s, e in split_sentences(before + " " + after))


def _text_pieces(source: str, a: int, b: int) -> list[tuple[int, int]]:
    """The spans of the line source[a:b] that are text: without a dialogue dash opening it
    and without the cue's markup."""
    dash = rx(_DIALOGUE_DASH).match(source, a, b)
    if dash:
        a = dash.end()
    out: list[tuple[int, int]] = []
    pos = a
    if source.find("<", a, b) >= 0 or source.find("{", a, b) >= 0:
        for m in rx(_MARKUP).finditer(source, a, b):
            if m.start() > pos:
                out.append((pos, m.start()))
            pos = m.end()
    if b > pos:
        out.append((pos, b))
    return out


def _shown(source: str, a: int, b: int) -> str:
    return "".join(source[x:y] for x, y in _text_pieces(source, a, b)).strip()


def _copy(asm: Assembler, a: int, b: int) -> list[Link]:
    """Copy the text of a cue's line (links and entities read as in prose)."""
    links: list[Link] = []
    for x, y in _text_pieces(asm.source, a, b):
        links += asm.copy_inline(x, y)[2]
    return links
