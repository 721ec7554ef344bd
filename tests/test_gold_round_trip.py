"""Gold survives our own jsonl export and `import-labels` (audit7 F25: every gold decision
was dropped silently, where the Label Studio round trip kept them)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.store import gold_fields
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT
from tests.consumers import cli_run, team_db


def gold_of(path: Path) -> dict[str, dict[str, object]]:
    out = {}
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        if rec.get("gold"):
            gold = dict(rec["gold"])
            gold.pop("decided_at")  # the import's time
            out[rec["id"]] = gold
    return out


def test_gold_comes_back_from_our_own_jsonl(tmp_path: Path) -> None:
    source = team_db(tmp_path, "partly")  # adjudicated and unanimous gold
    first = tmp_path / "gold.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(first)).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(first))
    assert r.exit_code == 0, r.output
    before = gold_of(first)
    methods = {g["method"] for g in before.values()}
    assert methods == {"adjudicated", "unanimous"}
    assert f"{len(before)} gold labels" in r.output
    second = tmp_path / "again.jsonl"
    assert cli_run(fresh, "export", "--view", "gold", "-o", str(second)).exit_code == 0
    assert gold_of(second) == before


def gold_fields_of(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT a.external_id, g.field, g.value, g.method, n.name, g.agrees_with, g.note "
            "FROM gold_article_fields g JOIN articles a ON a.id = g.article_id "
            "LEFT JOIN annotators n ON n.id = g.adjudicator_id ORDER BY 1, 2"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("fmt", ["jsonl", "label-studio"])
def test_gold_article_fields_come_back_through_the_articles_file(tmp_path: Path, fmt: str) -> None:
    """audit7 F25, second half: the gold of article fields (adjudicated, with its note, and
    unanimous) was in the articles file an export writes beside its output, and
    `import-labels` dropped it without a word, through jsonl and Label Studio alike."""
    source = team_db(tmp_path, "fully")
    with open_store(source) as store:
        g, _ = use_guidelines(store)
        article = int(store.scalar("SELECT min(article_id) FROM gold_article_fields") or 0)
        field = str(
            store.scalar(
                "SELECT field FROM gold_article_fields WHERE article_id = ? AND method = "
                "'adjudicated' LIMIT 1",
                [article],
            )
        )
        dana = int(store.scalar("SELECT id FROM annotators WHERE name = 'dana'") or 0)
        kept = gold_fields.gold_fields(store)[(article, field)].value
        gold_fields.change_field_gold(
            store,
            adjudicator=dana,
            article_id=article,
            field=field,
            transform=lambda _cur: gold_fields.FieldDecision(kept, "checked against the body"),
            schema_hash=g.schema.hash,
        )
    want = gold_fields_of(source)
    assert {row[3] for row in want} == {"adjudicated", "unanimous"}
    assert any(row[6] == "checked against the body" for row in want)
    out = tmp_path / ("gold.jsonl" if fmt == "jsonl" else "gold.json")
    assert (
        cli_run(source, "export", "--format", fmt, "--view", "gold", "-o", str(out)).exit_code == 0
    )
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(out), "--format", fmt)
    assert r.exit_code == 0, r.output
    assert f"and {len(want)} gold article field values" in r.output
    assert gold_fields_of(fresh) == want
    again = cli_run(fresh, "import-labels", str(out), "--format", fmt)
    assert "gold article field values" not in again.output  # nothing changed the second time


def test_a_bad_gold_entry_in_the_articles_file_names_its_line_and_imports_nothing(
    tmp_path: Path,
) -> None:
    source = team_db(tmp_path, "fully")
    out = tmp_path / "gold.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(out)).exit_code == 0
    side = tmp_path / "gold.articles.jsonl"
    lines = side.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if json.loads(line).get("gold"))
    rec = json.loads(lines[n])
    field = next(iter(rec["gold"]))
    rec["gold"][field]["method"] = "by vote"
    lines[n] = json.dumps(rec)
    side.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(out))
    assert r.exit_code == 1
    assert (
        f"{side}:{n + 1}: gold.{field}: method must be adjudicated or unanimous; "
        "nothing was imported"
    ) in r.output
    assert "Traceback" not in r.output and gold_fields_of(fresh) == []
