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


def queue_of(store: Store, annotator_id: int) -> list[tuple[int, int, int]]:
    """One annotator's queue in order: (article id, its first and last sentence id) per
    assigned article (empty: no assignments; the annotation screen shows the whole corpus)."""
    return [
        (int(r[0]), int(r[1]), int(r[1]) + int(r[2]) - 1)
        for r in store.all(
            "SELECT s.article_id, a.first_sentence_id, a.sentence_count FROM assignments s "
            "JOIN articles a ON a.id = s.article_id WHERE s.annotator_id = ? "
            "ORDER BY s.position",
            [annotator_id],
        )
    ]


def queue_confirmed(store: Store, annotator_id: int, leave_out: int) -> int:
    """Sentences this annotator confirmed in their queue's articles, but one (the article on
    screen, whose count the screen has at hand)."""
    return int(
        store.scalar(
            "SELECT count(*) FROM assignments s JOIN annotations a "
            "ON a.annotator_id = s.annotator_id AND a.article_id = s.article_id "
            "WHERE s.annotator_id = ? AND s.article_id != ? AND a.confirmed = 1",
            [annotator_id, leave_out],
        )
        or 0
    )


def queue_sentences(store: Store, annotator_id: int) -> int:
    """How many segments the queue holds (every one is to be confirmed)."""
    return int(
        store.scalar(
            "SELECT coalesce(sum(a.sentence_count), 0) FROM assignments s "
            "JOIN articles a ON a.id = s.article_id WHERE s.annotator_id = ?",
            [annotator_id],
        )
        or 0
    )
