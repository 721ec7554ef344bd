"""Streaming what an export needs, sentence by sentence, in corpus order, in constant memory.

The JSON of each sentence, annotation and gold decision is kept by the database
(`sentence_records`, `annotations.record`, `gold_annotations.record`: migration 0003), so an
export reads bytes and splices them; one grouped query gives each sentence with its
annotations already joined, and gold is merged in on the sentence id.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from annotator.store import answers
from annotator.store.coders import roles
from annotator.store.database import Store

# the article-level records (the sidecar, the hf articles configuration): their own module
from annotator.store.export_articles import articles as articles

# which labels each answer rated: schema_history.py (re-exported for the exports)
from annotator.store.schema_history import labels_unrated as labels_unrated
from annotator.store.schema_history import unrated_counts as unrated_counts
from annotator.store.schema_history import with_unrated
from annotator.store.schema_names import adopted_label_names, every_label_name

# The JSON each export record is built from, kept by the database itself (migration 0003).
# Building it at export time costs 3.7 s of CPU in the grouped query at 1M sentences,
# against 1.1 s reading it stored (SQLite's json_object formats each REAL at ~0.3 us,
# escapes each string char by char); stored, an export splices bytes. Sentences never
# change after import; annotations and gold change one row at a time, and a trigger
# rewrites that row's record in the same transaction.
# These are the expressions migration 0003's triggers evaluate, for `stale_records` to
# check rows against; tests/test_migrations_frozen.py checks each appears verbatim in the
# frozen migration, so the two cannot drift apart. A change to the record is a new
# migration that replaces the triggers, and these with it.
SENTENCE_RECORD = """json_object(
    'id', a.external_id || ':' || {s}.position, 'article_id', a.external_id,
    'position', {s}.position, 'paragraph', {s}.paragraph, 'kind', {s}.kind,
    'start', {s}.start, 'end', {s}."end", 'text', {s}.text,
    'links', json(coalesce({s}.links, '[]')), 'words', {s}.words,
    'flesch_reading_ease', {s}.flesch_reading_ease,
    'flesch_kincaid_grade', {s}.flesch_kincaid_grade)"""
# evaluated in an UPDATE of the row itself, so its columns are named bare
ANNOTATION_RECORD = """json_object(
    'annotator', (SELECT n.name FROM annotators n WHERE n.id = annotator_id),
    'labels', json(labels), 'fields', json(fields), 'comment', comment,
    'confirmed_at', confirmed_at, 'updated_at', updated_at)"""
GOLD_RECORD = """json_object(
    'labels', json(labels), 'fields', json(fields), 'method', method,
    'adjudicator', (SELECT n.name FROM annotators n WHERE n.id = adjudicator_id),
    'agrees_with', json(agrees_with), 'note', note, 'decided_at', decided_at)"""

# (sentence id, article id, sentence JSON, annotation JSON objects joined, gold JSON or None)
Group = tuple[int, int, bytes, bytes, "bytes | None"]


def article_json(store: Store) -> dict[int, bytes]:
    """Each article's metadata as UTF-8 JSON, by article id."""
    return {
        int(r[0]): r[1]
        for r in store.all(
            "SELECT a.id, CAST(json_object('id', a.external_id, 'title', a.title, "
            "'outlet', o.name, 'author', a.author, 'published', a.published, 'url', a.url, "
            "'byline', a.byline, 'flesch_reading_ease', a.flesch_reading_ease, "
            "'flesch_kincaid_grade', a.flesch_kincaid_grade, 'language', a.language) AS BLOB) "
            "FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id"
        )
    }


def count(store: Store, *, everything: bool = False) -> int:
    if everything:
        return int(store.scalar("SELECT coalesce(sum(sentence_count), 0) FROM articles") or 0)
    return int(
        store.scalar(
            "SELECT count(*) FROM (SELECT sentence_id FROM annotations WHERE confirmed = 1 "
            "UNION SELECT sentence_id FROM gold_annotations)"
        )
        or 0
    )


