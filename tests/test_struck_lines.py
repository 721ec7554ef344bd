"""Struck text that runs over a line break inside one paragraph (`<del>`, `<s>`, `<strike>`,
`~~`) is dropped as it is on one line: a correction's withdrawn words are not current text
to label. Before, its text was kept (the tags read through, or the `~~` left as written)."""

from __future__ import annotations

from annotator.ingest.layout import layout
from tests.test_line_ends import assert_visible_maps_back

# a CMS correction as html2text passes it through, wrapped at 80 columns
CORRECTION = """\
**Correction:** An earlier version of this story said the council had <del>voted to close
the library</del> approved the budget. It voted on Tuesday.

The minister <s>was sacked on Friday
after the leak of the
report to the press</s> resigned on Friday.

<strike>The bridge will reopen in May.
Engineers found no damage.</strike> The bridge stays closed.
"""

# a Reddit comment edited in markdown, and a blog's changelog
EDITED = """\
The mayor ~~will resign at the end
of the month~~ has withdrawn his resignation. He will stay.

EDIT: ~~Turnout was 40%,
according to the county.~~ Turnout figures are not out yet.
"""


def _sentences(text: str) -> list[str]:
    lay = layout(text)
    assert_visible_maps_back(lay, text)
    return [lay.text[s.start : s.end] for s in lay.segments]


def test_struck_tags_over_lines_are_dropped() -> None:
    assert _sentences(CORRECTION) == [
        "Correction: An earlier version of this story said the council had approved the budget.",
        "It voted on Tuesday.",
        "The minister resigned on Friday.",
        "The bridge stays closed.",
    ]


def test_struck_tildes_over_lines_are_dropped() -> None:
    assert _sentences(EDITED) == [
        "The mayor has withdrawn his resignation.",
        "He will stay.",
        "EDIT: Turnout figures are not out yet.",
    ]


def test_what_is_not_struck_text_stays() -> None:
    # an unpaired tag is prose; "~~" with a space inside its markers is not struck; a pair
    # across a blank line is two paragraphs, not one struck span
    text = (
        "An unpaired <s> tag is\njust text.\n\n"
        "Prices rose 3% ~~ a\nyear ago ~~ they fell.\n\n"
        "The <del>first paragraph.\n\nThe second</del> paragraph."
    )
    joined = " ".join(_sentences(text))
    assert "<s> tag is\njust text." in joined
    assert "~~ a\nyear ago ~~" in joined
    assert "The second" in joined and "first paragraph" in joined


def test_struck_on_one_line_is_unchanged() -> None:
    assert _sentences("The minister <del>resigned</del> was sacked on Friday.") == [
        "The minister was sacked on Friday."
    ]
