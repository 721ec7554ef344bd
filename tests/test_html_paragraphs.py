"""HTML a text carries that is more than inline markup: a JSON Lines `text` made of `<p>`
paragraphs (a CMS's body field) is read as the paragraphs a browser shows, and struck text
(`<s>`, `<del>`, `<strike>`) is not current text. Offsets stay exact into the original."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.ingest.html_blocks import html_paragraphs
from tests.conftest import RunCli


def parsed(path: Path) -> ParsedArticle:
    (art,) = read_articles(path, with_readability=False)
    source = art.original.decode(art.encoding)
    for s in art.sentences:
        assert art.text[s.start : s.end] == s.text
        for i in range(s.start, s.end):
            c = art.text[i]
            assert c.isspace() or source[art.offset_map.to_original(i)] == c, (i, c)
    return art


def jsonl(tmp_path: Path, text: str) -> ParsedArticle:
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "x1", "text": text}) + "\n", encoding="utf-8")
    return parsed(f)


def kinds(art: ParsedArticle) -> list[tuple[str, str, int]]:
    return [(s.kind, s.text, s.paragraph) for s in art.sentences]


def test_a_jsonl_text_of_p_paragraphs_is_split_at_them(tmp_path: Path) -> None:
    art = jsonl(
        tmp_path,
        "<h1>Council votes to close the pool</h1>"
        '<p class="lede">The council voted on Monday.</p><p>Critics said it was overdue.</p>'
        "<h2>What comes next</h2><p>An election follows.<br>It is set for May.</p>"
        "<ul><li>Polls open at 7 a.m.</li><li>Results come by midnight.</li></ul>",
    )
    assert kinds(art) == [
        ("title", "Council votes to close the pool", 0),
        # one segment before: "<p>The council ... overdue.</p><h2>What ... 7</li>..."
        ("body", "The council voted on Monday.", 1),
        ("body", "Critics said it was overdue.", 2),
        ("heading", "What comes next", 3),
        ("body", "An election follows.", 4),
        ("body", "It is set for May.", 4),
        # one paragraph per item, of kind list item
        ("list_item", "Polls open at 7 a.m.", 5),
        ("list_item", "Results come by midnight.", 6),
    ]
    assert "<" not in art.text


def test_p_paragraphs_over_lines_and_with_inline_tags(tmp_path: Path) -> None:
    art = jsonl(
        tmp_path,
        "<p>The <b>mayor</b> said <a href='https://x.org/r'>the report</a> was late.</p>\n"
        "<p>He &amp; his aides left.</p>\n",
    )
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("body", "The mayor said the report was late."),
        ("body", "He & his aides left."),
    ]
    assert art.sentences[0].links_json() == [{"start": 15, "end": 25, "url": "https://x.org/r"}]


@pytest.mark.parametrize(
    "text",
    [
        "A <div>block</div> tag stays.",  # no line opens with it: prose about a tag
        "Line<br>break<br/>s.",  # <br> in prose stays a space
        "the <p> tag opens a paragraph.",  # no closing tag
        "Write `<p>` and `</p>` around it.\n\n<p>Like this.</p>",  # HTML shown in code
        "| a<br>b | c |\n|---|---|\n| d | e |",  # a markdown table's cell
    ],
)
def test_html_named_in_prose_is_not_read_as_paragraphs(text: str) -> None:
    assert html_paragraphs(text) is text


def test_block_tags_are_blanked_in_place(tmp_path: Path) -> None:
    text = "Title line\n\n<p>One.</p><p>Two.</p>"
    out = html_paragraphs(text)
    assert len(out) == len(text)
    assert out.split() == ["Title", "line", "One.", "Two."]
    # front matter before the body is left as it is
    assert html_paragraphs("<p>x</p>\n<p>One.</p>", 9)[:9] == "<p>x</p>\n"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (
            "The minister <del>resigned</del> was sacked on Monday.",
            "The minister was sacked on Monday.",
        ),
        ("The minister was <s>fired</s>.", "The minister was."),
        ("Price <del>$5</del>$4 now.", "Price $4 now."),
        ('Say <del class="x">a *b* [link](http://x.org)</del> ok.', "Say ok."),
        ("Plural word<DEL>s</DEL> here.", "Plural word here."),
        # not struck: unpaired; over two lines, struck too (segments8: test_struck_lines.py)
        ("the <s> tag is old.", "the <s> tag is old."),
        ("A <strike>broken\nline</strike> here.", "A here."),
    ],
)
def test_struck_text_is_not_current_text(tmp_path: Path, line: str, shown: str) -> None:
    f = tmp_path / "a.md"
    f.write_text(line + "\n", encoding="utf-8")
    art = parsed(f)
    assert art.text == shown


def test_a_struck_paragraph_leaves_no_segment(tmp_path: Path) -> None:
    art = jsonl(tmp_path, "<p><del>The old claim was wrong.</del></p><p>The corrected claim.</p>")
    assert [(s.kind, s.text) for s in art.sentences] == [("body", "The corrected claim.")]


def test_an_items_sentences_are_list_items_and_a_paragraph_after_the_list_is_body(
    tmp_path: Path,
) -> None:
    art = jsonl(
        tmp_path,
        "<p>The plan has three parts.</p><ol>\n<li> <p>Taxes rise. Spending falls.</p></li>\n"
        "<li>Polls open at 7</li></ol><p>The vote is on May 2.</p>",
    )
    assert [(s.kind, s.text) for s in art.sentences] == [
        ("body", "The plan has three parts."),
        ("list_item", "Taxes rise."),
        ("list_item", "Spending falls."),
        ("list_item", "Polls open at 7"),
        ("body", "The vote is on May 2."),
    ]


def test_a_jsonl_of_html_paragraphs_imports_through_the_cli(
    tmp_path: Path, run_cli: RunCli, db_path: Path
) -> None:
    f = tmp_path / "cms.jsonl"
    f.write_text(
        json.dumps(
            {
                "id": "cms-1",
                "text": "<p>The council met.</p><p>It voted <del>yes</del> no on the plan.</p>",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(f))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path)
    text, original = conn.execute("SELECT text, original FROM articles").fetchone()
    rows = conn.execute('SELECT start, "end", text, kind FROM sentences ORDER BY position')
    got = [(kind, seg) for _s, _e, seg, kind in rows]
    conn.close()
    assert got == [("body", "The council met."), ("body", "It voted no on the plan.")]
    assert "<" not in text and "<del>yes</del>" in bytes(original).decode("utf-8")
