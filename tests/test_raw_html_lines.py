"""Raw HTML a scraper left on a line of its own, and captions and credits in the words of their
labels, get the kind of what they are, not "heading" (audit4 F9: each was a heading, a kind
annotators read as the article's own structure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import read_articles
from tests.conftest import SHARED


def kinds(tmp_path: Path, text: str) -> dict[str, str]:
    f = tmp_path / "a.md"
    f.write_text(text, encoding="utf-8")
    (art,) = read_articles(f, with_readability=False)
    return {s.text: s.kind for s in art.sentences}


def test_comments_scripts_and_players_on_their_own_lines(tmp_path: Path) -> None:
    got = kinds(
        tmp_path,
        "Body one, the mayor said.\n\n<!-- hidden editor note: do not publish -->\n\n"
        '<script>var x = 1; alert("hi");</script>\n\n'
        '<iframe width="476" src="https://abc13.com/video/embed/?pid=1"></iframe>\n\n'
        "<!-- a --> kept text <!-- b -->\n\nLast sentence <!-- inline --> here.\n",
    )
    assert got["<!-- hidden editor note: do not publish -->"] == "furniture"
    assert got['<script>var x = 1; alert("hi");</script>'] == "furniture"
    player = '<iframe width="476" src="https://abc13.com/video/embed/?pid=1"></iframe>'
    assert got[player] == "media"
    # text between two comments is not a comment; a sentence with one inside is a sentence
    assert got["<!-- a --> kept text <!-- b -->"] != "furniture"
    assert got["Last sentence <!-- inline --> here."] == "body"


def test_labelled_captions_and_credits(tmp_path: Path) -> None:
    got = kinds(
        tmp_path,
        "Lawmakers met on Monday.\n\nImage caption Protesters gathered outside parliament\n\n"
        "Thousands marched on Saturday.\n\nCredit...Erin Schaff/The New York Times\n\n"
        "Lawmakers returned on Tuesday.\n\nCredit markets eased in March, the bank said.\n",
    )
    assert got["Image caption Protesters gathered outside parliament"] == "media"
    assert got["Credit...Erin Schaff/The New York Times"] == "credit"
    assert got["Credit markets eased in March, the bank said."] == "body"


@pytest.mark.skipif(not (SHARED / "news_corpus").is_dir(), reason="no ../shared/news_corpus")
def test_the_crude_scrapes_video_player_is_media() -> None:
    for name in ("crude/abc13.com-Copperfield.bs4.txt", "crude/abc13.com-Copperfield.h2t.md"):
        (art,) = read_articles(SHARED / "news_corpus" / name, with_readability=False)
        players = [s.kind for s in art.sentences if s.text.startswith("<iframe")]
        assert players and set(players) == {"media"}, (name, players)
