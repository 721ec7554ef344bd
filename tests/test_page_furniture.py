"""Text from PDFs (pdftotext): a running footer or header whose page number changes is
page furniture like one that repeats exactly, and is never glued to the next page's first
sentence (audit6 F3: "Downloaded from ... 1 The self-driving pilot was not discussed" was a
body segment, the footer rejoined into it across the removed running header)."""

from __future__ import annotations

from annotator.ingest.layout import layout

PAGES = [
    "The city council voted on Tuesday to expand the bus network, officials said. "
    "Critics argued that the money could be better spent on road repairs.",
    "The self-driving pilot was not discussed at the meeting. Several members of the "
    "public spoke in favour of the plan.",
    "A spokesperson for the transit agency said the new routes would be announced in "
    "April. The agency has not said how many drivers it will need.",
]


def pdf_text(header: str, footer: str) -> str:
    out = []
    for n, page in enumerate(PAGES, 1):
        out.append(f"{header.format(n=n)}\n\n{page}\n\n{footer.format(n=n)}\n\f")
    return "".join(out)


def segments(text: str) -> list[tuple[str, str]]:
    lay = layout(text)
    return [(s.kind, lay.text[s.start : s.end]) for s in lay.segments]


def test_a_footer_with_its_page_number_is_furniture_and_glues_to_nothing() -> None:
    text = pdf_text(
        "JOURNAL OF URBAN TRANSPORT            Vol. 12, No. 3",
        "Downloaded from https://journals.example.org on 2026-03-04                 {n}",
    )
    got = segments(text)
    for kind, seg in got:
        if "Downloaded from" in seg or "JOURNAL OF" in seg:
            assert kind == "furniture", (kind, seg)
    body = [seg for kind, seg in got if kind == "body"]
    assert "The self-driving pilot was not discussed at the meeting." in body
    assert (
        "A spokesperson for the transit agency said the new routes would be announced in April."
        in body
    )


def test_a_leading_page_number_on_a_running_header() -> None:
    got = segments(pdf_text("{n}   JOURNAL OF URBAN TRANSPORT", "Vol. 12, No. 3"))
    assert all(kind == "furniture" for kind, seg in got if "JOURNAL" in seg)
    assert ("body", "The self-driving pilot was not discussed at the meeting.") in got


def test_numbered_headings_of_the_article_stay() -> None:
    text = (
        "Chapter 1\n\nThe council met on Monday. It voted for the plan.\n\n"
        "Chapter 2\n\nThe mayor signed the plan. Buses run from April.\n\n"
        "Page 1 of 2\n\nMore text follows here. It is body.\n\nPage 2 of 2\n"
    )
    got = segments(text)
    assert ("heading", "Chapter 1") in got and ("heading", "Chapter 2") in got
