"""Gold recorded under an older schema, as the suggestions read it (audit15c F7): unanimous
gold of answers confirmed before a label was added is recorded under their schema
(store/gold_schema.py) and never rated that label. `suggestions --evaluate`, the vs ref of
`agreement --by suggestions` and the model's training examples read it as a "no": every
suggestion of the label a false positive, and an annotator who rated it "agreeing" with a
"no" nobody gave. Each figure is checked against one computed here from the database's
rows. Real database, the real CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from annotator.store.database import open_store
from annotator.store.suggestion_model import training_examples
from tests.conftest import SEED_LONG, RunCli, write
from tests.test_agreement_added_labels import with_label
from tests.test_gold_added_labels import adjudicate

LONG = SEED_LONG.stem
CLAIM = "CLAIM"
OLD = range(0, 20)  # alice and bob before CLAIM existed; carol after it
NEW = range(20, 36)  # c and d after it: CLAIM on the first half


def _import(run_cli: RunCli, path: Path, rows: list[tuple[int, str, list[str]]]) -> None:
    lines = [
        json.dumps({"article_id": LONG, "position": p, "annotator": who, "labels": labels})
        for p, who, labels in rows
    ]
    result = run_cli("import-labels", str(write(path, "\n".join(lines) + "\n")))
    assert result.exit_code == 0, result.output


def _rows(db: Path) -> tuple[dict[int, tuple[set[str], set[str]]], list[Any], dict[int, int]]:
    """Per sentence with gold: its labels and the labels its event's schema had; each
    confirmation as (sentence, annotator, labels, the labels its schema had); position ->
    sentence id."""
    with sqlite3.connect(db) as conn:
        had: dict[str, set[str]] = {}
        for h, name in conn.execute(
            "SELECT s.hash, l.name FROM schemas s JOIN schema_labels l ON l.schema_id = s.id"
        ):
            had.setdefault(h, set()).add(name)
        gold = {
            sid: (set(json.loads(labels)), had[h])
            for sid, labels, h in conn.execute(
                "SELECT g.sentence_id, g.labels, e.schema_hash FROM gold_annotations g "
                "JOIN events e ON e.id = g.event_id"
            )
        }
        conf = [
            (sid, who, set(json.loads(labels)), had[h])
            for sid, who, labels, h in conn.execute(
                "SELECT a.sentence_id, n.name, a.labels, e.schema_hash FROM annotations a "
                "JOIN annotators n ON n.id = a.annotator_id JOIN events e ON e.id = a.event_id "
                "WHERE a.confirmed = 1"
            )
        ]
        pos = {
            int(p): int(s)
            for s, p in conn.execute(
                "SELECT s.id, s.position FROM sentences s JOIN articles r ON r.id = s.article_id "
                "WHERE r.external_id = ?",
                [LONG],
            )
        }
    return gold, conf, pos


def test_gold_under_a_schema_without_the_label_says_nothing_of_it(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    _import(run_cli, tmp_path / "ab.jsonl", [(p, w, ["QUOTE"]) for p in OLD for w in ("a", "b")])
    adopted = run_cli("--guidelines", str(with_label(tmp_path, CLAIM, "x")), "guidelines")
    assert adopted.exit_code == 0, adopted.output
    _import(
        run_cli,
        tmp_path / "cd.jsonl",
        [(p, w, [CLAIM] if p < 28 else ["NONE"]) for p in NEW for w in ("c", "d")],
    )
    adjudicate(imported_db)  # unanimous gold: OLD's under the schema without CLAIM
    _import(run_cli, tmp_path / "carol.jsonl", [(p, "carol", ["QUOTE"]) for p in OLD])
    adjudicate(imported_db)
    sugg = [
        {"article": LONG, "position": p, "label": CLAIM, "score": 0.9, "source": "spec"}
        for p in (*OLD, *NEW)
    ]
    f = write(tmp_path / "s.jsonl", "".join(json.dumps(x) + "\n" for x in sugg))
    assert run_cli("import-suggestions", str(f)).exit_code == 0

    gold, conf, pos = _rows(imported_db)
    assert {pos[p] for p in (*OLD, *NEW)} == set(gold)  # every confirmed sentence has gold
    assert all(CLAIM not in gold[pos[p]][1] for p in OLD)  # under the old schema
    assert all(CLAIM in gold[pos[p]][1] for p in NEW)

    # --evaluate: judged only where the gold's schema had CLAIM
    judged = [pos[p] for p in (*OLD, *NEW) if CLAIM in gold[pos[p]][1]]
    tp = sum(CLAIM in gold[s][0] for s in judged)
    relevant = sum(CLAIM in labels for labels, _had in gold.values())
    out = run_cli("suggestions", "--evaluate", "--format", "json")
    assert out.exit_code == 0, out.output
    (score,) = [s for s in json.loads(out.output)["sources"] if s["source"] == "spec"]
    assert (score["true_positives"], score["suggested"], score["relevant"]) == (
        tp,
        len(judged),
        relevant,
    )
    assert (tp, len(judged)) == (8, 16) and score["precision"] == 0.5  # not 8 of 36

    # vs ref: a confirmation is judged on CLAIM only where its schema and its gold's had it
    k = n = 0
    for sid, _who, labels, had in conf:
        if CLAIM in had and CLAIM in gold[sid][1]:
            k += (CLAIM in labels) == (CLAIM in gold[sid][0])
            n += 1
    out = run_cli("agreement", "--by", "suggestions", "--format", "json")
    assert out.exit_code == 0, out.output
    (row,) = [r for r in json.loads(out.output)["labels"] if r["label"] == CLAIM]
    got = [
        (row[c]["with_reference"]["k"], row[c]["with_reference"]["n"]) for c in ("with", "without")
    ]
    assert (sum(x for x, _ in got), sum(y for _, y in got)) == (k, n) == (32, 32)  # not 52

    # the model's training examples: OLD's gold is neither a "yes" nor a "no" of CLAIM
    store = open_store(imported_db)
    try:
        labels = ["QUOTE", CLAIM, "NONE"]
        examples = training_examples(store, labels)
        texts = {
            int(sid): str(text)
            for sid, text in store.all(
                "SELECT s.id, s.text FROM sentences s JOIN articles r ON r.id = s.article_id "
                "WHERE r.external_id = ?",
                [LONG],
            )
        }
    finally:
        store.close()
    unrated = {t: u for t, u in zip(examples.texts, examples.unrated, strict=True)}
    for sid, (_labels, had) in gold.items():
        want = frozenset(x for x in labels if x not in had)
        assert unrated[texts[sid]] == want
    assert sum(CLAIM in unrated[texts[pos[p]]] for p in OLD) == len(OLD)
