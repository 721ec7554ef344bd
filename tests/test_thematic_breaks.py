"""A markdown article may open with a thematic break ("---"): front matter is only a block of
fields, so a sentence between two breaks, or a paragraph after a blank line, stays text
(audit4 F6: "The mayor said: it was fine." became the meta key "the mayor said", silently,
and a valid markdown file was refused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.articles import read_articles
from annotator.ingest.input_files import InputError


def read(tmp_path: Path, text: str) -> tuple[list[tuple[str, str]], dict[str, object], str]:
    f = tmp_path / "a.md"
    f.write_text(text, encoding="utf-8")
    (art,) = read_articles(f, with_readability=False)
    return [(s.kind, s.text) for s in art.sentences], dict(art.meta), art.title or ""


def test_a_sentence_between_two_breaks_is_text_not_a_field(tmp_path: Path) -> None:
    segs, meta, _title = read(
        tmp_path, "---\nThe mayor said: it was fine.\n---\nRest of the story.\n"
    )
    assert segs == [("body", "The mayor said: it was fine."), ("body", "Rest of the story.")]
    assert meta == {}


def test_a_break_then_a_blank_line_is_not_front_matter(tmp_path: Path) -> None:
    text = "---\n\nIntro paragraph of the story, the mayor said.\n\n---\n\nSecond part.\n"
    segs, meta, _title = read(tmp_path, text)
    assert segs == [
        ("body", "Intro paragraph of the story, the mayor said."),
        ("body", "Second part."),
    ]
    assert meta == {}


def test_front_matter_of_named_fields_is_still_read(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Council votes\nog-image: x.jpg\nsection_name: City\n---\nThe council voted.\n"
    )
    segs, meta, title = read(tmp_path, text)
    assert title == "Council votes"
    assert meta == {"og-image": "x.jpg", "section_name": "City"}
    assert segs == [("body", "The council voted.")]


def test_a_broken_field_block_is_still_refused_by_line(tmp_path: Path) -> None:
    f = tmp_path / "b.md"
    f.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        list(read_articles(f, with_readability=False))
    assert str(e.value).startswith(f"{f}:"), str(e.value)
