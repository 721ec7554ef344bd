"""`annotator status` for a team (issue 14): per annotator the queue, assigned work,
confirmed and remaining, article forms, active time and rate; per article who is assigned
and how far each is; staff apart; agreement with gold for managers. The counts migration
0011 keeps (activity, disputed sentences) are checked against a recount from the events
and annotations."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store import events
from annotator.store.activity import recount
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, RunCli

LABELS = ROOT / "demo" / "team-labels.jsonl"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def status(run_cli: RunCli, *args: str) -> dict[str, Any]:
    r = run_cli("status", "--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def work(db: Path, name: str, article: str, confirms: int) -> None:
    store = open_store(db)
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, name, article=article)
    for _ in range(confirms):
        s.confirm()
    store.close()


def test_status_json_for_a_team_with_assignments(run_cli: RunCli, imported_db: Path) -> None:
    for name in ("alice", "bob", "carol"):
        assert run_cli("team", "add", name).exit_code == 0
    assert run_cli("team", "add", "dora", "--role", "adjudicator").exit_code == 0
    assert run_cli("team", "add", "mia", "--role", "manager").exit_code == 0
    r = run_cli("assign", "--per-article", "2", "--calibration", "1", "--seed", "4")
    assert r.exit_code == 0, r.output
    before = status(run_cli, "--as", "alice")
    first = next(a for a in before["annotators"] if a["annotator"] == "alice")["queue"][0]
    work(imported_db, "alice", first["article"], 3)
    data = status(run_cli, "--as", "alice")
    # the keys scripts read are still there, and `articles` is still a count
    assert isinstance(data["articles"], int) and data["articles"] == 2
    assert {"annotators", "staff", "team", "assigned_articles", "adjudication"} <= set(data)
    assert {p["name"] for p in data["staff"]} == {"dora", "mia"}
    people = {a["annotator"]: a for a in data["annotators"]}
    assert set(people) == {"alice", "bob", "carol"}  # staff are not annotators
    alice = people["alice"]
    for key in (
        "queue",
        "assigned",
        "confirmed",
        "article_forms_done",
        "active_seconds",
        "sentences_per_hour",
        "articles",
        "article_form_fields",
    ):
        assert key in alice, key
    assert alice["confirmed"] == 3
    q = alice["assigned"]
    assert q["articles"] == len(alice["queue"])
    assert q["sentences"] == sum(x["sentences"] for x in alice["queue"])
    assert q["confirmed"] == 3 and q["remaining"] == q["sentences"] - 3
    assert alice["queue"][0] == {**first, "confirmed": 3}
    # three confirms a moment apart: seconds of activity, too few for a rate
    assert 0 <= alice["active_seconds"] < 60 and alice["sentences_per_hour"] is None
    per = {x["article"]: x for x in data["assigned_articles"]}
    row = per[first["article"]]
    assert [p["annotator"] for p in row["progress"]] == row["assigned"]
    mine = next(p for p in row["progress"] if p["annotator"] == "alice")
    assert mine == {"annotator": "alice", "confirmed": 3, "form_fields": 0}
    # alice is no manager, and the team has one: no agreement with gold for her
    assert "gold_agreement" not in data
    text = run_cli("status", "--as", "alice")
    assert text.exit_code == 0, text.output
    assert "assigned articles (confirmed/sentences per annotator):" in text.output
    assert "alice 3/" in text.output and "active 0 min" in text.output


def put_events(db: Path, name: str, seconds: list[int]) -> None:
    """Events of `name` at T0 + each offset, written by the one events.append."""
    store = open_store(db)
    g, _ = use_guidelines(store)
    AnnotationSession(store, g, name)  # makes the annotator
    aid = int(store.scalar("SELECT id FROM annotators WHERE name = ?", [name]) or 0)
    with store.write() as conn:
        for s in seconds:
            at = (T0 + timedelta(seconds=s)).isoformat(timespec="milliseconds")
            events.append(
                conn,
                at=at.replace("+00:00", "Z"),
                annotator_id=aid,
                kind="sentence",
                action="comment",
                before=None,
                after=None,
                schema_hash=g.schema.hash,
                session="test",
            )
    store.close()


def activity_row(db: Path, name: str) -> tuple[float, int]:
    row = (
        sqlite3.connect(db)
        .execute(
            "SELECT active_seconds, stale FROM annotator_activity JOIN annotators n "
            "ON n.id = annotator_id WHERE n.name = ?",
            [name],
        )
        .fetchone()
    )
    return float(row[0]), int(row[1])


def test_active_time_skips_breaks_and_recounts_events_out_of_order(
    run_cli: RunCli, imported_db: Path
) -> None:
    # gaps 60, 60, 880 (a break), 100: 220 s of work
    put_events(imported_db, "erin", [0, 60, 120, 1000, 1100])
    seconds, stale = activity_row(imported_db, "erin")
    assert seconds == pytest.approx(220.0) and stale == 0
    erin = next(a for a in status(run_cli)["annotators"] if a["annotator"] == "erin")
    assert erin["active_seconds"] == 220.0
    # an event older than the latest (a merged copy, imported labels): the row goes stale,
    # and status recounts in time order: 0, 60, 120, 400, 1000, 1100 -> 60+60+280+100
    put_events(imported_db, "erin", [400])
    assert activity_row(imported_db, "erin")[1] == 1
    erin = next(a for a in status(run_cli)["annotators"] if a["annotator"] == "erin")
    assert erin["active_seconds"] == 500.0
    seconds, stale = activity_row(imported_db, "erin")
    assert seconds == pytest.approx(500.0) and stale == 0  # stored again
    conn = sqlite3.connect(imported_db)
    aid = conn.execute("SELECT id FROM annotators WHERE name = 'erin'").fetchone()[0]
    assert recount(conn, [aid])[aid][0] == pytest.approx(500.0)


def test_a_read_only_database_recounts_without_writing(run_cli: RunCli, imported_db: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only files")
    put_events(imported_db, "erin", [0, 100, 50])  # out of order: stale
    imported_db.chmod(stat.S_IRUSR)
    try:
        erin = next(a for a in status(run_cli)["annotators"] if a["annotator"] == "erin")
        assert erin["active_seconds"] == 100.0
    finally:
        imported_db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert activity_row(imported_db, "erin")[1] == 1


@pytest.fixture
def adjudicated(run_cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo team's labels (alice, bob), unanimous sentences made gold by carol."""
    monkeypatch.chdir(ROOT)
    assert run_cli("import", "samples").exit_code == 0
    assert run_cli("import-labels", str(LABELS), "--format", "jsonl").exit_code == 0
    store = open_store(db_path)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "carol")
    store.close()
    return db_path


