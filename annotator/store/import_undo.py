"""Taking back what an import wrote of a file that turned out to have an error late.

A JSON Lines file is written while the workers still parse its later chunks
(store/imports.py), so an error only parsing can find (an article with no text after
cleaning) may come after some of the file is stored. The file must then import nothing, as
any file with an error does: its articles are deleted again, in one transaction, with their
sentences, their sentence records and the outlets the import created for them (so that
`status` counts what it counted before), and nothing else.

Two things keep them instead, said in the error: someone's work on them (an annotation, an
event, an assignment, a cursor, suggestions computed for them: any row that refers to them
and is not the import's own), and another import's articles written after them. Article
and sentence ids have no gaps (store/articles.py counts and ranks by them): only the last
articles of the database can be deleted without leaving one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from annotator.store.database import Store, StoreError

# the rows an import writes for an article (deleted with it), and the tables whose rows
# refer to a sentence by a number that is not a foreign key
_OWN = {"articles", "sentences", "sentence_records", "sentence_records_by_writer"}
_BY_NUMBER = (
    ("confirmed_ranges", "hi"),
    ("suggestion_sources", "through_sentence_id"),
)


def undo_import(store: Store, added: Sequence[int], outlets_before: int) -> str | None:
    """Delete the articles `added` (this import's, in the order written) and what the import
    wrote with them, in one transaction. None when done; else why they are kept."""
    if not added:
        return None
    first = min(added)
    try:
        with store.write() as conn:
            kept = _why_kept(conn, first, len(added))
            if kept is not None:
                return kept
            first_sentence = _first_sentence(conn, first)
            if first_sentence is not None:
                # the trigger (sentence_records_delete) takes each sentence's record with it
                conn.execute("DELETE FROM sentences WHERE id >= ?", [first_sentence])
            conn.execute("DELETE FROM sentence_records WHERE article_id >= ?", [first])
            conn.execute("DELETE FROM sentence_records_by_writer WHERE article_id >= ?", [first])
            conn.execute("DELETE FROM articles WHERE id >= ?", [first])
            _drop_new_outlets(conn, outlets_before)
    except sqlite3.IntegrityError:  # a reference this module does not know of: kept
        return "other rows of the database refer to them"
    except StoreError as e:  # the disk, the lock: said, with what is left
        return f"taking them back failed ({e})"
    return None


def _first_sentence(conn: sqlite3.Connection, first: int) -> int | None:
    row = conn.execute("SELECT min(id) FROM sentences WHERE article_id >= ?", [first]).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _why_kept(conn: sqlite3.Connection, first: int, count: int) -> str | None:
    row = conn.execute("SELECT count(*) FROM articles WHERE id >= ?", [first]).fetchone()
    if int(row[0]) != count:
        return "another import wrote articles after them"
    first_sentence = _first_sentence(conn, first)
    if first_sentence is not None:
        foreign = conn.execute(
            "SELECT 1 FROM sentences WHERE id >= ? AND article_id < ? LIMIT 1",
            [first_sentence, first],
        ).fetchone()
        if foreign is not None:
            return "another import wrote sentences after them"
    used: set[str] = set()
    touched: set[int] = set()  # the articles someone's rows are on
    for table, column, target in _references(conn):
        if target == "articles":
            sql = f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" >= ?'
            since = first
        elif first_sentence is not None:
            sql = (
                f'SELECT DISTINCT s.article_id FROM "{table}" t '
                f'JOIN sentences s ON s.id = t."{column}" WHERE t."{column}" >= ?'
            )
            since = first_sentence
        else:
            continue
        found = {int(r[0]) for r in conn.execute(sql, [since]).fetchall()}
        if found:
            used.add(table)
            touched |= found
    if first_sentence is not None:
        for table, column in _BY_NUMBER:
            if conn.execute(
                f'SELECT 1 FROM "{table}" WHERE "{column}" >= ? LIMIT 1', [first_sentence]
            ).fetchone():
                used.add(table)
    if not used:
        return None
    names = [
        str(r[0])
        for r in conn.execute(
            "SELECT external_id FROM articles WHERE id IN "
            f"({','.join('?' * len(touched))}) ORDER BY id LIMIT 4",
            sorted(touched),
        ).fetchall()
    ]
    which = ", ".join(names[:3]) + (" ..." if len(touched) > 3 else "")
    on = f" on {len(touched)} of them ({which})" if touched else ""
    return f"work{on} is already stored ({', '.join(sorted(used))})"


def _references(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, column, articles or sentences) for every foreign key to an article or a
    sentence, read from the schema: a table added later is checked without a word here."""
    found = []
    tables = [
        str(r[0])
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    ]
    for table in tables:
        if table in _OWN:
            continue
        for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall():
            target, column = str(fk[2]), str(fk[3])
            if target in ("articles", "sentences"):
                found.append((table, column, target))
    return found


def _drop_new_outlets(conn: sqlite3.Connection, outlets_before: int) -> None:
    """The outlets created since the import began that nothing refers to any more."""
    refs = [
        (table, column)
        for table in (
            str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
        for fk in conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        if str(fk[2]) == "outlets"
        for column in (str(fk[3]),)
    ]
    unused = " AND ".join(
        f'NOT EXISTS (SELECT 1 FROM "{t}" WHERE "{c}" = outlets.id)' for t, c in refs
    )
    conn.execute(
        f"DELETE FROM outlets WHERE id > ?{' AND ' + unused if unused else ''}", [outlets_before]
    )


def outlets_now(store: Store) -> int:
    """The last outlet id (0: none), read before an import's first write."""
    row = store.one("SELECT coalesce(max(id), 0) FROM outlets")
    return int(row[0]) if row is not None else 0
