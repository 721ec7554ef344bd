"""The captions of an HTML page's figures are kept where the figures stand: trafilatura drops
a <figure> whole, caption included (audit6 F9: 129 of the corpus's 135 <figcaption> texts were
in no segment), and html_figures puts the caption back as the picture it captions."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle
from annotator.ingest.html import extract
from annotator.ingest.html_captions import page_tree
from annotator.ingest.html_figures import figures_in_text
from tests.conftest import SHARED
from tests.test_html_captions import parsed

HTML = SHARED / "news_corpus" / "html"
needs_corpus = pytest.mark.skipif(not HTML.is_dir(), reason="../shared/news_corpus is absent")

FIRST = (
    "<p>The council voted on Monday night to close the town's only public swimming pool "
    "for the whole of next summer, saying repairs to the roof could not wait.</p>"
)
SECOND = (
    "<p>Residents who spoke at the meeting said the decision had been taken without asking "
    "the people who use the pool every morning, and asked for a new vote in June.</p>"
)
THIRD = (
    "<p>The council's leader said a new vote was out of the question, because the money for "
    "the repairs had been set aside in the spring and could not be spent elsewhere.</p>"
)
FIGURE = (
    '<figure><img src="/p/pool.jpg" alt="The pool"><figcaption>The pool, closed since the '
    "storm in March</figcaption></figure>"
)


def page(article: str, outside: str = "") -> bytes:
    return (
        "<html><head><title>Council closes pool</title></head><body>"
        f"<article><h1>Council closes pool</h1>{article}</article>{outside}</body></html>"
    ).encode()


def imported(tmp_path: Path, data: bytes) -> ParsedArticle:
    """The page's one article, its offsets checked (test_html_captions.parsed)."""
    path = tmp_path / "page.html"
    path.write_bytes(data)
    return parsed(path)


def kinds(art: ParsedArticle) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in art.sentences]


def test_a_figure_between_two_paragraphs_is_media_between_them(tmp_path: Path) -> None:
    art = imported(tmp_path, page(FIRST + FIGURE + SECOND + THIRD))
    got = kinds(art)
    i = got.index(("media", "The pool, closed since the storm in March"))
    assert got[i - 1][1].startswith("The council voted on Monday night")
    assert got[i + 1][1].startswith("Residents who spoke")
    media = art.sentences[i]
    assert [link["url"] for link in media.links_json()] == ["/p/pool.jpg"]
    # the page stays the original, the extracted text holds the picture where it stood
    assert "![The pool, closed since the storm in March](/p/pool.jpg)" in (art.extracted or "")


def test_a_figure_in_a_sidebar_is_left_out(tmp_path: Path) -> None:
    aside = (
        "<aside><h3>Most read</h3><p>Mayor opens the new library on the high street after "
        "two years of building work</p>"
        '<figure><img src="/p/library.jpg"><figcaption>The new library on its opening '
        "day</figcaption></figure><p>Bus fares rise again in January for the third time "
        "this year, the operator says</p></aside>"
    )
    art = imported(tmp_path, page(FIRST + SECOND + THIRD, outside=aside))
    assert not any("library" in t for _k, t in kinds(art))
    assert "library" not in extract(page(FIRST + SECOND + THIRD, outside=aside)).text


@pytest.mark.parametrize(
    "figcaption",
    [
        # the markup separates the credit
        'Waves crash over the sea wall <span class="credit">Photo: Ann Lee/Coastal Times</span>',
        # a <cite> beside the caption, as The Verge writes it
        "Waves crash over the sea wall</figcaption><cite>Photo: Ann Lee/Coastal Times</cite>"
        "<figcaption hidden>",
        # the credit as the caption's last sentence, unmarked
        "Waves crash over the sea wall. Photo: Ann Lee/Coastal Times",
    ],
)
def test_a_captions_credit_is_a_credit(tmp_path: Path, figcaption: str) -> None:
    figure = f'<figure><img src="/img/storm.jpg"><figcaption>{figcaption}</figcaption></figure>'
    got = kinds(imported(tmp_path, page(FIRST + figure + SECOND + THIRD)))
    i = next(i for i, (_k, t) in enumerate(got) if t.startswith("Waves crash"))
    assert got[i][0] == "media" and got[i][1].rstrip(".") == "Waves crash over the sea wall"
    assert got[i + 1] == ("credit", "Photo: Ann Lee/Coastal Times")
    assert got[i + 2][1].startswith("Residents who spoke")


