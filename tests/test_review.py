"""Feedback after adjudication (issue 14): `annotator review` lists where an annotator
differs from gold, read-only, with the adjudicator's note and the guideline of each label in
dispute; each annotator's agreement with gold per label (the agreement screen's Gold tab)."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from textual.widgets import DataTable, Static

from annotator.feedback import gold_agreement, review
from annotator.labeling import SentenceState
from annotator.store.database import open_store
from annotator.store.gold import change_sentence_gold
from annotator.store.schemas import use_guidelines
from annotator.store.team import add
from annotator.tui.agreement_app import create_agreement_app
from annotator.tui.review_app import create_review_app
from annotator.tui.screens.agreement import AgreementScreen
from annotator.tui.screens.review import ReviewScreen
from annotator.tui.widgets.document import Document
from tests.conftest import RunCli
from tests.test_blind import SHORT, confirm, saw_others, session

SIZE = (120, 40)
ALICE = [["ATTRIBUTED"], ["HEDGED"], [], ["EDITORIAL"]]
BOB = [["ATTRIBUTED"], [], ["HEDGED"], ["EDITORIAL"]]
# gold per sentence of the short article: (labels, fields, note)
GOLD: list[tuple[tuple[str, ...], tuple[tuple[str, str], ...], str | None]] = [
    (("ATTRIBUTED",), (("source_type", "named_organization"),), "the agency is named"),
    (("NONE",), (), "no hedge word: 'said' reports, it does not hedge"),
    (("HEDGED",), (), None),
    (("EDITORIAL",), (), None),
]


@pytest.fixture
def adjudicated(imported_db: Path) -> Path:
    for name, plan in (("alice", ALICE), ("bob", BOB)):
        s = session(imported_db, name)
        for i, labels in enumerate(plan):
            confirm(s, i, labels)  # ATTRIBUTED with source type 1 (a named person)
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    add(store, "dana", "adjudicator")
    dana = int(store.scalar("SELECT id FROM annotators WHERE name = 'dana'") or 0)
    art_id, first = store.one(
        "SELECT id, first_sentence_id FROM articles WHERE external_id = ?", [SHORT]
    ) or (0, 0)
    for i, (gold, fields, note) in enumerate(GOLD):
        # a def, not a lambda with defaults: mypy cannot infer those ("Cannot infer type of lambda")
        def decided(_st: SentenceState, lab=gold, f=fields, n=note) -> SentenceState:
            return SentenceState(lab, f, n, True)

        change_sentence_gold(
            store,
            adjudicator=dana,
            sentence_id=int(first) + i,
            article_id=int(art_id),
            transform=decided,
            action="gold: test",
            schema_hash=g.schema.hash,
        )
    store.close()
    return imported_db


def test_review_lists_exactly_the_differences_with_note_and_guideline(adjudicated: Path) -> None:
    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    items = review(store, g, "alice")
    # by hand: sentence 1 (source type differs), 2 (HEDGED vs NONE), 3 (NONE vs HEDGED)
    assert [(i.difference.position, i.disputed) for i in items] == [
        (0, ("ATTRIBUTED",)),
        (1, ("HEDGED", "NONE")),
        (2, ("HEDGED", "NONE")),
    ]
    second = items[1].difference
    assert second.labels == ("HEDGED",) and second.gold_labels == ("NONE",)
    assert second.note == GOLD[1][2] and second.adjudicator == "dana"
    assert items[1].guidelines[0][0] == "HEDGED"
    assert items[1].guidelines[0][1] == g.section("HEDGED")
    # bob agrees with gold but for the source type of the first sentence
    assert [(i.difference.position, i.disputed) for i in review(store, g, "bob")] == [
        (0, ("ATTRIBUTED",))
    ]
    assert review(store, g, "nobody") == []
    store.close()


async def test_review_screen_moves_with_keys_and_writes_nothing(adjudicated: Path) -> None:
    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    items = review(store, g, "alice")
    events_before = store.scalar("SELECT count(*) FROM events")
    app = create_review_app("alice", items, g)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        table = screen.query_one("#review-table", DataTable)
        assert table.row_count == 3
        assert [str(c) for c in table.get_row_at(1)][:3] == [f"{SHORT} #2", "HEDGED", "NONE"]
        detail = screen.query_one("#review-detail", Static)
        assert "the agency is named" in str(detail.render())
        await pilot.press("j")
        shown = str(detail.render())
        assert "no hedge word" in shown and "decided by dana" in shown
        guideline = screen.query_one("#review-guideline", Document).markdown
        assert guideline.startswith((g.section("HEDGED") or "?").splitlines()[0])
        assert "## NONE" in guideline  # both labels in dispute
        await pilot.press("j", "j", "j")  # stops at the last
        assert screen.index == 2 and "(no note)" in str(detail.render())
        await pilot.press("k")
        assert screen.index == 1
        for key in ("a", "h", "enter", "space", "z"):  # label and edit keys do nothing here
            await pilot.press(key)
    assert store.scalar("SELECT count(*) FROM events") == events_before
    store.close()


def test_review_command(adjudicated: Path, run_cli: RunCli) -> None:
    missing = run_cli("review", "--annotator", "nobody")
    assert missing.exit_code == 1 and "no annotator 'nobody'" in missing.output
    assert run_cli("team", "add", "erin").exit_code == 0
    none = run_cli("review", "--annotator", "erin")
    assert none.exit_code == 0 and "nothing differs from gold" in none.output
    # in a blind project gold can show what the others chose: ask first, record
    assert run_cli("project", "set", "blind", "true").exit_code == 0
    declined = run_cli("review", "--annotator", "alice", input="n\n")
    assert declined.exit_code == 1 and "gold labels" in declined.output
    assert saw_others(adjudicated) == []


def test_agreement_with_gold_per_annotator_against_the_krippendorff_package(
    adjudicated: Path,
) -> None:
    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    add(store, "carol", "manager")
    carol = session(adjudicated, "carol")
    confirm(carol, 0, ["QUOTE"])  # a manager's own labels: not an annotator, left out
    rows = gold_agreement(store, g.schema, n_resamples=200, seed=3)
    assert [r.annotator for r in rows] == ["alice", "bob"]
    alice = rows[0]
    assert (alice.sentences, alice.differ) == (4, 2)  # source type is a field, not a label
    gold_sets = [set(labels) for labels, _f, _n in GOLD]
    mine_sets = [set(x) or {"NONE"} for x in ALICE]
    for la in alice.labels:
        data = np.array(
            [[la.label in m for m in mine_sets], [la.label in s for s in gold_sets]], dtype=float
        )
        if data.min() == data.max():
            assert la.alpha.value is None
            continue
        want = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert la.alpha.value == pytest.approx(want), la.label
        assert la.n_pairable_units == 4
        assert la.alpha.ci is not None
    hedged = next(la for la in alice.labels if la.label == "HEDGED")
    assert hedged.percent_agreement.value == pytest.approx(0.5)
    store.close()


async def test_agreement_screen_shows_each_annotator_against_gold(adjudicated: Path) -> None:
    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    app = create_agreement_app(store.path, g, n_resamples=50)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#gold-table", DataTable)
        n_labels = len(g.schema.labels)
        assert table.row_count == 2 * n_labels
        assert str(table.get_row_at(0)[0]) == "alice (2/4 differ)"
        assert str(table.get_row_at(n_labels)[0]) == "bob (0/4 differ)"
        assert screen.gold[0]["labels"][0]["label"] == "ATTRIBUTED"
    store.close()


def test_gold_json_keys(adjudicated: Path) -> None:
    from annotator.feedback import gold_agreement_json

    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    out = gold_agreement_json(gold_agreement(store, g.schema, n_resamples=0))
    assert set(out[0]) == {"annotator", "sentences", "differ_from_gold", "labels"}
    assert json.loads(json.dumps(out)) == out  # plain JSON values, as status would print them
    store.close()


async def test_hostile_notes_and_text_show_as_written(adjudicated: Path) -> None:
    """A note with markup and an escape sequence: shown literally, never parsed or sent."""
    store = open_store(adjudicated)
    g, _ = use_guidelines(store)
    dana = int(store.scalar("SELECT id FROM annotators WHERE name = 'dana'") or 0)
    art_id, first = store.one(
        "SELECT id, first_sentence_id FROM articles WHERE external_id = ?", [SHORT]
    ) or (0, 0)
    hostile = "[/] [@click=app.quit]x[/] \x1b[31mred"
    change_sentence_gold(
        store,
        adjudicator=dana,
        sentence_id=int(first) + 1,
        article_id=int(art_id),
        transform=lambda _st: SentenceState(("NONE",), (), hostile, True),
        action="gold: test",
        schema_hash=g.schema.hash,
    )
    app = create_review_app("alice", review(store, g, "alice"), g)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        shown = str(app.screen.query_one("#review-detail", Static).render())
        assert "[/] [@click=app.quit]x[/]" in shown and "\x1b" not in shown
        assert "␛[31mred" in shown
        assert app.is_running
    store.close()


def test_review_in_a_blind_project_records_what_it_showed(
    adjudicated: Path, run_cli: RunCli
) -> None:
    """The real command in a terminal: the question, yes, the screen, the record."""
    from tests.ptyterm import PtyApp

    assert run_cli("project", "set", "blind", "true").exit_code == 0
    app = PtyApp(["--db", str(adjudicated), "review", "--annotator", "alice"])
    try:
        app.wait_for("Go on?")
        app.send("y\r")
        app.wait_for("3 sentences where your labels differ from gold")
    finally:
        app.stop()
    assert saw_others(adjudicated) == [
        ("alice", SHORT, {"shown": "article", "article": SHORT, "via": "annotator review"})
    ]
