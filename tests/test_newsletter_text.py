"""An email newsletter pasted as text (audit6 F18): its web-view and forwarding lines are
furniture, never the article's title or a body sentence."""

from __future__ import annotations

import pytest

from annotator.ingest.layout import layout

NEWSLETTER = """View this email in your browser

Good morning. Here is what you need to know today.

THE BIG STORY
The city council voted on Tuesday to expand the bus network, officials said.

Forward this email to a friend
Was this forwarded to you? Sign up here.
You are receiving this email because you subscribed to Morning Brief.
Unsubscribe | Update your preferences | Privacy Policy
"""


def test_the_newsletter_lines_are_furniture() -> None:
    lay = layout(NEWSLETTER)
    kinds = {lay.text[s.start : s.end]: s.kind for s in lay.segments}
    assert lay.title != "View this email in your browser"
    for line in ("View this email in your browser", "Forward this email to a friend"):
        assert kinds[line] == "furniture", line
    assert kinds["Was this forwarded to you?"] == "furniture"
    assert (
        kinds["The city council voted on Tuesday to expand the bus network, officials said."]
        == "body"
    )


@pytest.mark.parametrize(
    "line",
    [
        "View in browser",
        "View it in your web browser",
        "Open in app",
        "Read in the app",
        "Forward this newsletter to a friend.",
        "Was this email forwarded to you?",
    ],
)
def test_the_usual_wordings(line: str) -> None:
    from annotator.ingest.furniture import is_furniture

    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    ["Viewers in the browser market fell by half.", "The app opened in May, officials said."],
)
def test_sentences_that_only_share_words_are_not(line: str) -> None:
    from annotator.ingest.furniture import is_furniture

    assert not is_furniture(line)
