"""An HTML page's relative links are resolved against the page's own address (its `<base
href>`, else its canonical link or og:url), as a browser does, not against its site's root;
a page that states no address keeps them as written (audit11 F14)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli, write

STORY = "https://news.example.com/2024/03/story.html"


def _page(head: str) -> str:
    body = "".join(
        f"<p>Paragraph {i} reports that the <a href='item-{i}.html'>council voted</a> on "
        f"Tuesday to approve <a href='../budget/{i}.html'>budget number {i}</a>, officials "
        "said in a long statement to the press.</p>\n"
        for i in range(6)
    )
    return (
        f"<!doctype html><html><head><title>Rel</title>{head}</head><body><article>"
        f"<h1>Rel</h1>{body}<p>See the <a href='#notes'>notes</a> and the "
        "<a href='//cdn.example.net/chart.html'>chart</a> of the vote, and "
        "<a href='mailto:desk@example.com'>write to the desk</a> about it.</p>"
        "</article></body></html>"
    )


def _links(db: Path) -> list[str]:
    rows = sqlite3.connect(db).execute(
        "SELECT links FROM sentences WHERE links IS NOT NULL ORDER BY id"
    )
    return [link["url"] for (links,) in rows for link in json.loads(links)]


@pytest.mark.parametrize(
    ("head", "base"),
    [
        (f"<link rel='canonical' href='{STORY}'>", STORY),
        (f"<meta property='og:url' content='{STORY}'>", STORY),
        # a relative canonical link, resolved against the og:url
        (
            "<link rel='canonical' href='/2024/03/story.html'>"
            "<meta property='og:url' content='https://news.example.com/x/y.html'>",
            STORY,
        ),
        # a <base href> wins over the page's address, and is resolved against it
        (
            "<base href='https://other.example.org/section/'>"
            f"<link rel='canonical' href='{STORY}'>",
            "https://other.example.org/section/",
        ),
        (
            f"<base href='../archive/'><link rel='canonical' href='{STORY}'>",
            "https://news.example.com/2024/archive/",
        ),
    ],
)
def test_relative_links_are_resolved_against_the_page_s_address(
    run_cli: RunCli, tmp_path: Path, db_path: Path, head: str, base: str
) -> None:
    page = write(tmp_path / "rel.html", _page(head))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    folder = base.rsplit("/", 1)[0]
    parent = folder.rsplit("/", 1)[0]
    links = _links(db_path)
    assert links[:4] == [
        f"{folder}/item-0.html",
        f"{parent}/budget/0.html",
        f"{folder}/item-1.html",
        f"{parent}/budget/1.html",
    ]
    assert links[-3:] == [
        f"{base}#notes",
        "https://cdn.example.net/chart.html",  # the page's scheme, not http
        "mailto:desk@example.com",
    ]


def test_a_page_with_no_address_keeps_its_links_as_written(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    page = write(tmp_path / "saved.html", _page("<base href='section/'>"))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    links = _links(db_path)
    assert links[:2] == ["item-0.html", "../budget/0.html"]
    assert links[-3] == "#notes"
