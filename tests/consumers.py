"""The team database in the three states a project goes through, for the consumer tests:
no gold yet (right after `make demo-team`), partly adjudicated, fully adjudicated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from annotator.adjudication import AdjudicationSession
from annotator.cli import cli
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT

STATES = ("no_gold", "partly", "fully")
TEAM_LABELS = ROOT / "demo" / "team-labels.jsonl"


def cli_run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def team_db(folder: Path, state: str) -> Path:
    """The samples labelled by alice and bob (demo/), adjudicated as far as `state` says."""
    db = folder / f"team-{state}.sqlite"
    assert cli_run(db, "import", str(ROOT / "samples")).exit_code == 0
    out = cli_run(db, "import-labels", str(TEAM_LABELS), "--format", "jsonl")
    assert out.exit_code == 0, out.output
    if state == "no_gold":
        return db
    store = open_store(db)
    g, _ = use_guidelines(store)
    adj = AdjudicationSession(store, g, "dana")  # records the unanimous gold
    items = adj.items if state == "fully" else adj.items[:3]
    for i in range(len(items)):
        adj.index = i
        assert adj.pick(1).saved or adj.is_decided(items[i])
    store.close()
    return db


def confirmed_per_annotator(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT n.name, count(*) FROM annotations a JOIN annotators n "
                "ON n.id = a.annotator_id WHERE a.confirmed = 1 GROUP BY n.name"
            ).fetchall()
        )
    finally:
        conn.close()


def gold_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM gold_annotations").fetchone()[0])
    finally:
        conn.close()
