"""The model trained on the project's own labels (issue 16): one per label with enough
examples, cross-validated precision and recall, retrained in another process while the
annotation screen takes keys."""

import json
import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from annotator.suggest import model
from benchmarks.corpus import articles
from tests.conftest import RunCli, write
from tests.test_tui_annotate import SIZE, annotations, make_app

CUES = ("said", "told reporters", "confirmed", "according to")


def _labelled_project(run_cli: RunCli, db: Path, tmp_path: Path) -> None:
    corpus = write(
        tmp_path / "corpus.jsonl",
        "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in articles(6, seed=3)),
    )
    assert run_cli("import", str(corpus)).exit_code == 0
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.external_id, s.position, s.text FROM sentences s "
        "JOIN articles a ON a.id = s.article_id"
    ).fetchall()
    conn.close()
    lines = []
    for article, position, text in rows:
        attributed = any(c in text.lower() for c in CUES)
        labels = ["ATTRIBUTED"] if attributed else ["NONE"]
        fields = {"source_type": "named_person"} if attributed else {}
        lines.append(
            json.dumps(
                {
                    "article_id": article,
                    "position": position,
                    "annotator": "bob",
                    "labels": labels,
                    "fields": fields,
                }
            )
        )
    labels_file = write(tmp_path / "bob.jsonl", "\n".join(lines) + "\n")
    result = run_cli("import-labels", str(labels_file))
    assert result.exit_code == 0, result.output


def _model_suggestions(db: Path) -> list[tuple[str, str, float]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT s.text, x.label, x.score FROM suggestions x JOIN sentences s "
            "ON s.id = x.sentence_id WHERE x.source = 'model'"
        ).fetchall()
    finally:
        conn.close()


