"""The database schema, as numbered migrations applied on every open.

Never edit a migration that has shipped: add the next one. `db/schema.sql` is generated from
a freshly migrated database (`annotator db-schema > db/schema.sql`) and a test checks it.

Naming: tables are plural nouns for what they hold; columns say what they are
(`sentences.start`, `annotations.annotator_id`), so that `sqlite-utils tables --counts` or
Datasette explain the file without our code.
"""

from __future__ import annotations

from collections.abc import Callable
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


# Migration 0003's statements, frozen as the text databases ran: this file once built them by
# formatting Python constants that the staleness check (store/exporting.py) also used, so
# editing a constant silently edited a shipped migration. tests/test_migrations_frozen.py
# pins each shipped migration's SQL by its hash. Why the database keeps export JSON at all:
# store/exporting.py, RECORD_SQL.
EXPORT_RECORDS = (
    """CREATE TABLE sentence_records (
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    record TEXT NOT NULL
)""",
    """INSERT INTO sentence_records (sentence_id, article_id, record) SELECT s.id, s.article_id, json_object(
    'id', a.external_id || ':' || s.position, 'article_id', a.external_id,
    'position', s.position, 'paragraph', s.paragraph, 'kind', s.kind,
    'start', s.start, 'end', s."end", 'text', s.text,
    'links', json(coalesce(s.links, '[]')), 'words', s.words,
    'flesch_reading_ease', s.flesch_reading_ease,
    'flesch_kincaid_grade', s.flesch_kincaid_grade) FROM sentences s JOIN articles a ON a.id = s.article_id""",
    """CREATE TRIGGER sentence_records_insert AFTER INSERT ON sentences BEGIN
    INSERT INTO sentence_records (sentence_id, article_id, record)
    SELECT NEW.id, NEW.article_id, json_object(
    'id', a.external_id || ':' || NEW.position, 'article_id', a.external_id,
    'position', NEW.position, 'paragraph', NEW.paragraph, 'kind', NEW.kind,
    'start', NEW.start, 'end', NEW."end", 'text', NEW.text,
    'links', json(coalesce(NEW.links, '[]')), 'words', NEW.words,
    'flesch_reading_ease', NEW.flesch_reading_ease,
    'flesch_kincaid_grade', NEW.flesch_kincaid_grade) FROM articles a
    WHERE a.id = NEW.article_id; END""",
    """CREATE TRIGGER sentence_records_update AFTER UPDATE ON sentences BEGIN
    INSERT OR REPLACE INTO sentence_records (sentence_id, article_id, record)
    SELECT NEW.id, NEW.article_id, json_object(
    'id', a.external_id || ':' || NEW.position, 'article_id', a.external_id,
    'position', NEW.position, 'paragraph', NEW.paragraph, 'kind', NEW.kind,
    'start', NEW.start, 'end', NEW."end", 'text', NEW.text,
    'links', json(coalesce(NEW.links, '[]')), 'words', NEW.words,
    'flesch_reading_ease', NEW.flesch_reading_ease,
    'flesch_kincaid_grade', NEW.flesch_kincaid_grade) FROM articles a
    WHERE a.id = NEW.article_id; END""",
    """CREATE TRIGGER sentence_records_delete AFTER DELETE ON sentences BEGIN
    DELETE FROM sentence_records WHERE sentence_id = OLD.id; END""",
    """CREATE TRIGGER sentence_records_article AFTER UPDATE OF external_id ON articles
BEGIN
    UPDATE sentence_records SET record = (SELECT json_object(
    'id', a.external_id || ':' || s.position, 'article_id', a.external_id,
    'position', s.position, 'paragraph', s.paragraph, 'kind', s.kind,
    'start', s.start, 'end', s."end", 'text', s.text,
    'links', json(coalesce(s.links, '[]')), 'words', s.words,
    'flesch_reading_ease', s.flesch_reading_ease,
    'flesch_kincaid_grade', s.flesch_kincaid_grade)
        FROM sentences s JOIN articles a ON a.id = s.article_id
        WHERE s.id = sentence_records.sentence_id)
    WHERE article_id = NEW.id; END""",
    """ALTER TABLE annotations ADD COLUMN record TEXT""",
    """UPDATE annotations SET record = json_object(
    'annotator', (SELECT n.name FROM annotators n WHERE n.id = annotator_id),
    'labels', json(labels), 'fields', json(fields), 'comment', comment,
    'confirmed_at', confirmed_at, 'updated_at', updated_at)""",
    """CREATE TRIGGER annotations_record_insert AFTER INSERT ON annotations BEGIN
    UPDATE annotations SET record = json_object(
    'annotator', (SELECT n.name FROM annotators n WHERE n.id = annotator_id),
    'labels', json(labels), 'fields', json(fields), 'comment', comment,
    'confirmed_at', confirmed_at, 'updated_at', updated_at)
    WHERE sentence_id = NEW.sentence_id AND annotator_id = NEW.annotator_id; END""",
    """CREATE TRIGGER annotations_record_update AFTER UPDATE OF annotator_id, labels,
    fields, comment, confirmed_at, updated_at ON annotations BEGIN
    UPDATE annotations SET record = json_object(
    'annotator', (SELECT n.name FROM annotators n WHERE n.id = annotator_id),
    'labels', json(labels), 'fields', json(fields), 'comment', comment,
    'confirmed_at', confirmed_at, 'updated_at', updated_at)
    WHERE sentence_id = NEW.sentence_id AND annotator_id = NEW.annotator_id; END""",
    """ALTER TABLE gold_annotations ADD COLUMN record TEXT""",
    """UPDATE gold_annotations SET record = json_object(
    'labels', json(labels), 'fields', json(fields), 'method', method,
    'adjudicator', (SELECT n.name FROM annotators n WHERE n.id = adjudicator_id),
    'agrees_with', json(agrees_with), 'note', note, 'decided_at', decided_at)""",
    """CREATE TRIGGER gold_annotations_record_insert AFTER INSERT ON gold_annotations
BEGIN
    UPDATE gold_annotations SET record = json_object(
    'labels', json(labels), 'fields', json(fields), 'method', method,
    'adjudicator', (SELECT n.name FROM annotators n WHERE n.id = adjudicator_id),
    'agrees_with', json(agrees_with), 'note', note, 'decided_at', decided_at)
    WHERE sentence_id = NEW.sentence_id; END""",
    """CREATE TRIGGER gold_annotations_record_update AFTER UPDATE OF labels, fields,
    method, adjudicator_id, agrees_with, note, decided_at ON gold_annotations BEGIN
    UPDATE gold_annotations SET record = json_object(
    'labels', json(labels), 'fields', json(fields), 'method', method,
    'adjudicator', (SELECT n.name FROM annotators n WHERE n.id = adjudicator_id),
    'agrees_with', json(agrees_with), 'note', note, 'decided_at', decided_at)
    WHERE sentence_id = NEW.sentence_id; END""",
    """CREATE TRIGGER annotators_name AFTER UPDATE OF name ON annotators BEGIN
    UPDATE annotations SET record = json_object(
    'annotator', (SELECT n.name FROM annotators n WHERE n.id = annotator_id),
    'labels', json(labels), 'fields', json(fields), 'comment', comment,
    'confirmed_at', confirmed_at, 'updated_at', updated_at) WHERE annotator_id = NEW.id;
    UPDATE gold_annotations SET record = json_object(
    'labels', json(labels), 'fields', json(fields), 'method', method,
    'adjudicator', (SELECT n.name FROM annotators n WHERE n.id = adjudicator_id),
    'agrees_with', json(agrees_with), 'note', note, 'decided_at', decided_at) WHERE adjudicator_id = NEW.id; END""",
)


