"""`agreement --by suggestions`: the "vs ref" share's interval (audit15a F1). A Wilson
interval over confirmations took each for an independent draw: with two annotators each
disagreement was counted twice, and the sentences of one article as independent, so one
article per side read as a clear anchoring effect. The share now has alpha's bootstrap
(whole articles resampled, none below ten articles, with the reason) and the report says
when a side rests on fewer articles. Checked against numpy resampling written here from
the database's rows. Real corpus (../shared), real database, the real CLI."""

from __future__ import annotations

import json
import random
import sqlite3
import zlib
from pathlib import Path

import numpy as np
import pytest

from annotator.suggest import split
from tests.conftest import SHARED, RunCli, write
from tests.test_agreement_added_labels import with_label

CORPUS = SHARED / "news_corpus" / "txt"
SEED = 0
LABELS = ("QUOTE", "NONE")
PER_ARTICLE = 6


def _setup(run_cli: RunCli, seed: int) -> None:
    for k, v in (
        ("suggestions", "on"),
        ("suggestions_split", "article"),
        ("suggestions_seed", str(seed)),
    ):
        assert run_cli("project", "set", k, v).exit_code == 0


def _sides(db: Path) -> dict[str, list[str]]:
    """Twelve articles of six sentences or more on each side of the split."""
    with sqlite3.connect(db) as conn:
        names = [
            str(n)
            for (n,) in conn.execute(
                "SELECT r.external_id FROM articles r JOIN sentences s ON s.article_id = r.id "
                "GROUP BY r.id HAVING count(*) >= ? ORDER BY r.external_id",
                [PER_ARTICLE],
            )
        ]
    shown = [n for n in names if split.shown("article", SEED, "", n)]
    hidden = [n for n in names if not split.shown("article", SEED, "", n)]
    return {"with": shown[:12], "without": hidden[:12]}


