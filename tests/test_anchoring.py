"""Anchoring measured (issue 16): the seeded split, `agreement --by suggestions` against a
hand computation, `suggestions --evaluate`, through the real CLI and session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggest import anchoring, split
from annotator.suggesting import accept_current
from tests.conftest import SEED_LONG, RunCli, write

C = anchoring.Confirmation
Q = frozenset({"QUOTE"})
E: frozenset[str] = frozenset()
LABELS = ("QUOTE", "HEDGED")


def test_the_split_is_deterministic_with_its_seed() -> None:
    arts = [f"article_{i}" for i in range(1000)]
    first = [split.shown("article", 7, "alice", a) for a in arts]
    assert first == [split.shown("article", 7, "bob", a) for a in arts]  # per article: all
    assert first == [split.shown("article", 7, "alice", a) for a in reversed(arts)][::-1]
    assert 400 < sum(first) < 600  # about half
    assert first != [split.shown("article", 8, "alice", a) for a in arts]  # another seed
    alice = [split.shown("annotator", 7, "alice", a) for a in arts]
    bob = [split.shown("annotator", 7, "bob", a) for a in arts]
    assert alice != bob and 400 < sum(alice) < 600 and 400 < sum(bob) < 600
    assert all(split.shown("none", 7, "alice", a) for a in arts)
    with pytest.raises(ValueError, match="unknown suggestions_split"):
        split.shown("half", 7, "alice", "x")


def _hand_data() -> tuple[list[anchoring.Confirmation], dict[int, anchoring.Verdict]]:
    # seed 0 shows suggestions on article A, not on B (checked below)
    assert split.shown("article", 0, "", "A") and not split.shown("article", 0, "", "B")
    rows = [
        C(1, "A", "alice", Q),
        C(1, "A", "bob", Q),
        C(2, "A", "alice", Q),
        C(2, "A", "bob", E),
        C(5, "A", "alice", E),
        C(5, "A", "bob", E),
        C(6, "A", "alice", E),
        C(6, "A", "bob", E),
        C(3, "B", "alice", Q),
        C(3, "B", "bob", Q),
        C(4, "B", "alice", E),
        C(4, "B", "bob", E),
    ]
    gold = {sid: anchoring.Verdict(v) for sid, v in {1: Q, 2: E, 5: E, 6: Q}.items()}
    return rows, gold


def test_by_suggestions_against_a_hand_computation() -> None:
    rows, gold = _hand_data()
    accepts = [
        ("alice", "A", {"QUOTE"}, {"QUOTE"}),
        ("bob", "A", {"QUOTE", "HEDGED"}, {"QUOTE"}),
    ]
    rep = anchoring.report(rows, gold, LABELS, "article", 0, accepts, n_resamples=200)
    assert rep.confirmations == {"with": 8, "without": 4}
    with_q = rep.conditions["with"][0]
    # Krippendorff's alpha by hand: QUOTE values per unit (1,1) (1,0) (0,0) (0,0);
    # o11 = 2, o10 = o01 = 1, o00 = 4; n = 8, n1 = 3, n0 = 5
    # D_o = 2/8, D_e = 2*3*5/(8*7), alpha = 1 - D_o/D_e = 8/15
    assert with_q.alpha is not None and with_q.alpha.value == pytest.approx(8 / 15)
    assert with_q.alpha.ci is not None and with_q.alpha.ci.n_resamples == 200
    # against gold: 5 of the 8 confirmations match (s2 alice, s6 both miss)
    assert (with_q.with_reference.k, with_q.with_reference.n) == (5, 8)
    # one article: no interval, as for alpha (a Wilson interval over the confirmations
    # took them for independent draws: audit15a F1)
    assert with_q.with_reference.interval is None
    assert with_q.with_reference.ci_reason == (
        "no interval: 1 article(s) with a confirmation with suggestions shown that has a "
        "reference, and resampling whole articles needs at least 10 (--bootstrap-by "
        "sentence resamples sentences)"
    )
    without_q = rep.conditions["without"][0]
    assert without_q.alpha is not None and without_q.alpha.value == pytest.approx(1.0)
    # no gold on B: the majority is the reference, and both agree with it
    assert (without_q.with_reference.k, without_q.with_reference.n) == (4, 4)
    assert rep.accepted == 2 and (rep.unchanged.k, rep.unchanged.n) == (1, 2)
    # HEDGED: nobody marked it; alpha has no variation to measure
    hedged = rep.conditions["with"][1]
    assert hedged.alpha is not None and hedged.alpha.value is None
    assert (hedged.with_reference.k, hedged.with_reference.n) == (8, 8)


def test_off_puts_everything_without() -> None:
    rows, gold = _hand_data()
    rep = anchoring.report(rows, gold, LABELS, "off", 0, [], n_resamples=0)
    assert rep.confirmations == {"with": 0, "without": 12}


def test_evaluate_by_hand() -> None:
    rows, gold = _hand_data()
    reference = anchoring.reference_labels(rows, gold)
    assert reference.labels == {1: Q, 2: E, 5: E, 6: Q, 3: Q, 4: E}
    assert reference.no_majority == 0
    ref = reference.labels
    made = [(1, "cues", "QUOTE"), (2, "cues", "QUOTE"), (6, "model", "QUOTE"), (99, "x", "QUOTE")]
    scores = {(s.source, s.label): s for s in anchoring.evaluate(made, ref, LABELS)}
    assert scores["cues", "QUOTE"].precision == 0.5
    assert scores["cues", "QUOTE"].recall == pytest.approx(1 / 3)  # s1 of s1, s3, s6
    assert scores["model", "QUOTE"].precision == 1.0
    assert scores["x", "QUOTE"].precision is None  # nothing it suggested has a reference
    assert ("cues", "HEDGED") not in scores  # never suggested: not judged


def test_cli_by_suggestions_and_evaluate(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    long = SEED_LONG.stem
    for k, v in (
        ("suggestions", "on"),
        ("suggestions_split", "article"),
        ("suggestions_seed", "0"),
    ):
        assert run_cli("project", "set", k, v).exit_code == 0
    lines = [
        {"article_id": long, "position": p, "annotator": who, "labels": labels}
        for p, who, labels in [
            (15, "alice", ["HEDGED"]),
            (15, "bob", ["HEDGED"]),
            (16, "alice", ["QUOTE"]),
            (16, "bob", ["NONE"]),
        ]
    ]
    f = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(f)).exit_code == 0
    # carol accepts the suggestions of sentence 14 through a real session, then confirms
    with open_store(imported_db) as store:
        g, _ = use_guidelines(store)
        session = AnnotationSession(store, g, "carol", article=long)
        shown = split.shown("article", 0, "carol", long)
        assert shown and session.suggesting  # seed 0 shows them on this article
        session.move_to(14)
        accept_current(session)
        session.confirm()
    result = run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "50")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["split"] == "article" and data["seed"] == 0
    n = data["confirmations"]
    assert n == {"with": 5, "without": 0}
    assert data["accepted"] == 1 and data["accepted_unchanged"]["k"] == 1
    assert data["conditions_from_split"] == 4  # imported: never shown to anyone
    # another seed hides them on this article: carol's confirmation stays with (she saw
    # them: recorded when she opened it), the imported ones follow the split, and say so
    assert run_cli("project", "set", "suggestions_seed", "5").exit_code == 0
    other = json.loads(
        run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "0").output
    )
    assert other["confirmations"] == {"with": 1, "without": 4}
    assert other["accepted"] == 1 and other["conditions_from_split"] == 4
    text = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0").output
    assert "accepted suggestions:" in text and "HEDGED" in text
    assert "note: 4 confirmations on articles opened before the condition was recorded" in text
    ev = run_cli("suggestions", "--evaluate", "--format", "json")
    assert ev.exit_code == 0, ev.output
    scores = {(s["source"], s["label"]): s for s in json.loads(ev.output)["sources"]}
    # sentence 15 (“could not confirm”): cues suggest HEDGED and the majority agrees
    assert scores["cues", "HEDGED"]["true_positives"] >= 1
