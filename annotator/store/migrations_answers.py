"""Migrations 0021 on: disputes judged on answers as the adopted schema reads them (0021),
links that end at a time (0022). migrations.py registers them after migrations_later.py's
(never edit one that has shipped; add the next one here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.store.migrations import migration

if TYPE_CHECKING:
    from sqlite_utils import Database


@migration("0021_disputed_as_adopted")
def disputed_as_adopted(db: Database) -> None:
    """`disputed_sentences` compares the coders' answers as the adopted schema reads them
    (store/answers.py), not as stored: the labels the schema has, in its order, and the
    sentence fields whose label is among them. Labels are stored in the order of the schema
    of their time, so after labels.toml reordered them two annotators who gave the same
    labels counted as a dispute forever (audit12 F16), and after `--drop-labels` a dropped
    label still made one (F2). Stored text is compared first, and the answers are read
    only where it differs and only while some stored schema is not a subset of the adopted
    one in its order with its fields on the same labels (the `answers_as_stored` setting,
    kept by triggers on `schemas`, `schema_labels` and the `schema_hash` setting): a project
    that never reordered or dropped a label pays what it paid. Adopting a schema recounts
    every sentence, and the kept rows are recounted once here."""
    # Written out, not shared with store/answers.py: a later change to the code must never
    # edit a shipped migration. The staff as 0020_disputed_without_staff reads them.
    staff_ids = "SELECT annotator_id FROM team_members WHERE role <> 'annotator'"
    adopted = (
        "(SELECT s.id FROM schemas s JOIN settings st ON st.key = 'schema_hash' "
        "AND st.value = s.hash)"
    )

    def answer(t: str) -> str:
        labels = (
            "(SELECT json_group_array(name) FROM (SELECT l.name FROM json_each("
            f"{t}.labels) j JOIN schema_labels l ON l.schema_id = {adopted} "
            "AND l.name = j.value ORDER BY l.position))"
        )
        # most answers have no field: not read (the schema's JSON parsed per field is the
        # dearest part; a trigger cannot have the CTE store/answers.py reads it once with)
        fields = (
            f"CASE WHEN {t}.fields = '{{}}' THEN '{{}}' ELSE "
            f"(SELECT json_group_object(f.key, f.value) FROM json_each({t}.fields) f "
            "WHERE EXISTS (SELECT 1 FROM schemas s JOIN settings st ON st.key = 'schema_hash' "
            "AND st.value = s.hash, json_each(s.schema_json, '$.sentence_fields') sf, "
            f"json_each({t}.labels) j WHERE json_extract(sf.value, '$.name') = f.key "
            "AND j.value = json_extract(sf.value, '$.label'))) END"
        )
        return (
            f"CASE WHEN {adopted} IS NULL THEN {t}.labels || '|' || {t}.fields "
            f"ELSE {labels} || '|' || {fields} END"
        )

    # `answers_as_stored` (a setting kept by the triggers below): '1' while every stored
    # schema has only labels the adopted one has, in its order, and the adopted one's
    # fields on the same labels: then no answer reads otherwise than it is stored, and the
    # stored text decides (no read at all: bulk writes cost what they did). Missing: read.
    label_moved = f"""EXISTS (SELECT 1 FROM schema_labels x
        LEFT JOIN schema_labels y ON y.schema_id = {adopted} AND y.name = x.name
        WHERE x.schema_id <> {adopted} AND (y.name IS NULL OR EXISTS (
            SELECT 1 FROM schema_labels x2
            JOIN schema_labels y2 ON y2.schema_id = {adopted} AND y2.name = x2.name
            WHERE x2.schema_id = x.schema_id AND x2.position < x.position
            AND y2.position > y.position)))"""
    field_moved = f"""EXISTS (SELECT 1 FROM schemas s,
        json_each(s.schema_json, '$.sentence_fields') sf WHERE s.id <> {adopted}
        AND NOT EXISTS (SELECT 1 FROM schemas o, json_each(o.schema_json, '$.sentence_fields') of
            WHERE o.id = {adopted}
            AND json_extract(of.value, '$.name') = json_extract(sf.value, '$.name')
            AND json_extract(of.value, '$.label') = json_extract(sf.value, '$.label')))"""
    # (no INSERT OR REPLACE: the statement that fires a trigger imposes its own conflict
    # policy on the trigger's, and an upsert's failed insert would fail here)
    as_stored = f"""DELETE FROM settings WHERE key = 'answers_as_stored';
    INSERT INTO settings (key, value) SELECT 'answers_as_stored', CASE WHEN {adopted} IS NULL
        OR NOT ({label_moved} OR {field_moved}) THEN '1' ELSE '0' END"""
    stored_decides = "(SELECT value FROM settings WHERE key = 'answers_as_stored') = '1'"

    def read_differ(s: str) -> str:
        return f"""({stored_decides} OR (SELECT count(DISTINCT {answer("b")}) > 1
        FROM annotations b WHERE b.sentence_id = {s} AND b.confirmed = 1
        AND b.annotator_id NOT IN ({staff_ids})))"""

    def recount(s: str) -> str:
        return f"""DELETE FROM disputed_sentences WHERE sentence_id = {s};
    INSERT INTO disputed_sentences (sentence_id) SELECT {s} WHERE (
        SELECT count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1
        FROM annotations a WHERE a.sentence_id = {s} AND a.confirmed = 1
        AND a.annotator_id NOT IN ({staff_ids})) AND {read_differ(s)}"""

    def groups(only: str) -> str:
        return f"""SELECT a.sentence_id FROM annotations a
        WHERE a.confirmed = 1 AND a.annotator_id NOT IN ({staff_ids}){only}
        GROUP BY a.sentence_id
        HAVING count(*) >= 2 AND count(DISTINCT a.labels || '|' || a.fields) > 1
        AND {read_differ("a.sentence_id")}"""

    def recount_of(who: str) -> str:
        theirs = f"""SELECT sentence_id FROM annotations
        WHERE annotator_id IN ({who}) AND confirmed = 1"""
        only = f"\n        AND a.sentence_id IN ({theirs})"
        return f"""DELETE FROM disputed_sentences WHERE sentence_id IN ({theirs});
    INSERT INTO disputed_sentences (sentence_id) {groups(only)}"""

    everything = f"""DELETE FROM disputed_sentences;
    INSERT INTO disputed_sentences (sentence_id) {groups("")}"""
    staff = "{w}.role <> 'annotator'"
    statements = [
        "DROP TRIGGER annotations_disputed_insert",
        "DROP TRIGGER annotations_disputed_update",
        "DROP TRIGGER annotations_disputed_delete",
        "DROP TRIGGER team_members_disputed_insert",
        "DROP TRIGGER team_members_disputed_delete",
        "DROP TRIGGER team_members_disputed_update",
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
        # a schema stored (adopted, or brought by a merge): do answers still read as stored?
        f"""CREATE TRIGGER schemas_answers_insert AFTER INSERT ON schemas BEGIN
    {as_stored};
END""",
        f"""CREATE TRIGGER schema_labels_answers_insert AFTER INSERT ON schema_labels BEGIN
    {as_stored};
END""",
        # another schema adopted: every answer may read differently
        f"""CREATE TRIGGER settings_disputed_insert AFTER INSERT ON settings
WHEN NEW.key = 'schema_hash' BEGIN
    {as_stored};
    {everything};
END""",
        f"""CREATE TRIGGER settings_disputed_update AFTER UPDATE OF key, value ON settings
WHEN NEW.key = 'schema_hash' AND (OLD.key <> NEW.key OR OLD.value <> NEW.value) BEGIN
    {as_stored};
    {everything};
END""",
        *as_stored.split(";\n"),
        "DELETE FROM disputed_sentences",
        f"INSERT INTO disputed_sentences (sentence_id) {groups('')}",
    ]
    for stmt in statements:
        db.execute(stmt)


@migration("0022_link_expiry")
def link_expiry(db: Database) -> None:
    """A personal link may end at a time (`team link NAME --expires 7d`): a contractor's
    week-long link no longer waits for someone to remember `--revoke` (audit14 F7)."""
    db.execute("ALTER TABLE access_tokens ADD COLUMN expires_at TEXT")