def staff_names(store: Store) -> frozenset[str]:
    """Adjudicators and managers (coders.roles): their own confirmations are left out of
    the majority, as agreement leaves them out (audit10 F5: a manager trying the screen
    made a 2-of-3 majority a split in every majority export, while agreement's coders were
    the three annotators)."""
    return frozenset(name for name, _role in roles(store).values())


def labels_outside(store: Store) -> dict[str, tuple[int, int]]:
    """Labels that confirmed annotations or gold carry and the adopted guidelines no longer
    have (adopted with --drop-labels), with (annotations, gold decisions) carrying each.
    Only labels of an earlier schema can be such, so a project that never dropped one pays
    two small reads (audit7 F15: csv, hf, doccano and spacy left them out, jsonl, Label
    Studio and Prodigy kept them, and nothing said so)."""
    active = adopted_label_names(store)
    if not active:
        return {}
    out: dict[str, tuple[int, int]] = {}
    for label in sorted(every_label_name(store) - active):
        quoted = f'"{label}"'  # label names are UPPER_SNAKE_CASE (schema validation)
        n = int(
            store.scalar(
                "SELECT count(*) FROM annotations WHERE confirmed = 1 AND instr(labels, ?) > 0",
                [quoted],
            )
            or 0
        )
        gold = int(
            store.scalar(
                "SELECT count(*) FROM gold_annotations WHERE instr(labels, ?) > 0", [quoted]
            )
            or 0
        )
        if n or gold:
            out[label] = (n, gold)
    return out


