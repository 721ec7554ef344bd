"""The other copy of `annotator merge` (annotator/store/merge.py), read-only, and what its
events change: which piece of current state each event kind keys, and when two events are
the same change."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.store.database import StoreError, open_store
from annotator.store.database_file import check_existing, connect_ro, migrations_pending

Key = tuple[Any, ...]
EVENT_COLUMNS = (
    "id, at, annotator_id, kind, action, sentence_id, article_id, outlet_id, field, before, "
    "after, undoes, schema_hash, session, origin"
)


class MergeError(StoreError):
    """The other copy cannot be merged; the message is one line for the user."""


# --- the other copy, read-only ----------------------------------------------------------------


@contextmanager
def other_connection(path: Path, here: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the other copy. A copy from an older annotator is migrated
    in a temporary file first: merging never writes to the file it is given."""
    if not path.exists():
        raise MergeError(f"{path}: no such file")
    if not path.is_file():
        raise MergeError(f"{path}: not a regular file")
    try:
        if os.path.samefile(path, here):
            raise MergeError(f"{path}: is this database; merge another copy into it")
    except FileNotFoundError:
        pass
    if not check_existing(path):
        raise MergeError(f"{path}: empty, not an annotator database")
    conn = connect_ro(path)
    tmp: str | None = None
    try:
        if migrations_pending(conn):
            tmp = tempfile.mkdtemp(prefix="annotator-merge-")
            copy = Path(tmp) / "other.sqlite"
            target = sqlite3.connect(copy)
            conn.backup(target)
            target.close()
            conn.close()
            open_store(copy).close()  # migrates the copy
            conn = connect_ro(copy)
        yield conn
    finally:
        conn.close()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


@dataclass
class OtherCopy:
    """Everything merge needs from the other copy, read before the write lock."""

    annotators: dict[int, tuple[str, str]]  # id -> (name, created_at)
    members: list[tuple[str, str, str, str]]  # name, role, added_at, updated_at
    outlets: dict[int, tuple[str, str | None]]  # id -> (name, domain)
    schemas: list[dict[str, Any]]
    schema_labels: dict[int, list[dict[str, Any]]]
    articles: dict[int, dict[str, Any]]  # every column
    sentences: dict[int, list[dict[str, Any]]]  # article id -> rows in position order
    events: list[tuple[Any, ...]]
    states: dict[str, list[dict[str, Any]]]
    assignments: list[dict[str, Any]]
    # (annotator id, article id, shown, at): whether suggestions were shown when the article
    # was first shown to the annotator on the copy
    conditions: list[tuple[int, int, int, str]]


STATE_TABLES = (
    "annotations",
    "article_annotations",
    "article_comments",
    "outlet_annotations",
    "gold_annotations",
    "gold_article_fields",
)


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur]


def read_other(conn: sqlite3.Connection, here_columns: dict[str, list[str]]) -> OtherCopy:
    def cols(table: str) -> str:
        theirs = set(table_columns(conn, table))
        return ", ".join(f'"{c}"' for c in here_columns[table] if c in theirs)

    conn.execute("BEGIN")  # one snapshot, should someone be writing the copy
    try:
        sentences: dict[int, list[dict[str, Any]]] = {}
        for row in _rows(conn, f"SELECT {cols('sentences')} FROM sentences ORDER BY id"):
            sentences.setdefault(int(row["article_id"]), []).append(row)
        labels: dict[int, list[dict[str, Any]]] = {}
        for row in _rows(conn, "SELECT * FROM schema_labels ORDER BY schema_id, position"):
            labels.setdefault(int(row["schema_id"]), []).append(row)
        return OtherCopy(
            annotators={
                int(r[0]): (str(r[1]), str(r[2]))
                for r in conn.execute("SELECT id, name, created_at FROM annotators")
            },
            members=[
                (str(r[0]), str(r[1]), str(r[2]), str(r[3]))
                for r in conn.execute(
                    "SELECT a.name, m.role, m.added_at, m.updated_at FROM team_members m "
                    "JOIN annotators a ON a.id = m.annotator_id"
                )
            ],
            outlets={
                int(r[0]): (str(r[1]), r[2])
                for r in conn.execute("SELECT id, name, domain FROM outlets")
            },
            schemas=_rows(conn, "SELECT * FROM schemas ORDER BY id"),
            schema_labels=labels,
            articles={
                int(r["id"]): r
                for r in _rows(conn, f"SELECT {cols('articles')} FROM articles ORDER BY id")
            },
            sentences=sentences,
            events=conn.execute(f"SELECT {EVENT_COLUMNS} FROM events ORDER BY id").fetchall(),
            states={t: _rows(conn, f"SELECT {cols(t)} FROM {t}") for t in STATE_TABLES},
            assignments=_rows(
                conn, "SELECT * FROM assignments ORDER BY annotator_id, position, article_id"
            ),
            conditions=[
                (int(r[0]), int(r[1]), int(r[2]), str(r[3]))
                for r in conn.execute(
                    "SELECT annotator_id, article_id, shown, at FROM suggestion_conditions"
                )
            ],
        )
    finally:
        conn.execute("COMMIT")


# --- what the events change ---------------------------------------------------------------------

# event kind -> (the state it changes, the key of that state from the mapped event's columns)
# Event columns: 0 id, 1 at, 2 annotator_id, 3 kind, 4 action, 5 sentence_id, 6 article_id,
# 7 outlet_id, 8 field, ...
STATE_KEYS: dict[str, tuple[str, Callable[[tuple[Any, ...]], Key]]] = {
    "sentence": ("sentence", lambda e: (e[5], e[2])),
    "article_field": ("article field", lambda e: (e[6], e[2], e[8])),
    "article_comment": ("article comment", lambda e: (e[6], e[2], e[8])),
    "outlet_field": ("outlet field", lambda e: (e[7], e[8])),
    "article_outlet": ("article outlet", lambda e: (e[6],)),
    "gold_sentence": ("gold sentence", lambda e: (e[5],)),
    "gold_article_field": ("gold article field", lambda e: (e[6], e[8])),
}

# state -> (table, key columns) for the states kept as rows
STATE_ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sentence": ("annotations", ("sentence_id", "annotator_id")),
    "article field": ("article_annotations", ("article_id", "annotator_id", "field")),
    "article comment": ("article_comments", ("article_id", "annotator_id", "field")),
    "outlet field": ("outlet_annotations", ("outlet_id", "field")),
    "gold sentence": ("gold_annotations", ("sentence_id",)),
    "gold article field": ("gold_article_fields", ("article_id", "field")),
}
# id columns of each state table and the map that translates them
ID_COLUMNS = {
    "sentence_id": "sentence",
    "article_id": "article",
    "annotator_id": "annotator",
    "adjudicator_id": "annotator",
    "outlet_id": "outlet",
    "event_id": "event",
}


def fingerprint(e: tuple[Any, ...]) -> tuple[Any, ...]:
    """An event without its id and the id it undoes: the same change in both copies."""
    return (*e[1:11], *e[12:])
