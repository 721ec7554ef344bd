"""Empty cases say so (audit7 F4): `agreement --by pair` with fewer than two annotators and
`suggestions list` with none printed nothing; adjudication's header said "item 1/0"."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.adjudication import AdjudicationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.tui.adjudicate_app import create_adjudicate_app
from tests.conftest import RunCli, write
from tests.test_label_import_older import ARTICLES


def test_no_pairs_and_no_suggestions_are_said(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(write(tmp_path / "a.jsonl", ARTICLES))).exit_code == 0
    one = {"article_id": "s1", "position": 0, "annotator": "x", "labels": ["NONE"]}
    labels = write(tmp_path / "l.jsonl", json.dumps(one))
    assert run_cli("import-labels", str(labels)).exit_code == 0
    r = run_cli("agreement", "--by", "pair")
    assert r.exit_code == 0 and "no pairs: 1 annotator with confirmed sentences" in r.output
    r = run_cli("agreement", "--by", "pair", "--format", "json")
    assert json.loads(r.stdout)["pairs"] == []  # the data stays the data
    assert run_cli("project", "set", "suggestions", "off").exit_code == 0
    with open_store(db_path) as store:
        store.conn.execute("DELETE FROM suggestions")
    r = run_cli("suggestions", "list")
    assert r.exit_code == 0 and r.stdout == "" and "no suggestions yet" in r.stderr


async def test_an_empty_adjudication_queue_is_not_item_1_of_0(imported_db: Path) -> None:
    store = open_store(imported_db)
    g, _ = use_guidelines(store)
    app = create_adjudicate_app(AdjudicationSession(store, g, "dana"))
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            head = str(app.screen.query_one("#adjudicate-progress").render())
            assert "item 0/0" in head
    finally:
        store.close()


def test_small_counts_read_as_english(run_cli: RunCli, imported_db: Path) -> None:
    """audit7 F19: "+1 articles", "to 1 annotators", "95% CI from 0 bootstrap resamples"."""
    assert run_cli("team", "add", "solo").exit_code == 0
    r = run_cli("assign", "--per-article", "1", "--dry-run")
    assert "to 1 annotator" in r.output and "to 1 annotators" not in r.output, r.output
    assert "+2 articles" in r.output
    r = run_cli("agreement", "--bootstrap", "0")
    assert "0 bootstrap resamples" not in r.output
