"""The database schema, as numbered migrations applied on every open.

Never edit a migration that has shipped: add the next one (at the end of migrations_later.py).
`db/schema.sql` is generated from
a freshly migrated database (`annotator db-schema > db/schema.sql`) and a test checks it.

Naming: tables are plural nouns for what they hold; columns say what they are
(`sentences.start`, `annotations.annotator_id`), so that `sqlite-utils tables --counts` or
Datasette explain the file without our code.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from annotator.ingest.optional_imports import import_without

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "annotator"
# (name, function) in order: the order of registration in this file is the order of
# application, not the number in the name. 0004-0008 were numbered when the work that needed
# them was planned and landed together in the order 0008, 0006, 0005, 0007 (0004 unused);
# renaming them now would re-run them on databases that already have them.
# sqlite-utils' Migrations is built from this only when a
# migration is pending: importing sqlite-utils costs 0.3 s (it imports pandas when that is
# installed), and every start of the annotation screen would pay it for nothing.
MIGRATIONS: list[tuple[str, Callable[[Any], None]]] = []
NAMES: list[str] = []


def migration(name: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    def register(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        MIGRATIONS.append((name, fn))
        NAMES.append(name)
        return fn

    return register


def sqlite_utils() -> ModuleType:
    """sqlite-utils, imported without pandas and numpy when they are not loaded yet.

    sqlite_utils/db.py imports pandas and numpy whenever they are installed, only to map
    their types to column types for its insert helpers; our migrations run SQL and never
    use them. pandas is in any environment where the hf export is loaded with `datasets`,
    and importing it made the first import into a new database 0.75 s and 141 MB instead
    of 0.46 s and 71 MB (audit6 F10). A None in sys.modules makes those imports raise
    ImportError, which sqlite-utils expects (both are optional to it); the entries are
    removed at once, so a later `import pandas` or `import numpy` loads them
    (ingest/optional_imports.py)."""
    return import_without("sqlite_utils", "pandas", "numpy")


def migration_set() -> Migrations:
    """The sqlite-utils Migrations object that applies ours."""
    migrations: Migrations = sqlite_utils().Migrations(MIGRATION_SET)
    for name, fn in MIGRATIONS:
        migrations(name=name)(fn)
    return migrations


# The table sqlite-utils records applied migrations in, as sqlite-utils 3.x makes it (same
# SQL text: db/schema.sql is dumped from a new database and compared by a test, and
# tests/test_migrations_new.py checks sqlite-utils reads it back with nothing pending).
_RECORD_TABLE = """CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
)"""
_RECORD_INDEX = """CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name")"""