def test_managers_see_agreement_with_gold(run_cli: RunCli, adjudicated: Path) -> None:
    # no manager on the team yet: everyone sees it (as before teams existed)
    assert "gold_agreement" in status(run_cli, "--as", "bob", "--bootstrap", "50")
    assert run_cli("team", "add", "carol", "--role", "manager").exit_code == 0
    assert "gold_agreement" not in status(run_cli, "--as", "bob")
    data = status(run_cli, "--as", "carol", "--bootstrap", "50")
    rows = {x["annotator"]: x for x in data["gold_agreement"]}
    assert set(rows) == {"alice", "bob"}  # carol (staff) is not compared with her own gold
    conn = sqlite3.connect(adjudicated)
    gold = conn.execute("SELECT count(*) FROM gold_annotations").fetchone()[0]
    articles = conn.execute(
        "SELECT count(DISTINCT s.article_id) FROM gold_annotations g "
        "JOIN sentences s ON s.id = g.sentence_id"
    ).fetchone()[0]
    assert articles < 10  # the samples: too few articles to resample whole (audit8 F10)
    for person in rows.values():
        assert 0 < person["sentences"] <= gold
        labels = {la["label"]: la for la in person["labels"]}
        alpha = labels["ATTRIBUTED"]["krippendorff_alpha"]
        # every sentence with gold agrees with at least one annotator: high; no interval,
        # and why, as `agreement` says it
        assert alpha["value"] is not None and alpha["ci95"] is None
        assert alpha["reason"].startswith(f"no interval: {articles} article(s) with gold")
    text = run_cli("status", "--as", "carol", "--bootstrap", "20", "--no-articles")
    assert "alice against gold" in text.output and "ATTRIBUTED" in text.output


