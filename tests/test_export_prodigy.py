"""Prodigy's documented semantics (export/prodigy.py cites the pages), as properties: of the
task builder for any text and answer, and of the real export in every state of a project."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.export.prodigy import ANSWERS, task
from tests.consumers import STATES, cli_run, confirmed_per_annotator, team_db

OPTS = [{"id": x, "text": x.title()} for x in ("A", "B", "C")]
answers = st.one_of(st.none(), st.lists(st.sampled_from(["A", "B", "C"]), unique=True))


@given(st.text(), answers, answers, st.text(min_size=1), st.text(min_size=1))
def test_hashes_identify_the_input_and_the_question_not_the_answer(
    text: str, one: list[str] | None, other: list[str] | None, who1: str, who2: str
) -> None:
    a = task(text, OPTS, one, who1, "2026-11-02T09:00:01Z", {})
    b = task(text, OPTS, other, who2, None, {"x": 1})
    assert a["_input_hash"] == b["_input_hash"] and a["_task_hash"] == b["_task_hash"]
    assert a["answer"] in ANSWERS and set(a["accept"]) <= {o["id"] for o in OPTS}
    assert a["_view_id"] == "choice" and a["_timestamp"] == 1793610001
    assert "_timestamp" not in b  # no time known: none invented
    # another question about the same input: same input hash, another task hash
    c = task(text, OPTS[:2], one, who1, None, {})
    assert c["_input_hash"] == a["_input_hash"] and c["_task_hash"] != a["_task_hash"]


@given(st.text(), st.text())
def test_different_texts_have_different_input_hashes(t1: str, t2: str) -> None:
    if t1 != t2:  # 32-bit hashes can collide; these are short texts, and sha256-based
        assert (
            task(t1, OPTS, [], "x", None, {})["_input_hash"]
            != (task(t2, OPTS, [], "x", None, {})["_input_hash"])
        )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("view", ["raw", "gold", "majority"])
def test_the_export_follows_the_documented_keys(tmp_path: Path, state: str, view: str) -> None:
    db = team_db(tmp_path, state)
    out = tmp_path / "prodigy.jsonl"
    res = cli_run(db, "export", "--format", "prodigy", "--view", view, "-o", str(out))
    assert res.exit_code == 0, res.output
    tasks = [json.loads(x) for x in out.read_text().splitlines()]
    by_text: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for t in tasks:
        assert t["_view_id"] == "choice" and t["answer"] in ANSWERS
        assert isinstance(t["_timestamp"], int)
        assert set(t["accept"]) <= {o["id"] for o in t["options"]}
        assert set(t) <= {"text", "options", "accept", "answer", "meta"} | {
            "_input_hash",
            "_task_hash",
            "_view_id",
            "_annotator_id",
            "_session_id",
            "_timestamp",
        }
        by_text[t["text"]].add((t["_input_hash"], t["_task_hash"]))
    assert all(len(v) == 1 for v in by_text.values())  # one question per sentence
    if view == "raw":
        who: dict[str, int] = defaultdict(int)
        for t in tasks:
            who[t["meta"]["annotator"]] += 1
        assert dict(who) == confirmed_per_annotator(db)


def _gold_rows(db: Path) -> list[tuple[int, str, str, str]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return sorted(
            conn.execute(
                "SELECT sentence_id, labels, method, decided_at FROM gold_annotations"
            ).fetchall()
        )
    finally:
        conn.close()


def test_gold_and_annotators_called_gold_round_trip_and_majority_is_said(
    tmp_path: Path,
) -> None:
    """audit9b F2: every task whose annotator was named `gold` or `majority` was skipped (a
    real person's work vanished), our own gold tasks were not imported back, and none of it
    was said: "imported 0 annotations (nobody); 0 not matched", even with --strict."""
    from tests.conftest import ROOT

    source = team_db(tmp_path, "fully")
    import sqlite3

    conn = sqlite3.connect(source)
    with conn:
        conn.execute("UPDATE annotators SET name = 'gold' WHERE name = 'alice'")
    conn.close()
    files = {}
    for view in ("raw", "gold", "majority"):
        files[view] = tmp_path / f"{view}.jsonl"
        r = cli_run(source, "export", "--format", "prodigy", "--view", view, "-o", str(files[view]))
        assert r.exit_code == 0, r.output
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(files["raw"]), "--format", "prodigy", "--strict")
    assert r.exit_code == 0 and "(bob, gold)" in r.output, r.output
    assert confirmed_per_annotator(fresh) == confirmed_per_annotator(source)
    r = cli_run(fresh, "import-labels", str(files["gold"]), "--format", "prodigy", "--strict")
    assert r.exit_code == 0, r.output
    assert _gold_rows(fresh) == _gold_rows(source) and _gold_rows(source)
    tasks = [json.loads(x) for x in files["majority"].read_text().splitlines()]
    accepted = sum(t["answer"] == "accept" for t in tasks)
    r = cli_run(fresh, "import-labels", str(files["majority"]), "--format", "prodigy")
    assert r.exit_code == 0, r.output
    assert f"{accepted} majority tasks (the majority is no one's labels) left out" in r.output
    assert f"{len(tasks) - accepted} tasks answered ignore left out" in r.output


def test_prodigy_gold_into_a_database_with_no_annotations_yet(tmp_path: Path) -> None:
    """audit10 F1: two unanimous gold tasks on sentences nobody here had confirmed (what a
    Prodigy gold file gives a fresh database) ended in a traceback, UNIQUE constraint failed
    on annotators.name, nothing imported."""
    from tests.conftest import ROOT

    source = team_db(tmp_path, "fully")
    gold = tmp_path / "gold.jsonl"
    assert (
        cli_run(
            source, "export", "--format", "prodigy", "--view", "gold", "-o", str(gold)
        ).exit_code
        == 0
    )
    tasks = [json.loads(x) for x in gold.read_text().splitlines()]
    unanimous = [t for t in tasks if t["meta"]["method"] == "unanimous"]
    assert len(unanimous) >= 2
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(gold), "--format", "prodigy")
    assert r.exit_code == 0 and f"{len(tasks)} gold labels" in r.output, r.output
