"""Migrations 0003-0008: the export records, the article's language, article comments, the
views, the team. migrations.py registers them after 0001 and 0002 (never edit one that has
shipped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.store.migrations import _run, migration

if TYPE_CHECKING:
    from sqlite_utils import Database


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
