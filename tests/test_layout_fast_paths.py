"""Every shortcut the layout pass takes gives the answer of the plain regex it spares: on
every line of the news corpus and on lines made to sit on each shortcut's edge. The whole
pass is pinned by tests/test_layout_fingerprint.py; these pin each shortcut on its own, so
they hold when the furniture rules change (they compare with the same patterns)."""

from __future__ import annotations

import re

import pytest

from annotator.ingest import furniture as fx
from annotator.ingest import layout_inline as li
from annotator.ingest import layout_kinds as lk
from annotator.ingest.layout import layout
from annotator.ingest.layout_lines import forget, is_furniture, source_lines
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"

EDGES = [
    "",
    "plain prose with nothing to reduce.",
    "a [link](https://x.org/a) and <https://t.co/x pic.twitter.com/y> and **bold**",
    "[![alt](img.jpg)](https://x.org/story) caption",
    "![alt](img.jpg)",
    "brackets [not a link] (nor this) < nor this >",
    "5 * 3 and a*b",
    "(Matt Stone/Boston Herald)",
    "(Matt Stone/Boston Herald)\n",
    "(Photo by AP)",
    "Caption text. (Photo: AFP) trailing",
    "San Francisco To Begin Universal Basic Income Program For Artists - October 10, 2020",
    "San Francisco To Begin Universal Basic Income Program For Artists – October 10, 2020",
    "San Francisco To Begin Universal Basic Income Program For Artists October 10, 2020",
    "Advertisement",
    "* [Six Sixers takeaways after six games](/sixers-takeaways)",
    "AVOIDING CONTACT: [The rules on self-isolation](https://x.org/r)",
    "[Gavin's Choice](https://x.org/g) - October 10, 2020",
    "Six Sixers takeaways after six games",
]


def corpus_lines() -> list[str]:
    if not CORPUS.is_dir():
        return []
    out: list[str] = []
    for folder in ("txt", "md", "crude"):
        for p in sorted((CORPUS / folder).iterdir()):
            out += p.read_text(encoding="utf-8").splitlines()
    return out


LINES = EDGES + corpus_lines()


def reference_visible(s: str) -> str:
    if "[![" in s:
        s = li.LINKED_IMAGE.sub(lambda m: m.group(1), s)
    # a link's text shows the alt text of images inside it ("[![](thumb.jpg)Headline](url)")
    s = li.MD_LINK.sub(lambda m: li.INNER_IMAGE.sub(lambda i: i.group(1), m.group(1)), s)
    s = li.AUTOLINK.sub(lambda m: m.group(1), s)
    s = li.ESCAPE.sub(lambda m: m.group(1), s)
    return li.EMPHASIS.sub("", s) if "*" in s else s


def reference_links(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    found = list(li.MD_LINK.finditer(text, start, end)) + list(
        li.AUTOLINK.finditer(text, start, end)
    )
    found += li.EMPHASIS.finditer(text, start, end)
    found += li.LINKED_IMAGE.finditer(text, start, end)
    found += li.ESCAPE.finditer(text, start, end)
    found.sort(key=lambda m: m.start())
    out: list[tuple[int, int, str]] = []
    last = start
    for m in found:
        if m.start() >= last:
            out.append((m.start(), m.end(), m.re.pattern))
            last = m.end()
    return out


def test_visible_text_and_links_are_those_of_every_pattern_run() -> None:
    for line in LINES:
        assert li.visible(line) == reference_visible(line), line
        text = f"xx {line} yy"
        got = [(m.start(), m.end(), m.re.pattern) for m in li.iter_links(text, 3, 3 + len(line))]
        assert got == reference_links(text, 3, 3 + len(line)), line


def test_line_predicates_answer_as_their_patterns() -> None:
    teaser = re.compile(lk._TEASER_LINK.pattern, re.IGNORECASE)
    for line in LINES:
        s = line.strip()
        if len(s) <= 160:
            assert fx.is_furniture(line) == bool(
                fx.FURNITURE.match(s) or fx.TEASER_DATE.match(s)
            ), line
        assert lk.paren_credit(line) == bool(lk._PAREN_CREDIT.match(line)), line
        m = teaser.fullmatch(line.strip())
        plain = m is not None and not fx.ends_sentence(m.group(1)) and fx.words(m.group(1)) >= 1
        assert lk.link_only(line) == plain, line


def test_remembered_answers_are_forgotten_after_each_article() -> None:
    forget()
    is_furniture("Advertisement")
    assert is_furniture.cache_info().currsize == 1  # type: ignore[attr-defined]
    layout("Advertisement\n\nA sentence here. Another one there.\n")
    assert is_furniture.cache_info().currsize == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "*Photo: AFP*\n**Read more**\n__x__\n_y_\n",
        "![a caption that runs\nover two lines](https://x.org/i.jpg)\nNext line.",
        "  padded line  \n\t\ttabbed\t\n\u00a0nbsp\u00a0\n",
    ],
)
def test_source_lines_are_trimmed_spans_of_the_source(text: str) -> None:
    for ln in source_lines(text, 0):
        assert ln.start <= ln.end
        piece = text[ln.start : ln.end]
        assert piece == piece.strip() or ln.start == ln.end


def test_a_repeat_is_found_whatever_its_case_and_spacing() -> None:
    # repeats are looked for only among lines opening as a repeated line does (case-folded)
    text = (
        "By Jane Doe\n\nThe first paragraph ends here and says enough.\n\n"
        "BY   jane DOE\n\nThe second paragraph ends here.\n\n bY Jane\tDoe\n\nThe third.\n"
    )
    lay = layout(text)
    assert lay.removed_furniture == 2
    assert lay.byline == "By Jane Doe"
    kept = [lay.text[s.start : s.end] for s in lay.segments]
    assert kept == [
        "By Jane Doe",
        "The first paragraph ends here and says enough.",
        "The second paragraph ends here.",
        "The third.",
    ]