@migration("0003_export_records")
def export_records(db: Database) -> None:
    """Each sentence's, annotation's and gold decision's export JSON, maintained by triggers.
    `sentence_records` is a table of its own so that the sentences the annotation screen
    reads stay small."""
    for stmt in EXPORT_RECORDS:
        db.execute(stmt)


@migration("0008_article_language")
def article_language(db: Database) -> None:
    """Each article's language (ISO 639-1, detected offline at import; NULL for articles
    imported before) and, for an HTML page, the text extracted from it: `original` keeps the
    page's bytes, and the offset map refers to `extracted` when it is set."""
    _run(
        db,
        """
ALTER TABLE articles ADD COLUMN language TEXT;
ALTER TABLE articles ADD COLUMN extracted TEXT
""",
    )


@migration("0006_article_comments")
def article_comments(db: Database) -> None:
    """An annotator's free comment on a whole article (the guidelines ask for one: "leave
    the field empty and say why in a comment"). Kept apart from article_annotations, whose
    rows are schema fields that agreement and gold compare; events of kind
    'article_comment' record each change, as for every other annotation."""
    _run(
        db,
        """
CREATE TABLE article_comments (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    field TEXT NOT NULL DEFAULT 'comment',
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    PRIMARY KEY (article_id, annotator_id, field)
) WITHOUT ROWID
""",
    )


