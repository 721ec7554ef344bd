"""Markdown a scraper leaves in body text (audit3 N3): inline HTML, footnote marks,
blockquote markers, HTML entities, reference links and their definitions. The reader sees
the text; the offsets of every copied character stay exact, and a character an entity stands
for maps back to its "&"."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, read_articles
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "md").is_dir(), reason="../shared/news_corpus is not present"
)


def parsed(path: Path) -> ParsedArticle:
    (art,) = read_articles(path, with_readability=False)
    check_offsets(art)
    return art


def of_text(tmp_path: Path, text: str, name: str = "a.md") -> list[tuple[str, str]]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return [(s.kind, s.text) for s in parsed(f).sentences]


def check_offsets(art: ParsedArticle) -> None:
    """Each segment is the cleaned text at its offsets; each copied character maps back to
    itself; an inserted one (a joining space, an entity's character) to where it was put."""
    source = art.extracted if art.extracted is not None else art.original.decode(art.encoding)
    for s in art.sentences:
        assert art.text[s.start : s.end] == s.text
        for i in range(s.start, s.end):
            o = art.offset_map.to_original(i)
            c = art.text[i]
            if source[o] != c:
                assert c.isspace() or source[o] in "&<\\" or source[o - 1] == "\\", (i, c)


@needs_corpus
def test_footnote_marks_and_inline_tags_of_the_corpus_are_gone() -> None:
    five = parsed(CORPUS / "md" / "fivethirtyeight.com.endorsement--md.md")
    texts = [s.text for s in five.sentences]
    # "points[<sup>1</sup>](#fn-1) than": was "points<sup>1</sup> than"
    assert texts[1].startswith("Joe Biden has far more endorsement points than any other")
    # "combined.[<sup>4</sup>](#fn-4) And ...": the mark gone, the sentence ends there
    assert (
        "Reflecting the ideological split in the party, Sanders and Warren have just one "
        "endorsement from those groups combined."
    ) in texts
    gaza = parsed(CORPUS / "md" / "theintercept.com-Gaza--md.md")
    assert gaza.sentences[0].text.startswith(
        "KHAN YOUNIS, GAZA — The Israeli assault on the Gaza Strip has left"
    )
    for art in (five, gaza):
        assert not any("<" in s.text or "[^" in s.text or "](" in s.text for s in art.sentences)


@needs_corpus
def test_a_pull_quotes_blockquote_markers_are_markup() -> None:
    art = parsed(CORPUS / "crude" / "politico.com.retirement.h2t.md")
    texts = [s.text for s in art.sentences]
    quote = (
        '"Meadows screwed everybody ... They have all been eyeing that seat and figured they '
        'had two more years."'
    )
    assert quote in texts  # was '> "Meadows ...' and '>\n> A GOP operative in the state'
    assert not any(t.startswith(">") or "\n>" in t for t in texts)


def test_blockquotes_entities_footnotes_and_reference_links(tmp_path: Path) -> None:
    segs = of_text(
        tmp_path,
        "> quote said he.\n>\n> more quote.\n\n"
        "Prices rose &amp; fell&nbsp;today. It was &quot;odd&quot;, he said&#8217;s &#x2019;.\n\n"
        "A [ref link][ref] here, and [another][] there.\n\n"
        '[ref]: http://x.com\n[another]: <http://y.com> "Title"\n\n'
        "Footnote[^1] here.\n\n[^1]: The note.\n\n> > nested quote here.\n",
    )
    assert segs == [
        ("body", "quote said he."),
        ("body", "more quote."),  # the ">" line between is a paragraph break
        ("body", "Prices rose & fell\u00a0today."),
        ("body", 'It was "odd", he said’s ’.'),
        ("body", "A ref link here, and another there."),
        ("furniture", "[ref]: http://x.com"),  # a definition: markup, never a heading
        ("furniture", '[another]: http://y.com "Title"'),
        ("body", "Footnote here."),
        ("body", "The note."),
        ("body", "nested quote here."),
    ]


def test_reference_links_keep_the_url_of_their_definition(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(
        "A [ref link][Ref] here, [another][] there, [nowhere][none] too.\n\n"
        "[ref]: http://x.com\n[another]: <http://y.com>\n",
        encoding="utf-8",
    )
    art = parsed(f)
    body = art.sentences[0]
    assert body.text == "A ref link here, another there, nowhere too."
    got = [(art.text[lk.start : lk.end], lk.url) for lk in body.links]
    assert got == [("ref link", "http://x.com"), ("another", "http://y.com")]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # what is left as written
        ("Not [1][2] cited, two marks.", "Not [1][2] cited, two marks."),
        ("An &unknown; entity stays.", "An &unknown; entity stays."),
        ("An escaped \\&amp; is five characters.", "An escaped &amp; is five characters."),
        ("Growth >50% this year.", "Growth >50% this year."),
        ("A <div>block</div> tag stays.", "A <div>block</div> tag stays."),
        ("Colon after a mark[^2]: stays.", "Colon after a mark: stays."),
        # what is read through
        ('A <span class="x">span</span> and <EM>em</EM>.', "A span and em."),
        ("Line<br>break<br/>s.", "Line break s."),
        ("[<u>Linked</u> &amp; tagged](https://x.org) text.", "Linked & tagged text."),
    ],
)
def test_what_is_read_through_and_what_stays(tmp_path: Path, line: str, shown: str) -> None:
    assert of_text(tmp_path, line + "\n") == [("body", shown)]


def test_a_quoted_line_in_plain_text_loses_its_marker_too(tmp_path: Path) -> None:
    segs = of_text(tmp_path, "He wrote:\n\n> The plan is dead. We start again.\n", "a.txt")
    assert segs[-2:] == [("body", "The plan is dead."), ("body", "We start again.")]


@needs_corpus
@pytest.mark.parametrize(
    "name", ["politico.com.retirement.h2t.md", "politico.com.retirement.bs4.txt"]
)
def test_a_pull_quote_and_its_attribution_are_furniture(name: str) -> None:
    segs = [(s.kind, s.text) for s in parsed(CORPUS / "crude" / name).sentences]
    quote = (
        '"Meadows screwed everybody ... They have all been eyeing that seat and figured they '
        'had two more years."'
    )
    i = segs.index(("furniture", quote))  # was body: the article says it above
    assert segs[i + 1] == ("furniture", "A GOP operative in the state")  # was a heading
    # the sentence it repeats stays body
    assert ("body", '"Meadows screwed everybody," said one GOP operative in the state.') in segs


def test_quotations_that_are_not_pull_quotes_stay_body(tmp_path: Path) -> None:
    said = "The mayor said the budget would be balanced by the end of the year."
    segs = of_text(
        tmp_path,
        f"{said} Officials agreed.\n\n"
        # a quotation the article did not say before, signed: body
        '"We will not raise taxes again this year," she said.\n\n'
        # said before, but a paragraph of the article's own with more in it
        '"The budget would be balanced by the end of the year." He repeated it twice.\n\n'
        # said before whole, not cut and not signed: a live blog repeating itself
        '"The mayor said the budget would be balanced by the end of the year."\n\n'
        "The council meets again on Monday.\n",
    )
    assert all(k == "body" for k, _t in segs), segs
