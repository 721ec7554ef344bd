"""`agreement --by suggestions` measures anchoring directly (audit15a F5, F12): of the labels
suggested on a sentence (the control arm's are computed, not shown), the share confirmed
with suggestions shown and hidden, and of those not suggested; of the source types `y`
would fill in, the share confirmed as guessed. Checked against a computation written here
from the database's rows, with numpy's resampling of whole articles. Real corpus
(../shared), real database, the real CLI."""

from __future__ import annotations

import json
import random
import sqlite3
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from annotator.suggest import split
from tests.conftest import SHARED, RunCli, write

CORPUS = SHARED / "news_corpus" / "txt"
SEED = 0
PER_ARTICLE = 6
ALL = "(all labels)"
TYPES = ("named_person", "named_organisation", "unnamed_specific", "vague")


def _rows(db: Path) -> tuple[list[tuple[int, str, str, set[str], dict[str, str]]], Any]:
    with sqlite3.connect(db) as conn:
        conf = [
            (sid, art, who, set(json.loads(labels)), json.loads(fields))
            for sid, art, who, labels, fields in conn.execute(
                "SELECT a.sentence_id, r.external_id, n.name, a.labels, a.fields "
                "FROM annotations a JOIN articles r ON r.id = a.article_id "
                "JOIN annotators n ON n.id = a.annotator_id WHERE a.confirmed = 1"
            )
        ]
        sugg = conn.execute(
            "SELECT sentence_id, label, source, score, source_type FROM suggestions "
            "WHERE score >= 0.5"
        ).fetchall()
    return conf, sugg


def _ci(units: dict[str, list[int]], label: str, n: int) -> list[float]:
    """Whole articles drawn as alpha's bootstrap draws them: Multinomial(K, 1/K)
    multiplicities from default_rng((seed, crc32(label))), articles in sorted order."""
    ids = sorted(a for a, (_k, m) in units.items() if m)
    k_a = np.array([units[a][0] for a in ids], dtype=float)
    n_a = np.array([units[a][1] for a in ids], dtype=float)
    rng = np.random.default_rng((SEED, zlib.crc32(label.encode("utf-8"))))
    drawn = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=n)
    low, high = np.quantile((drawn @ k_a) / (drawn @ n_a), [0.025, 0.975])
    return [float(low), float(high)]


def _oracle(db: Path, labels: list[str]) -> dict[tuple[str, str, str], dict[str, list[int]]]:
    """(label or ALL, condition, "yes"/"no" suggested) -> article -> [confirmed, judged]."""
    conf, sugg = _rows(db)
    suggested: dict[int, set[str]] = {}
    for sid, label, _source, _score, _st in sugg:
        if label in labels:
            suggested.setdefault(sid, set()).add(label)
    out: dict[tuple[str, str, str], dict[str, list[int]]] = {}
    for sid, art, who, mine, _f in conf:
        cond = "with" if split.shown("article", SEED, who, art) else "without"
        for label in labels:
            if label == "NONE":  # the empty label: nothing to follow (audit15c F5)
                continue
            side = "yes" if label in suggested.get(sid, set()) else "no"
            for key in (label, ALL):
                cell = out.setdefault((key, cond, side), {}).setdefault(art, [0, 0])
                cell[0] += label in mine
                cell[1] += 1
    return out


def _guess_oracle(db: Path) -> dict[str, dict[str, list[int]]]:
    """condition -> article -> [source type as guessed, ATTRIBUTED confirmations with a
    guess]: the guess is the source type of the best ATTRIBUTED suggestion of the sentence
    (score, then source name), as `y` picks it."""
    conf, sugg = _rows(db)
    best: dict[int, tuple[float, str, str | None]] = {}
    for sid, label, source, score, st in sugg:
        if label != "ATTRIBUTED":
            continue
        key = (-score, source)
        if sid not in best or key < (-best[sid][0], best[sid][1]):
            best[sid] = (score, source, st)
    out: dict[str, dict[str, list[int]]] = {"with": {}, "without": {}}
    for sid, art, who, mine, fields in conf:
        guess = best.get(sid, (0.0, "", None))[2]
        if guess is None or "ATTRIBUTED" not in mine:
            continue
        cond = "with" if split.shown("article", SEED, who, art) else "without"
        cell = out[cond].setdefault(art, [0, 0])
        cell[0] += fields.get("source_type") == guess
        cell[1] += 1
    return out