class _Plain:
    """The part of sqlite-utils' Database our migrations use (`execute`, `conn`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)


def apply_to_new(conn: sqlite3.Connection) -> None:
    """Every migration, on a database with no tables yet, inside the caller's transaction.

    Without sqlite-utils: importing it (0.04-0.07 s) and its savepoint per migration made
    the first import, the one that creates the project, slower than importing one file into
    it (audit11 F9). The record of what ran is written as sqlite-utils writes it, so a later
    migration (through migration_set()) sees these as applied."""
    plain = _Plain(conn)
    conn.execute(_RECORD_TABLE)
    conn.execute(_RECORD_INDEX)
    for name, fn in MIGRATIONS:
        fn(plain)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
            [MIGRATION_SET, name, str(datetime.now(UTC))],
        )


def _run(db: Database, statements: str) -> None:
    # executescript() would COMMIT the surrounding transaction: run statements one by one
    for stmt in statements.split(";\n"):
        if stmt.strip():
            db.execute(stmt)


@migration("0001_initial")
def initial(db: Database) -> None:
    _run(
        db,
        """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE schemas (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    labels_toml TEXT NOT NULL,
    guidelines_md TEXT NOT NULL,
    schema_json TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE schema_labels (
    schema_id INTEGER NOT NULL REFERENCES schemas(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    color TEXT,
    exclusive INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (schema_id, name)
);
CREATE TABLE outlets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    domain TEXT
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    title TEXT,
    outlet_id INTEGER REFERENCES outlets(id),
    author TEXT,
    published TEXT,
    url TEXT,
    byline TEXT,
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL UNIQUE,
    original BLOB NOT NULL,
    encoding TEXT NOT NULL,
    offset_map TEXT NOT NULL,
    source_path TEXT,
    source_line INTEGER,
    meta TEXT,
    words INTEGER NOT NULL,
    syllables INTEGER NOT NULL,
    flesch_reading_ease REAL,
    flesch_kincaid_grade REAL,
    sentence_count INTEGER NOT NULL,
    first_sentence_id INTEGER,
    imported_at TEXT NOT NULL
);
CREATE INDEX articles_by_outlet ON articles(outlet_id);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    links TEXT,
    words INTEGER NOT NULL,
    syllables INTEGER NOT NULL,
    flesch_reading_ease REAL,
    flesch_kincaid_grade REAL,
    UNIQUE (article_id, position)
);
CREATE TABLE annotators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    cursor_sentence_id INTEGER REFERENCES sentences(id)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    sentence_id INTEGER REFERENCES sentences(id),
    article_id INTEGER REFERENCES articles(id),
    outlet_id INTEGER REFERENCES outlets(id),
    field TEXT,
    before TEXT,
    after TEXT,
    undoes INTEGER REFERENCES events(id),
    schema_hash TEXT NOT NULL,
    session TEXT
);
CREATE INDEX events_by_annotator ON events(annotator_id, id);
CREATE INDEX events_by_sentence ON events(sentence_id);
CREATE INDEX events_by_article ON events(article_id);
CREATE UNIQUE INDEX events_undone ON events(undoes) WHERE undoes IS NOT NULL;
CREATE TABLE annotations (
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    labels TEXT NOT NULL DEFAULT '[]',
    fields TEXT NOT NULL DEFAULT '{}',
    comment TEXT,
    confirmed INTEGER NOT NULL DEFAULT 0,
    confirmed_at TEXT,
    updated_at TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (sentence_id, annotator_id)
) WITHOUT ROWID;
CREATE INDEX annotations_by_annotator ON annotations(annotator_id, article_id);
CREATE TABLE confirmed_ranges (
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    PRIMARY KEY (annotator_id, lo)
) WITHOUT ROWID;
CREATE TABLE article_annotations (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (article_id, annotator_id, field)
) WITHOUT ROWID;
CREATE TABLE outlet_annotations (
    outlet_id INTEGER NOT NULL REFERENCES outlets(id),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    updated_at TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (outlet_id, field)
) WITHOUT ROWID;
CREATE VIEW sentence_labels AS
    SELECT a.sentence_id, a.article_id, an.name AS annotator, j.value AS label
    FROM annotations a
    JOIN annotators an ON an.id = a.annotator_id
    JOIN json_each(a.labels) j
    WHERE a.confirmed = 1
""",
    )


@migration("0002_gold")
def gold(db: Database) -> None:
    """Adjudicated (or unanimous) gold labels, with their provenance; history is in events
    (kinds gold_sentence and gold_article_field, annotator_id = the adjudicator)."""
    _run(
        db,
        """
CREATE TABLE gold_annotations (
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    labels TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '{}',
    method TEXT NOT NULL,
    adjudicator_id INTEGER REFERENCES annotators(id),
    agrees_with TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    decided_at TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id)
);
CREATE INDEX gold_annotations_by_article ON gold_annotations(article_id);
CREATE TABLE gold_article_fields (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    method TEXT NOT NULL,
    adjudicator_id INTEGER REFERENCES annotators(id),
    agrees_with TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    decided_at TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (article_id, field)
) WITHOUT ROWID
""",
    )


# Migrations 0003-0008 are in migrations_records_team.py, 0011-0020 in migrations_later.py
# and 0021 on in migrations_answers.py.
# Importing them registers them after the ones above, in this order, which is the order of
# application (an explicit loop: an import sorter must not reorder them).
for _module in ("migrations_records_team", "migrations_later", "migrations_answers"):
    importlib.import_module(f"annotator.store.{_module}")
