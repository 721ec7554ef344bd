"""Readers' comments in a crude extraction of a WordPress page (audit6 F13): after the
comment section's heading ("3 thoughts on “...”", "12 Responses to ...") the readers' words
are not the article's, even when a related-stories box runs into it."""

from __future__ import annotations

from annotator.ingest.layout import layout

LEDE = (
    "The city council voted on Tuesday to expand the bus network, officials said. "
    "According to the mayor, the plan will cost about $40 million over five years.\n"
    "Critics argued that the money could be better spent on road repairs. The first new "
    "routes are expected to open in the spring of 2027, the agency said.\n"
)
PAGE = (
    "Council expands bus network\nBy Jane Doe\n"
    + LEDE
    + """Share this:
Twitter
Facebook
Related
3 thoughts on “Council expands bus network”
BusFan99
says:
March 4, 2026 at 11:02 am
Finally! This is great news for everyone who commutes. I cannot wait.
Reply
Skeptic
says:
What a waste of taxpayer money. The roads are falling apart.
Leave a Reply
Cancel reply
"""
)


def _kinds(text: str) -> dict[str, str]:
    lay = layout(text)
    return {lay.text[s.start : s.end]: s.kind for s in lay.segments}


def test_readers_comments_are_not_the_articles() -> None:
    got = _kinds(PAGE)
    assert (
        got["The city council voted on Tuesday to expand the bus network, officials said."]
        == "body"
    )
    for said in ("Finally!", "What a waste of taxpayer money.", "The roads are falling apart."):
        assert got[said] == "furniture", said


def test_without_the_related_box_too() -> None:
    got = _kinds(PAGE.replace("Related\n", "").replace("3 thoughts on", "12 Responses to"))
    assert got["What a waste of taxpayer money."] == "furniture"


def test_a_sentence_about_thoughts_is_the_article() -> None:
    text = (
        "Budget passes\n\nThe council met on Monday. Three thoughts on the budget were "
        "shared by the mayor, aides said.\n\nThe vote was close. It passed by one vote.\n"
    )
    got = _kinds(text)
    assert got["The vote was close."] == "body"
