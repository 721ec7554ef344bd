"""A Chinese or Japanese paragraph of one sentence, closed by its script's full stop, is body:
Chinese and Japanese news often write one sentence per paragraph, and a segment read as a
heading is one the annotator is told to skip (audit4 F0: the md extraction of Xinhua's page had
seven body sentences as title/heading, a JSONL of one-sentence paragraphs had no body at all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import read_articles
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"


def kinds(tmp_path: Path, text: str, name: str = "a.md") -> list[tuple[str, str]]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    (art,) = read_articles(f, with_readability=False)
    return [(s.kind, s.text) for s in art.sentences]


@pytest.mark.skipif(not (CORPUS / "md").is_dir(), reason="../shared/news_corpus is not present")
def test_xinhuas_one_sentence_paragraphs_are_body_in_every_extraction() -> None:
    for name in ("md/xinhuanet.com.c_1125597921--md.md", "txt/xinhuanet.com.c_1125597921.txt"):
        (art,) = read_articles(CORPUS / name, with_readability=False)
        by_text = {s.text: s.kind for s in art.sentences}
        openings = ("“妈妈，为什么还不能出去？”", "“宝贝，我们在打一场", "在抗击新冠肺炎")
        for opening in (*openings, "钟南山院士说："):
            (kind,) = [k for t, k in by_text.items() if t.startswith(opening)]
            assert kind == "body", (name, opening, kind)


def test_one_sentence_paragraphs_closed_by_cjk_stops_are_body(tmp_path: Path) -> None:
    zh = (
        "经济数据\n\n国务院新闻办公室今天举行发布会，介绍了最新的经济数据。\n\n"
        "他说：“消费仍是主要动力！”\n\n下一阶段怎么办？\n"
    )
    assert kinds(tmp_path, zh) == [
        ("title", "经济数据"),  # no stop: still a headline
        ("body", "国务院新闻办公室今天举行发布会，介绍了最新的经济数据。"),
        ("body", "他说：“消费仍是主要动力！”"),
        ("body", "下一阶段怎么办？"),
    ]
    ja = (
        "感染\n\n東京都は今日、新たに百人の感染を確認したと発表した。\n\n"
        "専門家は注意を呼びかけている（共同）。\n"
    )
    assert [k for k, _t in kinds(tmp_path, ja, "b.md")] == ["title", "body", "body"]


def test_unpunctuated_cjk_lines_and_english_questions_keep_their_kinds(tmp_path: Path) -> None:
    # what did not change: a CJK subheading without a stop, an English headline asking a question
    text = (
        "Title of the piece\n\nThe council met on Monday. It agreed the budget.\n\n"
        "Is this the end of the budget row?\n\nThe mayor said it was. Others disagreed.\n\n"
        "第二部分\n\n会议决定增加预算。委员们表示同意。\n"
    )
    got = kinds(tmp_path, text)
    assert ("heading", "Is this the end of the budget row?") in got
    assert ("heading", "第二部分") in got
