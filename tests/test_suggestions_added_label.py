"""A label added to the guidelines mid-project, as the suggestions see it (audit15a F3): the
model's training examples, `suggestions --evaluate`, the reference majority and `agreement
--by suggestions` count a confirmation made under a schema without the label as no rating
of it (store/schema_history.py), as `agreement` and the majority export do, instead of a
"no". Real database, the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from annotator.store.database import open_store
from annotator.store.suggestion_model import training_examples
from annotator.suggest import split
from tests.conftest import SEED_LONG, SEED_SHORT, RunCli, write
from tests.test_agreement_added_labels import with_label

LONG, SHORT = SEED_LONG.stem, SEED_SHORT.stem
CLAIM = "CLAIM"


def _import(run_cli: RunCli, path: Path, rows: list[tuple[str, int, str, list[str]]]) -> None:
    lines = [
        json.dumps({"article_id": art, "position": p, "annotator": who, "labels": labels})
        for art, p, who, labels in rows
    ]
    result = run_cli("import-labels", str(write(path, "\n".join(lines) + "\n")))
    assert result.exit_code == 0, result.output


def _claim(data: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in data["labels"] if r["label"] == CLAIM)


def test_confirmations_before_a_label_existed_are_no_votes_against_it(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    seed = next(
        s
        for s in range(100)
        if split.shown("article", s, "", LONG) and not split.shown("article", s, "", SHORT)
    )
    for k, v in (("suggestions", "on"), ("suggestions_split", "article")):
        assert run_cli("project", "set", k, v).exit_code == 0
    assert run_cli("project", "set", "suggestions_seed", str(seed)).exit_code == 0
    # a and b, under the bundled schema (no CLAIM): LONG's first 60 sentences and SHORT's
    # first 12, QUOTE on the even ones, NONE on the odd ones, alike
    before = [
        (art, p, who, ["QUOTE"] if p % 2 == 0 else ["NONE"])
        for art, n in ((LONG, 60), (SHORT, 12))
        for p in range(n)
        for who in ("a", "b")
    ]
    _import(run_cli, tmp_path / "before.jsonl", before)
    guidelines = with_label(tmp_path, CLAIM, "x")
    adopted = run_cli("--guidelines", str(guidelines), "agreement", "--label", CLAIM)
    assert adopted.exit_code == 0, adopted.output

    # nobody could have chosen CLAIM yet: no figure, and the reason is that it was added
    # after these confirmations (it read "1.000 [0.978-1.000]" from 144 of them, and the
    # footnote "nobody used this label")
    data = json.loads(run_cli("agreement", "--by", "suggestions", "--format", "json").output)
    claim = _claim(data)["with"]
    added = "CLAIM was added to the guidelines after every confirmation with suggestions shown"
    assert claim["alpha"]["value"] is None and claim["alpha"]["reason"].startswith(added)
    assert claim["with_reference"]["value"] is None
    assert claim["with_reference"]["reason"].startswith(added)
    assert data["unrated"] == {CLAIM: {"with": 120, "without": 24}}
    text = run_cli("agreement", "--by", "suggestions").output
    assert "CLAIM was added to the guidelines after 144 of the 144 confirmations here" in text
    assert "nobody used this label" not in text.split("CLAIM", 2)[2].split("\n[")[0]

    # c and d, under the schema with CLAIM: CLAIM on LONG's first 30 sentences, NONE on the
    # next 30
    after = [
        (LONG, p, who, [CLAIM] if p < 30 else ["NONE"]) for p in range(60) for who in ("c", "d")
    ]
    _import(run_cli, tmp_path / "after.jsonl", after)

    # the only two who could choose CLAIM agree on every sentence: alpha 1, as `agreement`
    # says; each compared with the other (a and b never rated it): 120 of 120. Counting a
    # and b as "no" gave alpha 0.195 and 0.652 of 240.
    agreement = json.loads(
        run_cli("agreement", "--label", CLAIM, "--format", "json", "--bootstrap", "0").output
    )
    alpha = _claim(agreement)["krippendorff_alpha"]
    assert (alpha["value"], alpha["units"]) == (1.0, 60)
    data = json.loads(run_cli("agreement", "--by", "suggestions", "--format", "json").output)
    claim = _claim(data)["with"]
    assert claim["alpha"]["value"] == alpha["value"]
    assert (claim["with_reference"]["k"], claim["with_reference"]["n"]) == (120, 120)
    # QUOTE was in every schema: all four confirmations of LONG's 60 sentences are judged
    quote = next(r for r in data["labels"] if r["label"] == "QUOTE")["with"]["with_reference"]
    assert quote["n"] == 240

    # the model learns CLAIM from the 30 sentences its two raters chose it on (it had 0
    # examples: 2 of 4 is no majority), and the sentences only a and b confirmed are not
    # negative examples of it
    trained = run_cli("suggestions", "train")
    assert trained.exit_code == 0, trained.output
    assert re.search(r"CLAIM\s+30 examples", trained.output), trained.output
    with open_store(imported_db, create=False) as store:
        examples = training_examples(store, ["QUOTE", CLAIM, "NONE"])
    pairs = zip(examples.label_sets, examples.unrated, strict=True)
    by_text = dict(zip(examples.texts, pairs, strict=True))
    with open_store(imported_db, create=False) as store:
        texts = {
            (str(art), int(p)): str(t)
            for art, p, t in store.all(
                "SELECT r.external_id, s.position, s.text FROM sentences s "
                "JOIN articles r ON r.id = s.article_id"
            )
        }
    assert by_text[texts[LONG, 0]] == (frozenset({CLAIM}), frozenset())
    assert by_text[texts[LONG, 31]] == (frozenset({"NONE"}), frozenset())
    for key in ((SHORT, 0), (SHORT, 1), (SHORT, 11)):  # only a and b: CLAIM says nothing
        assert by_text[texts[key]][1] == frozenset({CLAIM}), key

    # a source suggesting CLAIM where c and d chose it is right there; on SHORT nobody
    # could choose it: not judged (it was judged wrong everywhere: no majority for CLAIM)
    lines = [
        {"article": art, "position": p, "label": CLAIM, "score": 0.9, "source": "mine"}
        for art, n in ((LONG, 30), (SHORT, 6))
        for p in range(n)
    ]
    f = write(tmp_path / "mine.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-suggestions", str(f)).exit_code == 0
    data = json.loads(run_cli("suggestions", "--evaluate", "--format", "json").output)
    mine = next(s for s in data["sources"] if s["source"] == "mine" and s["label"] == CLAIM)
    assert (mine["true_positives"], mine["suggested"], mine["relevant"]) == (30, 30, 30)
    assert mine["precision"] == 1.0 and mine["recall"] == 1.0
