"""Unanimous gold is withdrawn when a confirmed annotation breaks the unanimity, in the same
transaction (audit7 F20: it stayed in every gold export until someone opened the
adjudication screen)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.consumers import cli_run, team_db


def gold(db: Path) -> dict[int, tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return {
            int(s): (str(labels), str(method))
            for s, labels, method in conn.execute(
                "SELECT sentence_id, labels, method FROM gold_annotations"
            )
        }
    finally:
        conn.close()


def test_a_new_answer_against_unanimous_gold_withdraws_it(tmp_path: Path) -> None:
    db = team_db(tmp_path, "no_gold")
    store = open_store(db)
    g, _ = use_guidelines(store)
    AdjudicationSession(store, g, "dana")  # records the unanimous gold
    before = gold(db)
    unanimous = sorted(s for s, (_l, m) in before.items() if m == "unanimous")
    assert unanimous
    sid = unanimous[0]
    article, position = store.conn.execute(
        "SELECT a.external_id, s.position FROM sentences s JOIN articles a "
        "ON a.id = s.article_id WHERE s.id = ?",
        [sid],
    ).fetchone()
    labels = json.loads(before[sid][0])
    other = "EDITORIAL" if "EDITORIAL" not in labels else "QUOTE"
    carol = AnnotationSession(store, g, "carol", article=article)
    carol.move_to(position)
    carol.toggle(other)
    carol.confirm()
    store.close()
    after = gold(db)
    assert sid not in after  # withdrawn at once
    assert {s: v for s, v in after.items()} == {s: v for s, v in before.items() if s != sid}
    conn = sqlite3.connect(db)
    (action,) = conn.execute(
        "SELECT action FROM events WHERE kind = 'gold_sentence' AND sentence_id = ? "
        "ORDER BY id DESC",
        [sid],
    ).fetchone()
    conn.close()
    assert action == "gold: no longer unanimous"
    out = tmp_path / "gold.jsonl"
    assert cli_run(db, "export", "--view", "gold", "-o", str(out)).exit_code == 0
    recs = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert not recs.get(f"{article}:{position}", {}).get("gold")
    assert sum(1 for r in recs.values() if r.get("gold")) == len(after)
