"""`z` on a gold decision puts back the decision before it as it was: its adjudicator and its
time, not the name of whoever undid it (closing14: erin's `z` on her decision restored
dana's labels with erin as adjudicator, and the Gold line then named erin). The history
still says erin undid it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.tui.screens.adjudicate import render_decision
from tests.test_adjudication import session
from tests.test_adjudication import two_annotators as two_annotators  # the fixture
from tests.test_adjudication_screen import decide_sentences


def sentence_gold(db: Path, sid: int) -> tuple[str, str, str | None, str]:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT g.labels, g.method, n.name, g.decided_at FROM gold_annotations g "
            "LEFT JOIN annotators n ON n.id = g.adjudicator_id WHERE g.sentence_id = ?",
            [sid],
        ).fetchone()
        return (str(row[0]), str(row[1]), row[2], str(row[3]))
    finally:
        conn.close()


def field_gold(db: Path, aid: int, field: str) -> tuple[str, str, str | None, str]:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT g.value, g.method, n.name, g.decided_at FROM gold_article_fields g "
            "LEFT JOIN annotators n ON n.id = g.adjudicator_id "
            "WHERE g.article_id = ? AND g.field = ?",
            [aid, field],
        ).fetchone()
        return (str(row[0]), str(row[1]), row[2], str(row[3]))
    finally:
        conn.close()


def last_event(db: Path, kind: str) -> tuple[str, str, bool]:
    """Who wrote the latest event of `kind`, its action, and whether it is an undo."""
    conn = sqlite3.connect(db)
    try:
        who, action, undoes = conn.execute(
            "SELECT n.name, e.action, e.undoes FROM events e JOIN annotators n "
            "ON n.id = e.annotator_id WHERE e.kind = ? ORDER BY e.id DESC LIMIT 1",
            [kind],
        ).fetchone()
        return str(who), str(action), undoes is not None
    finally:
        conn.close()


def forget_provenance(db: Path) -> None:
    """The gold events as a database from before round 15 holds them: `before` without
    the adjudicator and time of the gold it replaced."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE events SET before = json_remove(before, '$.adjudicator', '$.decided_at') "
            "WHERE kind IN ('gold_sentence', 'gold_article_field') AND before <> 'null'"
        )
    conn.close()


def _sentence_undone_by_erin(db: Path, *, old_events: bool) -> None:
    dana = session(db)
    item = dana.current
    assert item is not None and item.sentence_id is not None
    sid = item.sentence_id
    dana.pick(1)  # alice's version
    danas = sentence_gold(db, sid)
    assert danas[2] == "dana"
    erin = session(db, "erin")
    erin._go_to(sid)
    assert erin.current is not None and erin.current.sentence_id == sid
    erin.pick(2)  # bob's, knowingly
    assert sentence_gold(db, sid)[2] == "erin"
    if old_events:
        forget_provenance(db)
    assert erin.undo().message == "undone: gold: bob's version"
    assert sentence_gold(db, sid) == danas  # dana's labels, dana's name, dana's time
    assert last_event(db, "gold_sentence") == ("erin", "undo: gold: bob's version", True)
    shown = str(render_decision(erin, erin._by_key[sid]))  # the Gold line
    assert "adjudicated by dana" in shown and "by erin" not in shown, shown


def test_undo_of_a_sentence_decision_restores_its_adjudicator_and_time(
    two_annotators: Path,
) -> None:
    _sentence_undone_by_erin(two_annotators, old_events=False)


def test_undo_of_an_old_event_without_them_restores_them_from_the_history(
    two_annotators: Path,
) -> None:
    _sentence_undone_by_erin(two_annotators, old_events=True)


def test_undo_of_an_article_field_decision_restores_its_adjudicator_and_time(
    two_annotators: Path,
) -> None:
    dana = session(two_annotators)
    decide_sentences(dana)
    dana.store.close()
    dana = session(two_annotators)
    item = dana.current
    assert item is not None and item.kind == "article_field" and item.field == "genre"
    key = (item.article_id, "genre")
    dana.pick(1)
    danas = field_gold(two_annotators, *key)
    assert danas[2] == "dana"
    erin = session(two_annotators, "erin", review_all=True)
    erin._go_to(key)
    assert erin.current is not None and erin.current.key == key
    erin.pick(2)
    assert field_gold(two_annotators, *key)[2] == "erin"
    assert erin.undo().message is not None
    assert field_gold(two_annotators, *key) == danas
    who, action, undo = last_event(two_annotators, "gold_article_field")
    assert (who, undo) == ("erin", True) and action.startswith("undo: ")
