"""The traps of real scraped text, on the two sample articles, through the real importer."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.ingest.textmap import OffsetMap
from tests.conftest import SEED_LONG, SEED_SHORT, RunCli, write


@pytest.fixture(scope="module")
def long_article() -> ParsedArticle:
    (art,) = read_articles(SEED_LONG)
    return art


@pytest.fixture(scope="module")
def short_article() -> ParsedArticle:
    (art,) = read_articles(SEED_SHORT)
    return art


def texts(art: ParsedArticle, kind: str | None = None) -> list[str]:
    return [s.text for s in art.sentences if kind is None or s.kind == kind]


def find(art: ParsedArticle, fragment: str):
    hits = [s for s in art.sentences if fragment in s.text]
    assert len(hits) == 1, f"{fragment!r} is in {len(hits)} segments"
    return hits[0]


def test_every_segment_is_its_offsets(
    long_article: ParsedArticle, short_article: ParsedArticle
) -> None:
    for art in (long_article, short_article):
        last_end = 0
        for s in art.sentences:
            assert art.text[s.start : s.end] == s.text
            assert s.text == s.text.strip() and s.text
            assert s.start >= last_end
            last_end = s.end


def test_cleaned_text_maps_back_to_the_original(long_article: ParsedArticle) -> None:
    original = long_article.original.decode(long_article.encoding)
    m = OffsetMap.from_json(long_article.offset_map.to_json())
    copied = 0
    for s in long_article.sentences:
        for p in range(s.start, s.end):
            o = m.to_original(p)
            if long_article.text[p] != " ":  # joining spaces are inserted, not copied
                assert original[o] == long_article.text[p]
                copied += 1
    assert copied > 7000


def test_markdown_links_become_their_text_and_are_recorded(long_article: ParsedArticle) -> None:
    s = find(long_article, "Austin could not tell if")
    assert "[could not tell](#)" not in s.text
    (link,) = s.links_json()
    assert s.text[link["start"] : link["end"]] == "could not tell"
    assert link["url"] == "#"
    assert "](#)" not in long_article.text


def test_repeated_byline_is_kept_once_and_split_sentences_rejoined(
    long_article: ParsedArticle,
) -> None:
    assert long_article.byline == "Written by Veronika Kyrylenko on October 24, 2024"
    assert long_article.author == "Veronika Kyrylenko"
    assert texts(long_article, "byline") == [long_article.byline]
    assert long_article.text.count("Written by") == 1
    s = find(long_article, "revealed that “at least” 3,000")
    assert "3,000 North Korean soldiers had been transferred from the Wonsan region" in s.text
    s = find(long_article, "Biden-Harris Administration must make")
    assert s.text.endswith(
        "must make clear that North Korean troops entering this conflict "
        "are a red line for the United States."
    )


def test_segment_kinds(long_article: ParsedArticle) -> None:
    assert long_article.title == (
        "Biden Admin Confirms North Korean Troops in Russia; House "
        "Intel Chair: Consider Direct Military Action"
    )
    assert texts(long_article, "title") == [long_article.title]
    assert texts(long_article, "credit") == ["Oleksii Liskonih/iStock/Getty Images Plus"]
    assert texts(long_article, "embed") == [
        "— TIME (@TIME) October 23, 2024",
        "— VOZ (@Voz_US) October 23, 2024",
        "— Dp10 (@dekathlos) October 23, 2024",
        "— US Rep. Mike Turner (@RepMikeTurner) October 23, 2024",
    ]
    assert texts(long_article, "media") == [
        "https://t.co/uqCAZCMLjy pic.twitter.com/TiOI7MjewV",
        "pic.twitter.com/2YKLUSV3mz",
        "pic.twitter.com/LBF42N984N",
        "https://t.co/Mi0VfuUdGh",
    ]
    for heading in (
        "DOD Confirmation",
        "White House",
        "War or Diplomacy?",
        "What's Included?",
        "“Direct Military Action”",
        "Heightened Global Alarm",
    ):
        assert heading in texts(long_article, "heading")
    items = texts(long_article, "list_item")
    assert items[0] == "24 Issues Per Year" and items[-1] == "Cancel anytime."
    assert len(items) == 9
    # the post text before a trailing media link stays a sentence of its own
    assert (
        "U.S. Defense Secretary Austin says there's evidence North Korea sent troops to Russia"
        in texts(long_article, "body")
    )


def test_news_sentence_boundaries(
    long_article: ParsedArticle, short_article: ParsedArticle
) -> None:
    body = texts(long_article, "body")
    assert "So, a nothingburger:" in body  # a line ending with a colon stands alone
    assert "According to the report," in body
    find(long_article, "Mike Turner (R-Ohio) urged the Biden administration")
    find(long_article, "other Russian sites ... and that they will likely be deployed")
    find(long_article, "In a significant development, U.S. Defense Secretary Lloyd Austin")
    find(long_article, "around 10,000 North Korean soldiers")
    # the period inside the closing quote ends the sentence; the next one starts after it
    s = find(short_article, "dismissed reports of North Korean involvement")
    assert s.text.endswith("as “disinformation.”")
    assert find(short_article, "Moscow had consistently denied").text.startswith("Moscow")


def test_readability_per_article_and_sentence(long_article: ParsedArticle) -> None:
    assert long_article.counts.words > 1000
    grade = long_article.counts.flesch_kincaid_grade
    assert grade is not None and 8 < grade < 20
    s = find(long_article, "In this high-stakes environment")
    assert s.counts.words == 8 and s.counts.flesch_reading_ease is not None


def test_import_stores_everything(run_cli: RunCli, db_path: Path) -> None:
    result = run_cli("import", str(SEED_LONG), str(SEED_SHORT))
    assert result.exit_code == 0, result.output
    assert "imported 2 articles (98 segments)" in result.output
    conn = sqlite3.connect(db_path)
    _text, original, byline, grade = conn.execute(
        "SELECT text, original, byline, flesch_kincaid_grade FROM articles "
        "WHERE external_id = '004_2bd55176b4b53eb1'"
    ).fetchone()
    assert original == SEED_LONG.read_bytes()
    assert byline.startswith("Written by Veronika Kyrylenko")
    assert grade is not None
    rows = conn.execute(
        'SELECT s.start, s."end", s.text, a.text, s.links FROM sentences s '
        "JOIN articles a ON a.id = s.article_id"
    ).fetchall()
    assert len(rows) == 98
    for start, end, stext, atext, _links in rows:
        assert atext[start:end] == stext
    links = [json.loads(r[4]) for r in rows if r[4]]
    assert any(lk["url"] == "https://t.co/uqCAZCMLjy" for group in links for lk in group)


def test_reimport_changes_nothing_and_says_so(run_cli: RunCli, db_path: Path) -> None:
    assert run_cli("import", str(SEED_LONG)).exit_code == 0
    before = sqlite3.connect(db_path).execute("SELECT count(*), max(id) FROM sentences").fetchone()
    result = run_cli("import", str(SEED_LONG))
    assert result.exit_code == 0
    assert "already imported" in result.output and "imported 0 articles" in result.output
    after = sqlite3.connect(db_path).execute("SELECT count(*), max(id) FROM sentences").fetchone()
    assert before == after


def test_segment_command_matches_import(run_cli: RunCli, db_path: Path) -> None:
    result = run_cli("segment", str(SEED_LONG), "--format", "jsonl")
    assert result.exit_code == 0
    segs = [json.loads(line) for line in result.output.splitlines()]
    assert {"index", "start", "end", "kind", "text"} <= set(segs[0])
    assert not db_path.exists()  # segment never touches the database
    run_cli("import", str(SEED_LONG))
    stored = (
        sqlite3.connect(db_path)
        .execute('SELECT position, start, "end", kind, text FROM sentences ORDER BY position')
        .fetchall()
    )
    assert [(s["index"], s["start"], s["end"], s["kind"], s["text"]) for s in segs] == stored
    text = run_cli("segment", str(SEED_LONG)).output
    assert "So, a nothingburger:" in text and "title" in text


def test_byline_date_becomes_the_published_date(
    long_article: ParsedArticle, tmp_path: Path
) -> None:
    # issue 11: "Written by ... on October 24, 2024" gave published: null
    assert long_article.published == "2024-10-24"
    # a date in the front matter wins over the byline's
    f = tmp_path / "a.txt"
    f.write_text(
        "---\npublished: 2024-10-25\n---\nBy Jo Bloggs on 3 March 2023\n\nThe council met.\n"
        "\nBy Jo Bloggs on 3 March 2023\n\nIt voted no.\n"
    )
    (art,) = read_articles(f)
    assert art.published == "2024-10-25"
    f.write_text(
        "By Jo Bloggs on 3 March 2023\n\nThe council met.\n\nBy Jo Bloggs on 3 March 2023\n"
    )
    (art,) = read_articles(f)
    assert art.published == "2023-03-03"


def test_too_short_to_tell_its_language_gets_no_readability_either(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # language NULL ("unknown" in status) beside an English grade contradicted "readability
    # only for languages the formulas fit" (audit2 F14): an unknown language gets neither
    path = write(tmp_path / "short.txt", "It was fine, he said.\n\nOfficials agreed.\n")
    assert run_cli("import", str(path)).exit_code == 0
    conn = sqlite3.connect(db_path)
    lang, fre, fkg, meta = conn.execute(
        "SELECT language, flesch_reading_ease, flesch_kincaid_grade, meta FROM articles"
    ).fetchone()
    conn.close()
    assert lang is None and fre is None and fkg is None
    assert "not detected" in json.loads(meta)["readability_unavailable"]