def test_suggested_labels_followed_shown_and_hidden(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(CORPUS)).exit_code == 0
    for setting, value in (
        ("suggestions", "on"),
        ("suggestions_split", "article"),
        ("suggestions_seed", str(SEED)),
    ):
        assert run_cli("project", "set", setting, value).exit_code == 0
    assert run_cli("suggestions", "refresh").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        names = [
            str(n)
            for (n,) in conn.execute(
                "SELECT r.external_id FROM articles r JOIN sentences s ON s.article_id = r.id "
                "GROUP BY r.id HAVING count(*) >= ? ORDER BY r.external_id",
                [PER_ARTICLE],
            )
        ]
        positions = {
            str(a): min(int(n), 40)
            for a, n in conn.execute(
                "SELECT r.external_id, count(*) FROM sentences s "
                "JOIN articles r ON r.id = s.article_id GROUP BY r.id"
            )
        }
        suggested: dict[tuple[str, int], list[tuple[str, str | None]]] = {}
        for art, pos, label, st in conn.execute(
            "SELECT r.external_id, s.position, x.label, x.source_type FROM suggestions x "
            "JOIN sentences s ON s.id = x.sentence_id JOIN articles r ON r.id = x.article_id "
            "WHERE x.score >= 0.5 ORDER BY x.score DESC, x.source"
        ):
            suggested.setdefault((art, pos), []).append((label, st))
    shown = [n for n in names if split.shown("article", SEED, "", n)][:12]
    hidden = [n for n in names if not split.shown("article", SEED, "", n)][:12]
    assert len(shown) == len(hidden) == 12
    # annotators follow what is suggested far more often where it is shown; the source
    # type is the guess (shown: mostly; hidden: by chance)
    rng = random.Random(11)
    lines = []
    for art in shown + hidden:
        follow = 0.9 if art in shown else 0.4
        for p in range(positions[art]):
            here = suggested.get((art, p), [])
            for who in ("a", "b"):
                labels = sorted(
                    {lab for lab, _st in here if lab != "NONE" and rng.random() < follow}
                    | ({"LOADED"} if rng.random() < 0.2 else set())
                ) or ["NONE"]
                line: dict[str, Any] = {
                    "article_id": art,
                    "position": p,
                    "annotator": who,
                    "labels": labels,
                }
                if "ATTRIBUTED" in labels:
                    guess = next((st for lab, st in here if lab == "ATTRIBUTED"), None)
                    keep = guess is not None and rng.random() < follow
                    line["fields"] = {"source_type": guess if keep else rng.choice(TYPES)}
                lines.append(line)
    f = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(f)).exit_code == 0, run_cli("import-labels", str(f))

    result = run_cli("agreement", "--by", "suggestions", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    labels = [r["label"] for r in data["labels"]]
    want = _oracle(db_path, labels)
    checked = 0
    assert "NONE" not in data["following"]
    for label in [*(x for x in labels if x != "NONE"), ALL]:
        for cond in ("with", "without"):
            for side, key in (("yes", "suggested_confirmed"), ("no", "unsuggested_confirmed")):
                got = data["following"][label][cond][key]
                units = want.get((label, cond, side), {})
                k = sum(x[0] for x in units.values())
                n = sum(x[1] for x in units.values())
                assert (got["k"], got["n"]) == (k, n), (label, cond, key)
                if n == 0:
                    assert got["value"] is None and got["reason"]
                    continue
                arts = sum(1 for _k, m in units.values() if m)
                if arts >= 10:
                    assert got["ci"] == pytest.approx(_ci(units, label, 1000), abs=1e-12)
                    checked += 1
                else:
                    assert got["ci"] is None and f"{arts} article(s)" in got["ci_reason"]
    assert checked >= 6  # the ALL rows and the common labels have their ten articles
    every = data["following"][ALL]
    # the figure shows the effect built in: followed far more often where shown
    assert every["with"]["suggested_confirmed"]["value"] > 0.8
    assert every["without"]["suggested_confirmed"]["value"] < 0.55

    (guess,) = data["field_guesses"]
    assert (guess["field"], guess["label"]) == ("source_type", "ATTRIBUTED")
    by = _guess_oracle(db_path)
    for cond in ("with", "without"):
        units = by[cond]
        k = sum(x[0] for x in units.values())
        n = sum(x[1] for x in units.values())
        assert (guess[cond]["k"], guess[cond]["n"]) == (k, n) and n > 0
        if len(units) >= 10:
            assert guess[cond]["ci"] == pytest.approx(
                _ci(units, "ATTRIBUTED:source_type", 1000), abs=1e-12
            )
        else:
            assert guess[cond]["ci"] is None and guess[cond]["ci_reason"]
    assert guess["with"]["value"] > guess["without"]["value"]

    text = run_cli("agreement", "--by", "suggestions").output
    assert "following the suggestions" in text and "source_type as guessed" in text
    row = next(x for x in text.splitlines() if x.startswith("all "))
    assert f"{every['with']['suggested_confirmed']['value']:.3f}" in row
    # --bootstrap 0: the figures, no interval, and why
    quick = json.loads(
        run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "0").output
    )
    cell = quick["following"][ALL]["with"]["suggested_confirmed"]
    assert cell["k"] == every["with"]["suggested_confirmed"]["k"]
    assert cell["ci"] is None and cell["ci_reason"] == "no interval: --bootstrap 0"


