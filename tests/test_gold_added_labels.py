"""Unanimous gold and a label added mid-project (audit15b F10): the gold the adjudication
queue records by itself is the answers that agree, and says no more than they did. Made
after SATIRE was added from answers all confirmed before it, it was recorded under the
adopted schema and read as a "no" to SATIRE: 0 in the gold csv, 0.0 in the spaCy file,
scored by agreement with gold, on sentences nobody rated for it."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from annotator.adjudication import AdjudicationSession
from annotator.store.database import open_store
from annotator.store.gold_matrices import against_gold
from annotator.store.gold_schema import GoldSchemas
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli
from tests.test_agreement_added_labels import NEW, project
from tests.test_blind import LONG, SHORT, confirm, session


def adjudicate(db: Path) -> None:
    """Open the adjudication queue, as `annotator adjudicate` does: unanimous gold is
    recorded (store/gold_unanimous.sync_unanimous)."""
    store = open_store(db)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "dana")
    store.close()


def gold_cells(run_cli: RunCli, db: Path | None = None) -> dict[str, tuple[str, str]]:
    """Per sentence id of the gold csv, its gold method and its SATIRE cell."""
    out = run_cli("export", "--format", "csv", "--view", "gold", "-o", "-", db=db)
    assert out.exit_code == 0, out.output
    return {r["id"]: (r["gold_method"], r[NEW]) for r in csv.DictReader(io.StringIO(out.stdout))}


def mixed(db: Path, tmp_path: Path) -> None:
    """The project of test_agreement_added_labels, and carol, after SATIRE was added,
    agreeing with alice and bob (who confirmed it before) on SHORT:0."""
    project(db, tmp_path)
    confirm(session(db, "carol", article=SHORT), 0, ["HEDGED"])


def test_unanimous_gold_leaves_a_label_its_answers_never_rated_missing(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    mixed(imported_db, tmp_path)
    adjudicate(imported_db)
    gold = gold_cells(run_cli)
    # SHORT:3: alice and bob, both before SATIRE; SHORT:0: the same and carol after it
    assert gold[f"{SHORT}:3"] == ("unanimous", "") and gold[f"{SHORT}:0"] == ("unanimous", "")
    # LONG's answers all had SATIRE on the screen: their gold rates it
    assert gold[f"{LONG}:1"] == ("unanimous", "0") and gold[f"{LONG}:0"] == ("unanimous", "1")
    out = run_cli("export", "--format", "spacy-jsonl", "-o", "-")
    assert out.exit_code == 0, out.output
    cats = {
        (x["meta"]["article_id"], x["meta"]["position"]): x["cats"]
        for x in map(json.loads, out.stdout.splitlines())
    }
    assert NEW not in cats[(SHORT, 0)] and NEW not in cats[(SHORT, 3)]
    assert cats[(SHORT, 0)]["HEDGED"] == 1.0 and cats[(LONG, 1)][NEW] == 0.0
    # agreement with gold (`status`): the gold's SATIRE is no rating there either
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    labels = g.schema.label_names
    sids = {
        (str(a), int(p)): int(s)
        for s, a, p in store.all(
            "SELECT s.id, r.external_id, s.position FROM sentences s "
            "JOIN articles r ON r.id = s.article_id"
        )
    }
    matrix = against_gold(store, labels, ["carol"])["carol"]
    (row,) = [i for i, u in enumerate(matrix.units) if int(str(u)) == sids[(SHORT, 0)]]
    k = labels.index(NEW)
    assert int(matrix.present[row, 0, k]) == 0  # carol rated it: "no"
    assert int(matrix.present[row, 1, k]) == -1  # the gold never did
    alice = against_gold(store, labels, ["alice"])["alice"]
    on_long = [i for i, u in enumerate(alice.units) if int(str(u)) == sids[(LONG, 1)]]
    assert [int(alice.present[i, 1, k]) for i in on_long] == [0]
    store.close()


def events(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def test_unanimous_gold_recorded_before_the_fix_is_put_right(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """A database whose unanimous gold was recorded under the adopted schema (as it was
    before the fix): the next look at the queue records it again under its answers'
    schema, once; the gold of answers re-rated under today's schema rates SATIRE."""
    mixed(imported_db, tmp_path)
    adjudicate(imported_db)
    conn = sqlite3.connect(imported_db)
    with conn:
        conn.execute(
            "UPDATE events SET schema_hash = (SELECT value FROM settings WHERE key = "
            "'schema_hash') WHERE id IN (SELECT event_id FROM gold_annotations)"
        )
    conn.close()
    assert gold_cells(run_cli)[f"{SHORT}:3"] == ("unanimous", "0")  # as the old code left it
    adjudicate(imported_db)
    gold = gold_cells(run_cli)
    assert gold[f"{SHORT}:3"] == ("unanimous", "") and gold[f"{SHORT}:0"] == ("unanimous", "")
    assert gold[f"{LONG}:1"] == ("unanimous", "0")
    before = events(imported_db)
    adjudicate(imported_db)  # and nothing more to do
    assert events(imported_db) == before
    for name in ("alice", "bob"):  # SHORT:3 changed and changed back, under today's schema
        s = session(imported_db, name, article=SHORT)
        confirm(s, 3, ["QUOTE"])  # EDITORIAL and QUOTE
        confirm(s, 3, ["QUOTE"])  # EDITORIAL again: a rating of SATIRE now
    adjudicate(imported_db)
    assert gold_cells(run_cli)[f"{SHORT}:3"] == ("unanimous", "0")