@migration("0005_views")
def views(db: Database) -> None:
    """Views for the questions people ask in Datasette or sqlite3 without writing 4-way
    joins: each annotator's labels per sentence with its article and text; the sentences
    whose confirmed annotations differ; gold with its provenance; progress per article;
    the article fields of every annotator and gold, one row per value."""
    _run(
        db,
        """
CREATE VIEW annotator_labels AS
    SELECT s.id AS sentence_id, a.external_id AS article, a.title AS article_title,
        s.position, s.kind, s.text, n.name AS annotator, an.labels, an.fields, an.comment,
        an.confirmed_at, an.updated_at
    FROM annotations an
    JOIN sentences s ON s.id = an.sentence_id
    JOIN articles a ON a.id = s.article_id
    JOIN annotators n ON n.id = an.annotator_id
    WHERE an.confirmed = 1;
CREATE VIEW disagreements AS
    SELECT s.id AS sentence_id, a.external_id AS article, a.title AS article_title,
        s.position, s.text, count(*) AS annotators,
        count(DISTINCT an.labels || an.fields) AS versions,
        group_concat(n.name || ': ' || an.labels
            || CASE WHEN an.fields = '{}' THEN '' ELSE ' ' || an.fields END, '; ')
            AS labels_by_annotator
    FROM annotations an
    JOIN sentences s ON s.id = an.sentence_id
    JOIN articles a ON a.id = s.article_id
    JOIN annotators n ON n.id = an.annotator_id
    WHERE an.confirmed = 1
    GROUP BY s.id HAVING count(DISTINCT an.labels || an.fields) > 1;
CREATE VIEW gold_labels AS
    SELECT s.id AS sentence_id, a.external_id AS article, a.title AS article_title,
        s.position, s.text, g.labels, g.fields, g.method, n.name AS adjudicator,
        g.agrees_with, g.note, g.decided_at
    FROM gold_annotations g
    JOIN sentences s ON s.id = g.sentence_id
    JOIN articles a ON a.id = g.article_id
    LEFT JOIN annotators n ON n.id = g.adjudicator_id;
CREATE VIEW article_progress AS
    SELECT a.id AS article_id, a.external_id AS article, a.title, o.name AS outlet,
        a.sentence_count AS sentences,
        (SELECT count(DISTINCT an.sentence_id) FROM annotations an
            JOIN sentences s ON s.id = an.sentence_id
            WHERE s.article_id = a.id AND an.confirmed = 1) AS sentences_annotated,
        (SELECT count(*) FROM annotations an JOIN sentences s ON s.id = an.sentence_id
            WHERE s.article_id = a.id AND an.confirmed = 1) AS annotations_confirmed,
        (SELECT count(DISTINCT an.annotator_id) FROM annotations an
            JOIN sentences s ON s.id = an.sentence_id
            WHERE s.article_id = a.id AND an.confirmed = 1) AS annotators,
        (SELECT count(*) FROM gold_annotations g WHERE g.article_id = a.id) AS sentences_gold
    FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id;
CREATE VIEW article_field_values AS
    SELECT a.external_id AS article, a.title AS article_title, f.field, n.name AS annotator,
        f.value, 'annotator' AS source
    FROM article_annotations f
    JOIN articles a ON a.id = f.article_id
    JOIN annotators n ON n.id = f.annotator_id
    UNION ALL
    SELECT a.external_id, a.title, g.field, n.name, g.value, 'gold (' || g.method || ')'
    FROM gold_article_fields g
    JOIN articles a ON a.id = g.article_id
    LEFT JOIN annotators n ON n.id = g.adjudicator_id
""",
    )


