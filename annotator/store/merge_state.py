"""The current state `annotator merge` takes from the other copy: the copy's rows in this
database's ids, and writing one piece of state (a sentence's labels for one annotator, a
field, a comment, gold) the way the single-row writers leave it."""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.models.merge import MergeConflict
from annotator.store import ranges
from annotator.store.merge_copy import ID_COLUMNS, STATE_ROWS, Key, OtherCopy


def their_rows(other: OtherCopy, maps: dict[str, dict[int, int]], state: str) -> dict[Key, Any]:
    """The other copy's current state, keyed in this database's ids."""
    if state == "article outlet":
        return {
            (aid,): other.outlets[int(art["outlet_id"])][0] if art.get("outlet_id") else None
            for oid, art in other.articles.items()
            if (aid := maps["article"].get(oid)) is not None
        }
    table, key_cols = STATE_ROWS[state]
    out: dict[Key, dict[str, Any]] = {}
    for row in other.states[table]:
        mapped = dict(row)
        for col, kind in ID_COLUMNS.items():
            if col in mapped and mapped[col] is not None:
                mapped[col] = maps[kind].get(int(mapped[col]))
        if any(mapped[c] is None for c in key_cols) or mapped.get("event_id") is None:
            continue
        out[tuple(mapped[c] for c in key_cols)] = mapped
    return out


def take_state(
    conn: sqlite3.Connection, columns: dict[str, list[str]], state: str, key: Key, row: Any
) -> None:
    """Make `key` of `state` here what the other copy holds (`row`; None: nothing), keeping
    the confirmed ranges and counters as the single-row writers keep them."""
    if state == "article outlet":
        outlet = None
        if row is not None:
            found = conn.execute("SELECT id FROM outlets WHERE name = ?", [row]).fetchone()
            outlet = int(found[0]) if found else None
        conn.execute("UPDATE articles SET outlet_id = ? WHERE id = ?", [outlet, key[0]])
        return
    table, key_cols = STATE_ROWS[state]
    where = " AND ".join(f"{c} = ?" for c in key_cols)
    was_confirmed = False
    if state == "sentence":
        found = conn.execute(
            f"SELECT confirmed FROM annotations WHERE {where}", list(key)
        ).fetchone()
        was_confirmed = bool(found and found[0])
    conn.execute(f"DELETE FROM {table} WHERE {where}", list(key))
    if row is not None:
        cols = [c for c in columns[table] if c in row]
        conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
    if state == "sentence":
        now_confirmed = bool(row and row["confirmed"])
        if now_confirmed != was_confirmed:
            sid, annotator = key
            if now_confirmed:
                ranges.add(conn, annotator, sid)
            else:
                ranges.remove(conn, annotator, sid)
            conn.execute(
                "UPDATE annotators SET confirmed = confirmed + ? WHERE id = ?",
                [1 if now_confirmed else -1, annotator],
            )


# what records a change rather than its outcome: two copies that reached the same state by
# their own events (times, event ids, who wrote it, the export record made from them) hold
# the same thing
_BOOKKEEPING = frozenset(
    {"event_id", "updated_at", "confirmed_at", "decided_at", "adjudicator_id", "record"}
)


def same_state(conn: sqlite3.Connection, state: str, key: Key, row: Any) -> bool:
    """Does this database hold for `key` what the other copy's `row` holds (None: nothing),
    bookkeeping aside?"""
    if state == "article outlet":
        found = conn.execute(
            "SELECT o.name FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
            "WHERE a.id = ?",
            [key[0]],
        ).fetchone()
        return bool((found[0] if found else None) == row)
    table, key_cols = STATE_ROWS[state]
    where = " AND ".join(f"{c} = ?" for c in key_cols)
    cur = conn.execute(f"SELECT * FROM {table} WHERE {where}", list(key))
    here = cur.fetchone()
    if here is None or row is None:
        return here is None and row is None
    names = [d[0] for d in cur.description]
    return all(row.get(n) == v for n, v in zip(names, here, strict=True) if n not in _BOOKKEEPING)


def describe_conflict(
    conn: sqlite3.Connection,
    state: str,
    key: Key,
    who: tuple[str, int | None],
    here_at: str,
    there_at: str,
    take: bool,
) -> MergeConflict:
    """A change made in both copies, in words: which article, where, whose (`who`: the
    copy's latest changer, this database's)."""
    sid = key[0] if state in ("sentence", "gold sentence") else None
    if sid is not None:
        row = conn.execute(
            "SELECT a.external_id, s.position FROM sentences s "
            "JOIN articles a ON a.id = s.article_id WHERE s.id = ?",
            [sid],
        ).fetchone()
        # the sentence's id as exports and import-labels write it (article:position, from
        # 0): the summary named "sentence 4" what import-labels calls article:3 (audit10 F9)
        article, where = str(row[0]), f"{row[0]}:{int(row[1])}"
    elif state == "outlet field":
        name = conn.execute("SELECT name FROM outlets WHERE id = ?", [key[0]]).fetchone()
        article, where = "", f"outlet {name[0] if name else key[0]}: {key[-1]}"
    else:
        ext = conn.execute("SELECT external_id FROM articles WHERE id = ?", [key[0]]).fetchone()
        article = str(ext[0]) if ext else ""
        where = "outlet" if state == "article outlet" else f"field {key[-1]}"
    names = dict(conn.execute("SELECT id, name FROM annotators").fetchall())
    there_who = str(names.get(int(who[0]), ""))
    here_who = str(names.get(who[1], "")) if who[1] is not None else ""
    return MergeConflict(
        what=state,
        article=article,
        where=where,
        who=there_who,
        here_at=here_at,
        there_at=there_at,
        winner="there" if take else "here",
        here_who=here_who if here_who != there_who else "",
    )
