"""An HTML page's author without the placeholders and glue trafilatura passes on (audit11
F16: "No Author", "Article by", "CBS News February", "Adam Aaronson PhillyVoice Staff" on
pages of the news corpus), and names that only look like glue left whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli, write

PARAS = [
    "The city council approved the new budget on Monday after a long debate about roads.",
    "Council members said the money would go to repairing bridges and resurfacing streets.",
    "Opponents argued that the plan raised taxes too quickly for families on fixed incomes.",
    "The mayor said she would sign the budget into law by the end of the week, aides said.",
]


def _page(head: str = "", byline: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<!doctype html><html lang='en'><head><title>Budget passes</title>{head}</head>"
        f"<body><article><header><h1>Budget passes</h1>{byline}</header>{body}</article>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("name", "head", "byline", "author"),
    [
        # the site's placeholder (japantimes)
        ("placeholder", "<meta name='author' content='No Author'>", "", None),
        # the byline's label, its name in the next element (nationnews)
        (
            "label",
            "",
            "<div><span class='article_author_single'>Article by</span><br>\n"
            "<span class='author_single'>Barry Alleyne </span></div>",
            "Barry Alleyne",
        ),
        # a date in the next element, its digits stripped by trafilatura (cbsnews)
        (
            "date",
            "",
            "<div class='byline'><span class='source'>CBS News</span>\n"
            "<span class='time'>February 24, 2020, 7:57 AM</span></div>",
            "CBS News",
        ),
        # a job title in the next element (phillyvoice)
        (
            "title",
            "",
            "<p class='author'><a href='/staff/adam-aaronson/'>Adam Aaronson</a><br />\n"
            "<span class='author-staff'>PhillyVoice Staff</span></p>",
            "Adam Aaronson",
        ),
        # names that end like glue, but are names
        ("may", "<meta name='author' content='Theresa May'>", "", "Theresa May"),
        ("staff", "<meta name='author' content='Jessica Staff'>", "", "Jessica Staff"),
    ],
)
def test_the_author_stored(
    run_cli: RunCli,
    tmp_path: Path,
    db_path: Path,
    name: str,
    head: str,
    byline: str,
    author: str | None,
) -> None:
    page = write(tmp_path / f"{name}.html", _page(head, byline))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    rows = sqlite3.connect(db_path).execute("SELECT author FROM articles").fetchall()
    assert rows == [(author,)]
