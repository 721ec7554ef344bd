"""A forum thread or a social post copied as text: the comment depth, author and age lines,
the buttons, counters, "Replying to @name", "Show this thread" and "Quote Tweet" are
furniture, never glued to a post's sentence nor read as headings; a post's author's name
over its handle is the byline, and the post's one-line text is body. Before, "level 2" /
"u/name" / "OP · 3h" was one body "sentence", and "Reply", "Replying to @x", "12 replies 4
reposts 30 likes" and "Show this thread" were headings."""

from __future__ import annotations

import pytest

from annotator.ingest.furniture import is_furniture
from annotator.ingest.layout import Layout, layout
from tests.test_line_ends import assert_visible_maps_back

# a Reddit thread copied from the new design (each field on its own line)
REDDIT = """\
Posted by u/cityhall_watcher 5 hours ago

Council votes to close the Eastside library branch

The vote was 6-3 after a four-hour meeting. The branch closes in March.

142 comments
Share
Save
Hide
Report

level 1
u/bookworm_22 · 4h

This is the only library within walking distance for half the neighborhood. Terrible decision.

Reply
Share
Report
Save
Follow

level 2
u/cityhall_watcher
OP · 3h

The budget gap was $2.1 million, according to the finance director.
Reply Share Report Save Follow

level 3
[deleted]
· 2h
Continue this thread
"""

# a thread on X copied from the page: a post, its counters, and a reply
TWEETS = """\
City of Springfield
@SpringfieldGov
·
Mar 3
The Eastside library will close on March 31. Residents can use the Main Street branch from April 1.
12 replies 4 reposts 30 likes
Show this thread

Jane Doe
@janedoe_news
Replying to @SpringfieldGov
Why was there no public hearing on this?
Quote Tweet
Reply
Repost
Like
Bookmark
Share
3:42 PM · Mar 3, 2024 · 12.4K Views
"""


def _segments(lay: Layout) -> list[tuple[str, str]]:
    return [(s.kind, lay.text[s.start : s.end]) for s in lay.segments]


def test_a_reddit_threads_furniture() -> None:
    lay = layout(REDDIT)
    segs = _segments(lay)
    body = [t for k, t in segs if k == "body"]
    assert body == [
        "The vote was 6-3 after a four-hour meeting.",
        "The branch closes in March.",
        "This is the only library within walking distance for half the neighborhood.",
        "Terrible decision.",
        "The budget gap was $2.1 million, according to the finance director.",
    ]
    for line in (
        "level 1",
        "u/bookworm_22 · 4h",
        "level 2",
        "u/cityhall_watcher",
        "OP · 3h",
        "Reply",
        "Follow",
        "Reply Share Report Save Follow",
        "[deleted]",
        "· 2h",
        "Continue this thread",
    ):
        assert ("furniture", line) in segs, line
    assert ("title", "Council votes to close the Eastside library branch") in segs
    assert_visible_maps_back(lay, REDDIT)


def test_a_tweet_threads_furniture() -> None:
    lay = layout(TWEETS)
    segs = _segments(lay)
    assert [t for k, t in segs if k == "body"] == [
        "The Eastside library will close on March 31.",
        "Residents can use the Main Street branch from April 1.",
        "Why was there no public hearing on this?",
    ]
    assert [t for k, t in segs if k == "byline"] == ["City of Springfield", "Jane Doe"]
    assert [k for k, _t in segs if k not in ("body", "byline")] == ["furniture"] * (len(segs) - 5)
    assert lay.title is None  # the account's name is not the text's headline
    assert_visible_maps_back(lay, TWEETS)


@pytest.mark.parametrize(
    "line",
    [
        "Reply to the council by Friday, residents were told.",
        "Share prices fell 3% on Monday.",
        "Like many residents, she drives to the Main Street branch.",
        "Report finds library use doubled since 2019",
        "Follow the money, the auditor said.",
        "Level 2 of the garage stays closed.",
        "12 replies were received by the committee.",
    ],
)
def test_the_same_words_in_prose_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)
