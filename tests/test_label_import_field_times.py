"""import-labels: article fields come in as imported, at the file's time (audit10 F9: they
were recorded as typed, at the import's time), and RFC 3339's lowercase `t` and `z` are
read as a time (they were refused)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import RunCli, write

ARTICLE = {
    "id": "s1",
    "title": "First story",
    "text": "Alpha said the plan works. Bravo may fail soon. Charlie is a disgrace.",
}


def record(who: str, position: int, label: str, at: str) -> str:
    return json.dumps(
        {
            "article_id": "s1",
            "position": position,
            "annotator": who,
            "labels": [label],
            "confirmed_at": at,
            "updated_at": at,
        }
    )


def test_article_fields_are_imported_at_the_files_time(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    labels = write(
        tmp_path / "l.jsonl",
        "\n".join(
            [
                record("alice", 0, "HEDGED", "2026-11-02T09:00:01Z"),
                record("alice", 1, "NONE", "2026-11-02T09:05:00Z"),  # her latest here
                record("bob", 0, "NONE", "2026-11-03T10:00:00Z"),
            ]
        ),
    )
    side = {
        "id": "s1",
        # an articles file without times (the demo's), and bob's with his own
        "annotations": {"alice": {"genre": "opinion"}, "bob": {"genre": "news_report"}},
        "annotated_at": {"bob": {"genre": "2026-11-03T11:00:00Z"}},
    }
    write(tmp_path / "l.articles.jsonl", json.dumps(side))
    r = run_cli("import-labels", str(labels))
    assert r.exit_code == 0 and "2 article/outlet field values" in r.output, r.output
    rows = sqlite3.connect(db_path).execute(
        "SELECT n.name, e.at, e.origin FROM events e JOIN annotators n ON n.id = e.annotator_id "
        "WHERE e.kind = 'article_field' ORDER BY n.name"
    )
    assert rows.fetchall() == [
        ("alice", "2026-11-02T09:05:00.000Z", "imported"),
        ("bob", "2026-11-03T11:00:00.000Z", "imported"),
    ]
    # the same file again changes nothing
    again = run_cli("import-labels", str(labels))
    assert again.exit_code == 0 and " 0 article/outlet field values" in again.output


def test_lowercase_t_and_z_are_a_time_and_yesterday_is_not(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    good = write(tmp_path / "l.jsonl", record("alice", 0, "HEDGED", "2026-11-02t07:00:00z"))
    r = run_cli("import-labels", str(good))
    assert r.exit_code == 0 and "imported 1 annotations" in r.output, r.output
    (at,) = sqlite3.connect(db_path).execute("SELECT at FROM events").fetchone()
    assert at == "2026-11-02T07:00:00.000Z"
    bad = write(tmp_path / "y.jsonl", record("bob", 0, "HEDGED", "yesterday"))
    r = run_cli("import-labels", str(bad))
    assert r.exit_code == 1 and "'yesterday' is not an ISO 8601 time" in r.output, r.output