def test_imported_unanimous_gold_counts_under_its_answers_schema(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """Our own gold export, imported into the project before its queue was opened: the
    unanimous gold is recorded as the queue would have recorded it."""
    mixed(imported_db, tmp_path)
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(imported_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    adjudicate(imported_db)
    gold = tmp_path / "gold.jsonl"
    out = run_cli("export", "--format", "jsonl", "--view", "gold", "-o", str(gold))
    assert out.exit_code == 0, out.output
    back = run_cli("import-labels", str(gold), "--format", "jsonl", db=copy)
    assert back.exit_code == 0, back.output
    cells = gold_cells(run_cli, copy)
    assert cells[f"{SHORT}:3"] == ("unanimous", "") and cells[f"{SHORT}:0"] == ("unanimous", "")
    assert cells[f"{LONG}:1"] == ("unanimous", "0")


def test_the_schema_chosen_lacks_every_label_some_answer_never_rated() -> None:
    """GoldSchemas.of, on the schemas' lacking sets alone (the stored ones: v1 before C was
    added, v2 after B was dropped, v0 before both, vx before D too)."""
    s = GoldSchemas(
        "adopted",
        {
            "v1": frozenset({"C"}),
            "v2": frozenset({"B"}),
            "v0": frozenset({"B", "C"}),
            "vx": frozenset({"B", "C", "D"}),
        },
    )
    assert s.of(["adopted"], ["A"]) == "adopted"  # every answer rated every label
    assert s.of(["v1", "adopted"], ["A"]) == "v1"  # the oldest of its answers'
    assert s.of(["v1", "v2"], ["A"]) == "v0"  # lacks both, and no more
    # never one that lacked a label of the gold: missing where in doubt, else as before
    assert s.of(["v1", "v2"], ["C"]) == "v2"
    assert s.of(["v1"], ["C"]) == "adopted"


def test_undoing_an_override_puts_unanimous_gold_back_under_its_own_schema(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    """audit15c F12: dana overrides the unanimous gold of SHORT:3 (both answers from before
    SATIRE) and takes it back with `z`: the gold put back was recorded under today's schema,
    a "no" to SATIRE in the gold csv until the queue was opened again."""
    from annotator.labeling import SentenceState
    from annotator.store.gold import change_sentence_gold
    from annotator.store.undo import undo_last

    mixed(imported_db, tmp_path)
    adjudicate(imported_db)
    assert gold_cells(run_cli)[f"{SHORT}:3"] == ("unanimous", "")
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    sid, aid = store.one(
        "SELECT s.id, s.article_id FROM sentences s JOIN articles r ON r.id = s.article_id "
        "WHERE r.external_id = ? AND s.position = 3",
        [SHORT],
    ) or (0, 0)
    dana = int(store.scalar("SELECT id FROM annotators WHERE name = 'dana'") or 0)
    change_sentence_gold(
        store,
        adjudicator=dana,
        sentence_id=int(sid),
        article_id=int(aid),
        transform=lambda st: SentenceState(("QUOTE",), (), None, True),
        action="gold: dana's own",
        schema_hash=g.schema.hash,
    )
    assert gold_cells(run_cli)[f"{SHORT}:3"] == ("adjudicated", "0")  # decided today: a no
    done = undo_last(store, annotator_id=dana, schema_hash=g.schema.hash, kinds=("gold_sentence",))
    assert done is not None and done.event_id
    store.close()
    assert gold_cells(run_cli)[f"{SHORT}:3"] == ("unanimous", "")
