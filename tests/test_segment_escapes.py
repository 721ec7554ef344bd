"""Markdown backslash escapes and the length cap where text has no spaces (audit, round 6).

A `.md` extraction kept "\\[These were\\]" in sentences (the HTML of the same page has
"[These were]"), and the 1,000-character cap only cut at spaces: a Chinese paragraph with no
full stop, or a data: URL, stayed one segment of thousands of characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.ingest.layout import MAX_SEGMENT
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"


def parsed(path: Path) -> ParsedArticle:
    (art,) = read_articles(path, with_readability=False)
    return art


def of_text(tmp_path: Path, text: str, name: str = "a.md") -> ParsedArticle:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return parsed(f)


def check_offsets(art: ParsedArticle) -> None:
    """Each segment is the cleaned text at its offsets; each character copied from the
    source maps back to the same character of the source."""
    source = art.extracted if art.extracted is not None else art.original.decode(art.encoding)
    for s in art.sentences:
        assert art.text[s.start : s.end] == s.text
        for i in range(s.start, s.end):
            o = art.offset_map.to_original(i)
            if source[o] != art.text[i]:
                # only an escaped character may map to its backslash's neighbour
                assert source[o - 1 : o + 1] == "\\" + art.text[i] or source[o] == "\\"


@pytest.mark.skipif(not (CORPUS / "md").is_dir(), reason="../shared/news_corpus is not present")
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (
            "independent.co.uk.penalty--md.md",
            "Former chief whip Mark Harper told him: “[These were] 12",
        ),
        ("wsvn.com-crash--md.md", "“We have units behind a vehicle [that] initially"),
        ("kaieteurnewsonline.com-essequibo--md.md", "Or by Email: [email"),
    ],
)
def test_escaped_brackets_of_the_corpus_read_as_brackets(name: str, shown: str) -> None:
    art = parsed(CORPUS / "md" / name)
    assert any(s.text.startswith(shown) for s in art.sentences)
    assert not any("\\[" in s.text or "\\]" in s.text for s in art.sentences)
    check_offsets(art)


def test_escapes_become_their_character_with_exact_offsets(tmp_path: Path) -> None:
    art = of_text(
        tmp_path,
        "He said \\[the minister\\] was \\*not\\* there and 1\\. was first.\n\n"
        "A [link with \\[4K\\] inside](https://example.org/x) stays a link.\n",
    )
    texts = [s.text for s in art.sentences]
    assert "He said [the minister] was *not* there and 1. was first." in texts
    linked = next(s for s in art.sentences if s.text.startswith("A link"))
    assert linked.text == "A link with [4K] inside stays a link."
    (link,) = linked.links_json()
    assert linked.text[int(link["start"]) : int(link["end"])] == "link with [4K] inside"
    check_offsets(art)


def test_a_backslash_before_a_letter_is_text(tmp_path: Path) -> None:
    # not an escape: a Windows path, a stray backslash; an escaped backslash is one
    art = of_text(tmp_path, "Files are in C:\\Users\\news and a \\\\ mark stays.\n")
    assert [s.text for s in art.sentences] == ["Files are in C:\\Users\\news and a \\ mark stays."]
    check_offsets(art)


def test_chinese_without_a_full_stop_is_cut_after_a_clause_mark(tmp_path: Path) -> None:
    clause = "北京市政府今天宣布新的交通管理措施"  # 17 characters, no space
    text = "，".join([clause] * 120) + "。\n"
    art = of_text(tmp_path, text, "zh.txt")
    assert len(art.sentences) > 1
    assert all(len(s.text) <= MAX_SEGMENT for s in art.sentences)
    assert all(s.text.endswith(("，", "。")) for s in art.sentences)
    assert "".join(s.text for s in art.sentences) == text.strip()
    check_offsets(art)


@pytest.mark.parametrize(
    "blob",
    [
        "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" * 400,
        "x" * 200_000,
    ],
    ids=["data-url", "200k-letters"],
)
def test_a_run_with_no_break_at_all_is_cut_at_the_limit(tmp_path: Path, blob: str) -> None:
    text = f"The picture was {blob} and nothing more.\n"
    art = of_text(tmp_path, text, "blob.txt")
    assert all(len(s.text) <= MAX_SEGMENT for s in art.sentences)
    # nothing lost: the segments hold every character but the spaces they were cut at
    assert "".join(s.text for s in art.sentences).replace(" ", "") == text.strip().replace(" ", "")
    check_offsets(art)