def test_trained_on_the_project_labels_with_cross_validated_figures(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    _labelled_project(run_cli, db_path, tmp_path)
    # bob confirmed every sentence: only carol, on the team, still needs suggestions
    for who in ("bob", "carol"):
        assert run_cli("team", "add", who).exit_code == 0
    result = run_cli("suggestions", "train", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    by = {r["label"]: r for r in report["labels"]}
    assert by["ATTRIBUTED"]["trained"] and by["NONE"]["trained"]
    # 0.63 / 0.92 with folds by text: 93 of the 310 generated sentences have a twin, and
    # folds per example scored each from a model that saw its copy (0.8+, audit15a F7)
    assert by["ATTRIBUTED"]["precision"] > 0.6 and by["ATTRIBUTED"]["recall"] > 0.8
    assert not by["QUOTE"]["trained"] and by["QUOTE"]["positives"] == 0  # too few: silent
    made = _model_suggestions(db_path)
    assert made and {label for _t, label, _s in made} <= {"ATTRIBUTED", "NONE"}
    attributed = [t for t, label, _s in made if label == "ATTRIBUTED"]
    hits = sum(any(c in t.lower() for c in CUES) for t in attributed)
    assert hits / len(attributed) > 0.6  # held out: 0.63, as cross-validated
    text = run_cli("suggestions", "train").output
    assert "ATTRIBUTED" in text and "precision" in text and "too few" in text


def test_out_of_fold_figures_match_a_hand_count() -> None:
    # separable data: every positive has "zzq", no negative does: perfect out-of-fold
    rng = random.Random(5)
    texts, sets = [], []
    for i in range(200):
        pos = i % 4 == 0
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(6))
        texts.append(f"{words} zzq" if pos else words)
        sets.append(frozenset({"X"} if pos else {"Y"}))
    trained = model.train(texts, sets, ["X", "Y", "Z"])
    rep = {r.label: r for r in trained.report}
    # 1.0 / 1.0 but for one negative of 150 over the threshold in this seed's folds (folds
    # by text: two negatives here have a twin); every positive found
    precision = rep["X"].precision
    assert rep["X"].positives == 50 and precision is not None and precision > 0.98
    assert rep["X"].recall == 1.0
    assert not rep["Z"].trained
    p = model.predict(trained, ["alpha beta gamma delta beta alpha zzq", "gamma " * 6], 0.5)
    assert [lab for lab, _ in p[0]] == ["X"] and [lab for lab, _ in p[1]] == ["Y"]


def test_bigrams_stay_inside_their_sentence() -> None:
    vocab = model.Vocabulary()
    f = model.featurise(["a b c", "", "d", "e f"], vocab)
    assert list(np.diff(f.bigram_start)) == [2, 0, 0, 1]
    assert len(f.bigrams) == 3


async def test_retrained_in_a_worker_while_keys_are_pressed(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    _labelled_project(run_cli, db_path, tmp_path)
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    assert _model_suggestions(db_path) == []
    app = make_app(db_path, "carol")
    assert app.session is not None
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.press("e", "enter")  # keys go on while the model trains
        await app.workers.wait_for_complete()
        await pilot.pause()
        sources = {s.source for sugs in app.session.suggested.values() for s in sugs}
    assert [(p, labels, c) for p, labels, _f, c, _m in annotations(db_path, "carol")] == [
        (0, ["EDITORIAL"], 1),
        (1, ["EDITORIAL"], 1),
        (2, ["EDITORIAL"], 1),
    ]
    assert _model_suggestions(db_path)
    assert "model" in sources


def _model_trained_on(db: Path) -> int:
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT report FROM suggestion_sources WHERE source = 'model'").fetchone()
    conn.close()
    return int(json.loads(row[0])["confirmed"]) if row else 0


async def test_a_long_session_retrains_as_confirmations_accumulate(
    run_cli: RunCli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the screen looked at the model only when it opened: an annotator who kept it open
    # all day never got a retrained model (audit F16.1). The thresholds are made small
    # here (the project would need 200 more confirmed sentences)
    import annotator.suggesting
    from annotator.tui.screens.annotate import AnnotateScreen

    _labelled_project(run_cli, db_path, tmp_path)
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    assert run_cli("suggestions", "train").exit_code == 0
    trained_on = _model_trained_on(db_path)
    assert trained_on > 0
    # an article nobody has confirmed yet: each confirmation of it is a new example
    fresh = write(
        tmp_path / "fresh.txt",
        "".join(f"The mayor said on day {d} that the bridge would reopen.\n\n" for d in range(8)),
    )
    assert run_cli("import", str(fresh)).exit_code == 0
    monkeypatch.setattr(annotator.suggesting, "RETRAIN_EVERY", 4)
    monkeypatch.setattr(AnnotateScreen, "RETRAIN_LOOK_EVERY", 2)
    app = make_app(db_path, "carol", article="fresh")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        assert _model_trained_on(db_path) == trained_on  # not due when it opened
        for _ in range(2):
            await pilot.press("e", "enter")
        await app.workers.wait_for_complete()
        assert _model_trained_on(db_path) == trained_on  # 2 new: not due yet
        for _ in range(2):
            await pilot.press("e", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert _model_trained_on(db_path) == trained_on + 4


def test_one_retrain_per_database_at_a_time(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    """Found by the audit: every open screen (every served session) that found the model
    due started its own retrain of the same model. The claim is an flock beside the
    database, held by the child for as long as it runs."""
    import os

    from annotator.suggesting import retrain_claim, retrain_if_due, start_retraining

    _labelled_project(run_cli, db_path, tmp_path)
    # another screen's retrain holds the claim: this one does not start a second
    held = retrain_claim(db_path)
    assert held is not None
    assert retrain_claim(db_path) is None
    assert retrain_if_due(db_path) is False
    assert _model_trained_on(db_path) == 0
    os.close(held)
    # the child keeps the claim after the screen that started it lets go (or is killed)
    claim = retrain_claim(db_path)
    assert claim is not None
    child = start_retraining(db_path, claim)
    os.close(claim)
    assert retrain_claim(db_path) is None
    assert child.wait(120) == 0
    assert _model_trained_on(db_path) > 0
    again = retrain_claim(db_path)
    assert again is not None
    os.close(again)
    # nothing left to do: the next due check says so, and the claim is free again
    assert retrain_if_due(db_path) is False


def test_training_labels_are_the_strict_majority(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """A label half the annotators chose is nobody's majority (labeling.is_majority, as in
    export and agreement): the model does not learn it as a positive."""
    from annotator.store.database import open_store
    from annotator.store.suggestion_model import training_examples

    corpus = write(
        tmp_path / "corpus.jsonl",
        json.dumps({"id": "a1", "text": "It could signal a shift. Prices rose. Rain fell."}) + "\n",
    )
    assert run_cli("import", str(corpus)).exit_code == 0
    votes = {  # position: labels per annotator
        0: {"bob": ["HEDGED"], "carol": ["NONE"]},  # a tie: neither is the majority
        1: {"bob": ["HEDGED"], "carol": ["HEDGED"], "dave": ["NONE"]},  # two of three
        2: {"bob": ["NONE"], "carol": ["HEDGED"], "dave": ["NONE"], "erin": ["HEDGED"]},
    }
    lines = [
        json.dumps({"article_id": "a1", "position": pos, "annotator": who, "labels": labels})
        for pos, by in votes.items()
        for who, labels in by.items()
    ]
    result = run_cli("import-labels", str(write(tmp_path / "l.jsonl", "\n".join(lines) + "\n")))
    assert result.exit_code == 0, result.output
    with open_store(db_path, create=False) as store:
        examples = training_examples(store, ["HEDGED", "NONE"])
    got = dict(zip(examples.texts, examples.label_sets, strict=True))
    assert got == {
        "It could signal a shift.": frozenset(),
        "Prices rose.": frozenset({"HEDGED"}),
        "Rain fell.": frozenset(),
    }


def test_one_example_is_one_example(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    # "model nb1-1: 1 examples" (audit2 F14): the count and its word agree
    text = write(tmp_path / "one.txt", "The minister said it was fine. Nothing else happened.\n")
    assert run_cli("import", str(text)).exit_code == 0
    labels = {"article_id": "one", "position": 0, "annotator": "bob", "labels": ["NONE"]}
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", json.dumps(labels)))).exit_code
        == 0
    )
    out = run_cli("suggestions", "train").output
    assert ": 1 example\n" in out, out
    assert "NONE              1 example   (too few" in out, out  # columns stay in line
    assert "examples" not in out.split("\n", 1)[0]


def test_the_retrain_claim_is_the_files_whatever_name_opens_it(
    db_path: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    # the second audit: a symlinked path started a second retrain, its lock beside the link
    import os

    from annotator.suggesting import claim_path, retrain_claim

    assert run_cli("import", str(write(tmp_path / "a.txt", "One sentence here.\n"))).exit_code == 0
    (tmp_path / "other").mkdir()
    link = tmp_path / "other" / "link.sqlite"
    link.symlink_to(db_path)
    assert claim_path(link) == claim_path(db_path)
    held = retrain_claim(db_path)
    assert held is not None
    try:
        assert retrain_claim(link) is None
    finally:
        os.close(held)
    assert not (tmp_path / "other" / "link.sqlite.retrain-lock").exists()


def test_a_training_sentence_gets_the_answer_of_the_folds_that_never_saw_it() -> None:
    """audit7 F11: rescored on the sentences it was trained on, the model gave back their
    own labels (in a blind project: the colleagues' consensus on the sentence an annotator
    judges, 1.00). Each sentence carries a word of its own, so a model that saw its label
    can memorise it; its suggestion must come from the folds that did not."""
    rng = random.Random(11)
    texts, sets, noisy = [], [], []
    letters = "bcdfghjklmnpqrstvwz"
    for i in range(300):
        cue = rng.random() < 0.5
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(5))
        own = "".join(rng.choice(letters) for _ in range(9))  # this sentence's own word
        texts.append(f"{words} {'said' if cue else 'noted'} {own}")
        flipped = rng.random() < 0.1  # a label against the cue: what only memorising gives
        if flipped:
            noisy.append(i)
        sets.append(frozenset({"X"} if cue != flipped else {"Y"}))
    trained = model.train(texts, sets, ["X", "Y"])
    assert "X" in trained.labels
    got = model.predict(trained, texts, 0.0, ["X"])
    x = [dict(p).get("X", 0.0) for p in got]
    # the flipped ones follow the cue, as held out, not their own label
    follows_cue = sum((x[i] > 0.5) == ("said" in texts[i]) for i in noisy)
    assert follows_cue >= 0.8 * len(noisy), [round(x[i], 2) for i in noisy]
    # each is exactly the held-out figure, and a text it never saw is scored as usual
    for i in (0, 1, 10, 299):
        assert x[i] == trained.held_out_probability["X"][trained.held_out[model.text_key(texts[i])]]
    fresh = model.predict(trained, ["alpha beta said"], 0.0, ["X"])[0]
    assert dict(fresh)["X"] > 0.5


def test_an_example_that_never_rated_a_label_is_no_negative_of_it() -> None:
    """audit15a F3: the sentences confirmed before a label was added (X here) carry no X,
    since nobody could choose it; learnt as negatives, they taught the model that its cue
    means "not X". Left out of X's fit (`unrated`), they change nothing of it."""
    rng = random.Random(7)
    texts, sets = [], []
    for i in range(300):
        cue = i % 2 == 0
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(5))
        texts.append(f"{words} {'zzq' if cue else 'plain'}")
        sets.append(frozenset({"X"} if cue else {"Y"}))
    # 300 older sentences, every one with the cue, confirmed before X existed
    vocabulary = ["alpha", "beta", "gamma", "delta"]
    old = [f"{' '.join(rng.choice(vocabulary) for _ in range(5))} zzq" for _ in range(300)]
    rated: list[frozenset[str]] = [frozenset()] * 300
    learnt = model.train(
        texts + old,
        sets + [frozenset({"Y"})] * 300,
        ["X", "Y"],
        unrated=rated + [frozenset({"X"})] * 300,
    )
    x = {r.label: r for r in learnt.report}["X"]
    assert x.trained and x.positives == 150 and x.precision == 1.0 and x.recall == 1.0
    # X's cross-validated figures rest on the 300 that rated it, as without the old ones
    alone = {r.label: r for r in model.train(texts, sets, ["X", "Y"]).report}["X"]
    assert (x.precision, x.recall) == (alone.precision, alone.recall)
    # counted as "no X", the old sentences make the cue mean X one time in three
    poisoned = model.train(texts + old, sets + [frozenset({"Y"})] * 300, ["X", "Y"])
    assert not {r.label: r for r in poisoned.report}["X"].trained
