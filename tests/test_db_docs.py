"""db/README.md describes every table and view of a freshly migrated database, and nothing
that is not there (as simonw/llm and Datasette test their docs): a migration that adds a
table fails here until the table is described."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.store.database import open_store
from tests.conftest import ROOT

README = ROOT / "db" / "README.md"


def _objects(path: Path) -> dict[str, str]:
    """name -> 'table' or 'view', SQLite's own objects aside."""
    with open_store(path) as store:
        rows = store.all(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    return {str(name): str(kind) for name, kind in rows}


def _described(text: str) -> set[str]:
    """The names db/README.md describes: the first cell of each row of its tables, and the
    views it names in prose ("View `name`")."""
    rows = re.findall(r"^\| `([a-z_0-9]+)` \|", text, flags=re.MULTILINE)
    views = re.findall(r"\bview `([a-z_0-9]+)`", text, flags=re.IGNORECASE)
    return set(rows) | set(views)


def test_every_table_and_view_is_described(tmp_path: Path) -> None:
    objects = _objects(tmp_path / "fresh.sqlite")
    assert "events" in objects and "sentence_labels" in objects  # the query sees both kinds
    missing = sorted(set(objects) - _described(README.read_text(encoding="utf-8")))
    assert not missing, f"db/README.md does not describe: {', '.join(missing)}"


def test_nothing_described_is_missing_from_the_database(tmp_path: Path) -> None:
    gone = sorted(_described(README.read_text(encoding="utf-8")) - set(_objects(tmp_path / "f")))
    assert not gone, f"db/README.md describes what a migrated database lacks: {', '.join(gone)}"


def test_an_undescribed_table_is_caught() -> None:
    # the attack: the parser must not find a name just because it appears somewhere
    text = README.read_text(encoding="utf-8")
    assert "not_a_table" not in _described(text + "\nsee `not_a_table` in passing\n")
    assert "new_table" in _described(text + "\n| `new_table` | row | notes |\n")
