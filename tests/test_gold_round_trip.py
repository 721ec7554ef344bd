"""Gold survives our own jsonl export and `import-labels` (audit7 F25: every gold decision
was dropped silently, where the Label Studio round trip kept them)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.store import annotations as ann
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
            out[rec["id"]] = dict(rec["gold"])  # decided_at too: the decision's time
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


def test_gold_comes_back_from_label_studio_with_its_time(tmp_path: Path) -> None:
    """audit9b F16: Label Studio's ground truth came back dated at the import: our export
    writes the decision's time as its created_at alone."""
    source = team_db(tmp_path, "partly")
    ls = tmp_path / "ls.json"
    assert cli_run(source, "export", "--format", "label-studio", "-o", str(ls)).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    r = cli_run(fresh, "import-labels", str(ls), "--format", "label-studio")
    assert r.exit_code == 0, r.output
    first, again = tmp_path / "first.jsonl", tmp_path / "again.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(first)).exit_code == 0
    assert cli_run(fresh, "export", "--view", "gold", "-o", str(again)).exit_code == 0
    before, after = gold_of(first), gold_of(again)
    assert before and {k: g["decided_at"] for k, g in after.items()} == {
        k: g["decided_at"] for k, g in before.items()
    }


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


def _edit_gold(side: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply `change` to the first gold entry of the articles file."""
    lines = side.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if json.loads(line).get("gold"))
    rec = json.loads(lines[n])
    change(rec["gold"][next(iter(rec["gold"]))])
    lines[n] = json.dumps(rec)
    side.write_text("\n".join(lines) + "\n", encoding="utf-8")


def gold_moved(tmp_path: Path) -> tuple[Path, Path]:
    """The team demo adjudicated, exported with its gold, and imported into a fresh copy of
    the samples: (the export, the fresh database)."""
    source = team_db(tmp_path, "fully")
    out = tmp_path / "gold.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(out)).exit_code == 0
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    assert cli_run(fresh, "import-labels", str(out)).exit_code == 0
    return out, fresh


def test_a_later_adjudication_is_not_replaced_by_an_older_file(tmp_path: Path) -> None:
    """audit8 F6: re-importing an earlier export put its unanimous value back over the
    adjudication made since, note and all, and said only "1 gold article field values"."""
    out, fresh = gold_moved(tmp_path)
    with open_store(fresh) as store:
        g, _ = use_guidelines(store)
        (article, field), gold = next(
            (k, v) for k, v in gold_fields.gold_fields(store).items() if v.method == "unanimous"
        )
        spec = g.schema.article_field(field)
        other = next(c.value for c in spec.values if c.value != gold.value)
        carol = ann.annotator_id(store, "carol") or 0
        gold_fields.change_field_gold(
            store,
            adjudicator=carol,
            article_id=article,
            field=field,
            transform=lambda _c: gold_fields.FieldDecision(other, "read the whole piece"),
            schema_hash=g.schema.hash,
        )
    again = cli_run(fresh, "import-labels", str(out))
    assert again.exit_code == 0, again.output
    assert "1 gold article field value not imported: the database's gold is later" in (again.output)
    with open_store(fresh) as store:
        kept = gold_fields.gold_fields(store)[(article, field)]
    assert (kept.value, kept.method, kept.adjudicator, kept.note) == (
        other,
        "adjudicated",
        "carol",
        "read the whole piece",
    )


def test_hostile_gold_values_are_refused_or_said(tmp_path: Path) -> None:
    """audit8 F12: `true` for an ordinal field was stored as true, `null` taken as an
    adjudicated value, and unanimous gold imported against a dissenting annotator."""
    source = team_db(tmp_path, "fully")
    out = tmp_path / "gold.jsonl"
    side = tmp_path / "gold.articles.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(out)).exit_code == 0
    original = side.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    for bad, said in (
        ({"value": True, "method": "adjudicated", "adjudicator": "dana"}, "no value True"),
        ({"value": None, "method": "adjudicated", "adjudicator": "dana"}, "needs a value"),
        ({"decided_at": "yesterday"}, "decided_at 'yesterday' is not an ISO 8601 time"),
    ):
        side.write_text(original, encoding="utf-8")
        _edit_gold(side, lambda e, bad=bad: e.update(bad))  # type: ignore[misc]
        r = cli_run(fresh, "import-labels", str(out))
        assert r.exit_code == 1 and said in r.output and "nothing was imported" in r.output
        assert gold_fields_of(fresh) == []
    # unanimous in the file, but the annotators here disagree (an adjudicated field made
    # unanimous): not imported, and said
    lines = [json.loads(x) for x in original.splitlines()]
    for rec in lines:
        for entry in (rec.get("gold") or {}).values():
            if entry["method"] == "adjudicated":
                entry.update(method="unanimous", adjudicator=None)
                break
        else:
            continue
        break
    side.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    r = cli_run(fresh, "import-labels", str(out))
    assert r.exit_code == 0, r.output
    assert (
        "1 gold article field value not imported: unanimous in the file, but the annotators "
        "here do not all give it"
    ) in r.output


def test_a_later_sentence_adjudication_is_not_replaced_by_an_older_file(tmp_path: Path) -> None:
    """The sentence twin of audit8 F6: re-importing an earlier export put its unanimous
    gold back over an adjudication made since, without a word."""
    from annotator.labeling import SentenceState
    from annotator.store import gold as gold_store

    out, fresh = gold_moved(tmp_path)
    with open_store(fresh) as store:
        g, _ = use_guidelines(store)
        sid, aid = store.one(
            "SELECT g.sentence_id, s.article_id FROM gold_annotations g JOIN sentences s "
            "ON s.id = g.sentence_id WHERE g.method = 'unanimous' ORDER BY 1 LIMIT 1"
        ) or (0, 0)
        carol = ann.annotator_id(store, "carol") or 0
        gold_store.change_sentence_gold(
            store,
            adjudicator=carol,
            sentence_id=int(sid),
            article_id=int(aid),
            transform=lambda _s: SentenceState(("EDITORIAL",), (), "an opinion piece", True),
            action="gold",
            schema_hash=g.schema.hash,
        )
    again = cli_run(fresh, "import-labels", str(out))
    assert again.exit_code == 0, again.output
    assert "1 gold label not imported: the database's gold is later" in again.output
    with open_store(fresh) as store:
        row = store.one(
            "SELECT labels, method, note FROM gold_annotations WHERE sentence_id = ?", [sid]
        )
    assert row is not None and (json.loads(row[0]), row[1], row[2]) == (
        ["EDITORIAL"],
        "adjudicated",
        "an opinion piece",
    )
    # and our own gold, imported twice, changes nothing and says nothing more
    assert "not imported" not in cli_run(fresh, "import-labels", str(out)).output.replace(
        "1 gold label not imported", ""
    )


def test_label_studio_gold_keeps_the_adjudicators_note(tmp_path: Path) -> None:
    """audit10 F2: the Label Studio export had no place for a gold decision's note, so
    importing it back (into the same database or a fresh one) wrote the gold without it."""
    source = team_db(tmp_path, "fully")
    with open_store(source) as store:
        sid = int(
            store.scalar(
                "SELECT min(sentence_id) FROM gold_annotations WHERE method = 'adjudicated'"
            )
            or 0
        )
    conn = sqlite3.connect(source)
    with conn:
        conn.execute("UPDATE gold_annotations SET note = 'rule 7' WHERE sentence_id = ?", [sid])
    conn.close()
    ls = tmp_path / "ls.json"
    assert cli_run(source, "export", "--format", "label-studio", "-o", str(ls)).exit_code == 0
    first = tmp_path / "first.jsonl"
    assert cli_run(source, "export", "--view", "gold", "-o", str(first)).exit_code == 0
    r = cli_run(source, "import-labels", str(ls), "--format", "label-studio")
    assert r.exit_code == 0 and "gold labels" not in r.output, r.output  # nothing changed
    fresh = tmp_path / "fresh.sqlite"
    assert cli_run(fresh, "import", str(ROOT / "samples")).exit_code == 0
    assert cli_run(fresh, "import-labels", str(ls), "--format", "label-studio").exit_code == 0
    again = tmp_path / "again.jsonl"
    assert cli_run(fresh, "export", "--view", "gold", "-o", str(again)).exit_code == 0
    notes = {k: g["note"] for k, g in gold_of(again).items()}
    assert "rule 7" in notes.values() and notes == {k: g["note"] for k, g in gold_of(first).items()}
