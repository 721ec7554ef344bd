"""Writing many rows at once, for a builder that makes a whole database (the benchmarks'
benchmarks/bigdb.py): the product's tables written with executemany, inside the caller's
write transaction, with the secondary indexes rebuilt after the load.

It writes what the single-row writers (articles.add_article, events.append,
annotations.record_sentence_in_tx, ...) would have left, row for row: the caller gives ids,
timestamps and JSON text (encoded with jsontext.dumps; a builder that repeats the same
values caches them), and keeps the derived state consistent (annotations = the latest
event's state, confirmed_ranges maximal, annotators.confirmed the count). bigdb.py checks
those invariants with SQL after every build.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

Row = Sequence[object]

# Column orders of the rows each writer takes.
ARTICLE_COLUMNS = (
    "id",
    "external_id",
    "title",
    "outlet_id",
    "author",
    "published",
    "url",
    "byline",
    "text",
    "text_sha256",
    "original",
    "encoding",
    "offset_map",
    "source_path",
    "source_line",
    "meta",
    "words",
    "syllables",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "sentence_count",
    "first_sentence_id",
    "imported_at",
)
SENTENCE_COLUMNS = (
    "id",
    "article_id",
    "position",
    "paragraph",
    "start",
    '"end"',
    "kind",
    "text",
    "links",
    "words",
    "syllables",
    "flesch_reading_ease",
    "flesch_kincaid_grade",
)
EVENT_COLUMNS = (
    "id",
    "at",
    "annotator_id",
    "kind",
    "action",
    "sentence_id",
    "article_id",
    "field",
    "before",
    "after",
    "undoes",
    "schema_hash",
    "session",
)
ANNOTATION_COLUMNS = (
    "sentence_id",
    "annotator_id",
    "article_id",
    "labels",
    "fields",
    "comment",
    "confirmed",
    "revised",
    "confirmed_at",
    "updated_at",
    "event_id",
)
ARTICLE_FIELD_COLUMNS = ("article_id", "annotator_id", "field", "value", "updated_at", "event_id")


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})"


def write_annotators(conn: sqlite3.Connection, rows: Iterable[tuple[int, str, str]]) -> None:
    """(id, name, created_at) rows."""
    conn.executemany("INSERT INTO annotators (id, name, created_at) VALUES (?, ?, ?)", rows)


def write_outlets(conn: sqlite3.Connection, rows: Iterable[tuple[int, str, str | None]]) -> None:
    """(id, name, domain) rows."""
    conn.executemany("INSERT INTO outlets (id, name, domain) VALUES (?, ?, ?)", rows)


def write_articles(conn: sqlite3.Connection, rows: Iterable[Row]) -> None:
    """Rows in ARTICLE_COLUMNS order."""
    conn.executemany(_insert("articles", ARTICLE_COLUMNS), rows)


def write_sentences(conn: sqlite3.Connection, rows: Iterable[Row]) -> None:
    """Rows in SENTENCE_COLUMNS order; ids consecutive within an article, in corpus order."""
    conn.executemany(_insert("sentences", SENTENCE_COLUMNS), rows)


def append_events(conn: sqlite3.Connection, rows: Iterable[Row]) -> None:
    """Rows in EVENT_COLUMNS order (`before` and `after` as JSON text), ids ascending."""
    conn.executemany(_insert("events", EVENT_COLUMNS), rows)


def write_annotations(conn: sqlite3.Connection, rows: Iterable[Row]) -> None:
    """Rows in ANNOTATION_COLUMNS order: each (sentence, annotator)'s latest state."""
    conn.executemany(_insert("annotations", ANNOTATION_COLUMNS), rows)


def write_article_fields(conn: sqlite3.Connection, rows: Iterable[Row]) -> None:
    """Rows in ARTICLE_FIELD_COLUMNS order: each (article, annotator, field)'s latest value."""
    conn.executemany(_insert("article_annotations", ARTICLE_FIELD_COLUMNS), rows)


def write_progress(
    conn: sqlite3.Connection,
    annotator_id: int,
    confirmed_ranges: Iterable[tuple[int, int]],
    confirmed: int,
    cursor: int | None,
) -> None:
    """One annotator's maximal (lo, hi) runs of confirmed sentence ids, their count and
    where their cursor is."""
    conn.executemany(
        "INSERT INTO confirmed_ranges (annotator_id, lo, hi) VALUES (?, ?, ?)",
        [(annotator_id, lo, hi) for lo, hi in confirmed_ranges],
    )
    conn.execute(
        "UPDATE annotators SET confirmed = ?, cursor_sentence_id = ? WHERE id = ?",
        [confirmed, cursor, annotator_id],
    )


@contextlib.contextmanager
def indexes_dropped(conn: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """The secondary indexes of `tables` dropped for the block and recreated after it from
    the SQL the migrations stored (building an index once is faster than keeping it up to
    date row by row). Inside the caller's write transaction, so a failed load leaves them."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(tables))})",
        list(tables),
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.execute(sql)