def groups(
    store: Store,
    *,
    everything: bool = False,
    joiner: bytes = b",",
    lo: int | None = None,
    hi: int | None = None,
    unrated: dict[str, list[str]] | None = None,
) -> Iterator[Group]:
    """Every sentence with a confirmed annotation or gold (all of them with `everything`),
    in id order, optionally only ids in [lo, hi), with its confirmed annotations' JSON in
    annotator-name order joined by `joiner` (b"" when none). Text comes as the UTF-8 bytes
    SQLite stores (CAST AS BLOB): decoding a million records into str and encoding them
    back was half an export's time. With `unrated` (labels_unrated), an annotation or gold
    decision confirmed under a schema that lacked some of the labels carries them in an
    `"unrated"` member (its last); the others are the stored bytes. Each answer's labels
    come in the adopted schema's order (answers.ordered_record_sql): every format reads
    them from here.
    """
    conn = store.conn
    bounds = []
    if lo is not None:
        bounds.append(f"{{0}} >= {int(lo)}")
    if hi is not None:
        bounds.append(f"{{0}} < {int(hi)}")
    span = " AND ".join(bounds) or "1"
    names = dict(conn.execute("SELECT id, name FROM annotators").fetchall())
    ids = sorted(names)
    # group_concat joins a sentence's annotations in primary-key order (annotator id):
    # when that is name order, which it is when annotators were added alphabetically, the
    # joined bytes are the answer; otherwise each id sequence gets its permutation, once
    in_order = ids == sorted(ids, key=lambda i: names[i])
    sep = "?" if in_order else "char(10)"
    # each answer's labels in the adopted schema's order, as its csv header and hf names
    reorder = answers.order_moved(conn)
    record, record_params = with_unrated(
        answers.ordered_record_sql("an.labels", "an.record", reorder), "an.event_id", unrated
    )
    gold_record, gold_params = with_unrated(
        answers.ordered_record_sql("g.labels", "g.record", reorder), "g.event_id", unrated
    )
    columns = (
        f"r.article_id, CAST(r.record AS BLOB), CAST(group_concat({record}, {sep}) AS BLOB)"
        + (", NULL" if in_order else ", CAST(group_concat(an.annotator_id) AS BLOB)")
    )
    # CROSS (or LEFT) JOIN fixes the outer loop whatever ANALYZE says. Without `everything`
    # it is annotations, read in primary-key order (sentence, then annotator id), each row
    # looking up its sentence's record by rowid: 1.15M rows at 1M sentences, 0.2-0.3 s less
    # CPU than scanning every sentence and searching its annotations. With `everything`,
    # every sentence is wanted, annotated or not: sentence_records is the outer loop.
    if everything:
        sql = (
            f"SELECT r.sentence_id, {columns} FROM sentence_records r LEFT JOIN annotations an "
            "ON an.sentence_id = r.sentence_id AND an.confirmed = 1 "
            f"WHERE {span.format('r.sentence_id')} GROUP BY r.sentence_id ORDER BY r.sentence_id"
        )
    else:
        sql = (
            f"SELECT an.sentence_id, {columns} FROM annotations an CROSS JOIN sentence_records r "
            f"ON r.sentence_id = an.sentence_id WHERE an.confirmed = 1 AND "
            f"{span.format('an.sentence_id')} GROUP BY an.sentence_id ORDER BY an.sentence_id"
        )
    main = conn.execute(sql, [*record_params, joiner] if in_order else record_params)
    # gold, and whether `main` brings its sentence (else it is yielded from here)
    golds = iter(
        conn.execute(
            f"SELECT g.sentence_id, CAST({gold_record} AS BLOB), r.article_id, "
            "CAST(r.record AS BLOB), "
            + (
                "1"
                if everything
                else "EXISTS (SELECT 1 FROM annotations x "
                "WHERE x.sentence_id = g.sentence_id AND x.confirmed = 1)"
            )
            + " FROM gold_annotations g JOIN sentence_records r ON r.sentence_id = g.sentence_id "
            f"WHERE {span.format('g.sentence_id')} ORDER BY g.sentence_id",
            gold_params,
        )
    )
    perms: dict[bytes, list[int] | None] = {}
    gold_row = next(golds, None)
    # this loop runs once per exported sentence: plain tuples and local names
    for sid, aid, sjson, anns, order in main:
        if anns is None:
            anns = b""
        elif order is not None:
            perm = perms.get(order, ...)
            if perm is ...:
                seq = [int(x) for x in order.split(b",")]
                ranked = sorted(range(len(seq)), key=lambda k: names[seq[k]])
                perm = perms[order] = None if ranked == list(range(len(seq))) else ranked
            if perm is None:
                if joiner != b"\n":
                    anns = anns.replace(b"\n", joiner)
            else:
                parts = anns.split(b"\n")
                anns = joiner.join([parts[k] for k in perm])
        gold = None
        while gold_row is not None and gold_row[0] <= sid:
            if gold_row[0] == sid:
                gold = gold_row[1]
            elif not gold_row[4]:  # gold on a sentence nobody confirmed: not in `main`
                yield gold_row[0], gold_row[2], gold_row[3], b"", gold_row[1]
            gold_row = next(golds, None)
        yield sid, aid, sjson, anns, gold
    while gold_row is not None:
        if not gold_row[4]:
            yield gold_row[0], gold_row[2], gold_row[3], b"", gold_row[1]
        gold_row = next(golds, None)


def split_point(
    store: Store, *, least: int, share: float = 0.5, everything: bool = False
) -> int | None:
    """The sentence id below which lie `share` of the sentences some annotator confirmed,
    when there are at least `least` of them. An export's work goes by sentence (3.5 us
    each at 1M sentences, against 0.07 us per annotation), and the union of the
    annotators' confirmed ranges is the set of those sentences, read without touching the
    annotations. With `everything`, the share of all sentences."""
    if everything:
        lo, hi = store.one("SELECT min(sentence_id), max(sentence_id) FROM sentence_records") or (
            None,
            None,
        )
        if lo is None or hi - lo + 1 < max(least, 2):
            return None
        return int(lo + (hi - lo + 1) * share) or None
    merged: list[list[int]] = []
    for lo, hi in store.all("SELECT lo, hi FROM confirmed_ranges ORDER BY lo"):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    total = sum(hi - lo + 1 for lo, hi in merged)
    half = int(total * share)
    if total < max(least, 2) or not 0 < half < total:
        return None
    for lo, hi in merged:
        if half <= hi - lo:
            return int(lo + half)
        half -= hi - lo + 1
    return None


