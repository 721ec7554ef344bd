"""Assignments (table `assignments`, migration 0007): each annotator's queue of articles. The
plan itself is pure (annotator/models/assignment.py); this reads its inputs and stores it."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from annotator.models.assignment import (
    Article,
    ArticleFilter,
    AssignmentError,
    Existing,
    Plan,
    Rebalance,
    Slot,
    plan,
)
from annotator.models.assignment import rebalance as rebalance_plan
from annotator.store.database import Store, now


def _inputs(conn: sqlite3.Connection) -> tuple[list[Article], Existing]:
    # ids are mapped to names in Python: joining every assignment to its article would read
    # the articles' rows (their text) once per assignment
    articles: list[Article] = []
    key: dict[int, str] = {}
    for aid, ext, n in conn.execute("SELECT id, external_id, sentence_count FROM articles"):
        key[aid] = ext
        articles.append(Article(ext, n))
    name_of: dict[int, str] = dict(conn.execute("SELECT id, name FROM annotators"))
    assigned: dict[str, list[str]] = {}
    calibration: set[str] = set()
    length: dict[str, int] = {}
    for article_id, annotator_id, position, calib in conn.execute(
        "SELECT article_id, annotator_id, position, calibration FROM assignments"
    ):
        ext, name = key[article_id], name_of[annotator_id]
        assigned.setdefault(ext, []).append(name)
        if calib:
            calibration.add(ext)
        if position >= length.get(name, 0):
            length[name] = position + 1
    return articles, Existing(assigned, frozenset(calibration), length)


def select(conn: sqlite3.Connection, filters: Sequence[ArticleFilter]) -> set[str] | None:
    """The external ids of the articles every filter matches (None: no filter, all). A
    listed id that is not in the database is an error naming its file and line."""
    if not filters:
        return None
    clauses: list[str] = []
    params: list[object] = []
    for f in filters:
        if f.kind == "id":
            clauses.append("a.external_id GLOB ?")
            params.append(f.pattern)
        elif f.kind == "outlet":
            clauses.append("a.outlet_id = (SELECT id FROM outlets WHERE name = ?)")
            params.append(f.pattern)
        elif f.kind == "source":
            clauses.append("a.source_path GLOB ?")
            params.append(f.pattern)
        elif f.kind == "imported":
            # a prefix of the ISO time, compared as text: 2026-12-06 is that day
            clauses.append("substr(a.imported_at, 1, ?) = ?")
            params += [len(f.pattern), f.pattern]
        else:
            listed = json.dumps(list(f.values))
            known = {
                str(r[0])
                for r in conn.execute(
                    "SELECT external_id FROM articles WHERE external_id IN "
                    "(SELECT value FROM json_each(?))",
                    [listed],
                )
            }
            for value, where in zip(f.values, f.origin, strict=True):
                if value not in known:
                    raise AssignmentError(f"{where}: no article {value!r} in the database")
            clauses.append("a.external_id IN (SELECT value FROM json_each(?))")
            params.append(listed)
    chosen = {
        str(r[0])
        for r in conn.execute(
            f"SELECT a.external_id FROM articles a WHERE {' AND '.join(clauses)}", params
        )
    }
    if not chosen:
        # audit9b F16: a typo (outlet:Nope) said "assigned 0 articles" as if all were done
        said = " and ".join(_said(f) for f in filters)
        raise AssignmentError(f"no article matches --articles {said}; nothing was assigned")
    return chosen


def _said(f: ArticleFilter) -> str:
    """A filter as the user gave it."""
    if f.kind == "id":
        return f.pattern
    if f.kind == "ids":
        return f"@{f.origin[0].rsplit(':', 1)[0]}" if f.origin else "@(an empty list)"
    return f"{f.kind}:{f.pattern}"


def _started(conn: sqlite3.Connection, names: Sequence[str]) -> set[tuple[str, str]]:
    """(article, annotator) pairs, among these annotators' assignments, with any event of
    theirs on the article: begun work, which a rebalance never moves. Having been shown
    others' labels there (a `saw_others` event, blind projects) is not work."""
    if not names:
        return set()
    return {
        (str(ext), str(name))
        for ext, name in conn.execute(
            "SELECT a.external_id, n.name FROM assignments s "
            "JOIN annotators n ON n.id = s.annotator_id JOIN articles a ON a.id = s.article_id "
            "WHERE n.name IN (SELECT value FROM json_each(?)) AND EXISTS (SELECT 1 FROM events e "
            "WHERE e.article_id = s.article_id AND e.annotator_id = s.annotator_id "
            "AND e.action != 'saw_others')",
            [json.dumps(list(names))],
        )
    }


