"""The later migrations, 0011-0020: the counts `status` reads, the revised mark, access
links, suggestions, the sentence records, drafts, team removals, disputes without the staff.
migrations.py registers them after its own (see its docstring: never edit one that has
shipped; 0021 on are in migrations_answers.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.store.migrations import _run, migration

if TYPE_CHECKING:
    from sqlite_utils import Database


# What `status` reads, kept by the database so that it costs the same on a million sentences
# as on ten (issue 14 asks for under 1 s there): GROUP BYs over every annotation and event
# took seconds. The kept counts are checked against a recount by tests/test_status_team.py.


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


@migration("0019_team_removals")
def team_removals(db: Database) -> None:
    """When someone was taken off the team (audit10 F4: `merge` of a copy made before `team
    remove` put the member back, as a "new team member" of the closed team, although the
    removal was the later change). `team add` deletes the row; merge keeps off the team a
    member of the copy whose membership there is older than their removal here."""
    _run(
        db,
        """
CREATE TABLE team_removals (
    annotator_id INTEGER PRIMARY KEY REFERENCES annotators(id),
    removed_at TEXT NOT NULL
)
""",
    )


@migration("0020_disputed_without_staff")
def disputed_without_staff(db: Database) -> None:
    """`disputed_sentences` counts the coders' answers only, as the adjudication queue does
    (gold13b: a manager who confirmed a sentence differently made it disputed in `status`,
    and the queue did not show it). The triggers on `annotations` leave out the staff's
    confirmations (and now fire when a row changes hands: whose answer it is matters),
    triggers on `team_members` recount the sentences someone confirmed when they become
    staff or stop being staff (added, removed, role changed: one person's sentences, by
    the index on annotator_id), and the kept rows are recounted once here."""
    # Whose confirmed answers are no coder's (store/coders.py `roles`): the adjudicators and
    # managers on the team. roles also names whoever only ever decided gold, off the team,
    # but such a person has no annotation (anyone with one is an annotator), so leaving out
    # the team's staff leaves out every staff answer there is. Written out here, not shared
    # with the code: a later change to a constant must never edit a shipped migration.
    staff_ids = "SELECT annotator_id FROM team_members WHERE role <> 'annotator'"

    def recount(s: str) -> str:
        return f"""DELETE FROM disputed_sentences WHERE sentence_id = {s};
    INSERT INTO disputed_sentences (sentence_id) SELECT {s} WHERE (
        SELECT count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1
        FROM annotations a WHERE a.sentence_id = {s} AND a.confirmed = 1
        AND a.annotator_id NOT IN ({staff_ids}))"""

    def recount_of(who: str) -> str:
        theirs = f"""SELECT sentence_id FROM annotations
        WHERE annotator_id IN ({who}) AND confirmed = 1"""
        only = f"\n        AND a.sentence_id IN ({theirs})"
        return f"""DELETE FROM disputed_sentences WHERE sentence_id IN ({theirs});
    INSERT INTO disputed_sentences (sentence_id) {groups(only)}"""

    def groups(only: str) -> str:
        return f"""SELECT a.sentence_id FROM annotations a
        WHERE a.confirmed = 1 AND a.annotator_id NOT IN ({staff_ids}){only}
        GROUP BY a.sentence_id
        HAVING count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1"""

    staff = "{w}.role <> 'annotator'"
    statements = [
        "DROP TRIGGER annotations_disputed_insert",
        "DROP TRIGGER annotations_disputed_update",
        "DROP TRIGGER annotations_disputed_delete",
        f"""CREATE TRIGGER annotations_disputed_insert AFTER INSERT ON annotations BEGIN
    {recount("NEW.sentence_id")};
END""",
        f"""CREATE TRIGGER annotations_disputed_update
AFTER UPDATE OF labels, fields, confirmed, annotator_id ON annotations BEGIN
    {recount("NEW.sentence_id")};
END""",
        f"""CREATE TRIGGER annotations_disputed_delete AFTER DELETE ON annotations BEGIN
    {recount("OLD.sentence_id")};
END""",
        f"""CREATE TRIGGER team_members_disputed_insert AFTER INSERT ON team_members
WHEN {staff.format(w="NEW")} BEGIN
    {recount_of("NEW.annotator_id")};
END""",
        f"""CREATE TRIGGER team_members_disputed_delete AFTER DELETE ON team_members
WHEN {staff.format(w="OLD")} BEGIN
    {recount_of("OLD.annotator_id")};
END""",
        f"""CREATE TRIGGER team_members_disputed_update AFTER UPDATE OF role, annotator_id
ON team_members WHEN ({staff.format(w="OLD")}) <> ({staff.format(w="NEW")})
    OR OLD.annotator_id <> NEW.annotator_id BEGIN
    {recount_of("OLD.annotator_id, NEW.annotator_id")};
END""",
        "DELETE FROM disputed_sentences",
        f"INSERT INTO disputed_sentences (sentence_id) {groups('')}",
    ]
    for stmt in statements:
        db.execute(stmt)
