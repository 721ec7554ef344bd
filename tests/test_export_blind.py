"""In a blind project, an annotator's export shows every colleague's labels: it asks first
and records it, as `agreement --disagreements` does (audit7 F13)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.consumers import cli_run, team_db


def saw_others(db: Path, who: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM events e JOIN annotators n ON n.id = e.annotator_id "
                "WHERE e.action = 'saw_others' AND n.name = ?",
                [who],
            ).fetchone()[0]
        )
    finally:
        conn.close()


def test_an_annotators_export_of_a_blind_project_asks_and_is_recorded(
    tmp_path: Path, monkeypatch: object
) -> None:
    import os

    db = team_db(tmp_path, "no_gold")
    for who in ("alice", "bob"):
        assert cli_run(db, "team", "add", who).exit_code in (0, 1)
    assert cli_run(db, "project", "set", "blind", "true").exit_code == 0
    out = tmp_path / "raw.jsonl"
    os.environ["ANNOTATOR_USER"] = "alice"
    try:
        declined = cli_run(db, "export", "--view", "raw", "-o", str(out))
        assert declined.exit_code == 1 and "not shown: nothing was recorded" in declined.output
        assert not out.exists() and saw_others(db, "alice") == 0
        done = cli_run(db, "export", "--view", "raw", "-o", str(out), "--yes")
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 0 and saw_others(db, "alice") == 1
    finally:
        del os.environ["ANNOTATOR_USER"]
    # a manager (not an annotator) is not asked
    assert cli_run(db, "team", "add", "mia", "--role", "manager").exit_code == 0
    os.environ["ANNOTATOR_USER"] = "mia"
    try:
        assert cli_run(db, "export", "--view", "raw", "-o", str(out), "--force").exit_code == 0
    finally:
        del os.environ["ANNOTATOR_USER"]