def assign(
    store: Store,
    annotators: Sequence[str],
    *,
    per_article: int,
    calibration: int,
    seed: int,
    dry_run: bool,
    filters: Sequence[ArticleFilter] = (),
) -> Plan:
    """Plan the articles nobody is assigned yet (those the filters select), and store the
    plan unless `dry_run`. Read and written in one transaction, so two runs at once cannot
    both assign an article."""
    with _transaction(store, dry_run) as conn:
        articles, existing = _inputs(conn)
        result = plan(
            articles,
            annotators,
            per_article=per_article,
            calibration=calibration,
            seed=seed,
            existing=existing,
            only=select(conn, filters),
        )
        if not dry_run:
            _insert(conn, result.slots, seed)
    return result


def rebalance(
    store: Store,
    annotators: Sequence[str],
    *,
    seed: int,
    dry_run: bool,
    filters: Sequence[ArticleFilter] = (),
) -> Rebalance:
    """Move the unstarted articles of annotators who left (models/assignment.rebalance), in
    one transaction: the dropped slots and the new ones commit together."""
    with _transaction(store, dry_run) as conn:
        articles, existing = _inputs(conn)
        gone = sorted({n for names in existing.assigned.values() for n in names} - set(annotators))
        result = rebalance_plan(
            articles,
            annotators,
            existing=existing,
            started=_started(conn, gone),
            seed=seed,
            only=select(conn, filters),
        )
        if not dry_run:
            conn.executemany(
                "DELETE FROM assignments WHERE article_id = "
                "(SELECT id FROM articles WHERE external_id = ?) "
                "AND annotator_id = (SELECT id FROM annotators WHERE name = ?)",
                result.dropped,
            )
            _insert(conn, result.slots, seed)
    return result


@contextlib.contextmanager
def _transaction(store: Store, dry_run: bool) -> Iterator[sqlite3.Connection]:
    """A snapshot to plan from; for a real run, the write transaction that stores the plan
    (read and written together, so two runs at once cannot both assign an article)."""
    if dry_run:
        with store.read():
            yield store.conn
    else:
        with store.write() as conn:
            yield conn


def _insert(conn: sqlite3.Connection, slots: Sequence[Slot], seed: int) -> None:
    at = now()
    conn.executemany(
        "INSERT INTO annotators (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        [(name, at) for name in sorted({s.annotator for s in slots})],
    )
    ids = dict(conn.execute("SELECT external_id, id FROM articles"))
    who = dict(conn.execute("SELECT name, id FROM annotators"))
    # in primary-key order: each row lands at the end of the table's b-tree
    rows = sorted(
        (ids[s.article], who[s.annotator], s.position, int(s.calibration), seed, at) for s in slots
    )
    # a page cache that holds both b-trees while they grow (the default 2 MB spills dirty
    # pages to the WAL mid-transaction: 15% of the insert's time at 300,000 rows)
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -65536")
    try:
        conn.executemany(
            "INSERT INTO assignments (article_id, annotator_id, position, calibration, seed, "
            "assigned_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def queues(
    store: Store,
    counts: dict[tuple[int, int], int],
    names: dict[int, tuple[str, str | None, int]],
) -> dict[str, list[dict[str, Any]]]:
    """annotator name -> their queue in order: article, position, confirmed, sentences.
    `counts` and `names` are progress.confirmed_counts and progress.article_names."""
    who = dict(store.conn.execute("SELECT id, name FROM annotators"))
    out: dict[str, list[dict[str, Any]]] = {}
    for aid, art, position in store.conn.execute(
        "SELECT annotator_id, article_id, position FROM assignments ORDER BY annotator_id, position"
    ):
        ext, _, total = names[art]
        out.setdefault(who[aid], []).append(
            {
                "article": ext,
                "position": position,
                "confirmed": counts.get((aid, art), 0),
                "sentences": total,
            }
        )
    return out


