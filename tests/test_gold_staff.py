"""Adjudicators' and managers' own confirmations are no coders' answers anywhere: not in
agreement, not in the majority (audit10 F5), and not in unanimous gold nor in the
adjudication queue (closing12: a manager trying the screen made a sentence two annotators
agreed on a dispute, and one annotator's answer against the manager's a dispute too)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write

ARTICLE = {
    "id": "s1",
    "title": "First story",
    "text": "Alpha said the plan works. Bravo may fail soon. Charlie is a disgrace.",
}
LABELS = [
    ("alice", 0, "HEDGED"),  # the two annotators agree; the manager does not
    ("bob", 0, "HEDGED"),
    ("boss", 0, "NONE"),
    ("alice", 1, "NONE"),  # the annotators differ
    ("bob", 1, "UNVERIFIED"),
    ("boss", 1, "UNVERIFIED"),
    ("alice", 2, "EDITORIAL"),  # one annotator: nothing to decide yet
    ("boss", 2, "NONE"),
]
GENRE = {"alice": "opinion", "bob": "opinion", "boss": "news_report"}


@pytest.fixture
def with_staff(run_cli: RunCli, db_path: Path, tmp_path: Path) -> Path:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    for who, role in (("alice", "annotator"), ("bob", "annotator"), ("boss", "manager")):
        assert run_cli("team", "add", who, "--role", role).exit_code == 0
    assert run_cli("team", "add", "dana", "--role", "adjudicator").exit_code == 0
    labels = write(
        tmp_path / "l.jsonl",
        "\n".join(
            json.dumps({"article_id": "s1", "position": p, "annotator": who, "labels": [lab]})
            for who, p, lab in LABELS
        ),
    )
    side = {"id": "s1", "annotations": {who: {"genre": v} for who, v in GENRE.items()}}
    write(tmp_path / "l.articles.jsonl", json.dumps(side))
    r = run_cli("import-labels", str(labels))
    assert r.exit_code == 0, r.output
    return db_path


def test_unanimous_gold_and_the_queue_leave_the_staff_out(with_staff: Path) -> None:
    store = open_store(with_staff)
    g, _ = use_guidelines(store)
    s = AdjudicationSession(store, g, "dana")
    conn = sqlite3.connect(with_staff)
    gold = {
        pos: (json.loads(labels), method, json.loads(agrees))
        for pos, labels, method, agrees in conn.execute(
            "SELECT s.position, g.labels, g.method, g.agrees_with FROM gold_annotations g "
            "JOIN sentences s ON s.id = g.sentence_id"
        )
    }
    assert gold == {0: (["HEDGED"], "unanimous", ["alice", "bob"])}
    fields = conn.execute("SELECT field, value, method FROM gold_article_fields").fetchall()
    assert fields == [("genre", '"opinion"', "unanimous")]
    # the queue: the one sentence the annotators differ on, with their two versions
    positions = dict(conn.execute("SELECT id, position FROM sentences"))
    assert [(positions[it.sentence_id], it.kind) for it in s.items if it.sentence_id] == [
        (1, "sentence")
    ]
    assert [it for it in s.items if it.kind == "article_field"] == []
    item = s.current
    assert item is not None and [v.annotator for v in item.versions] == ["alice", "bob"]
    # --all shows the sentences with two answers or more; the manager's is no second
    every = AdjudicationSession(store, g, "dana", review_all=True)
    assert sorted(positions[it.sentence_id or 0] for it in every.items if it.sentence_id) == [0, 1]
    # named with --annotators, a manager's answers count, as agreement takes them
    named = AdjudicationSession(store, g, "dana", annotators=["alice", "boss"])
    assert sorted(positions[it.sentence_id or 0] for it in named.items if it.sentence_id) == [
        0,
        1,
        2,
    ]
    store.close()


def gold_rows(db: Path) -> dict[object, tuple[object, str, list[str]]]:
    """Sentence gold by position and article-field gold by field: (labels or value,
    method, agrees_with)."""
    conn = sqlite3.connect(db)
    out: dict[object, tuple[object, str, list[str]]] = {
        int(pos): (json.loads(labels), str(method), json.loads(agrees))
        for pos, labels, method, agrees in conn.execute(
            "SELECT s.position, g.labels, g.method, g.agrees_with FROM gold_annotations g "
            "JOIN sentences s ON s.id = g.sentence_id"
        )
    }
    for field, value, method, agrees in conn.execute(
        "SELECT field, value, method, agrees_with FROM gold_article_fields"
    ):
        out[str(field)] = (json.loads(value), str(method), json.loads(agrees))
    conn.close()
    return out


def test_imported_unanimous_gold_is_checked_against_the_annotators_only(
    run_cli: RunCli, with_staff: Path, tmp_path: Path
) -> None:
    """gold13b: import_gold and import_gold_field refused unanimous gold as "not
    unanimous" when only a manager's answer differed, which the adjudication screen would
    have made unanimous gold by itself."""
    line = {"article_id": "s1", "position": 0, "annotations": []}
    gold = {**line, "gold": {"method": "unanimous", "labels": ["HEDGED"]}}
    path = write(tmp_path / "g.jsonl", json.dumps(gold))
    side = {"id": "s1", "gold": {"genre": {"value": "opinion", "method": "unanimous"}}}
    write(tmp_path / "g.articles.jsonl", json.dumps(side))
    r = run_cli("import-labels", str(path))
    assert r.exit_code == 0, r.output
    assert "not imported" not in r.output
    assert gold_rows(with_staff) == {
        0: (["HEDGED"], "unanimous", ["alice", "bob"]),
        "genre": ("opinion", "unanimous", ["alice", "bob"]),
    }
    # bob's dissent still refuses it: the check is the annotators', not nobody's
    line = {"article_id": "s1", "position": 1, "annotations": []}
    gold = {**line, "gold": {"method": "unanimous", "labels": ["NONE"]}}
    r = run_cli("import-labels", str(write(tmp_path / "h.jsonl", json.dumps(gold))))
    assert r.exit_code == 0, r.output
    assert "1 gold label not imported" in r.output and 1 not in gold_rows(with_staff)


def test_agrees_with_names_the_annotators_only(
    run_cli: RunCli, with_staff: Path, tmp_path: Path
) -> None:
    """gold13b: `agrees_with` named the manager whose answer matched the gold, as if an
    annotator had agreed with it: in the screen's decisions, their undo, and imported gold."""
    store = open_store(with_staff)
    g, _ = use_guidelines(store)
    s = AdjudicationSession(store, g, "dana")
    assert s.current is not None and [v.annotator for v in s.current.versions] == ["alice", "bob"]
    assert s.pick(2).saved  # bob's UNVERIFIED, which the manager gave too
    assert gold_rows(with_staff)[1] == (["UNVERIFIED"], "adjudicated", ["bob"])
    assert s.pick(1).saved  # alice's NONE; undone, the gold is bob's again
    assert gold_rows(with_staff)[1] == (["NONE"], "adjudicated", ["alice"])
    s.undo()
    assert gold_rows(with_staff)[1] == (["UNVERIFIED"], "adjudicated", ["bob"])
    store.close()
    # the genre the manager alone gave, decided in a file: nobody agrees with it
    side = {
        "id": "s1",
        "gold": {"genre": {"value": "news_report", "method": "adjudicated", "adjudicator": "dana"}},
    }
    write(tmp_path / "g.articles.jsonl", json.dumps(side))
    r = run_cli("import-labels", str(write(tmp_path / "g.jsonl", "")))
    assert r.exit_code == 0, r.output
    assert gold_rows(with_staff)["genre"] == ("news_report", "adjudicated", [])


def test_a_managers_answer_does_not_withdraw_unanimous_gold(with_staff: Path) -> None:
    """gold13b: the confirmation that breaks unanimous gold withdraws it at once (audit7
    F20), but a manager's own answer broke none: the gold alice and bob agreed on went at
    her key, and came back at the next look of the adjudication screen."""
    store = open_store(with_staff)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "dana")
    assert gold_rows(with_staff)[0] == (["HEDGED"], "unanimous", ["alice", "bob"])
    boss = AnnotationSession(store, g, "boss", article="s1")
    boss.move_to(0)
    boss.toggle("LOADED")
    boss.confirm()
    assert gold_rows(with_staff)[0] == (["HEDGED"], "unanimous", ["alice", "bob"])
    # bob's does
    bob = AnnotationSession(store, g, "bob", article="s1")
    bob.move_to(0)
    bob.toggle("LOADED")
    bob.confirm()
    assert 0 not in gold_rows(with_staff)
    store.close()
