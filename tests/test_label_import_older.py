"""`annotator import-labels` never reverts newer work with an older file (audit7 F21): a
laptop's export re-imported after the annotator kept working on the server replaced their
correction, confirmed that day, with the months-old label, and said "imported 1"."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write

ARTICLES = (
    '{"id": "s1", "title": "Small one", "text": "Alpha said this. Beta thinks that. '
    'Gamma is here."}\n'
)


def record(position: int, labels: list[str], at: str | None) -> str:
    rec: dict[str, object] = {
        "article_id": "s1",
        "position": position,
        "annotator": "x",
        "labels": labels,
    }
    if at is not None:
        rec |= {"confirmed_at": at, "updated_at": at}
    return json.dumps(rec)


def stored(db: Path, position: int) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        (labels,) = conn.execute(
            "SELECT a.labels FROM annotations a JOIN sentences s ON s.id = a.sentence_id "
            "WHERE s.position = ?",
            [position],
        ).fetchone()
        return list(json.loads(labels))
    finally:
        conn.close()


def test_an_older_record_keeps_the_newer_work(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    old = write(
        tmp_path / "laptop.jsonl",
        "\n".join(
            [
                record(0, ["ATTRIBUTED"], "2026-11-02T09:00:01Z"),
                record(1, ["HEDGED"], "2026-11-02T09:00:02Z"),
            ]
        )
        + "\n",
    )
    assert run_cli("import-labels", str(old), "--format", "jsonl").exit_code == 0
    # x corrects sentence 1 on the screen today
    store = open_store(db_path)
    g, _ = use_guidelines(store)
    session = AnnotationSession(store, g, "x", article="s1")
    session.move_to(1)
    assert session.index == 1
    session.toggle("HEDGED")
    session.toggle("EDITORIAL")
    session.confirm()
    store.close()
    assert stored(db_path, 1) == ["EDITORIAL"]
    again = run_cli("import-labels", str(old), "--format", "jsonl")
    assert again.exit_code == 0, again.output
    assert stored(db_path, 1) == ["EDITORIAL"]  # not reverted
    assert (
        "imported 0 annotations (x); 1 already there, unchanged; 0 not matched; 1 older than "
        "the database's, the database's kept (the later change wins, as in merge): s1:1 x"
    ) in again.output
    # a newer record still wins, and one without a time is not known to be older
    # (an hour ahead: a time beyond another machine's clock skew is refused, audit9b F4)
    later = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    newer = write(tmp_path / "newer.jsonl", record(1, ["QUOTE"], later) + "\n")
    assert run_cli("import-labels", str(newer), "--format", "jsonl").exit_code == 0
    assert stored(db_path, 1) == ["QUOTE"]
    untimed = write(tmp_path / "untimed.jsonl", record(0, ["NONE"], None) + "\n")
    assert run_cli("import-labels", str(untimed), "--format", "jsonl").exit_code == 0
    assert stored(db_path, 0) == ["NONE"]


def test_imported_work_is_dated_when_it_was_done(run_cli: RunCli, db_path: Path) -> None:
    """audit7 F10: the events of import-labels carried the import's time, milliseconds
    apart, so status said 0 active minutes and no rate for a team's imported work."""
    from tests.conftest import ROOT

    assert run_cli("import", str(ROOT / "samples")).exit_code == 0
    assert run_cli("import-labels", str(ROOT / "demo" / "team-labels.jsonl")).exit_code == 0
    data = json.loads(run_cli("status", "--format", "json").output)
    by = {a["annotator"]: a for a in data["annotators"]}
    for who in ("alice", "bob"):
        assert by[who]["active_seconds"] > 60 and by[who]["sentences_per_hour"]
    conn = sqlite3.connect(db_path)
    times = conn.execute(
        "SELECT e.at, a.updated_at FROM annotations a JOIN events e ON e.id = a.event_id"
    ).fetchall()
    conn.close()
    assert times and all(at[:19] == updated[:19] for at, updated in times)