def per_article(
    store: Store,
    counts: dict[tuple[int, int], int],
    names: dict[int, tuple[str, str | None, int]],
) -> list[dict[str, Any]]:
    """Every article with who is assigned to it (by name), whether it is calibration, and
    how far each assigned annotator is: sentences confirmed and article fields set."""
    who = dict(store.conn.execute("SELECT id, name FROM annotators"))
    forms = {
        (int(aid), int(art)): int(n)
        for aid, art, n in store.conn.execute(
            "SELECT annotator_id, article_id, count(*) FROM article_annotations "
            "GROUP BY annotator_id, article_id"
        )
    }
    assigned: dict[int, list[tuple[str, int, int]]] = {}
    calibration: set[int] = set()
    for art, aid, calib in store.conn.execute(
        "SELECT article_id, annotator_id, calibration FROM assignments"
    ):
        assigned.setdefault(art, []).append(
            (who[aid], counts.get((aid, art), 0), forms.get((aid, art), 0))
        )
        if calib:
            calibration.add(art)
    out = []
    for art in sorted(names):
        ext, title, total = names[art]
        people = sorted(assigned.get(art, []))
        out.append(
            {
                "article": ext,
                "title": title,
                "sentences": total,
                "calibration": art in calibration,
                "assigned": [p[0] for p in people],
                "progress": [
                    {"annotator": p[0], "confirmed": p[1], "form_fields": p[2]} for p in people
                ],
            }
        )
    return out


def any_assigned(store: Store) -> bool:
    """Does this project assign its articles (`annotator assign` has run)?"""
    return store.one("SELECT 1 FROM assignments LIMIT 1") is not None


def assigned_to(store: Store, article_id: int) -> list[str]:
    """The annotators whose queues hold this article, by name."""
    return [
        str(r[0])
        for r in store.all(
            "SELECT n.name FROM assignments s JOIN annotators n ON n.id = s.annotator_id "
            "WHERE s.article_id = ? ORDER BY n.name",
            [article_id],
        )
    ]


def queue_version(store: Store, annotator_id: int) -> tuple[int, int]:
    """What one annotator's queue is, in two numbers: its length and a checksum of (article,
    position) pairs, so that a new assignment or a rebalance (which drops and adds slots) is
    noticed without reading the queue. One range of the assignments_by_queue index, which
    holds the article id too (the table's key)."""
    row = store.one(
        "SELECT count(*), coalesce(sum(article_id * (position + 1)), 0) FROM assignments "
        "WHERE annotator_id = ?",
        [annotator_id],
    )
    return (int(row[0]), int(row[1])) if row else (0, 0)


def queue_of(store: Store, annotator_id: int) -> list[tuple[int, int, int]]:
    """One annotator's queue in order: (article id, its first and last sentence id) per
    assigned article (empty: no assignments; the annotation screen shows the whole corpus).
    The ids come from the sentences' (article_id, position) index: the articles row keeps its
    counts after the article's text, in overflow pages (35 ms for 2,000 articles that way)."""
    return [
        (int(r[0]), int(r[1]), int(r[2]))
        for r in store.all(
            "SELECT s.article_id, "
            "(SELECT id FROM sentences WHERE article_id = s.article_id ORDER BY position LIMIT 1), "
            "(SELECT id FROM sentences WHERE article_id = s.article_id "
            "ORDER BY position DESC LIMIT 1) "
            "FROM assignments s WHERE s.annotator_id = ? ORDER BY s.position",
            [annotator_id],
        )
        if r[1] is not None  # an article without segments has nothing to annotate
    ]


def confirmed_in(store: Store, annotator_id: int, spans: list[tuple[int, int]]) -> int:
    """How many sentences in these (first, last) id spans this annotator confirmed: the
    confirmed ranges swept against the spans (a few thousand short rows, not one lookup per
    annotation)."""
    if not spans:
        return 0
    rows = store.all(
        "SELECT lo, hi FROM confirmed_ranges WHERE annotator_id = ? ORDER BY lo", [annotator_id]
    )
    return overlap([(int(lo), int(hi)) for lo, hi in rows], spans)


def overlap(ranges: list[tuple[int, int]], spans: list[tuple[int, int]]) -> int:
    """How many ids of the spans lie in the ranges; both are lists of disjoint inclusive
    (lo, hi) pairs, the ranges sorted (one sweep over each)."""
    total, i = 0, 0
    for lo, hi in sorted(spans):
        while i < len(ranges) and ranges[i][1] < lo:
            i += 1
        j = i
        while j < len(ranges) and ranges[j][0] <= hi:
            total += min(hi, ranges[j][1]) - max(lo, ranges[j][0]) + 1
            j += 1
    return total
