"""Static-site generators' front matter (Hugo, Jekyll, Eleventy, Astro) writes the
publication date as `date:` (audit6 F16): it is the article's published date unless the
file gives `published:` itself; stored and exported like any published date."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.ingest.front_matter import split_front_matter
from tests.consumers import cli_run

HUGO = (
    "---\ntitle: Buses for the east side\ndate: 2026-03-04T10:00:00+01:00\ndraft: false\n"
    "tags: [transport]\n---\n\nThe council voted on Tuesday. Officials said the plan was good.\n"
)


def test_date_is_the_published_date(tmp_path: Path) -> None:
    src = tmp_path / "hugo.md"
    src.write_text(HUGO, encoding="utf-8")
    db = tmp_path / "h.sqlite"
    assert cli_run(db, "import", "-q", str(src)).exit_code == 0
    out = tmp_path / "x.jsonl"
    assert cli_run(db, "export", "--all-sentences", "-o", str(out)).exit_code == 0
    art = json.loads((tmp_path / "x.articles.jsonl").read_text().splitlines()[0])
    assert art["published"] == "2026-03-04T10:00:00+01:00"
    assert art["meta"] == {"draft": False, "tags": ["transport"]}


def test_published_wins_and_date_stays_in_meta() -> None:
    known, other, _ = split_front_matter(
        "---\ndate: 2026-03-04\npublished: 2026-03-05\n---\nBody\n", "x.md"
    )
    assert known["published"] == "2026-03-05" and other["date"] == "2026-03-04"


def test_any_case_and_a_date_in_words() -> None:
    known, other, _ = split_front_matter('---\nDate: "March 4, 2026"\n---\nBody\n', "x.md")
    assert known["published"] == "March 4, 2026" and "date" not in other


def test_a_date_that_is_not_a_value_stays_in_meta() -> None:
    known, other, _ = split_front_matter("---\ndate: [1, 2]\n---\nBody\n", "x.md")
    assert "published" not in known and other["date"] == [1, 2]
