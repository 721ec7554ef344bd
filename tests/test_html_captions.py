"""Captions of an imported HTML page are media: the page marks them (a <figcaption>, a
"caption" class), though the extracted text alone reads them as headings or prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.ingest.html_captions import captions_as_images
from tests.conftest import SHARED

HTML = SHARED / "news_corpus" / "html"
needs_corpus = pytest.mark.skipif(not HTML.is_dir(), reason="../shared/news_corpus is absent")


def parsed(path: Path) -> ParsedArticle:
    (art,) = read_articles(path, with_readability=False)
    assert art.extracted is not None
    for s in art.sentences:
        assert art.text[s.start : s.end] == s.text
        for i in range(s.start, s.end):
            if not art.text[i].isspace():
                assert art.extracted[art.offset_map.to_original(i)] == art.text[i]
    return art


def segs(path: Path) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in parsed(path).sentences]


@needs_corpus
def test_the_daily_mails_captions_are_media() -> None:
    art = parsed(HTML / "dailymail.co.uk.food.html")
    got = [(s.kind, s.text) for s in art.sentences]
    for caption in (
        "The letter sent by an alliance of chefs, celebrities and charities to the Prime Minister",
        "BBC Countryfile presenter Anita Rani has also thrown her weight behind the campaign",
        "Fitness guru Joe Wicks has also called on the Prime Minister not to 'trade away our "
        "children's futures' in the negotiations",
    ):
        assert ("media", caption) in got  # were headings and body
    # the picture it captions is its link
    letter = next(s for s in art.sentences if s.text.startswith("The letter sent by"))
    assert letter.links_json()[0]["url"].endswith(".jpg")
    # the standfirst the page repeats under a picture: body where it is the text, media
    # where it is the caption
    move = [k for k, t in got if t.startswith("The move comes as International Trade")]
    assert move == ["body", "media"]


@needs_corpus
def test_a_caption_over_its_photographer_and_cnns_subheadings() -> None:
    massy = segs(HTML / "guardian.co.tt-massy.html")
    i = next(i for i, (_k, t) in enumerate(massy) if t.startswith("Staff at Massy Stores"))
    assert massy[i][0] == "media" and massy[i + 1] == ("credit", "NICOLE DRAYTON")
    # CNN's long subheadings are <h2>: they stay headings
    cnn = segs(HTML / "edition.cnn.com-royal.html")
    assert ("heading", "There were 'concerns' in the royal family about Archie's skin color") in cnn


PAGE = ("<html><body><article><h1>Council closes pool</h1>{body}</article></body></html>").format


@pytest.mark.parametrize(
    ("body", "line", "becomes"),
    [
        # a figure's caption, the picture's address lazy-loaded
        (
            '<figure><img src="data:," data-src="/p/pool.jpg"><figcaption>The pool on '
            "Monday morning</figcaption></figure>",
            "The pool on Monday morning",
            "![The pool on Monday morning](/p/pool.jpg)",
        ),
        # a caption with no picture beside it: left as it is
        (
            '<p class="caption">The pool on Monday morning</p>',
            "The pool on Monday morning",
            "The pool on Monday morning",
        ),
        # the same words in a paragraph that is no caption
        (
            '<p>The pool on Monday morning</p><img src="/p/pool.jpg">',
            "The pool on Monday morning",
            "The pool on Monday morning",
        ),
    ],
)
def test_which_lines_become_images(body: str, line: str, becomes: str) -> None:
    data = PAGE(body=body).encode()
    text = f"Council closes pool\n\n{line}\n\nThe council voted on Monday.\n"
    assert captions_as_images(data, text) == text.replace(line, becomes)


def test_a_page_without_captions_is_not_parsed_again() -> None:
    text = "A line of text here.\n"
    assert captions_as_images(b"<html><p>A line of text here.</p></html>", text) is text