@migration("0007_team")
def team(db: Database) -> None:
    """Who is on the project and in which role (issue 14). A table of its own rather than a
    column on `annotators`: an annotators row exists for anyone who ever wrote (imported
    labels, an adjudicator, someone who left), and leaving the team must not touch the
    history that row anchors. Project settings (blind, team, public_url, suggestions) are
    rows of the existing `settings` table. `assignments` is each annotator's queue
    (`annotator assign`): which articles, in which order, and which are calibration."""
    _run(
        db,
        """
CREATE TABLE team_members (
    annotator_id INTEGER PRIMARY KEY REFERENCES annotators(id),
    role TEXT NOT NULL CHECK (role IN ('annotator', 'adjudicator', 'manager')),
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE assignments (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    position INTEGER NOT NULL,
    calibration INTEGER NOT NULL DEFAULT 0,
    seed INTEGER NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (article_id, annotator_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX assignments_by_queue ON assignments(annotator_id, position)
""",
    )


# What `status` reads, kept by the database so that it costs the same on a million sentences
# as on ten (issue 14 asks for under 1 s there): GROUP BYs over every annotation and event
# took seconds. The kept counts are checked against a recount by tests/test_status.py.
DISPUTED = """INSERT INTO disputed_sentences (sentence_id) SELECT {s} WHERE (
        SELECT count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1
        FROM annotations a WHERE a.sentence_id = {s} AND a.confirmed = 1)"""


@migration("0011_status_counts")
def status_counts(db: Database) -> None:
    """`annotator_activity`: per annotator, their events (a count: counting 3M events per
    annotator took 0.13 s), the time of the latest (a julian day) and the seconds of activity
    so far: the gaps between consecutive events, in time order,
    of 5 minutes or less (a longer gap is a break). A trigger adds each new event's gap; an
    event older than the latest (labels imported with their original times, a merged copy)
    marks the row `stale`, and the next `status` recounts that annotator from the events.
    `disputed_sentences`: the sentences with two or more confirmed annotations that differ,
    kept by triggers on `annotations` (the count `status` shows as disputed). Two covering
    indexes: confirmed sentences per annotator and article (it replaces
    `annotations_by_annotator`, whose columns it starts with), and segments per kind."""
    # 300: activity.GAP_SECONDS as this migration shipped, written out so that changing the
    # constant later never edits a shipped migration (issue 10)
    from annotator.store.activity import recount

    disputed = """INSERT INTO disputed_sentences (sentence_id) SELECT {s} WHERE (
        SELECT count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1
        FROM annotations a WHERE a.sentence_id = {s} AND a.confirmed = 1)"""
    statements = [
        """CREATE TABLE annotator_activity (
    annotator_id INTEGER PRIMARY KEY REFERENCES annotators(id),
    events INTEGER NOT NULL DEFAULT 0,
    last_event_julianday REAL NOT NULL,
    active_seconds REAL NOT NULL DEFAULT 0,
    stale INTEGER NOT NULL DEFAULT 0
)""",
        """CREATE TRIGGER events_activity AFTER INSERT ON events
WHEN julianday(NEW.at) IS NOT NULL BEGIN
    INSERT OR IGNORE INTO annotator_activity (annotator_id, last_event_julianday)
        VALUES (NEW.annotator_id, julianday(NEW.at));
    UPDATE annotator_activity SET
        events = events + 1,
        active_seconds = active_seconds + CASE
            WHEN julianday(NEW.at) >= last_event_julianday
                AND (julianday(NEW.at) - last_event_julianday) * 86400.0 <= 300
            THEN (julianday(NEW.at) - last_event_julianday) * 86400.0 ELSE 0 END,
        stale = stale OR julianday(NEW.at) < last_event_julianday,
        last_event_julianday = max(last_event_julianday, julianday(NEW.at))
    WHERE annotator_id = NEW.annotator_id;
END""",
        """CREATE TRIGGER events_activity_delete AFTER DELETE ON events BEGIN
    UPDATE annotator_activity SET stale = 1 WHERE annotator_id = OLD.annotator_id;
END""",
        """CREATE TRIGGER events_activity_update AFTER UPDATE OF at, annotator_id ON events
BEGIN
    UPDATE annotator_activity SET stale = 1
    WHERE annotator_id IN (OLD.annotator_id, NEW.annotator_id);
END""",
        """CREATE TABLE disputed_sentences (
    sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id)
)""",
        """INSERT INTO disputed_sentences (sentence_id) SELECT a.sentence_id FROM annotations a
    WHERE a.confirmed = 1 GROUP BY a.sentence_id
    HAVING count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1""",
        f"""CREATE TRIGGER annotations_disputed_insert AFTER INSERT ON annotations BEGIN
    DELETE FROM disputed_sentences WHERE sentence_id = NEW.sentence_id;
    {disputed.format(s="NEW.sentence_id")};
END""",
        f"""CREATE TRIGGER annotations_disputed_update AFTER UPDATE OF labels, fields, confirmed
ON annotations BEGIN
    DELETE FROM disputed_sentences WHERE sentence_id = NEW.sentence_id;
    {disputed.format(s="NEW.sentence_id")};
END""",
        f"""CREATE TRIGGER annotations_disputed_delete AFTER DELETE ON annotations BEGIN
    DELETE FROM disputed_sentences WHERE sentence_id = OLD.sentence_id;
    {disputed.format(s="OLD.sentence_id")};
END""",
        "CREATE INDEX annotations_by_annotator_confirmed "
        "ON annotations(annotator_id, article_id, confirmed)",
        "DROP INDEX annotations_by_annotator",
        "CREATE INDEX sentences_by_kind ON sentences(kind)",
    ]
    for stmt in statements:
        db.execute(stmt)
    # the activity so far, from the events (the trigger adds what comes after)
    db.conn.executemany(
        "INSERT INTO annotator_activity (annotator_id, events, last_event_julianday, "
        "active_seconds) VALUES (?, ?, ?, ?)",
        [(aid, n, last, seconds) for aid, (seconds, last, n) in recount(db.conn).items()],
    )


