"""A decision is refused when the versions it was taken on are not those stored any more:
for sentences (audit9a F11) and for article fields, and when an annotator who had no
version when the screen read them has one now (closing12: both were taken as unseen)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from annotator.adjudication import AdjudicationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write

ARTICLE = {
    "id": "s1",
    "title": "First story",
    "text": "Alpha said the plan works. Bravo may fail soon. Charlie is a disgrace.",
}


def labels_file(
    tmp_path: Path, name: str, labels: list[tuple[str, int, str]], genre: dict[str, str]
) -> Path:
    """A labels file, and beside it the articles file with each one's genre, set on 1
    December ("first") or on 2 December (later: it replaces the first file's)."""
    path = write(
        tmp_path / f"{name}.jsonl",
        "\n".join(
            json.dumps({"article_id": "s1", "position": p, "annotator": who, "labels": [lab]})
            for who, p, lab in labels
        ),
    )
    at = "2026-12-01T08:00:00Z" if name == "first" else "2026-12-02T08:00:00Z"
    side = {
        "id": "s1",
        "annotations": {who: {"genre": v} for who, v in genre.items()},
        "annotated_at": {who: {"genre": at} for who in genre},
    }
    write(tmp_path / f"{name}.articles.jsonl", json.dumps(side))
    return path


@pytest.fixture
def disputed(run_cli: RunCli, db_path: Path, tmp_path: Path) -> Path:
    """alice and bob differ on sentence 0 and on the article's genre."""
    assert run_cli("import", str(write(tmp_path / "a.jsonl", json.dumps(ARTICLE)))).exit_code == 0
    for who in ("alice", "bob", "carol"):
        assert run_cli("team", "add", who, "--role", "annotator").exit_code == 0
    assert run_cli("team", "add", "boss", "--role", "manager").exit_code == 0
    assert run_cli("team", "add", "dana", "--role", "adjudicator").exit_code == 0
    first = labels_file(
        tmp_path,
        "first",
        [("alice", 0, "HEDGED"), ("bob", 0, "NONE")],
        {"alice": "opinion", "bob": "news_report"},
    )
    r = run_cli("import-labels", str(first))
    assert r.exit_code == 0, r.output
    return db_path


def session(db: Path) -> AdjudicationSession:
    store = open_store(db)
    g, _ = use_guidelines(store)
    return AdjudicationSession(store, g, "dana")


def field_gold(db: Path) -> list[tuple[Any, ...]]:
    return (
        sqlite3.connect(db)
        .execute("SELECT field, value, method FROM gold_article_fields")
        .fetchall()
    )


def genre_item(s: AdjudicationSession) -> None:
    while s.current is not None and s.current.kind != "article_field":
        s.move(1)
    assert s.current is not None and s.current.field == "genre"


def test_an_article_field_changed_since_shown_is_not_decided(
    disputed: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    s = session(disputed)
    genre_item(s)
    item = s.current
    assert item is not None and item.values == [("alice", "opinion"), ("bob", "news_report")]
    # bob takes alice's genre meanwhile
    later = labels_file(tmp_path, "later", [], {"bob": "opinion"})
    assert run_cli("import-labels", str(later)).exit_code == 0
    out = s.pick(2)  # bob's value as the screen showed it
    assert out.message and "bob changed their answer since it was shown: nothing decided" in (
        out.message
    )
    assert field_gold(disputed) == []
    # the screen now shows what is stored, and a decision on that is taken
    assert s.current is item and item.values == [("alice", "opinion"), ("bob", "opinion")]
    assert s.pick(2).saved
    assert field_gold(disputed) == [("genre", '"opinion"', "adjudicated")]


def test_a_version_by_someone_who_had_none_is_not_taken_as_unseen(
    disputed: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    s = session(disputed)
    sentence = s.current
    assert sentence is not None and sentence.kind == "sentence"
    assert [v.annotator for v in sentence.versions] == ["alice", "bob"]
    genre_item(s)
    field = s.current
    # carol answers both after the screen read them; the manager's answers are no version
    later = labels_file(
        tmp_path,
        "later",
        [("carol", 0, "NONE"), ("boss", 0, "EDITORIAL")],
        {"carol": "news_report", "boss": "satire"},
    )
    assert run_cli("import-labels", str(later)).exit_code == 0
    out = s.pick(1)
    assert out.message and "carol answered since it was shown: nothing decided" in out.message
    assert field_gold(disputed) == []
    assert field is not None and [n for n, _v in field.values] == ["alice", "bob", "carol"]
    assert s.pick(1).saved
    s.move(-len(s.items))
    assert s.current is sentence
    out = s.pick(1)
    assert out.message and "carol answered since it was shown" in out.message
    assert sqlite3.connect(disputed).execute(
        "SELECT count(*) FROM gold_annotations"
    ).fetchone() == (0,)
    assert [v.annotator for v in sentence.versions] == ["alice", "bob", "carol"]
    assert s.pick(1).saved
