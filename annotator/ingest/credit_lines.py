"""Photo credits a scraper broke over lines: found on the segments of an article, after the
lines were typed, where both halves and their neighbours are known.

- "Left Image: National Oceanic and Atmospheric" / (blank line) / "Administration, Right
  Image: Alberto Shiguematsu" (vice bs4): one credit over the break;
- "... 80 percent of California." / "Credit..." / "Rich Pedroncelli/Associated Press" (the
  New York Times through BeautifulSoup): the label and the name are one credit, and the
  line above them is the picture's caption."""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotator.ingest import furniture as fx
from annotator.ingest.word_counts import words

# the rest of a credit that a scraper broke over a blank line: a few words and a comma, then
# the next picture's label ("Administration, Right Image: Alberto Shiguematsu")
_CREDIT_TAIL = re.compile(
    r"[\w’'.&-]+(?:\s+[\w’'.&-]+){0,3},\s*(?:(?:left|right|top|bottom|main|inset)\s+)?"
    r"(?:image|photo|picture|photograph)s?\s*:",
    re.IGNORECASE,
)
# a credit's label alone on its line, its name on the next ("Credit...", "Photo Credit:")
_LABEL = re.compile(r"(?:Photo |Image )?Credit\s*(?:\.\.\.|…|:)")

# the same label alone on a line of the cleaned text
_LABEL_LINE = re.compile(r"(?:Photo |Image )?Credit\s*(?:\.\.\.|…|:)[ \t]*(?:\n|$)")


def has_credit_label(text: str) -> bool:
    """Does a line of the text hold a credit's label and nothing else? (Found by a plain
    search for "Credit": most texts have none.)"""
    at = text.find("Credit")
    while at >= 0:
        if _LABEL_LINE.match(text, text.rfind("\n", 0, at) + 1):
            return True
        at = text.find("Credit", at + 6)
    return False


# (kind, start, end, paragraph) of each segment
Span = tuple[str, int, int, int]


def continues_credit(before: str, after: str) -> bool:
    """Is the credit `after` the rest of the credit `before`, broken over a blank line? The
    first has no final punctuation; the second opens with the first's last words and a comma
    before the next picture's label."""
    return (
        not fx.ends_sentence(before)
        and not before.endswith(",")
        and bool(_CREDIT_TAIL.match(after))
    )


def _name_line(kind: str, seg: str) -> bool:
    """Can this segment be the name under a credit's label: a credit, or a few words with
    no final punctuation ("Rich Pedroncelli/Associated Press", "Jane Doe")?"""
    return kind == "credit" or (
        kind in ("body", "heading", "byline") and words(seg) <= 6 and not fx.ends_sentence(seg)
    )


def credit_plan(text: str, spans: Sequence[Span]) -> list[tuple[int, int, str]] | None:
    """The segments as (first, last, kind): spans[first..last] become one segment of that
    kind. None when no credit is broken (the segments stay as they are)."""
    plan: list[tuple[int, int, str]] = []
    changed = False
    i, n = 0, len(spans)
    while i < n - 1:
        kind, s, e, para = spans[i]
        nk, ns, ne, npara = spans[i + 1]
        # (the cheap tests first: most segments are neither a credit nor a short label)
        broken = kind == "credit" and nk == "credit" and npara == para + 1
        labelled = (
            not broken
            and e - s <= 16
            and npara == para
            and kind in ("body", "heading", "credit")
            and _LABEL.fullmatch(text, s, e) is not None
        )
        if (broken or labelled) and not text[e:ns].strip():
            after = text[ns:ne]
            if broken:
                joined = continues_credit(text[s:e], after)
            else:
                # "Credit..." / "Rich Pedroncelli/Associated Press": the label and the name,
                # one line each in one paragraph
                joined = text.count("\n", e, ns) == 1 and _name_line(nk, after)
                if joined:
                    _caption_above(text, spans, plan, s)
            if joined:
                plan.append((i, i + 1, "credit"))
                changed = True
                i += 2
                continue
        plan.append((i, i, kind))
        i += 1
    if i == n - 1:
        plan.append((i, i, spans[i][0]))
    return plan if changed else None


def _caption_above(
    text: str, spans: Sequence[Span], plan: list[tuple[int, int, str]], label: int
) -> None:
    """The body sentences of the line just above a credit's label are the picture's caption
    ("The California Independent System Operator grid control center in Folsom, Calif. The
    nonprofit entity controls the flow of electricity for 80 percent of California.")."""
    line_end = text.rfind("\n", 0, label)
    if line_end < 0 or text[line_end - 1 : line_end] == "\n":
        return  # no line above, or a blank line between: not its caption
    line_start = text.rfind("\n", 0, line_end) + 1
    k = len(plan) - 1
    while k >= 0:
        first, last, kind = plan[k]
        if first != last or spans[first][1] < line_start:
            break
        if kind == "body":
            plan[k] = (first, last, "media")
        k -= 1