def test_kept_disputes_equal_a_recount(run_cli: RunCli, adjudicated: Path) -> None:
    conn = sqlite3.connect(adjudicated)
    recounted = conn.execute(
        "SELECT count(*) FROM (SELECT sentence_id FROM annotations WHERE confirmed = 1 "
        "GROUP BY sentence_id HAVING count(*) >= 2 "
        "AND count(DISTINCT labels || '|' || fields) > 1)"
    ).fetchone()[0]
    assert recounted > 0
    adj = status(run_cli)["adjudication"]
    assert adj["disputed_sentences"] == recounted
    # bob changes his mind on a disputed sentence to agree with alice: one fewer
    sid, labels = conn.execute(
        "SELECT a.sentence_id, a.labels FROM annotations a JOIN disputed_sentences d "
        "ON d.sentence_id = a.sentence_id JOIN annotators n ON n.id = a.annotator_id "
        "WHERE n.name = 'alice' ORDER BY 1 LIMIT 1"
    ).fetchone()
    conn.execute(
        "UPDATE annotations SET labels = ?, fields = (SELECT fields FROM annotations x "
        "WHERE x.sentence_id = ? AND x.annotator_id = (SELECT id FROM annotators "
        "WHERE name = 'alice')) WHERE sentence_id = ? "
        "AND annotator_id = (SELECT id FROM annotators WHERE name = 'bob')",
        [labels, sid, sid],
    )
    conn.commit()
    assert status(run_cli)["adjudication"]["disputed_sentences"] == recounted - 1


def test_staff_are_not_coders_in_agreement(run_cli: RunCli, adjudicated: Path) -> None:
    """A manager who tried the annotation screen, and an adjudicator who did too, are not
    counted as annotators; named with --annotators they are compared as asked."""
    assert run_cli("team", "add", "mia", "--role", "manager").exit_code == 0
    assert run_cli("team", "add", "dora", "--role", "adjudicator").exit_code == 0
    work(adjudicated, "mia", "000_60cc46f11ca30d04", 4)
    work(adjudicated, "dora", "000_60cc46f11ca30d04", 2)
    r = run_cli("agreement", "--format", "json", "--bootstrap", "0")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["annotators"] == ["alice", "bob"]
    r = run_cli("agreement", "--format", "json", "--bootstrap", "0", "--annotators", "alice,mia")
    assert json.loads(r.output)["annotators"] == ["alice", "mia"]
    # and status lists them apart, with the work they did
    data = status(run_cli)
    assert {a["annotator"] for a in data["annotators"]} == {"alice", "bob"}
    assert {p["name"]: p["role"] for p in data["staff"]} == {
        "carol": "adjudicator",
        "dora": "adjudicator",
        "mia": "manager",
    }


def test_staff_labels_are_not_listed_among_disagreements(
    run_cli: RunCli, adjudicated: Path
) -> None:
    assert run_cli("team", "add", "mia", "--role", "manager").exit_code == 0
    work(adjudicated, "mia", "000_60cc46f11ca30d04", 12)
    r = run_cli("agreement", "--disagreements", "--format", "json", "--limit", "0")
    assert r.exit_code == 0, r.output
    listed = json.loads(r.output)
    assert listed and all(set(d["annotators"]) <= {"alice", "bob"} for d in listed)


def test_status_as_a_name_nobody_has_says_so(run_cli: RunCli, imported_db: Path) -> None:
    """audit7 F19: `status --as nobody` was taken silently (`review` refuses the name)."""
    assert run_cli("team", "add", "alice").exit_code == 0
    r = run_cli("status", "--as", "nobody", "--no-articles")
    assert r.exit_code == 0, r.output
    assert "note: 'nobody' is nobody in this project (no team role, no work)" in r.stderr
    assert "note:" not in run_cli("status", "--as", "alice", "--no-articles").stderr


def test_a_name_that_only_opened_a_screen_is_not_listed_as_an_annotator(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9a F13: in a project without a team, `adjudicate --adjudicator dana` before any
    decision made dana an annotator in `status`: "dana: 0 confirmed (0.0%) ... 0 of 6
    articles complete"."""
    from annotator.adjudication import AdjudicationSession
    from annotator.store.database import open_store
    from annotator.store.schemas import use_guidelines
    from tests.conftest import write
    from tests.test_label_import_older import ARTICLES

    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    lines = [
        {"article_id": "s1", "position": 0, "annotator": "alice", "labels": ["NONE"]},
        {"article_id": "s1", "position": 0, "annotator": "bob", "labels": ["HEDGED"]},
    ]
    f = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(f)).exit_code == 0
    store = open_store(db_path)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "dana")  # opened, nothing decided
    store.close()
    data = json.loads(run_cli("status", "--format", "json").output)
    assert [a["annotator"] for a in data["annotators"]] == ["alice", "bob"]
    assert "dana" not in run_cli("status").output
