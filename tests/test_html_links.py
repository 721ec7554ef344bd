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


def _figures_page(head: str) -> str:
    said = [
        "The council voted on Tuesday to approve the new budget, officials said in a long "
        "statement to the press after the meeting.",
        "The mayor was not available for comment, and the finance office said the plan runs "
        "to three hundred pages.",
        "Opposition members said the plan would raise taxes for families, and promised to "
        "fight it at the next session.",
        "A final vote is expected next month, after a round of public hearings in each of "
        "the city's districts.",
    ]
    return (
        f"<!doctype html><html><head><title>Figures</title>{head}</head><body><article>"
        f"<h1>Figures</h1><p>{said[0]}</p>"
        "<figure><img src='../img/council.jpg' alt='x'><figcaption>The council chamber on "
        "Tuesday.</figcaption></figure>"
        f"<p>{said[1]}</p>"
        "<figure><img src='data:image/gif;base64,R0lGOD' data-src='/media/mayor.jpg' alt='y'>"
        "<figcaption>The mayor leaves the chamber.</figcaption></figure>"
        f"<p>{said[2]}</p>"
        "<figure><picture><source srcset='wide.webp 2x, narrow.webp 1x'>"
        "<img src='https://cdn.example.net/vote.jpg' alt='z'></picture>"
        "<figcaption>Members vote by a show of hands.</figcaption></figure>"
        f"<p>{said[3]}</p></article></body></html>"
    )


def _figure_links(db: Path) -> list[str]:
    rows = sqlite3.connect(db).execute(
        "SELECT links FROM sentences WHERE kind = 'media' AND links IS NOT NULL ORDER BY id"
    )
    return [link["url"] for (links,) in rows for link in json.loads(links)]


def test_picture_addresses_are_resolved_against_the_page_s_address(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    # a figure's picture is its segment's link: "../img/council.jpg" was stored as written
    page = write(tmp_path / "fig.html", _figures_page(f"<link rel='canonical' href='{STORY}'>"))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    assert _figure_links(db_path) == [
        "https://news.example.com/2024/img/council.jpg",
        "https://news.example.com/media/mayor.jpg",  # a lazy loader's, not the placeholder
        "https://news.example.com/2024/03/wide.webp",  # a <source>'s srcset, first candidate
    ]


def test_a_page_with_no_address_keeps_its_picture_addresses_as_written(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    page = write(tmp_path / "fig.html", _figures_page(""))
    r = run_cli("import", str(page))
    assert r.exit_code == 0, r.output
    assert _figure_links(db_path) == ["../img/council.jpg", "/media/mayor.jpg", "wide.webp"]
