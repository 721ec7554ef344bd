"""`status` counts as disputed the sentences the adjudication queue shows, no more: the
staff's own confirmations (adjudicators', managers') leave the kept count as they leave the
queue (gold13b: a manager who confirmed a sentence differently made it "disputed" in
`status` while the queue did not show it). Team changes move the count with them, and a
database made before migration 0020 is recounted when it is opened."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.adjudication import AdjudicationSession
from annotator.ingest.articles import read_articles
from annotator.session import AnnotationSession
from annotator.store import team
from annotator.store.articles import add_article
from annotator.store.database import Store, open_store
from annotator.store.database_file import APPLICATION_ID
from annotator.store.migrations import migration_set
from annotator.store.schemas import use_guidelines
from tests.conftest import RunCli, write
from tests.test_gold_staff import ARTICLE, with_staff  # noqa: F401  (the fixture)


def disputed(run_cli: RunCli) -> int:
    r = run_cli("status", "--format", "json", "--no-articles")
    assert r.exit_code == 0, r.output
    return int(json.loads(r.output)["adjudication"]["disputed_sentences"])


def queued(db: Path) -> list[int]:
    """The positions of the sentences the adjudication queue shows."""
    store = open_store(db)
    g, _ = use_guidelines(store)
    s = AdjudicationSession(store, g, "dana")
    positions = {int(i): int(p) for i, p in store.all("SELECT id, position FROM sentences")}
    out = sorted(positions[it.sentence_id] for it in s.items if it.sentence_id is not None)
    store.close()
    return out


def test_status_counts_the_disputes_the_queue_shows(
    run_cli: RunCli,
    with_staff: Path,  # noqa: F811
) -> None:
    # alice and bob agree on 0 (the manager does not), differ on 1; 2 has alice and boss
    assert queued(with_staff) == [1]
    assert disputed(run_cli) == 1
    # boss made an annotator: her answers count, in the queue and in status alike
    assert run_cli("team", "role", "boss", "annotator").exit_code == 0
    assert queued(with_staff) == [0, 1, 2] and disputed(run_cli) == 3
    assert run_cli("team", "role", "boss", "manager").exit_code == 0
    assert queued(with_staff) == [1] and disputed(run_cli) == 1
    # off the team, someone with answers is an annotator again; back as staff, not
    assert run_cli("team", "remove", "boss").exit_code == 0
    assert queued(with_staff) == [0, 1, 2] and disputed(run_cli) == 3
    assert run_cli("team", "add", "boss", "--role", "adjudicator").exit_code == 0
    assert queued(with_staff) == [1] and disputed(run_cli) == 1
    # an annotator made staff moves it the same way
    assert run_cli("team", "role", "bob", "adjudicator").exit_code == 0
    assert queued(with_staff) == [] and disputed(run_cli) == 0


def confirm(store: Store, who: str, labels: list[str]) -> None:
    """`who` confirms the article's first sentences in order, one label each."""
    g, _ = use_guidelines(store)
    s = AnnotationSession(store, g, who, article="s1")
    for label in labels:
        s.toggle(label)
        s.confirm()


def test_a_database_from_before_is_recounted(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """Made by the code before migration 0020 (its triggers counted the manager), the
    database's kept count is recounted without her when it is opened."""
    from sqlite_utils import Database

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migration_set().apply(Database(conn), stop_before="0020_disputed_without_staff")
    old = Store(db_path, conn)  # the schema as it was: opening with open_store would migrate
    with old.write() as tx:
        for art in read_articles(write(tmp_path / "a.jsonl", json.dumps(ARTICLE))):
            add_article(tx, art)
    team.add(old, "alice")
    team.add(old, "bob")
    team.add(old, "boss", "manager")
    confirm(old, "alice", ["HEDGED", "NONE", "EDITORIAL"])
    confirm(old, "bob", ["HEDGED", "UNVERIFIED"])
    confirm(old, "boss", ["NONE", "UNVERIFIED", "NONE"])
    before = conn.execute("SELECT count(*) FROM disputed_sentences").fetchone()[0]
    assert before == 3  # the old triggers counted the manager's answers
    conn.close()
    assert disputed(run_cli) == 1  # opened: migrated and recounted
    assert queued(db_path) == [1]
    # and the new triggers keep it from there
    assert run_cli("team", "role", "boss", "annotator").exit_code == 0
    assert disputed(run_cli) == 3
