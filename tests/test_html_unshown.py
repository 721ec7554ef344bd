"""HTML pages from the field (audit6): what no reader sees stays out of the text (F8), a
character reference XML cannot hold no longer empties the page (F9), and the date is the
one the page states, not one guessed from a dated link (F4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.html import extract
from annotator.ingest.html_unshown import holdable_references
from tests.consumers import cli_run

PARAS = [
    "The city council approved the new budget on Monday after a long debate about roads.",
    "Council members said the money would go to repairing bridges and resurfacing streets.",
    "Opponents argued that the plan raised taxes too quickly for families on fixed incomes.",
    "The mayor said she would sign the budget into law by the end of the week, aides said.",
    "A final vote on the transport levy is expected next month, according to the agenda.",
    "Residents can comment on the plan at a public hearing scheduled for early next month.",
]


def page(extra: str = "", head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<html><head><title>Budget passes</title>{head}</head><body><article>"
        f"<h1>Budget passes</h1>{body}{extra}</article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "ref", ["&#7;", "&#8;", "&#27;", "&#x1b;", "&#xfffe;", "&#xD800;", "&#1114112;"]
)
def test_a_reference_xml_cannot_hold_no_longer_empties_the_page(ref: str) -> None:
    got = extract(page(f"<p>Odd character {ref} here in a sentence of the story.</p>"))
    assert "Odd character" in got.text and "here in a sentence" in got.text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in got.text)


def test_a_form_feed_reference_keeps_the_words_apart() -> None:
    got = extract(page("<p>The report&#12;said the bridge was safe, engineers added.</p>"))
    assert "report said" in got.text


def test_references_xml_can_hold_are_left_exactly() -> None:
    data = b"<p>It&#x27;s &#8217;quoted&#8217; &#0; &#169; &#x1F600; &#10;</p>"
    assert holdable_references(data) == data
    assert holdable_references(b"a&#27;b&#x0C;c&#12d") == b"ab c d"


def test_template_and_hidden_elements_are_not_text() -> None:
    extra = (
        "<template><p>TEMPLATE SECRET should never appear in the text at all, ever.</p></template>"
        "<p hidden>HIDDEN paragraph text that the browser does not show to anyone.</p>"
        "<div><span hidden>gone</span>The tail after a hidden span is shown to readers.</div>"
        '<p aria-hidden="true">Decorative but visible text stays in the article body.</p>'
    )
    got = extract(page(extra))
    assert "TEMPLATE SECRET" not in got.text and "HIDDEN paragraph" not in got.text
    assert "gone" not in got.text
    assert "The tail after a hidden span is shown to readers." in got.text
    assert PARAS[0] in got.text


def test_a_page_without_them_is_read_as_before() -> None:
    data = page()
    got = extract(data)
    assert all(p in got.text for p in PARAS)


def test_no_date_is_guessed_from_a_dated_link() -> None:
    related = '<aside><a href="/2019/05/12/old-story.html">An older story</a></aside>'
    assert extract(page(related)).published is None
    stated = '<meta property="article:published_time" content="2024-03-01T10:00:00Z">'
    assert extract(page(related, head=stated)).published == "2024-03-01"
    # what the page states elsewhere is still read: JSON-LD, <time>
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org",'
        '"@type":"NewsArticle","headline":"Budget","datePublished":"2024-03-05T10:00:00Z"}'
        "</script>"
    )
    assert extract(page(related, head=ld)).published == "2024-03-05"
    assert extract(page('<time datetime="2024-04-02">April 2</time>')).published == "2024-04-02"


def test_end_to_end_the_page_with_a_control_reference_imports(tmp_path: Path) -> None:
    src = tmp_path / "ent.html"
    src.write_bytes(page("<p>Odd character &#27; here in a sentence of the story.</p>"))
    db = tmp_path / "e.sqlite"
    out = cli_run(db, "import", str(src))
    assert out.exit_code == 0 and "imported 1 article" in out.output, out.output


def test_heavy_scripts_styles_and_inline_data_are_not_parsed() -> None:
    """audit6 F11: a Next.js page's inline state (megabytes of JSON), a page saved whole
    (images and fonts as data: addresses) were parsed for nothing below 10 MB."""
    from annotator.ingest.html import _without_heavy_parts

    state = '{"props": {"x": "' + "y" * 2_000_000 + '"}}'
    ld = (
        '{"@context":"https://schema.org","@type":"NewsArticle","headline":"Budget",'
        '"datePublished":"2024-03-05T10:00:00Z","articleBody":"' + "z " * 5_000 + '"}'
    )
    picture = "data:image/png;base64," + "A" * 1_000_000
    heavy = page(
        f'<img src="{picture}" alt="A bus">',
        head=(
            f'<script id="__NEXT_DATA__" type="application/json">{state}</script>'
            f"<style>@font-face {{src: url({picture})}}</style>"
            f'<script type="application/ld+json">{ld}</script>'
        ),
    )
    light = _without_heavy_parts(heavy)
    assert len(light) < 30_000 and b"yyyy" not in light and b"AAAA" not in light
    assert ld.encode() in light  # JSON-LD whatever its size
    got = extract(heavy)
    assert got.text == extract(page()).text
    assert got.published == "2024-03-05"
    plain = page()
    assert _without_heavy_parts(plain) is plain