@migration("0011_articles_summary")
def articles_summary(db: Database) -> None:
    """A covering index of the columns `status` and `assign` read of every article (id,
    external id, sentence count, language, title): without it each read walks the articles'
    overflow pages (text, original), stored before some of them, to reach them: 0.2 s of
    CPU at 20,000 articles, 0.02 s with it. A migration of its own because 0011_status_counts
    had already been merged when it was measured."""
    db.execute(
        "CREATE INDEX articles_summary ON articles(external_id, sentence_count, language, title)"
    )


@migration("0010_annotation_revised")
def annotation_revised(db: Database) -> None:
    """`annotations.revised`: the sentence was confirmed, then its labels or fields changed,
    and it has not been confirmed again (issue 11). Stored with the state, and carried by the
    events' before/after like the labels, so the mark survives a restart and undo restores
    it with the labels and the source type. Rows from before are unmarked (the mark was
    never stored)."""
    db.execute("ALTER TABLE annotations ADD COLUMN revised INTEGER NOT NULL DEFAULT 0")


@migration("0013_access_tokens")
def access_tokens(db: Database) -> None:
    """Personal access links for `annotator serve` (issue 15): one per team member. Only a
    hash of the token is stored (`token_hash`, SHA-256: the tokens are 256 random bits, so a
    slow hash would add nothing), so reading the database does not give anyone's link. The
    token is an HMAC of `nonce` under a key kept in a file beside the database (mode 0600),
    which lets `annotator team link NAME` print the same link again; `--rotate` draws a new
    nonce, and `revoked_at` ends a link without deleting its history."""
    _run(
        db,
        """
CREATE TABLE access_tokens (
    annotator_id INTEGER PRIMARY KEY REFERENCES annotators(id),
    nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
""",
    )


@migration("0014_suggestions")
def suggestions(db: Database) -> None:
    """Suggested labels (issue 16): one row per (sentence, source, label), with the score,
    the cue that fired and its span in the sentence, and the version of the source that made
    it. `suggestion_sources` records what each source has covered (its version and the last
    sentence id it looked at), so an import only computes what is new and a changed lexicon
    recomputes its own rows. Suggestions are never labels: they become annotations only
    through an event whose `origin` names them (`suggestion:SOURCE@VERSION`; `typed` for
    everything else, including every event written before this migration)."""
    _run(
        db,
        """
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    label TEXT NOT NULL,
    source TEXT NOT NULL,
    version TEXT NOT NULL,
    score REAL NOT NULL,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    source_type TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (sentence_id, source, label)
);
CREATE INDEX suggestions_by_article ON suggestions(article_id, sentence_id);
CREATE TABLE suggestion_sources (
    source TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    through_sentence_id INTEGER NOT NULL DEFAULT 0,
    config TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);
ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT 'typed'
""",
    )


