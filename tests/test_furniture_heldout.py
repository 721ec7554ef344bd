"""Consent banners, paywall notices and pitches in the words of the common platforms, written
apart from the corpus (audit4 F9: the rules followed the corpus's own wording, and these were
body), beside sentences about the same things that are news and stay body."""

from __future__ import annotations

import pytest

from annotator.ingest import furniture as fx

PITCHES = [
    "By continuing to browse the site you are agreeing to our use of cookies.",
    "By using this website, you agree to our use of cookies.",
    "We value your privacy.",
    "To continue reading, subscribe now for just $1 a week.",
    "To continue reading, please log in or register.",
    "You have reached your limit of free articles this month.",
    "You've used all of your free articles.",
    "Support independent journalism. Donate today.",
    "Donate now.",
    "Got a news tip? Email us at tips@news.com.",
    "Got a tip?",
    "This story was originally published by ProPublica.",
    "For the latest stories and breaking news updates download the Nationnews apps for iOS and"
    " Android.",
    "Download our free app for iPhone and Android.",
    "Download the\xa0News apps\xa0for iOS and Android.",
]

NEWS = [
    "We value your privacy, the company said in a statement after the breach.",
    "Users who download the app for iOS and Android will be tracked, the report found.",
    "The paper said it had reached the limit of what it could print.",
    "Readers who support independent journalism donated $2 million last year, the trust said.",
    "By continuing to use the site after the change, users agreed to new terms, the court found.",
    "To continue reading the statement, the minister paused twice.",
    "The tip came from a neighbour, police said.",
]


@pytest.mark.parametrize("line", PITCHES)
def test_a_platform_pitch_is_furniture(line: str) -> None:
    assert fx.is_furniture(line), line


@pytest.mark.parametrize("line", NEWS)
def test_a_sentence_about_the_same_things_is_news(line: str) -> None:
    assert not fx.is_furniture(line), line