def test_a_credit_the_layout_would_take_for_a_heading_stays_in_the_caption(
    tmp_path: Path,
) -> None:
    figure = (
        '<figure><img src="/img/storm.jpg"><figcaption>Waves crash over the sea wall. (Matt '
        "Stone/Boston Herald)</figcaption></figure>"
    )
    got = kinds(imported(tmp_path, page(FIRST + figure + SECOND + THIRD)))
    assert ("media", "Waves crash over the sea wall. (Matt Stone/Boston Herald)") in got
    assert not any(k == "heading" and "Stone" in t for k, t in got)


def test_an_amp_picture_is_linked(tmp_path: Path) -> None:
    figure = (
        '<figure><amp-img src="https://example.org/img/storm.jpg" width="800" height="600" '
        'layout="responsive"></amp-img><figcaption>Waves crash over the sea wall (Photo: Ann '
        "Lee/Coastal Times)</figcaption></figure>"
    )
    art = imported(tmp_path, page(FIRST + SECOND + figure + THIRD))
    got = kinds(art)
    i = next(i for i, (_k, t) in enumerate(got) if t.startswith("Waves crash"))
    assert got[i][0] == "media"
    assert art.sentences[i].links_json()[0]["url"] == "https://example.org/img/storm.jpg"
    assert got[i - 1][1].startswith("Residents who spoke")
    assert got[i + 1][1].startswith("The council's leader said")


def test_a_caption_already_in_the_text_is_not_written_twice() -> None:
    # the caption is a line of the text, as trafilatura keeps some (or captions_as_images
    # wrote it as the picture): the figure adds nothing
    data = page(FIRST + FIGURE + SECOND + THIRD)
    root = page_tree(data)
    for line in (
        "The pool, closed since the storm in March",
        "![The pool, closed since the storm in March](/p/pool.jpg)",
    ):
        text = f"{FIRST[3:-4]}\n{line}\n{SECOND[3:-4]}\n{THIRD[3:-4]}"
        assert figures_in_text(root, text) == text
    # without it, the figure is written in
    text = f"{FIRST[3:-4]}\n{SECOND[3:-4]}\n{THIRD[3:-4]}"
    assert figures_in_text(root, text).split("\n")[1] == (
        "![The pool, closed since the storm in March](/p/pool.jpg)"
    )


@needs_corpus
def test_captions_trafilatura_kept_are_there_once() -> None:
    for name, caption in (
        ("nytimes.com.blackouts.html", "The California Independent System Operator grid"),
        ("twincities.com-mayor.html", "St. Louis Park appears to be the first U.S. city"),
        ("vancouversun.com.microsoft.html", "Microsoft plans to cut its carbon emissions"),
    ):
        assert extract((HTML / name).read_bytes()).text.count(caption) == 1, name


def test_a_lead_picture_goes_before_the_first_paragraph(tmp_path: Path) -> None:
    lead = (
        '<figure class="lead"><img src="/p/lead.jpg"><figcaption>Swimmers on the last '
        "morning before the pool closed</figcaption></figure><p>By Ann Lee</p>"
    )
    got = kinds(imported(tmp_path, page(lead + FIRST + SECOND + THIRD)))
    i = got.index(("media", "Swimmers on the last morning before the pool closed"))
    assert got[i + 1][1].startswith("The council voted") or got[i + 1][0] == "byline"


