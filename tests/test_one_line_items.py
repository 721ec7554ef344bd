"""A text with nothing but headings (a one-line JSONL claim, a post, a headline to label) is
the item itself: its lines are body, not headings the annotator is told to skip (audit4 F7:
every one-line JSONL item without a final stop was a title)."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.ingest.articles import read_articles


def kinds(path: Path) -> list[list[tuple[str, str]]]:
    return [[(s.kind, s.text) for s in a.sentences] for a in read_articles(path)]


def test_one_line_items_are_body_with_or_without_a_title_field(tmp_path: Path) -> None:
    items = [
        {"id": "q1", "text": "Is the new vaccine really safe for children?"},
        {"id": "t1", "text": "Officials said the bridge will reopen on Monday"},
        {"id": "h1", "text": "BREAKING: Senate passes the budget bill", "title": "Budget"},
        {"id": "s1", "text": "The minister resigned on Friday."},
    ]
    f = tmp_path / "claims.jsonl"
    f.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    got = kinds(f)
    assert got == [[("body", i["text"])] for i in items]
    (first, *_rest) = read_articles(f)
    assert first.title is None  # the claim is not its own title


def test_an_article_keeps_its_headline_and_subheadings(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(
        "Council votes to close library\n\nThe council voted on Monday.\n\n"
        "What happens next\n\nThe library closes in March.\n",
        encoding="utf-8",
    )
    assert kinds(f) == [
        [
            ("title", "Council votes to close library"),
            ("body", "The council voted on Monday."),
            ("heading", "What happens next"),
            ("body", "The library closes in March."),
        ]
    ]