@migration("0015_suggestion_conditions")
def suggestion_conditions(db: Database) -> None:
    """Whether an annotator was shown suggestions on an article, recorded the first time the
    article was shown to them (issue 16): `agreement --by suggestions` reads the condition
    the annotator worked under, not one recomputed from the split as it is set now. Written
    by the session inside a write it makes anyway (the cursor, an edit), `INSERT OR IGNORE`:
    the first showing stays. No row: opened before this migration (the report falls back to
    the split and says how many). And an index of the events that accepted a suggestion
    (few): an export finds which labels came from suggestions without reading every
    event (store/origins.py)."""
    _run(
        db,
        """
CREATE TABLE suggestion_conditions (
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    shown INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (annotator_id, article_id)
) WITHOUT ROWID;
CREATE INDEX events_accepted ON events(sentence_id, annotator_id) WHERE origin <> 'typed'
""",
    )


@migration("0016_sentence_records_filled")
def sentence_records_filled(db: Database) -> None:
    """The importer fills `sentence_records` itself (store/records.py: the same JSON, built
    in the parse workers, inserted with one executemany per article): the insert trigger
    cost the importing process about 40% of its write. While it writes an article's
    sentences, the importer holds a row for the article in `sentence_records_by_writer`
    (inserted and deleted inside its transaction: never committed, never seen by anyone
    else), and the trigger skips that article's sentences; every other way a sentence comes
    in (a merge, a hand-made insert) still gets its record from the trigger."""
    db.execute(
        """CREATE TABLE sentence_records_by_writer (
    article_id INTEGER PRIMARY KEY
)"""
    )
    db.execute("DROP TRIGGER sentence_records_insert")
    db.execute(
        """CREATE TRIGGER sentence_records_insert AFTER INSERT ON sentences
    WHEN NOT EXISTS (SELECT 1 FROM sentence_records_by_writer WHERE article_id = NEW.article_id)
BEGIN
    INSERT INTO sentence_records (sentence_id, article_id, record)
    SELECT NEW.id, NEW.article_id, json_object(
    'id', a.external_id || ':' || NEW.position, 'article_id', a.external_id,
    'position', NEW.position, 'paragraph', NEW.paragraph, 'kind', NEW.kind,
    'start', NEW.start, 'end', NEW."end", 'text', NEW.text,
    'links', json(coalesce(NEW.links, '[]')), 'words', NEW.words,
    'flesch_reading_ease', NEW.flesch_reading_ease,
    'flesch_kincaid_grade', NEW.flesch_kincaid_grade) FROM articles a
    WHERE a.id = NEW.article_id; END"""
    )


@migration("0017_kinds_index_without_body")
def kinds_index_without_body(db: Database) -> None:
    """`sentences_by_kind` (0011_status_counts), which `status` reads to count the segments
    of each kind without the sentences' text, holds only the segments that are not body
    text: body is most of them (every segment of a file of short items), and updating the
    index for each was a tenth of the importer's write. `status` counts the body segments
    as all the sentences less the others (store/progress.py)."""
    db.execute("DROP INDEX sentences_by_kind")
    db.execute("CREATE INDEX sentences_by_kind_not_body ON sentences(kind) WHERE kind <> 'body'")


@migration("0018_annotation_drafts")
def annotation_drafts(db: Database) -> None:
    """A confirmed sentence whose labels or fields change is a draft until confirmed again
    (audit7 F17: the change counted at once as the confirmed answer, in agreement, gold and
    every export, under the old confirmation time). `labels` and `fields` keep the confirmed
    answer, which everything downstream reads; `draft_labels` and `draft_fields` hold the
    annotator's own while the draft waits (NULL otherwise). A sentence revised before this
    migration has no draft kept: its current labels stay its answer. `status` counts the
    sentences changed and not confirmed again by a partial index of them (few)."""
    _run(
        db,
        """
ALTER TABLE annotations ADD COLUMN draft_labels TEXT;
ALTER TABLE annotations ADD COLUMN draft_fields TEXT;
CREATE INDEX annotations_revised ON annotations(annotator_id) WHERE revised = 1
""",
    )