def test_nothing_marked_is_no_unsuggested_label(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit15c F5: NONE (the empty label, never suggested) counted in "not sugg.", so a side
    that marked nothing scored as one that marked an unsuggested label everywhere. Shown
    side: NONE on every sentence; hidden side: LOADED on every sentence."""
    assert run_cli("import", str(CORPUS)).exit_code == 0
    for setting, value in (
        ("suggestions", "on"),
        ("suggestions_split", "article"),
        ("suggestions_seed", str(SEED)),
    ):
        assert run_cli("project", "set", setting, value).exit_code == 0
    assert run_cli("suggestions", "refresh").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT r.external_id, s.position FROM sentences s "
            "JOIN articles r ON r.id = s.article_id WHERE s.position < 6"
        ).fetchall()
    lines = [
        {
            "article_id": art,
            "position": pos,
            "annotator": who,
            "labels": ["NONE"] if split.shown("article", SEED, who, art) else ["LOADED"],
        }
        for art, pos in rows
        for who in ("a", "b")
    ]
    f = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(f)).exit_code == 0

    result = run_cli("agreement", "--by", "suggestions", "--format", "json")
    assert result.exit_code == 0, result.output
    every = json.loads(result.output)["following"][ALL]
    # independently from the rows: per confirmation, each real label (NONE left out) not
    # suggested at a shown score on its sentence is a cell, confirmed if the answer holds it
    conf, sugg = _rows(db_path)
    suggested: dict[int, set[str]] = {}
    for sid, label, _source, _score, _st in sugg:
        suggested.setdefault(sid, set()).add(label)
    real = ["ATTRIBUTED", "QUOTE", "HEDGED", "UNVERIFIED", "EDITORIAL", "LOADED", "BOILERPLATE"]
    want = {"with": [0, 0], "without": [0, 0]}
    for sid, art, who, mine, _f in conf:
        cond = "with" if split.shown("article", SEED, who, art) else "without"
        for label in real:
            if label not in suggested.get(sid, set()):
                want[cond][0] += label in mine
                want[cond][1] += 1
    for cond in ("with", "without"):
        got = every[cond]["unsuggested_confirmed"]
        assert [got["k"], got["n"]] == want[cond], cond
    # marking nothing is no unsuggested label; LOADED everywhere is
    assert every["with"]["unsuggested_confirmed"]["k"] == 0
    assert every["without"]["unsuggested_confirmed"]["value"] > 0.1