def test_a_gallery_over_the_page_is_left_out() -> None:
    gallery = (
        "<p>News in pictures</p><amp-lightbox><amp-carousel>"
        + "".join(
            f'<figure><amp-img src="/g/{n}.jpg"></amp-img><figcaption>Picture {n} of the '
            "day's other news, far from the pool</figcaption></figure>"
            for n in range(3)
        )
        + "</amp-carousel></amp-lightbox><p>Show all 50</p>"
    )
    text = extract(page(FIRST + SECOND + gallery + THIRD)).text
    assert "other news" not in text


def test_a_gallery_between_two_paragraphs_is_left_out() -> None:
    gallery = "".join(
        f'<figure><img src="/g/{n}.jpg"><figcaption>Picture {n} of the day\'s other news, far '
        "from the pool</figcaption></figure>"
        for n in range(6)
    )
    text = extract(page(FIRST + SECOND + gallery + THIRD)).text
    assert "other news" not in text
    # two pictures side by side are the article's (The Verge's image grid)
    two = gallery.split("</figure>")[:2]
    text = extract(page(FIRST + SECOND + "</figure>".join(two) + "</figure>" + THIRD)).text
    assert text.count("other news") == 2


def test_a_page_without_figcaptions_is_unchanged() -> None:
    data = page(FIRST + '<img src="/p/pool.jpg">' + SECOND + THIRD)
    assert "![" not in extract(data).text


@needs_corpus
def test_the_bbcs_burials_captions_are_media_with_their_credit(tmp_path: Path) -> None:
    art = imported(tmp_path, (HTML / "bbc.com.52241221.html").read_bytes())
    got = kinds(art)
    i = got.index(("media", "About 40 bodies were buried on Thursday"))
    assert got[i + 1] == ("credit", "Reuters")  # "Image copyright" is a label for screen readers
    assert got[i - 1][1] == "Globally there are 1.6 million cases and 97,000 deaths."
    assert art.sentences[i].links_json()[0]["url"].endswith("_111746561_061002826-1.jpg")
    assert ("media", "How caravans are helping frontline medics with a place to stay") in got


@needs_corpus
def test_the_guardians_lead_picture_and_the_independents_gallery(tmp_path: Path) -> None:
    got = kinds(imported(tmp_path, (HTML / "theguardian.com.academics.html").read_bytes()))
    i = got.index(
        ("media", "Striking members of the UCU and other unions at University College last year.")
    )
    assert got[i + 1] == ("credit", "Photograph: Guy Smallman/Getty Images")
    # "UK news in pictures": 50 captions of other days in a lightbox, none of them the article
    text = extract((HTML / "independent.co.uk.penalty.html").read_bytes()).text
    assert "Large waves crash over the harbour wall" not in text
    # phys.org's related stories are figures too, with the story's own picture kept
    text = extract((HTML / "phys.org.tool.html").read_bytes()).text
    assert "![Comparison of Modern Human and Neanderthal skulls" in text
    assert "Record-breaking terahertz laser beam" not in text


def test_attacks_thousands_of_figures_and_markup_in_a_caption() -> None:
    # thousands of captioned figures in a row, spacers between: a gallery, left out (and
    # each figure looks at a bounded stretch of the page for its neighbours)
    many = (
        '<figure><img src="/g/x.jpg"><figcaption>One of many pictures</figcaption></figure><p></p>'
    )
    text = f"{FIRST[3:-4]}\n{SECOND[3:-4]}\n{THIRD[3:-4]}"
    assert figures_in_text(page_tree(page(FIRST + SECOND + many * 3000 + THIRD)), text) == text
    # a caption with Markdown in it, a picture whose address would end the link early
    odd = (
        '<figure><img src="/p/a(1).jpg"><figcaption>Seen from the pool</figcaption></figure>'
        '<figure><img src="/p/b.jpg"><figcaption>The [pool] on ](http://x.example) Monday'
        "</figcaption></figure>"
    )
    text = extract(page(FIRST + odd + SECOND + THIRD)).text
    assert "Seen from the pool" not in text and "http://x.example" not in text
    assert text.count("![") == 0
