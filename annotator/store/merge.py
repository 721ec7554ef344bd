"""Bringing a copy of the database made offline back into this one (`annotator merge`).

Annotators without a shared machine work on copies of one database. Merging reads the other
copy (never writes it), and in one write transaction here:

- matches articles by content (`text_sha256`) and their sentences by offsets, so an article
  imported under another id, or re-imported, still meets its twin; articles only the other
  copy has are copied with their sentences;
- matches annotators, outlets and schemas by name or hash, adding the missing ones;
- copies the other copy's events that this database does not have. Copies made from one
  database share their history up to the copy: an event is "the same" when every column but
  its id (and the id it undoes) is the same -- the time to the millisecond, who, what,
  before and after -- so merging the same copy twice adds nothing;
- for every piece of current state the new events touched (a sentence's labels for one
  annotator, an article field, a comment, an outlet field, an article's outlet, gold), the
  copy whose latest change is later wins, and where both copies changed it since they parted
  the summary lists it as a conflict;
- adds team members and assignments this database lacks (appended to each queue), and what
  each annotator was shown on the copy (store/merge_team.py).

The derived state (confirmed counts, confirmed ranges, export records) is kept as the
single-row writers keep it. Reading the other copy happens before the write lock is taken.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from annotator.models.merge import MergeReport
from annotator.store import merge_labels, merge_team
from annotator.store.database import Store
from annotator.store.merge_copy import (
    EVENT_COLUMNS,
    STATE_KEYS,
    STATE_TABLES,
    Key,
    MergeError,
    OtherCopy,
    fingerprint,
    other_connection,
    read_other,
    table_columns,
)
from annotator.store.merge_state import describe_conflict, same_state, take_state, their_rows
from annotator.store.schema_names import adopted_label_names

__all__ = ["MergeError", "merge"]


class _DryRun(Exception):
    pass


# --- the merge ----------------------------------------------------------------------------------


def merge(store: Store, other_path: str | Path, *, dry_run: bool = False) -> MergeReport:
    """Merge the database at `other_path` into `store` (see the module's docstring)."""
    path = Path(other_path)
    here_columns = {
        t: [c for c in table_columns(store.conn, t) if c not in ("id", "record")]
        for t in ("articles", "sentences", *STATE_TABLES)
    }
    here_columns["articles"].insert(0, "id")
    here_columns["sentences"].insert(0, "id")
    with other_connection(path, store.path) as conn:
        other = read_other(conn, here_columns)
    report = MergeReport(other=str(path), dry_run=dry_run)
    try:
        with store.write() as wconn:
            labels = adopted_label_names(store)  # (store.conn is wconn: in the transaction)
            before = merge_labels.outside(wconn, labels) if labels else None
            _Merger(wconn, other, report, here_columns).run()
            if before is not None:
                # raised inside the transaction: nothing of the copy stays (audit12 F15)
                merge_labels.refuse_grown(before, merge_labels.outside(wconn, labels))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


class _Merger:
    def __init__(
        self,
        conn: sqlite3.Connection,
        other: OtherCopy,
        report: MergeReport,
        columns: dict[str, list[str]],
    ):
        self.conn = conn
        self.other = other
        self.report = report
        self.columns = columns
        self.maps: dict[str, dict[int, int]] = {
            "annotator": {},
            "outlet": {},
            "article": {},
            "sentence": {},
            "event": {},
        }

    def run(self) -> None:
        self._annotators()
        self._outlets()
        self._schemas()
        self._articles()
        merge_team.members(self.conn, self.other, self.report)
        new_keys = self._events()
        self._states(new_keys)
        merge_team.assignments(self.conn, self.other, self.maps, self.report)
        merge_team.conditions(self.conn, self.other, self.maps, self.report)

    # -- names ------------------------------------------------------------------------------

    def _annotators(self) -> None:
        added = self._by_name("annotator", "annotators", "created_at", self.other.annotators)
        self.report.annotators_added.extend(added)

    def _outlets(self) -> None:
        self._by_name("outlet", "outlets", "domain", self.other.outlets)

    def _by_name(
        self, kind: str, table: str, column: str, theirs: dict[int, tuple[str, Any]]
    ) -> list[str]:
        """Map the other copy's rows of `table` to ours by name, adding the missing ones
        (with their `column`); return the names added."""
        here = {str(r[1]): int(r[0]) for r in self.conn.execute(f"SELECT id, name FROM {table}")}
        added: list[str] = []
        for oid, (name, value) in sorted(theirs.items()):
            if name not in here:
                here[name] = int(
                    self.conn.execute(
                        f"INSERT INTO {table} (name, {column}) VALUES (?, ?)", [name, value]
                    ).lastrowid
                    or 0
                )
                added.append(name)
            self.maps[kind][oid] = here[name]
        return added

    def _schemas(self) -> None:
        here = {str(r[0]) for r in self.conn.execute("SELECT hash FROM schemas")}
        for row in self.other.schemas:
            if row["hash"] in here:
                continue
            cols = [c for c in row if c != "id"]
            new_id = self.conn.execute(
                f"INSERT INTO schemas ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols],
            ).lastrowid
            for label in self.other.schema_labels.get(int(row["id"]), []):
                lcols = list(label)
                self.conn.execute(
                    f"INSERT INTO schema_labels ({', '.join(lcols)}) "
                    f"VALUES ({', '.join('?' * len(lcols))})",
                    [new_id if c == "schema_id" else label[c] for c in lcols],
                )
            self.report.schemas_added += 1

    # -- articles and sentences -----------------------------------------------------------------

    def _articles(self) -> None:
        by_hash = {
            str(r[1]): int(r[0]) for r in self.conn.execute("SELECT id, text_sha256 FROM articles")
        }
        ids = {
            str(r[1]): int(r[0]) for r in self.conn.execute("SELECT id, external_id FROM articles")
        }
        for oid, art in sorted(self.other.articles.items()):
            aid = by_hash.get(str(art["text_sha256"]))
            if aid is not None:
                self.report.articles_matched += 1
                self.maps["article"][oid] = aid
                self._match_sentences(oid, aid)
                continue
            if str(art["external_id"]) in ids:
                self.report.articles_skipped.append(str(art["external_id"]))
                continue
            self.maps["article"][oid] = self._copy_article(oid, art)
            self.report.articles_added.append(str(art["external_id"]))

    def _match_sentences(self, other_article: int, article: int) -> None:
        here = {
            (int(r[1]), int(r[2])): int(r[0])
            for r in self.conn.execute(
                'SELECT id, start, "end" FROM sentences WHERE article_id = ?', [article]
            )
        }
        smap = self.maps["sentence"]
        for s in self.other.sentences.get(other_article, []):
            sid = here.get((int(s["start"]), int(s["end"])))
            if sid is not None:
                smap[int(s["id"])] = sid

    def _copy_article(self, oid: int, art: dict[str, Any]) -> int:
        cols = [c for c in art if c not in ("id", "first_sentence_id")]
        values = [
            self.maps["outlet"].get(int(art[c])) if c == "outlet_id" and art[c] else art[c]
            for c in cols
        ]
        aid = int(
            self.conn.execute(
                f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                values,
            ).lastrowid
            or 0
        )
        first = None
        for s in self.other.sentences.get(oid, []):
            scols = [c for c in s if c != "id"]
            sid = int(
                self.conn.execute(
                    f"INSERT INTO sentences ({', '.join(_quoted(c) for c in scols)}) "
                    f"VALUES ({', '.join('?' * len(scols))})",
                    [aid if c == "article_id" else s[c] for c in scols],
                ).lastrowid
                or 0
            )
            self.maps["sentence"][int(s["id"])] = sid
            first = sid if first is None else first
        self.conn.execute("UPDATE articles SET first_sentence_id = ? WHERE id = ?", [first, aid])
        return aid

    # -- events --------------------------------------------------------------------------------

    def _map_event(self, e: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The event in this database's ids, or None when it is about something not here."""
        sid = aid = None
        if e[5] is not None:
            sid = self.maps["sentence"].get(int(e[5]))
            if sid is None:
                return None
        if e[6] is not None:
            aid = self.maps["article"].get(int(e[6]))
            if aid is None:
                return None
        oid = self.maps["outlet"][int(e[7])] if e[7] is not None else None
        undoes = self.maps["event"].get(int(e[11])) if e[11] is not None else None
        return (
            e[0],
            e[1],
            self.maps["annotator"][int(e[2])],
            e[3],
            e[4],
            sid,
            aid,
            oid,
            e[8],
            e[9],
            e[10],
            undoes,
            e[12],
            e[13],
            e[14],
        )

    def _events(self) -> dict[str, set[Key]]:
        """Copy the events this database lacks; return, per state, the keys they touched.

        Also remembers, per key, the latest change on each side and whether this database
        changed it since the copies parted (for the conflicts)."""
        here_rows = self.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events").fetchall()
        here_fp = {fingerprint(r): int(r[0]) for r in here_rows}
        undone = {int(r[11]) for r in here_rows if r[11] is not None}
        emap = self.maps["event"]
        other_fp: set[tuple[Any, ...]] = set()
        new_keys: dict[str, set[Key]] = {}
        self.there_latest: dict[tuple[str, Key], tuple[str, str]] = {}  # at, who
        for e in self.other.events:
            mapped = self._map_event(e)
            if mapped is None:
                self.report.events_unmatched += 1
                continue
            fp = fingerprint(mapped)
            other_fp.add(fp)
            known = here_fp.get(fp)
            if known is not None:
                emap[int(e[0])] = known
                self.report.events_known += 1
            else:
                undoes = mapped[11]
                if undoes is not None and undoes in undone:
                    undoes = None  # both copies undid the same change: one undo stands
                new_id = self.conn.execute(
                    "INSERT INTO events (at, annotator_id, kind, action, sentence_id, "
                    "article_id, outlet_id, field, before, after, undoes, schema_hash, session, "
                    "origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [*mapped[1:11], undoes, *mapped[12:]],
                ).lastrowid
                emap[int(e[0])] = int(new_id or 0)
                if undoes is not None:
                    undone.add(undoes)
                self.report.events_added += 1
            spec = STATE_KEYS.get(str(mapped[3]))
            if spec is None:
                continue
            state, keyfn = spec
            key = keyfn(mapped)
            if known is None:
                new_keys.setdefault(state, set()).add(key)
            latest = self.there_latest.get((state, key))
            if latest is None or str(mapped[1]) >= latest[0]:
                self.there_latest[(state, key)] = (str(mapped[1]), str(mapped[2]))
        # this database's latest change per key, and its changes the other copy lacks
        self.here_latest: dict[tuple[str, Key], str] = {}
        self.here_by: dict[tuple[str, Key], int] = {}  # who made that latest change
        self.here_only: set[tuple[str, Key]] = set()
        for r in here_rows:
            spec = STATE_KEYS.get(str(r[3]))
            if spec is None:
                continue
            state, keyfn = spec
            k = (state, keyfn(r))
            if k[1] not in new_keys.get(state, ()):
                continue
            if str(r[1]) > self.here_latest.get(k, ""):
                self.here_latest[k] = str(r[1])
                self.here_by[k] = int(r[2])
            if fingerprint(r) not in other_fp:
                self.here_only.add(k)
        return new_keys

    # -- current state ---------------------------------------------------------------------

    def _states(self, new_keys: dict[str, set[Key]]) -> None:
        for state, keys in new_keys.items():
            theirs = their_rows(self.other, self.maps, state)
            taken = 0
            for key in sorted(keys, key=repr):
                there_at, who = self.there_latest[(state, key)]
                here_at = self.here_latest.get((state, key))
                take = here_at is None or there_at > here_at
                # both copies changed it, to different ends (audit14 F4: the same unanimous
                # gold, made by each copy's adjudication screen, was listed as a conflict)
                if (state, key) in self.here_only and not same_state(
                    self.conn, state, key, theirs.get(key)
                ):
                    self.report.conflicts.append(
                        describe_conflict(
                            self.conn,
                            state,
                            key,
                            (who, self.here_by.get((state, key))),
                            here_at or "",
                            there_at,
                            take,
                        )
                    )
                if take:
                    take_state(self.conn, self.columns, state, key, theirs.get(key))
                    taken += 1
            self.report.states_taken[state] = taken


def _quoted(column: str) -> str:
    return f'"{column}"'