def _oracle(db: Path, articles: list[str], label: str, n: int) -> tuple[int, int, list[float]]:
    """k of n (each of the two annotators against the other) on `articles`, and the 95%
    percentile interval of whole articles drawn as alpha's bootstrap draws them:
    Multinomial(K, 1/K) multiplicities from default_rng((seed, crc32(label)))."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.sentence_id, r.external_id, n.name, a.labels FROM annotations a "
            "JOIN articles r ON r.id = a.article_id JOIN annotators n ON n.id = a.annotator_id "
            "WHERE a.confirmed = 1"
        ).fetchall()
    by_sentence: dict[int, dict[str, set[str]]] = {}
    article_of: dict[int, str] = {}
    for sid, art, who, labels in rows:
        if art in articles:
            by_sentence.setdefault(sid, {})[who] = set(json.loads(labels))
            article_of[sid] = art
    ids = sorted(articles)
    k_a, n_a = np.zeros(len(ids)), np.zeros(len(ids))
    for sid, votes in by_sentence.items():
        i = ids.index(article_of[sid])
        for who, mine in votes.items():
            (other,) = [v for w, v in votes.items() if w != who]
            k_a[i] += (label in mine) == (label in other)
            n_a[i] += 1
    rng = np.random.default_rng((SEED, zlib.crc32(label.encode("utf-8"))))
    drawn = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=n)
    shares = (drawn @ k_a) / (drawn @ n_a)
    low, high = np.quantile(shares, [0.025, 0.975])
    return int(k_a.sum()), int(n_a.sum()), [float(low), float(high)]


def test_the_share_resamples_whole_articles_as_alpha_does(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(CORPUS)).exit_code == 0
    _setup(run_cli, SEED)
    sides = _sides(db_path)
    assert len(sides["with"]) == len(sides["without"]) == 12
    # two annotators on the first six sentences of each: some articles easy, some hard
    rng = random.Random(5)
    lines = []
    for art in sides["with"] + sides["without"]:
        noise = rng.uniform(0.0, 0.5)
        for p in range(PER_ARTICLE):
            a = rng.choice(LABELS)
            b = a if rng.random() >= noise else next(x for x in LABELS if x != a)
            for who, labels in (("a", a), ("b", b)):
                lines.append(
                    {"article_id": art, "position": p, "annotator": who, "labels": [labels]}
                )
    f = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(f)).exit_code == 0

    data = json.loads(run_cli("agreement", "--by", "suggestions", "--format", "json").output)
    for row in data["labels"]:
        if row["label"] not in LABELS:
            continue
        for cond in ("with", "without"):
            got = row[cond]["with_reference"]
            k, n, ci = _oracle(db_path, sides[cond], row["label"], 1000)
            assert (got["k"], got["n"]) == (k, n)
            assert got["ci"] == pytest.approx(ci, abs=1e-12), (row["label"], cond)
            assert got["ci_reason"] is None
    # the report says nothing of too few articles here
    assert data["articles"] == {"with": 12, "without": 12} and data["few_articles"] is None
    text = run_cli("agreement", "--by", "suggestions").output
    assert "article(s), those without" not in text

    # a label added since, which c and d confirm on three of the twelve articles: the
    # condition has its ten, that label's share does not, and says so (as alpha's does)
    folder = with_label(tmp_path, "CLAIM", "x")
    assert run_cli("--guidelines", str(folder), "agreement", "--label", "CLAIM").exit_code == 0
    late = [
        {"article_id": art, "position": p, "annotator": who, "labels": ["CLAIM" if p else "NONE"]}
        for art in sides["with"][:3]
        for p in range(PER_ARTICLE)
        for who in ("c", "d")
    ]
    f = write(tmp_path / "late.jsonl", "".join(json.dumps(x) + "\n" for x in late))
    assert run_cli("import-labels", str(f)).exit_code == 0
    data = json.loads(run_cli("agreement", "--by", "suggestions", "--format", "json").output)
    claim = next(r for r in data["labels"] if r["label"] == "CLAIM")["with"]["with_reference"]
    assert (claim["k"], claim["n"]) == (36, 36)
    assert claim["ci"] is None and claim["ci_reason"] == (
        "no interval: 3 article(s) with a confirmation with suggestions shown judged on CLAIM, "
        "and resampling whole articles needs at least 10 (--bootstrap-by sentence resamples "
        "sentences)"
    )
    quote = next(r for r in data["labels"] if r["label"] == "QUOTE")["with"]["with_reference"]
    assert quote["ci"] is not None


def test_one_article_a_side_has_no_interval_and_says_so(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    # the audit's case: each seed article on its side, two annotators, the share of one
    # article against the other's (0.953 [0.911-0.976] vs 0.500 [0.314-0.686])
    short, long_ = "000_60cc46f11ca30d04", "004_2bd55176b4b53eb1"
    seed = next(
        s
        for s in range(100)
        if split.shown("article", s, "", long_) and not split.shown("article", s, "", short)
    )
    _setup(run_cli, seed)
    lines = [
        {"article_id": art, "position": p, "annotator": who, "labels": [label]}
        for art, n in ((long_, 40), (short, 12))
        for p in range(n)
        for who, label in (("a", "QUOTE" if p % 2 else "NONE"), ("b", "QUOTE" if p % 3 else "NONE"))
    ]
    f = write(tmp_path / "l.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert run_cli("import-labels", str(f)).exit_code == 0
    data = json.loads(run_cli("agreement", "--by", "suggestions", "--format", "json").output)
    quote = next(r for r in data["labels"] if r["label"] == "QUOTE")
    for cond in ("with", "without"):
        share = quote[cond]["with_reference"]
        assert share["value"] is not None and share["ci"] is None
        assert share["ci_reason"] == (
            f"no interval: 1 article(s) with a confirmation {cond} suggestions shown that "
            "has a reference, and resampling whole articles needs at least 10 "
            "(--bootstrap-by sentence resamples sentences)"
        )
    assert data["articles"] == {"with": 1, "without": 1}
    text = run_cli("agreement", "--by", "suggestions").output
    note = (
        "note: the confirmations with suggestions shown come from 1 article(s), those "
        "without from 1: below 10 articles on a side"
    )
    assert note in text and data["few_articles"].startswith(note)
    # resampling sentences (asked for), the 40 sentences with suggestions have an interval;
    # the 12 without too, being at least 10
    by_sentence = json.loads(
        run_cli(
            "agreement", "--by", "suggestions", "--format", "json", "--bootstrap-by", "sentence"
        ).output
    )
    quote = next(r for r in by_sentence["labels"] if r["label"] == "QUOTE")
    for cond in ("with", "without"):
        share = quote[cond]["with_reference"]
        assert share["ci"] is not None and share["ci"][0] <= share["value"] <= share["ci"][1]
