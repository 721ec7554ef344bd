"""A link's address in angle brackets with escaped < and > (audit6 F19: trafilatura writes
`(<https://...&b=\\<2\\>>)` for an address holding them) is read as CommonMark reads it:
brackets and backslashes gone, not cut at the first ">"."""

from __future__ import annotations

from annotator.ingest.layout import layout
from annotator.ingest.layout_inline import destination


def _links(text: str) -> list[str]:
    lay = layout(text)
    return [link.url for s in lay.segments for link in s.links]


def test_escaped_angle_brackets_in_a_destination() -> None:
    text = r"See [the query](<https://example.com/q?a=[1]&b=\<2\>>) today." + "\n"
    assert _links(text) == ["https://example.com/q?a=[1]&b=<2>"]
    assert layout(text).text.strip() == "See the query today."


def test_plain_and_spaced_destinations_as_before() -> None:
    text = (
        'A [report](<https://x.example/a report.pdf> "The report") and '
        "[plain](https://x.example/a_(b)) and [esc](https://x.example/a\\_b) here.\n"
    )
    assert _links(text) == [
        "https://x.example/a report.pdf",
        "https://x.example/a_(b)",
        "https://x.example/a\\_b",  # a plain destination is kept as written
    ]


def test_destination() -> None:
    assert destination(r"<a\<b\>c\\d>") == "a<b>c\\d"
    assert destination("https://x/a") == "https://x/a"
