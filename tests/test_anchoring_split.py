"""A lopsided suggestions split is said (issue 16): the coin is flipped per (annotator,
article), so an annotator's few articles can fall mostly on one side, and `agreement --by
suggestions` then compares with and without on a handful of their articles. Setting the
split and reading the report both warn, in one line."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.suggest import split
from tests.conftest import RunCli, write

ARTICLES = [f"a{i}" for i in range(10)]


def _side(seed: int, who: str) -> int:
    """How many of the ten articles show `who` suggestions under this seed."""
    return sum(split.shown("annotator", seed, who, a) for a in ARTICLES)


def _seeds() -> tuple[int, int]:
    """A seed that gives alice at most one article on one side (bob balanced), and one
    that balances both: found by the split itself, so the test holds for its hash."""
    lopsided = next(
        s
        for s in range(2000)
        if min(_side(s, "alice"), 10 - _side(s, "alice")) <= 1 and 4 <= _side(s, "bob") <= 6
    )
    balanced = next(s for s in range(2000) if all(4 <= _side(s, w) <= 6 for w in ("alice", "bob")))
    return lopsided, balanced


def test_lopsided_finds_one_sided_annotators_only() -> None:
    found = split.lopsided(
        {
            "alice": [True] * 9 + [False],  # 9 of 10 with: lopsided
            "bob": [True] * 5 + [False] * 5,
            "carol": [False] * 3,  # all on one side, but three articles are too few to say
            "dave": [True] + [False] * 7,  # 1 of 8: lopsided
            "erin": [True] * 3 + [False] * 7,  # 3 of 10: a coin's ordinary luck
        }
    )
    assert found == [("alice", 9, 10), ("dave", 1, 8)]
    line = split.lopsided_warning(found)
    assert line is not None and "\n" not in line
    assert "alice 9 of 10 articles" in line and "dave 1 of 8 articles" in line
    assert split.lopsided_warning([]) is None
    # the article split: one group, the project
    sides = split.sides_of("article", [("alice", a, a != "a0") for a in ARTICLES])
    assert split.lopsided(sides) == [("", 9, 10)]
    assert "the project 9 of 10 articles" in (split.lopsided_warning(split.lopsided(sides)) or "")
    assert split.sides_of("none", [("alice", "a0", True)]) == {}


def test_setting_and_reporting_a_lopsided_split_warn(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    lopsided, balanced = _seeds()
    k = _side(lopsided, "alice")
    corpus = "".join(
        json.dumps({"id": a, "text": f"Story {a} begins. It could signal a change."}) + "\n"
        for a in ARTICLES
    )
    assert run_cli("import", str(write(tmp_path / "c.jsonl", corpus))).exit_code == 0
    for who in ("alice", "bob"):
        assert run_cli("team", "add", who).exit_code == 0
    for key, value in (("suggestions", "on"), ("suggestions_split", "annotator")):
        assert run_cli("project", "set", key, value).exit_code == 0
    said = run_cli("project", "set", "suggestions_seed", str(lopsided))
    assert said.exit_code == 0, said.output
    warning = [line for line in said.output.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and f"alice {k} of 10 articles" in warning[0]
    assert "bob" not in warning[0]
    # the labels of both, on every article: the report warns the same way
    lines = [
        json.dumps({"article_id": a, "position": 1, "annotator": who, "labels": ["HEDGED"]})
        for a in ARTICLES
        for who in ("alice", "bob")
    ]
    assert (
        run_cli("import-labels", str(write(tmp_path / "l.jsonl", "\n".join(lines)))).exit_code == 0
    )
    text = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0")
    assert text.exit_code == 0, text.output
    assert (
        sum(
            line.startswith("warning: the suggestions split is lopsided")
            for line in text.output.splitlines()
        )
        == 1
    )
    assert f"alice {k} of 10 articles" in text.output
    data = json.loads(
        run_cli("agreement", "--by", "suggestions", "--format", "json", "--bootstrap", "0").output
    )
    assert data["lopsided"] == [{"annotator": "alice", "shown": k, "articles": 10}]
    # a seed that balances both: silent
    said = run_cli("project", "set", "suggestions_seed", str(balanced))
    assert said.exit_code == 0 and "warning" not in said.output
    text = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0")
    assert "lopsided" not in text.output
    # no split: nothing to be lopsided
    said = run_cli("project", "set", "suggestions_split", "none")
    assert "warning" not in said.output
