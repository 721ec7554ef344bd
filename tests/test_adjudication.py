"""Adjudication: the queue, gold with provenance, undo, unanimous gold; keys via Pilot."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.adjudicate_app import create_adjudicate_app
from tests.conftest import ROOT, RunCli
from tests.test_export import RAW

SIZE = (120, 40)


@pytest.fixture
def two_annotators(run_cli: RunCli, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    assert run_cli("import", "samples").exit_code == 0
    assert run_cli("import-labels", str(RAW)).exit_code == 0
    return db_path


def session(db: Path, name: str = "dana", **kw: object) -> AdjudicationSession:
    store = open_store(db)
    g, _ = use_guidelines(store)
    return AdjudicationSession(store, g, name, **kw)  # type: ignore[arg-type]


def gold_rows(db: Path) -> dict[int, dict[str, Any]]:
    conn = sqlite3.connect(db)
    out = {}
    for sid, pos, labels, fields, method, who, agrees, note in conn.execute(
        "SELECT g.sentence_id, s.position, g.labels, g.fields, g.method, n.name, "
        "g.agrees_with, g.note FROM gold_annotations g JOIN sentences s "
        "ON s.id = g.sentence_id LEFT JOIN annotators n ON n.id = g.adjudicator_id"
    ):
        out[sid] = {
            "position": pos,
            "labels": json.loads(labels),
            "fields": json.loads(fields),
            "method": method,
            "adjudicator": who,
            "agrees_with": json.loads(agrees),
            "note": note,
        }
    return out


def test_unanimous_items_become_gold_and_the_queue_is_the_rest(two_annotators: Path) -> None:
    s = session(two_annotators)
    gold = gold_rows(two_annotators)
    fields = (
        sqlite3.connect(two_annotators)
        .execute("SELECT count(*) FROM gold_article_fields WHERE method = 'unanimous'")
        .fetchone()[0]
    )
    assert fields == 3  # genre and credibility of the short article, credibility of the other
    assert s.auto_added == len(gold) + fields
    assert all(
        g["method"] == "unanimous"
        and g["adjudicator"] is None
        and g["agrees_with"] == ["alice", "bob"]
        for g in gold.values()
    )
    kinds = [it.kind for it in s.items]
    assert kinds == sorted(kinds, key=lambda k: k != "sentence")  # sentences first
    scores = [it.score for it in s.items if it.kind == "sentence"]
    assert scores == sorted(scores, reverse=True)
    assert [it.field for it in s.items if it.kind == "article_field"] == ["genre"]
    # --all reviews everything and decides nothing by itself
    fresh = session(two_annotators, "erin", review_all=True)
    assert fresh.auto_added == 0
    assert len(fresh.items) > len(s.items)


def test_pick_edit_note_and_provenance(two_annotators: Path) -> None:
    s = session(two_annotators)
    item = s.current
    assert item is not None and item.kind == "sentence"
    assert item.sentence_id is not None
    s.pick(1)  # alice's version
    row = gold_rows(two_annotators)[item.sentence_id]
    assert row["labels"] == list(item.versions[0].labels)
    assert row["agrees_with"] == ["alice"] and row["adjudicator"] == "dana"
    assert row["method"] == "adjudicated"
    s.toggle("LOADED")
    s.note("loaded wording by the writer")
    row = gold_rows(two_annotators)[item.sentence_id]
    assert "LOADED" in row["labels"] and row["agrees_with"] == []
    assert row["note"] == "loaded wording by the writer"
    events = (
        sqlite3.connect(two_annotators)
        .execute(
            "SELECT action FROM events WHERE kind = 'gold_sentence' AND session = ? ORDER BY id",
            [s.session_id],
        )
        .fetchall()
    )
    assert [e[0] for e in events][-3:] == [
        "gold: alice's version",
        "gold: toggle LOADED",
        "gold: note",
    ]


def test_undo_restores_gold_exactly_also_after_restart(two_annotators: Path) -> None:
    s = session(two_annotators)
    item = s.current
    assert item is not None and item.sentence_id is not None
    s.pick(2)
    s.toggle("UNVERIFIED")
    s.store.close()
    s = session(two_annotators)
    assert s.undo().message == "undone: gold: toggle UNVERIFIED"
    assert gold_rows(two_annotators)[item.sentence_id]["labels"] == list(item.versions[1].labels)
    s.undo()
    assert item.sentence_id not in gold_rows(two_annotators)


def test_defer_and_blind(two_annotators: Path) -> None:
    s = session(two_annotators, blind=True)
    first = s.current
    s.defer()
    assert s.items[-1] is first and s.current is not first
    assert s.display_name("alice", 0) == "annotator 1"
    assert s.accept().message
    again = s.accept().message
    assert again is not None and "no gold yet" in again


def test_unanimous_gold_is_withdrawn_when_it_stops_being_unanimous(
    two_annotators: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    s = session(two_annotators)
    before = gold_rows(two_annotators)
    s.store.close()
    sid, row = next(iter(before.items()))
    # carol disagrees with a unanimous sentence
    line = next(
        json.loads(x)
        for x in RAW.read_text().splitlines()
        if json.loads(x)["position"] == row["position"]
        and json.loads(x)["article_id"].startswith("000")
    )
    line.update(annotator="carol", labels=["EDITORIAL"], fields={})
    f = tmp_path / "carol.jsonl"
    f.write_text(json.dumps(line) + "\n")
    assert "imported 1" in run_cli("import-labels", str(f)).output
    # withdrawn by the write that broke the unanimity, not when the screen next opens
    # (audit7 F20: gold exports said "unanimous" until then)
    assert sid not in gold_rows(two_annotators)
    s = session(two_annotators)
    assert s.auto_withdrawn == 0
    assert any(it.sentence_id == sid for it in s.items)


def test_status_shows_adjudication_progress(two_annotators: Path, run_cli: RunCli) -> None:
    session(two_annotators).pick(1)
    data = json.loads(run_cli("status", "--format", "json").output)
    adj = data["adjudication"]
    assert adj["by_method"]["adjudicated"] == 1 and adj["by_method"]["unanimous"] >= 1
    assert adj["disputed_open"] == adj["disputed_sentences"] - 1
    assert "adjudication:" in run_cli("status").output


async def test_adjudication_keys(two_annotators: Path) -> None:
    s = session(two_annotators)
    first, second = s.items[0], s.items[1]
    app = create_adjudicate_app(s)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # bob's version
        await pilot.press("q")  # the schema's QUOTE key edits the gold
        await pilot.press("c", *"quoted in the post", "enter")
        await pilot.press("enter")  # accept: on to the next undecided item
        assert s.current is second
        await pilot.press("d")  # defer it
        await pilot.press("z")  # undo the note of the first item
        assert s.current is first
        text = str(app.screen.query_one("#adjudicate-decision").render())
        assert "bob" in text and "alice" in text
    assert first.sentence_id is not None
    row = gold_rows(two_annotators)[first.sentence_id]
    assert "QUOTE" in row["labels"] and row["note"] is None
    assert row["adjudicator"] == "dana"
    assert second.sentence_id not in gold_rows(two_annotators)


async def test_blind_adjudication_hides_names(two_annotators: Path) -> None:
    app = create_adjudicate_app(session(two_annotators, blind=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#adjudicate-decision").render())
        assert "annotator 1" in text and "alice" not in text and "bob" not in text


def test_a_version_changed_since_shown_is_not_taken_as_gold(two_annotators: Path) -> None:
    """audit9a F11: bob re-confirmed the sentence with alice's answer; 0.6 s later dana,
    whose screen still showed bob's NONE, pressed 2: gold = NONE, agreeing with nobody,
    on a sentence now unanimous, which then never came back to her queue."""
    from annotator.session import AnnotationSession

    s = session(two_annotators)
    item = s.current
    assert item is not None and item.kind == "sentence" and item.sentence_id is not None
    alice, bob = item.versions[0], item.versions[1]
    assert (alice.annotator, bob.annotator) == ("alice", "bob") and alice.key != bob.key
    # bob, on his screen, takes alice's answer meanwhile
    store = open_store(two_annotators)
    g, _ = use_guidelines(store)
    theirs = AnnotationSession(store, g, "bob", article=None)
    theirs.open_article(item.article_id)
    theirs.move_to(next(i for i, x in enumerate(theirs.sentences) if x.id == item.sentence_id))
    for lab in theirs.current_state.labels:  # his off, then hers on (NONE is exclusive)
        theirs.toggle(lab)
    for lab in alice.labels:
        theirs.toggle(lab)
    assert theirs.current_state.labels == alice.labels
    for name, value in alice.fields:  # by key, as bob would: no field is set by name
        fields = (sf for sf in g.schema.sentence_fields if sf.name == name)
        key = next(c.key for sf in fields for c in sf.values if str(c.value) == value)
        assert key is not None
        theirs.set_field_key(key)
    theirs.confirm()
    store.close()
    before = gold_rows(two_annotators).get(item.sentence_id)
    out = s.pick(2)  # bob's version as the screen showed it
    assert out.message and "bob changed their answer since it was shown: nothing decided" in (
        out.message
    )
    assert gold_rows(two_annotators).get(item.sentence_id) == before
    # the screen now shows what is stored, and a decision on that is taken
    assert s.current is item and item.versions[1].key == alice.key
    s.pick(2)
    assert gold_rows(two_annotators)[item.sentence_id]["labels"] == list(alice.labels)


def test_a_note_written_before_the_decision_goes_with_it(two_annotators: Path) -> None:
    """audit9a F16: the "Why this gold?" note typed before a digit was refused on Enter
    ("decide the labels first") and what was typed was gone."""
    s = session(two_annotators)
    item = s.current
    assert item is not None and item.kind == "sentence" and item.sentence_id is not None
    assert item.sentence_id not in gold_rows(two_annotators)
    out = s.note("both readings defensible; rule 7 says EDITORIAL")
    assert out.message and out.message.startswith("note kept")
    assert s.pending_note(item) == "both readings defensible; rule 7 says EDITORIAL"
    assert item.sentence_id not in gold_rows(two_annotators)  # nothing decided yet
    s.pick(1)
    row = gold_rows(two_annotators)[item.sentence_id]
    assert row["note"] == "both readings defensible; rule 7 says EDITORIAL"
    assert row["labels"] == list(item.versions[0].labels) and s.pending_note(item) is None
    # an article field's note likewise
    s.index = next(i for i, it in enumerate(s.items) if it.kind == "article_field")
    field = s.current
    assert field is not None and field.gold_field is None
    s.note("the body reads as analysis")
    s.pick(2)
    field = s.current
    assert field is not None and field.gold_field is not None
    assert field.gold_field.note == "the body reads as analysis"


def test_undo_never_erases_a_colleague_s_later_decision(two_annotators: Path) -> None:
    """audit14 F1: dana decided, erin then decided otherwise, and dana's `z` put back the
    gold before dana's decision, erasing erin's without a word; erin's `z` then brought
    dana's withdrawn decision back under erin's name."""
    dana = session(two_annotators)
    erin = session(two_annotators, "erin")
    item = dana.current
    assert item is not None and item.sentence_id is not None
    sid = item.sentence_id
    assert erin.current is not None and erin.current.sentence_id == sid
    dana.pick(1)  # alice's version
    erin.refresh(force=True)
    erin.pick(2)  # bob's, knowingly
    out = dana.undo()
    assert out.message is not None and out.message.startswith("not undone: gold: alice's version")
    assert "changed since by erin" in out.message, out.message
    row = gold_rows(two_annotators)[sid]
    assert (row["labels"], row["adjudicator"]) == (list(item.versions[1].labels), "erin")
    # the next z goes on past it: dana has nothing else to take back
    assert dana.undo().message == "nothing to undo"
    assert gold_rows(two_annotators)[sid]["adjudicator"] == "erin"
    # erin's own z takes back her decision: the gold is what it was before it, dana's
    assert erin.undo().message == "undone: gold: bob's version"
    assert gold_rows(two_annotators)[sid]["labels"] == list(item.versions[0].labels)


def test_gold_an_answer_confirmed_since_contradicts_comes_back(
    two_annotators: Path, run_cli: RunCli
) -> None:
    """audit14 F3: dana took alice's version; alice then confirmed bob's, the sentence was
    unanimous and left the queue, and the gold decided on the old versions stayed, unseen,
    `agrees_with` naming alice. Now the queue shows it again, marked, and status counts it;
    Enter keeps it knowingly, a digit decides again."""
    dana = session(two_annotators)
    item = dana.current
    assert item is not None and item.sentence_id is not None
    sid, alices, bobs = item.sentence_id, item.versions[0], item.versions[1]
    assert (alices.annotator, bobs.annotator) == ("alice", "bob")
    dana.pick(1)
    assert not dana.current or dana.current.sentence_id != sid or not dana.current.stale
    decided_at = gold_rows(two_annotators)[sid]
    # alice now gives bob's answer
    store = open_store(two_annotators)
    g, _ = use_guidelines(store)
    aid, position = store.one(
        "SELECT r.external_id, s.position FROM sentences s JOIN articles r "
        "ON r.id = s.article_id WHERE s.id = ?",
        [sid],
    ) or ("", 0)
    alice = AnnotationSession(store, g, "alice", article=str(aid))
    alice.move_to(int(position))
    for lab in alice.current_state.labels:
        alice.toggle(lab)
    for lab in bobs.labels:
        alice.toggle(lab)
    assert alice.confirm(advance=False).saved
    store.close()
    assert gold_rows(two_annotators)[sid] == decided_at  # the gold itself is not touched
    data = json.loads(run_cli("status", "--format", "json").output)
    assert data["adjudication"]["stale_decisions"] == 1
    assert "1 adjudicated decisions contradicted" in run_cli("status").output
    again = session(two_annotators)
    back = [it for it in again.items if it.sentence_id == sid]
    assert len(back) == 1 and back[0].stale and not back[0].decided
    assert back[0].disputed  # the labels where the gold and the answers now differ
    again._go_to(sid)
    out = again.accept()  # keep it, knowingly
    assert out.saved, out.message
    row = gold_rows(two_annotators)[sid]
    assert row["labels"] == list(alices.labels) and row["agrees_with"] == []
    assert (
        json.loads(run_cli("status", "--format", "json").output)["adjudication"]["stale_decisions"]
        == 0
    )
    assert not [it for it in session(two_annotators).items if it.sentence_id == sid]
    # z takes the keeping back: the decision is the stale one again, and shown so
    assert again.undo().message == "undone: gold: kept after the answers changed"
    assert again._by_key[sid].stale and not again._by_key[sid].decided
