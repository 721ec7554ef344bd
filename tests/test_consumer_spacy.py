"""Our spacy-jsonl export turned into a DocBin in spaCy itself (.venv-spacy, a venv of its
own: `make test-consumers` installs it; skipped when absent), in the three states of a
project, with the README's lines; the DocBin saved, loaded back and used to initialise a
textcat_multilabel pipe. Positive counts per label are compared with the database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from annotator.guidelines import load_guidelines
from tests.conftest import ROOT
from tests.consumers import STATES, cli_run, gold_count, team_db

SPACY_PY = Path(os.environ.get("ANNOTATOR_SPACY_PYTHON", ROOT / ".venv-spacy" / "bin" / "python"))
SCRIPT = ROOT / "tests" / "consumer_scripts" / "spacy_docbin.py"


def gold_positives(db: Path) -> Counter[str]:
    conn = sqlite3.connect(db)
    try:
        return Counter(
            lab
            for (labels,) in conn.execute("SELECT labels FROM gold_annotations")
            for lab in json.loads(labels)
        )
    finally:
        conn.close()


# a confirmed sentence's votes per label, and the label's count of them (in SQL, apart from
# the exporter's code): more than half of its annotators chose it
_MAJORITY = (
    "WITH n AS (SELECT sentence_id, count(*) AS k FROM annotations WHERE confirmed = 1 "
    "GROUP BY sentence_id), votes AS (SELECT a.sentence_id, j.value AS label, "
    "count(*) AS v FROM annotations a, json_each(a.labels) j WHERE a.confirmed = 1 "
    "GROUP BY a.sentence_id, j.value) SELECT sentence_id, label FROM votes "
    "JOIN n USING (sentence_id) WHERE v * 2 > k"
)


def majority_positives(db: Path) -> tuple[int, Counter[str]]:
    """Confirmed sentences with a majority label (one whose annotators gave no label a
    majority is left out: it is no negative example), and per label how many of them more
    than half of their annotators chose."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(_MAJORITY).fetchall()
        return len({s for s, _label in rows}), Counter(label for _s, label in rows)
    finally:
        conn.close()


def expected(counts: Counter[str], labels: list[str]) -> dict[str, int]:
    return {lab: counts[lab] for lab in labels}


@pytest.mark.consumer
def test_spacy_docbin_in_every_state(tmp_path: Path) -> None:
    if not SPACY_PY.exists():
        pytest.skip(f"spaCy is not installed ({SPACY_PY}): make test-consumers installs it")
    labels = list(load_guidelines(ROOT / "guidelines").schema.label_names)
    files: dict[tuple[str, str], Path] = {}
    dbs: dict[str, Path] = {}
    for state in STATES:
        dbs[state] = db = team_db(tmp_path, state)
        for view in ("gold", "majority"):
            out = tmp_path / "out" / f"{state}.{view}.jsonl"
            args = ["export", "--format", "spacy-jsonl", "-o", str(out)]
            res = cli_run(db, *args, *([] if view == "gold" else ["--view", view]))
            assert res.exit_code == 0, res.output
            files[state, view] = out
    work = tmp_path / "spacy"
    work.mkdir()
    done = subprocess.run(
        [str(SPACY_PY), str(SCRIPT), str(work), *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    for state in STATES:
        db = dbs[state]
        gold = got[str(files[state, "gold"])]
        assert gold["docs"] == gold_count(db)
        if state == "no_gold":
            assert gold["docs"] == 0
        else:
            assert gold["docs"] > 0
            assert gold["positives"] == expected(gold_positives(db), labels)
            assert gold["textcat_labels"] == sorted(labels)
            assert {"id", "article_id", "method", "adjudicator", "view"} <= set(gold["meta_keys"])
        n, votes = majority_positives(db)
        maj = got[str(files[state, "majority"])]
        assert maj["docs"] == n
        assert maj["positives"] == expected(votes, labels)
        assert maj["textcat_labels"] == sorted(labels)
        assert len(set(maj["ids"])) == n  # one doc per sentence, never one per annotator
    partly, fully = (got[str(files[s, "gold"])]["docs"] for s in ("partly", "fully"))
    assert 0 < partly < fully


def test_spacy_jsonl_has_every_label_as_a_cat(tmp_path: Path) -> None:
    db = team_db(tmp_path, "partly")
    out = tmp_path / "train.jsonl"
    assert cli_run(db, "export", "--format", "spacy-jsonl", "-o", str(out)).exit_code == 0
    labels = load_guidelines(ROOT / "guidelines").schema.label_names
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(recs) == gold_count(db) > 0
    for rec in recs:
        assert set(rec) == {"text", "cats", "meta"}
        assert list(rec["cats"]) == list(labels)
        assert set(rec["cats"].values()) <= {0.0, 1.0}
        assert rec["meta"]["view"] == "gold"


def test_spacy_jsonl_refuses_raw_in_one_line(tmp_path: Path) -> None:
    db = team_db(tmp_path, "no_gold")
    out = tmp_path / "raw.jsonl"
    res = cli_run(db, "export", "--format", "spacy-jsonl", "--view", "raw", "-o", str(out))
    assert res.exit_code == 1
    assert "one answer per text" in res.stderr and "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob("raw*"))


def test_spacy_jsonl_before_adjudication_says_why_it_is_empty(tmp_path: Path) -> None:
    db = team_db(tmp_path, "no_gold")
    out = tmp_path / "gold.jsonl"
    res = cli_run(db, "export", "--format", "spacy-jsonl", "-o", str(out))
    assert res.exit_code == 0 and out.read_text() == ""
    assert "no records, no sentence has gold yet" in res.stderr


@pytest.mark.parametrize("target", ["database", "foreign"])
def test_spacy_jsonl_never_replaces_what_it_did_not_write(tmp_path: Path, target: str) -> None:
    db = team_db(tmp_path, "fully")
    path = db if target == "database" else tmp_path / "notes.jsonl"
    if target == "foreign":
        path.write_text('{"mine": "a user\'s file"}\n')
    before = path.read_bytes()
    res = cli_run(db, "export", "--format", "spacy-jsonl", "-o", str(path))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert str(path) in res.stderr
    assert path.read_bytes() == before


def test_spacy_jsonl_majority_leaves_out_a_sentence_without_a_majority_label(
    tmp_path: Path,
) -> None:
    """Alice and Bob disagree on some sentences: no label has a majority of two there, and
    a record of every cat 0.0 would teach textcat that the sentence is none of the labels
    (NONE included), which neither said (audit7 F1)."""
    db = team_db(tmp_path, "no_gold")
    out = tmp_path / "majority.jsonl"
    res = cli_run(db, "export", "--format", "spacy-jsonl", "--view", "majority", "-o", str(out))
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    with_majority, _votes = majority_positives(db)
    conn = sqlite3.connect(db)
    confirmed = conn.execute(
        "SELECT count(DISTINCT sentence_id) FROM annotations WHERE confirmed = 1"
    ).fetchone()[0]
    conn.close()
    assert 0 < with_majority < confirmed  # the demo labels hold ties
    assert len(recs) == with_majority
    assert all(1.0 in rec["cats"].values() for rec in recs)
