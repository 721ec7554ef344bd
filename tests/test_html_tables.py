"""A table written as HTML inside a text or markdown file is read as a markdown table is:
one segment of kind `table` per row, its cells joined by " | ", offsets exact. Before, it
was one body "sentence" holding every tag."""

from __future__ import annotations

from annotator.ingest.layout import Layout, layout

# a markdown post (GitHub, a static site) with a table written as HTML, a link and an entity
# in its cells, and a WordPress "classic editor" table pasted on one line
ELECTION = """\
# County results

The county published the results on Wednesday.

<table>
  <thead>
    <tr><th>Candidate</th><th>Votes</th><th>Share</th></tr>
  </thead>
  <tbody>
    <tr><td><a href="https://example.org/doe">Jane Doe</a></td><td>12,401</td><td>52.3%</td></tr>
    <tr>
      <td>John Roe &amp; running mate</td>
      <td>11,309</td>
      <td>47.7%</td>
    </tr>
  </tbody>
</table>

Turnout was 41 percent.

<table class="wp-block-table"><tr><td>Polls open</td><td>7 a.m.</td></tr>\
<tr><td>Polls close</td><td>8 p.m.</td></tr></table>
"""

# a CMS body field of HTML paragraphs (a JSON Lines `text`) with a table between them
PARAGRAPHS = (
    "<p>The board approved three contracts on Monday.</p>\n"
    "<table><caption>Contracts</caption><tr><th>Firm</th><th>Value</th></tr>"
    "<tr><td>Acme Paving</td><td>$1.2m</td></tr></table>\n"
    "<p>Work starts in June.</p>"
)


def assert_cells_map_back(lay: Layout, source: str) -> None:
    """Every character of every segment maps to itself in the source, but spaces, the
    " | " put between cells and what an entity stands for ("&amp;": "&")."""
    for seg in lay.segments:
        for i in range(seg.start, seg.end):
            c = lay.text[i]
            if not c.isspace() and c not in "|&":
                assert source[lay.offset_map.to_original(i)] == c, (i, c)


def _segments(lay: Layout) -> list[tuple[str, str]]:
    return [(s.kind, lay.text[s.start : s.end]) for s in lay.segments]


def test_an_html_table_in_markdown_is_one_table_segment_per_row() -> None:
    lay = layout(ELECTION)
    segs = _segments(lay)
    assert [t for k, t in segs if k == "table"] == [
        "Candidate | Votes | Share",
        "Jane Doe | 12,401 | 52.3%",
        "John Roe & running mate | 11,309 | 47.7%",
        "Polls open | 7 a.m.",
        "Polls close | 8 p.m.",
    ]
    assert ("body", "The county published the results on Wednesday.") in segs
    assert ("body", "Turnout was 41 percent.") in segs
    assert not any("<" in t for _k, t in segs)
    # a cell's link is the row's link
    (doe,) = [s for s in lay.segments if lay.text[s.start : s.end].startswith("Jane Doe")]
    assert [(lay.text[lk.start : lk.end], lk.url) for lk in doe.links] == [
        ("Jane Doe", "https://example.org/doe")
    ]
    assert_cells_map_back(lay, ELECTION)


def test_a_table_between_html_paragraphs() -> None:
    lay = layout(PARAGRAPHS)
    assert _segments(lay) == [
        ("body", "The board approved three contracts on Monday."),
        ("table", "Firm | Value"),
        ("table", "Acme Paving | $1.2m"),
        ("body", "Work starts in June."),
    ]
    assert_cells_map_back(lay, PARAGRAPHS)


def test_a_table_tag_in_prose_is_text() -> None:
    text = "Use the <table> element for data, not layout. It is older than CSS."
    segs = _segments(layout(text))
    assert [k for k, _t in segs] == ["body", "body"]
    assert segs[0][1] == "Use the <table> element for data, not layout."