def begin_snapshot(conn: sqlite3.Connection) -> None:
    """Open a read transaction and take its snapshot now (WAL takes it at the first read)."""
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM (SELECT 1 FROM sentence_records LIMIT 1)").fetchone()


@contextlib.contextmanager
def joined_snapshot(store: Store) -> Iterator[None]:
    """The joining side of `snapshot` (the helper process): a read transaction whose snapshot
    is taken on entry and read to the end of the block."""
    begin_snapshot(store.conn)
    try:
        yield
    finally:
        if store.conn.in_transaction:
            store.conn.execute("COMMIT")


@contextlib.contextmanager
def snapshot(store: Store, join: Callable[[], bool] | None = None) -> Iterator[bool]:
    """One read transaction on the store for the block. With `join`, another reader (a
    second process) starts its own while writers are held off, so both read the same
    snapshot: `join` must begin it (begin_snapshot) and return True once it has. Yields
    whether it joined; it does not when the write lock cannot be had (a read-only file,
    a long write under way), and the caller then reads everything itself."""
    lock: sqlite3.Connection | None = None
    if join is not None:
        try:
            lock = sqlite3.connect(store.path, timeout=1.0)
            lock.execute("BEGIN IMMEDIATE")  # no commit can land until it is rolled back
        except sqlite3.Error:
            if lock is not None:
                lock.close()
            lock = None
    joined = False
    try:
        try:
            begin_snapshot(store.conn)
            if lock is not None and join is not None:
                joined = join()
                lock.rollback()
        finally:
            if lock is not None:
                lock.close()  # an SQLite close keeps this process's other locks (database.py)
        yield joined
    finally:
        if store.conn.in_transaction:
            store.conn.execute("COMMIT")


def annotator_summary(store: Store) -> list[dict[str, Any]]:
    return [
        {"annotator": r[0], "confirmed": r[1]}
        for r in store.all(
            "SELECT name, confirmed FROM annotators WHERE confirmed > 0 ORDER BY name"
        )
    ]


def languages(store: Store) -> list[str]:
    """The languages detected in the articles (ISO 639-1), most articles first."""
    return [
        str(r[0])
        for r in store.all(
            "SELECT language FROM articles WHERE language IS NOT NULL "
            "GROUP BY language ORDER BY count(*) DESC, language"
        )
    ]


def adjudicators(store: Store) -> list[str]:
    """Everyone who decided a gold label or article field, by name."""
    return [
        str(r[0])
        for r in store.all(
            "SELECT DISTINCT n.name FROM annotators n WHERE n.id IN (SELECT adjudicator_id "
            "FROM gold_annotations UNION SELECT adjudicator_id FROM gold_article_fields) "
            "ORDER BY n.name"
        )
    ]


def stale_records(store: Store) -> dict[str, int]:
    """Rows whose stored export JSON differs from what their columns give now (or is
    missing): all zero unless a trigger was bypassed. For tests and benchmarks/bigdb.py."""
    fresh = SENTENCE_RECORD.format(s="s")
    return {
        "sentences": int(
            store.scalar(
                "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id "
                "LEFT JOIN sentence_records r ON r.sentence_id = s.id WHERE r.record IS NULL "
                f"OR r.article_id IS NOT s.article_id OR r.record IS NOT {fresh}"
            )
            or 0
        )
        + int(
            store.scalar(
                "SELECT count(*) FROM sentence_records r WHERE NOT EXISTS "
                "(SELECT 1 FROM sentences s WHERE s.id = r.sentence_id)"
            )
            or 0
        ),
        "annotations": int(
            store.scalar(
                f"SELECT count(*) FROM annotations WHERE record IS NOT {ANNOTATION_RECORD}"
            )
            or 0
        ),
        "gold": int(
            store.scalar(f"SELECT count(*) FROM gold_annotations WHERE record IS NOT {GOLD_RECORD}")
            or 0
        ),
    }
