"""Pictures written otherwise than `![alt](url)` (audit6 F21) are media segments whose text
is the alt text: a linked picture `[![alt](picture)](gallery)`, a reference-style picture
`![alt][ref]`, a raw `<img ... alt="...">` line. They were headings, one with its `!` and
one showing the raw tag. Offsets stay exact."""

from __future__ import annotations

from annotator.ingest.layout import layout
from tests.test_line_ends import assert_visible_maps_back

DOC = """# Council expands bus network

[![A bus at the depot](https://x.example/bus.jpg)](https://x.example/gallery)

The city council voted on Tuesday to expand the bus network, officials said.

![Map of the new routes][map]

<img src="chart.png" alt="Chart of costs" width="600">

<IMG SRC='x.png' ALT='Upper case tag'>

<img src="spacer.gif">

[map]: https://x.example/map.png "Route map"
"""


def test_each_form_is_media_with_its_alt_text() -> None:
    lay = layout(DOC)
    got = {lay.text[s.start : s.end]: s for s in lay.segments}
    for alt in ("A bus at the depot", "Map of the new routes", "Chart of costs", "Upper case tag"):
        assert got[alt].kind == "media", alt
    assert [ln.url for ln in got["A bus at the depot"].links] == ["https://x.example/bus.jpg"]
    assert [ln.url for ln in got["Chart of costs"].links] == ["chart.png"]
    assert not any(t.startswith(("!", "<img", "<IMG")) or "spacer" in t for t in got)
    assert_visible_maps_back(lay, DOC)


def test_an_image_inside_prose_is_not_a_line_of_its_own() -> None:
    text = "The council met. [![x](a.png)](b) It voted. <img src=a.png alt=y> Then it left.\n"
    lay = layout(text)
    assert all(s.kind == "body" for s in lay.segments)
