"""Assignments (table `assignments`, migration 0007): each annotator's queue of articles. The
plan itself is pure (annotator/models/assignment.py); this reads its inputs and stores it."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from annotator.models.assignment import Article, Existing, Plan, plan
from annotator.store.database import Store, now


def _inputs(conn: sqlite3.Connection) -> tuple[list[Article], Existing]:
    articles = [
        Article(str(ext), int(n))
        for ext, n in conn.execute(
            "SELECT external_id, sentence_count FROM articles ORDER BY id"
        ).fetchall()
    ]
    assigned: dict[str, list[str]] = {}
    calibration: set[str] = set()
    length: dict[str, int] = {}
    for ext, name, position, calib in conn.execute(
        "SELECT a.external_id, n.name, s.position, s.calibration FROM assignments s "
        "JOIN articles a ON a.id = s.article_id JOIN annotators n ON n.id = s.annotator_id"
    ).fetchall():
        assigned.setdefault(str(ext), []).append(str(name))
        if calib:
            calibration.add(str(ext))
        length[str(name)] = max(length.get(str(name), 0), int(position) + 1)
    return articles, Existing(assigned, frozenset(calibration), length)


def assign(
    store: Store,
    annotators: Sequence[str],
    *,
    per_article: int,
    calibration: int,
    seed: int,
    dry_run: bool,
) -> Plan:
    """Plan the articles nobody is assigned yet, and store the plan unless `dry_run`. Read
    and written in one transaction, so two runs at once cannot both assign an article."""
    if dry_run:
        with store.read():
            articles, existing = _inputs(store.conn)
        return plan(
            articles,
            annotators,
            per_article=per_article,
            calibration=calibration,
            seed=seed,
            existing=existing,
        )
    with store.write() as conn:
        articles, existing = _inputs(conn)
        result = plan(
            articles,
            annotators,
            per_article=per_article,
            calibration=calibration,
            seed=seed,
            existing=existing,
        )
        at = now()
        for name in sorted({s.annotator for s in result.slots}):
            conn.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                [name, at],
            )
        ids = {str(e): int(i) for e, i in conn.execute("SELECT external_id, id FROM articles")}
        who = {str(n): int(i) for n, i in conn.execute("SELECT name, id FROM annotators")}
        conn.executemany(
            "INSERT INTO assignments (article_id, annotator_id, position, calibration, seed, "
            "assigned_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (ids[s.article], who[s.annotator], s.position, int(s.calibration), seed, at)
                for s in result.slots
            ],
        )
    return result


def queues(store: Store) -> dict[str, list[dict[str, Any]]]:
    """annotator name -> their queue in order: article, position, confirmed, sentences."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, ext, position, confirmed, total in store.all(
        "SELECT n.name, a.external_id, s.position, "
        "(SELECT count(*) FROM annotations x WHERE x.annotator_id = s.annotator_id "
        "AND x.article_id = s.article_id AND x.confirmed = 1), a.sentence_count "
        "FROM assignments s JOIN articles a ON a.id = s.article_id "
        "JOIN annotators n ON n.id = s.annotator_id ORDER BY n.name, s.position"
    ):
        out.setdefault(str(name), []).append(
            {"article": ext, "position": position, "confirmed": confirmed, "sentences": total}
        )
    return out


def per_article(store: Store) -> list[dict[str, Any]]:
    """Every article with who is assigned to it (by name) and whether it is calibration."""
    rows: dict[str, dict[str, Any]] = {}
    for ext, title, total, name, calib in store.all(
        "SELECT a.external_id, a.title, a.sentence_count, n.name, s.calibration "
        "FROM articles a LEFT JOIN assignments s ON s.article_id = a.id "
        "LEFT JOIN annotators n ON n.id = s.annotator_id ORDER BY a.id, n.name"
    ):
        row = rows.setdefault(
            str(ext),
            {
                "article": ext,
                "title": title,
                "sentences": total,
                "calibration": False,
                "assigned": [],
            },
        )
        if name is not None:
            row["assigned"].append(name)
            row["calibration"] = row["calibration"] or bool(calib)
    return list(rows.values())


def queue_version(store: Store, annotator_id: int) -> tuple[int, int]:
    """(length, last position) of one annotator's queue: assignments are only appended, so
    this changes exactly when their queue does (one range of the assignments_by_queue index)."""
    row = store.one(
        "SELECT count(*), coalesce(max(position), -1) FROM assignments WHERE annotator_id = ?",
        [annotator_id],
    )
    return (int(row[0]), int(row[1])) if row else (0, -1)


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
