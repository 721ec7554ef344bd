"""The Datasette views of migration 0005 on the team database, and db/datasette.json in
agreement with db/README.md (it is written from it)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

from tests.conftest import ROOT
from tests.consumers import confirmed_per_annotator, gold_count, team_db


def test_views_answer_the_common_questions(tmp_path: Path) -> None:
    db = team_db(tmp_path, "partly")
    conn = sqlite3.connect(db)
    try:
        per = dict(
            conn.execute("SELECT annotator, count(*) FROM annotator_labels GROUP BY annotator")
        )
        assert per == confirmed_per_annotator(db)
        row = conn.execute(
            "SELECT article, text FROM annotator_labels WHERE annotator = 'alice' LIMIT 1"
        ).fetchone()
        assert row[0].startswith("000_") and row[1]
        disputed = conn.execute("SELECT count(*), min(versions) FROM disagreements").fetchone()
        assert disputed[0] > 0 and disputed[1] == 2
        assert conn.execute("SELECT count(*) FROM gold_labels").fetchone()[0] == gold_count(db)
        assert conn.execute(
            "SELECT count(*) FROM gold_labels WHERE method = 'adjudicated' AND adjudicator = 'dana'"
        ).fetchone()[0]
        progress = conn.execute(
            "SELECT sum(annotations_confirmed), sum(sentences_gold) FROM article_progress"
        ).fetchone()
        assert progress == (sum(confirmed_per_annotator(db).values()), gold_count(db))
        sources = {r[0] for r in conn.execute("SELECT source FROM article_field_values")}
        assert "annotator" in sources
    finally:
        conn.close()


def datasette_metadata() -> dict[str, object]:
    """db/datasette.json as written from db/README.md: each table's and view's row of its
    tables as the description, label columns, the derived sentence_records and the
    importer's sentence_records_by_writer hidden.
    `UPDATE_EXPECTED=1 pytest tests/test_db_views.py` rewrites the file after an edit."""
    readme = (ROOT / "db" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_0-9]+)` \| ([^|]+) \| (.+) \|$", readme, flags=re.MULTILINE)
    tables: dict[str, dict[str, object]] = {
        n: {"description": f"One row per {p.strip()}. {d.strip()}"}
        for n, p, d in rows
        if not n.startswith("_")
    }
    for name, column in (
        ("articles", "title"),
        ("sentences", "text"),
        ("annotators", "name"),
        ("outlets", "name"),
    ):
        tables[name]["label_column"] = column
    tables["sentence_records"]["hidden"] = True
    tables["sentence_records_by_writer"]["hidden"] = True  # empty outside an import
    return {
        "title": "annotator",
        "description": "Sentence-level annotations of news articles: see db/README.md",
        "databases": {"annotations": {"tables": tables}},
    }


def test_datasette_metadata_agrees_with_the_readme() -> None:
    path = ROOT / "db" / "datasette.json"
    want = datasette_metadata()
    if os.environ.get("UPDATE_EXPECTED"):
        path.write_text(json.dumps(want, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == want, (
        "db/datasette.json is stale: UPDATE_EXPECTED=1 pytest tests/test_db_views.py"
    )
