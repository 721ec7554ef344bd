"""Every example the guidelines quote from the sample articles is a segment the importer
makes today (or is marked as a quote of part of one, with "..." or "[...]"): guidelines that
describe other segments than the screen shows make careful annotators disagree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.ingest.articles import read_articles

ROOT = Path(__file__).parent.parent
GUIDELINES = ROOT / "guidelines" / "guidelines.md"
PARTIAL = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.|…)\s*")


def segments() -> set[str]:
    out: set[str] = set()
    for path in sorted((ROOT / "samples").glob("*.txt")):
        for art in read_articles(path, with_readability=False):
            out.update(s.text for s in art.sentences)
    return out


def quoted_examples() -> list[tuple[int, str]]:
    """The block-quoted examples: Markdown links become their text (`[Kirby warned](#)`
    shows where the link sits), `<url>` its url, as the importer turns them."""
    out = []
    for n, line in enumerate(GUIDELINES.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"\s*> (.*)", line)
        if m:
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1))
            out.append((n, re.sub(r"<([^>]+)>", r"\1", text).strip()))
    return out


SEGMENTS = segments()


@pytest.mark.parametrize("line,text", quoted_examples(), ids=lambda x: str(x)[:40])
def test_a_quoted_example_is_a_segment(line: int, text: str) -> None:
    if text in SEGMENTS:
        return
    pieces = [p for p in PARTIAL.split(text) if p]
    if PARTIAL.search(text) and all(any(p in s for s in SEGMENTS) for p in pieces):
        # a quote of part of one segment: every piece in the same segment
        assert any(all(p in s for p in pieces) for s in SEGMENTS), (line, text)
        return
    pytest.fail(f"guidelines.md:{line}: not a segment the importer makes: {text!r}")
