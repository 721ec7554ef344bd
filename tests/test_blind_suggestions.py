"""audit15a F4: in a blind project, `suggestions --evaluate` and `agreement --by suggestions`
judge against other annotators' labels (their majority, gold). A sentence one colleague
confirmed has her labels as its majority, and a probe file of outside suggestions (one
source per sentence and label) read them back exactly, unasked and unrecorded. Run by an
annotator, they now ask and record as every other view of others' labels does."""

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli, write

ARTICLE = "000_60cc46f11ca30d04"
ALICE = {0: ["QUOTE", "LOADED"], 1: ["EDITORIAL"], 2: ["HEDGED", "LOADED"]}
PROBED = ["ATTRIBUTED", "QUOTE", "HEDGED", "EDITORIAL", "LOADED"]


@pytest.fixture
def probed(run_cli: RunCli, imported_db: Path, tmp_path: Path) -> Path:
    """A blind project where alice confirmed three sentences, and bob, an annotator,
    imported a probe: one source per (sentence, label) suggesting only that."""
    for args in (("blind", "true"), ("suggestions", "on")):
        assert run_cli("project", "set", *args).exit_code == 0
    for who, role in (("alice", "annotator"), ("bob", "annotator"), ("mia", "manager")):
        assert run_cli("team", "add", who, "--role", role).exit_code == 0
    alice = write(
        tmp_path / "alice.jsonl",
        "".join(
            json.dumps({"article_id": ARTICLE, "position": p, "annotator": "alice", "labels": labs})
            + "\n"
            for p, labs in ALICE.items()
        ),
    )
    assert run_cli("import-labels", str(alice), "--format", "jsonl").exit_code == 0
    probe = write(
        tmp_path / "probe.jsonl",
        "".join(
            json.dumps(
                {
                    "article": ARTICLE,
                    "position": p,
                    "label": lab,
                    "score": 0.5,
                    "source": f"p{p}-{lab}",
                }
            )
            + "\n"
            for p in ALICE
            for lab in PROBED
        ),
    )
    assert run_cli("import-suggestions", str(probe)).exit_code == 0
    return imported_db


def _seen(db: Path) -> list[tuple[str, str | None, str]]:
    conn = sqlite3.connect(db)
    try:
        return [
            (who, article, json.loads(after)["via"])
            for who, article, after in conn.execute(
                "SELECT n.name, a.external_id, e.after FROM events e "
                "JOIN annotators n ON n.id = e.annotator_id "
                "LEFT JOIN articles a ON a.id = e.article_id "
                "WHERE e.kind = 'blind' AND e.action = 'saw_others' ORDER BY e.id"
            )
        ]
    finally:
        conn.close()


def test_an_annotator_is_asked_before_evaluate_reads_a_colleagues_labels(
    run_cli: RunCli, probed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_USER", "bob")
    # declined, or no answer: nothing shown, nothing recorded
    for answer in ("n\n", None):
        result = run_cli("suggestions", "--evaluate", input=answer)
        assert result.exit_code == 1, result.output
        assert "not shown: nothing was recorded" in result.output
        assert "p0-QUOTE" not in result.output
    assert _seen(probed) == []
    # yes: shown, and recorded for the article whose labels it reads (alice's)
    result = run_cli("suggestions", "--evaluate", "--format", "json", input="y\n")
    assert result.exit_code == 0, result.output
    assert "This project is blind and you are annotator bob" in result.output
    rows = json.loads(result.output.splitlines()[-1])["sources"]
    read = {r["source"] for r in rows if r["source"].startswith("p") and r["precision"] == 1.0}
    # what it read back: exactly alice's labels, which is why it asked
    assert read == {f"p{p}-{lab}" for p, labs in ALICE.items() for lab in labs}
    assert _seen(probed) == [("bob", ARTICLE, "annotator suggestions --evaluate")]
    # bob's work on that article from now on is not blind work
    bob = write(
        tmp_path / "bob.jsonl",
        json.dumps({"article_id": ARTICLE, "position": 0, "annotator": "bob", "labels": ["QUOTE"]})
        + "\n",
    )
    assert run_cli("import-labels", str(bob), "--format", "jsonl").exit_code == 0
    out = json.loads(run_cli("agreement", "--blind-only", "--format", "json").output)
    assert out["blind_only"]["excluded_annotations"] == 1


def test_agreement_by_suggestions_asks_too_and_yes_answers_for_scripts(
    run_cli: RunCli, probed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_USER", "bob")
    result = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0", input="n\n")
    assert result.exit_code == 1 and "not shown" in result.output
    assert _seen(probed) == []
    result = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0", "--yes")
    assert result.exit_code == 0, result.output
    assert _seen(probed) == [("bob", ARTICLE, "annotator agreement --by suggestions")]
    result = run_cli("suggestions", "--evaluate", "-y")
    assert result.exit_code == 0 and "p0-QUOTE" in result.output


def test_managers_and_projects_that_are_not_blind_are_not_asked(
    run_cli: RunCli, probed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a manager reads others' labels as their job (as export, adjudicate do)
    monkeypatch.setenv("ANNOTATOR_USER", "mia")
    for args in (("suggestions", "--evaluate"), ("agreement", "--by", "suggestions")):
        result = run_cli(*args, "--bootstrap", "0") if args[0] == "agreement" else run_cli(*args)
        assert result.exit_code == 0, result.output
        assert "This project is blind" not in result.output
    # alice: every label it would read is her own (nobody else confirmed, no gold)
    monkeypatch.setenv("ANNOTATOR_USER", "alice")
    result = run_cli("suggestions", "--evaluate")
    assert result.exit_code == 0 and "This project is blind" not in result.output
    assert _seen(probed) == []
    monkeypatch.setenv("ANNOTATOR_USER", "bob")
    assert run_cli("project", "set", "blind", "false").exit_code == 0
    result = run_cli("suggestions", "--evaluate")
    assert result.exit_code == 0 and "This project is blind" not in result.output
    assert _seen(probed) == []
