"""Inline markup read as markup only where it is markup (audit4 F3, F3b, F1, F1b): an inline
HTML tag goes only when it is well formed and paired in its paragraph, an emphasis marker
only when it pairs as CommonMark pairs them, nothing inside a code span; what is left is the
text as written ("a<b and b>c", "the <b> tag", "Get the f*** out"). Every case runs through
the real reader and layout, and the cleaned text maps back to the source exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.ingest.emphasis import emphasis
from annotator.ingest.layout import layout
from annotator.ingest.layout_inline import visible
from tests.conftest import SHARED, RunCli

CORPUS = SHARED / "news_corpus"
corpus = pytest.mark.skipif(
    not (CORPUS / "md").is_dir(), reason="../shared/news_corpus is not present"
)


def article(tmp_path: Path, text: str, name: str = "a.md") -> ParsedArticle:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    (art,) = read_articles(f, with_readability=False)
    return art


def texts(tmp_path: Path, text: str, name: str = "a.md") -> list[str]:
    return [s.text for s in article(tmp_path, text, name).sentences]


def assert_maps_back(source: str) -> None:
    """Every character of the cleaned text that is not markup's replacement maps to the same
    character in the source."""
    lay = layout(source)
    for s in lay.segments:
        for i in range(s.start, s.end):
            c = lay.text[i]
            if c.isalnum():
                assert source[lay.offset_map.to_original(i)] == c, (source, i)


# --- F3: inline HTML -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_angle_brackets_in_prose_are_text(tmp_path: Path, name: str) -> None:
    got = texts(
        tmp_path,
        "Use the <name> placeholder and <em>this</em>. Is 3<4 and 4>3 and a<b and b>c?\n",
        name,
    )
    assert got == ["Use the <name> placeholder and this.", "Is 3<4 and 4>3 and a<b and b>c?"]


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_an_unpaired_tag_is_text_and_a_paired_one_markup(tmp_path: Path, name: str) -> None:
    got = texts(
        tmp_path, "In HTML, write <b>bold</b> with the <b> tag, and <i> for italics.\n", name
    )
    assert got == ["In HTML, write bold with the <b> tag, and <i> for italics."]
    assert texts(tmp_path, "Here is a <b> tag in prose.\n", name) == ["Here is a <b> tag in prose."]
    # a closing tag with no opener before it, a tag with a bare word for attribute value
    assert visible("It ends</i> here, <span class=x>and</span> there.") == (
        "It ends</i> here, and there."
    )
    # a closer before its opener pairs with nothing
    assert visible("a </b>x<b> b") == "a </b>x<b> b"


def test_tag_attributes_must_be_written_as_attributes() -> None:
    assert visible("<span class=\"a\" data-x='1' id = y>kept</span>") == "kept"
    # "<b and b>" is not a tag: its "attributes" are words
    assert visible("if a<b and b>c then </b> done") == "if a<b and b>c then </b> done"
    # an unknown or block tag is not removed (documented: inline tags of prose only)
    assert visible("<div>x</div> <Ctrl> <john@example.com>") == (
        "<div>x</div> <Ctrl> <john@example.com>"
    )


def test_a_tag_pairs_within_its_paragraph_not_across_one(tmp_path: Path) -> None:
    got = texts(tmp_path, "GAZA — <u>The Israeli\nassault</u> on the city.\n")
    assert got == ["GAZA — The Israeli\nassault on the city."]
    got = texts(tmp_path, "The <b> tag opens.\n\nAnd </b> closes it.\n")
    assert got == ["The <b> tag opens.", "And </b> closes it."]


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
def test_an_html_link_keeps_its_text_and_its_url(tmp_path: Path, name: str) -> None:
    art = article(tmp_path, 'Read <a href="http://x.com/r?a=1&amp;b=2">the report</a> now.\n', name)
    (s,) = art.sentences
    assert s.text == "Read the report now."
    assert [(art.text[lk.start : lk.end], lk.url) for lk in s.links] == [
        ("the report", "http://x.com/r?a=1&b=2")
    ]
    art = article(tmp_path, "See <a class='c' href=/x><b>this</b></a> too.\n", name)
    (s,) = art.sentences
    assert s.text == "See this too."
    assert [(art.text[lk.start : lk.end], lk.url) for lk in s.links] == [("this", "/x")]
    assert_maps_back('Read <a href="http://x.com/r">the report</a> now.\n')


def test_nothing_inside_a_code_span_is_cleaned(tmp_path: Path) -> None:
    got = texts(
        tmp_path,
        "Write `<b>` for bold and `&amp;` for an ampersand; the `**kwargs` and `*args` forms.\n",
    )
    assert got == [
        "Write `<b>` for bold and `&amp;` for an ampersand; the `**kwargs` and `*args` forms."
    ]
    # a longer fence holds a single backtick; markup outside the span is still markup
    assert visible("``a ` *b*`` and *c* and `_d_`") == "``a ` *b*`` and c and `_d_`"
    # an unclosed backtick is text, and the markup after it markup
    assert visible("a ` b *c*") == "a ` b c"


# --- F3b: censored words and footnote asterisks stay ----------------------------------------

CENSORED = [
    ("“Get the f*** out,” he shouted.", "“Get the f*** out,” he shouted."),
    ("He called her a b**** on air.", "He called her a b**** on air."),
    ("That was s***, she said.", "That was s***, she said."),
    ("All prices in euros*.", "All prices in euros*."),
    ("*Terms apply.", "*Terms apply."),
    ("Prices* rose and fees* fell.", "Prices* rose and fees* fell."),
    ("F*** this, he said.", "F*** this, he said."),
    ("What the f***ing hell, P***y said.", "What the f***ing hell, P***y said."),
    ("It was sh*t and f*ck all.", "It was sh*t and f*ck all."),
    ("Multiply 5 * 3 and a*b.", "Multiply 5 * 3 and a*b."),
    ("F**k this s**t, he said.", "F**k this s**t, he said."),
    ("Use __init__ and __main__ names.", "Use __init__ and __main__ names."),
    ("The ** in Python is a power.", "The ** in Python is a power."),
]


@pytest.mark.parametrize("name", ["a.txt", "a.md"])
@pytest.mark.parametrize(("line", "want"), CENSORED)
def test_an_asterisk_that_pairs_with_nothing_is_text(
    tmp_path: Path, name: str, line: str, want: str
) -> None:
    assert texts(tmp_path, line + "\n", name) == [want]


def test_censored_quotes_through_the_segment_command(tmp_path: Path, run_cli: RunCli) -> None:
    f = tmp_path / "censor.txt"
    f.write_text(
        "“Get the f*** out,” he shouted.\n\nHe called her a b**** on air.\n\n"
        "That was s***, she said.\n\nAll prices in euros*.\n\n*Terms apply.\n",
        encoding="utf-8",
    )
    result = run_cli("segment", str(f), "--format", "jsonl")
    assert result.exit_code == 0
    got = [json.loads(line)["text"] for line in result.output.splitlines()]
    assert got == [
        "“Get the f*** out,” he shouted.",
        "He called her a b**** on air.",
        "That was s***, she said.",
        "All prices in euros*.",
        "*Terms apply.",
    ]


# --- F1, F1b: emphasis that pairs goes ------------------------------------------------------

EMPHASIS = [
    ("*The Economist*‘s Open Future initiative.", "The Economist‘s Open Future initiative."),
    ("And *this*’ too.", "And this’ too."),
    ("A *word*“quoted” end.", "A word“quoted” end."),
    ("**Update:** *Added it.*", "Update: Added it."),
    ("**Update** *Added it.*", "Update Added it."),
    ("A **Update:** *Added it.*", "A Update: Added it."),
    ("The _real_ issue is cost.", "The real issue is cost."),
    ("She wrote _The Book_, he said.", "She wrote The Book, he said."),
    ("***Both*** at once.", "Both at once."),
    ("*Photo: AFP*", "Photo: AFP"),
    ("A **33%**of them.", "A 33%of them."),
    ("snake_case_name and _init_ read.", "snake_case_name and init read."),
    ("An \\*escaped\\* star.", "An *escaped* star."),
    ("*[linked](http://x.com/a_b_c)* text.", "linked text."),
]


@pytest.mark.parametrize(("line", "want"), EMPHASIS)
def test_emphasis_that_pairs_is_markup(tmp_path: Path, line: str, want: str) -> None:
    assert [visible(line)] == [want]
    assert_maps_back(line + "\n")


def test_emphasis_pairs_over_the_lines_of_a_paragraph(tmp_path: Path) -> None:
    art = article(tmp_path, "Intro line here.\n\n**Open Future  \n[Open Future](/open-future/)**\n")
    assert "*" not in art.text
    # but not across a blank line
    got = texts(tmp_path, "It costs *5 euros.\n\nAnd 6 euros* more.\n")
    assert got == ["It costs *5 euros.", "And 6 euros* more."]


def test_every_line_of_a_long_paragraph_gets_its_own_pairs() -> None:
    # the paragraph's pairs are found once and each line takes its own
    source = "\n".join(f"Line {i} has *a* and <b>b</b> word." for i in range(2000)) + "\n"
    lay = layout(source)
    assert "*" not in lay.text and "<" not in lay.text
    assert lay.text.count("has a and b word.") == 2000


def test_emphasis_on_many_unpaired_runs_stays_bounded() -> None:
    # a closer looks back a bounded number of openers: a line of thousands of runs is fine
    line = " ".join(["*a _b"] * 5000)
    assert emphasis(line) == []
    assert visible(line) == line


# --- the corpus -----------------------------------------------------------------------------


def corpus_texts(name: str) -> list[tuple[str, str]]:
    (art,) = read_articles(CORPUS / name, with_readability=False)
    return [(s.kind, s.text) for s in art.sentences]


@corpus
@pytest.mark.parametrize(
    ("name", "segment"),
    [
        (
            "md/economist.com.thinking--md.md",
            "The Economist‘s Open Future initiative asked Mr Malone five questions with the "
            "stipulation that he reply in around 100 words each time.",
        ),
        (
            "md/theverge.com.ios13--md.md",
            "Update July 3rd, 8:05AM ET: Added ARKit explanation and tweet.",
        ),
        (
            "crude/theatlantic.com.disasters.h2t.md",
            "The Wall Street Journal published a misleading editorial blaming the state’s "
            "reliance on renewable energy for the outages.",
        ),
        (
            "crude/economist.com.thinking.h2t.md",
            "The Economist ‘s Open Future initiative asked Mr Malone five questions with the "
            "stipulation that he reply in around 100 words each time.",
        ),
    ],
)
def test_corpus_emphasis_is_gone(name: str, segment: str) -> None:
    assert ("body", segment) in corpus_texts(name)


@corpus
def test_corpus_has_no_emphasis_marker_left_around_a_word() -> None:
    # a marker touching a word on its inside, at a word's edge: "_The Atlantic_", "*Update"
    for folder in ("md", "crude"):
        for p in sorted((CORPUS / folder).glob("*.md")):
            (art,) = read_articles(p, with_readability=False)
            for s in art.sentences:
                if s.kind in ("body", "title", "heading"):
                    assert not any(
                        w[0] in "*_" and w[1:2].isalpha() and w[-1] in "*_"
                        for w in s.text.split()
                        if len(w) > 2
                    ), (p.name, s.text)
