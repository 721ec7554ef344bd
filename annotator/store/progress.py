"""Counts for `annotator status` and the progress shown on screen."""

from __future__ import annotations

from collections import Counter
from typing import Any

from annotator.store.database import Store


def overview(store: Store) -> dict[str, Any]:
    row = store.one(
        "SELECT (SELECT count(*) FROM articles), "
        "(SELECT coalesce(sum(sentence_count), 0) FROM articles), "
        "(SELECT count(*) FROM outlets), (SELECT count(*) FROM annotators), "
        "(SELECT count(*) FROM events)"
    )
    assert row is not None
    schema = store.one(
        "SELECT s.name, s.version, s.hash FROM settings st JOIN schemas s "
        "ON s.hash = st.value WHERE st.key = 'schema_hash'"
    )
    kinds: dict[str, int] = dict(
        store.all("SELECT kind, count(*) FROM sentences GROUP BY kind ORDER BY 2 DESC")
    )
    # articles imported before migration 0008 have no language: "unknown"
    languages: dict[str, int] = dict(
        store.all(
            "SELECT coalesce(language, 'unknown'), count(*) FROM articles "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        )
    )
    return {
        "database": str(store.path),
        "articles": row[0],
        "sentences": row[1],
        "outlets": row[2],
        "annotators": row[3],
        "events": row[4],
        "segment_kinds": kinds,
        "languages": languages,
        "schema": (
            {"name": schema[0], "version": schema[1], "hash": schema[2]} if schema else None
        ),
    }


def annotators(store: Store) -> list[dict[str, Any]]:
    """Per annotator: sentences confirmed (total and per article) and events recorded."""
    events: dict[int, int] = dict(
        store.all("SELECT annotator_id, count(*) FROM events GROUP BY annotator_id")
    )
    per_article: dict[int, list[dict[str, Any]]] = {}
    for aid, ext, title, n, total in store.all(
        "SELECT an.annotator_id, a.external_id, a.title, count(*), a.sentence_count "
        "FROM annotations an JOIN articles a ON a.id = an.article_id "
        "WHERE an.confirmed = 1 GROUP BY an.annotator_id, an.article_id "
        "ORDER BY an.annotator_id, an.article_id"
    ):
        per_article.setdefault(aid, []).append(
            {"article": ext, "title": title, "confirmed": n, "sentences": total}
        )
    # article forms are separate work: an article whose sentences are all confirmed may still
    # have an empty form; counted apart, per article: how many of its fields are set
    forms: dict[int, dict[str, int]] = {}
    for aid, ext, n in store.all(
        "SELECT aa.annotator_id, a.external_id, count(*) FROM article_annotations aa "
        "JOIN articles a ON a.id = aa.article_id GROUP BY aa.annotator_id, aa.article_id"
    ):
        forms.setdefault(aid, {})[ext] = n
    out = []
    for aid, name, confirmed in store.all(
        "SELECT id, name, confirmed FROM annotators ORDER BY name"
    ):
        arts = per_article.get(aid, [])
        out.append(
            {
                "annotator": name,
                "confirmed": confirmed,
                "events": events.get(aid, 0),
                "articles_complete": sum(1 for a in arts if a["confirmed"] == a["sentences"]),
                "articles": arts,
                "article_form_fields": forms.get(aid, {}),
            }
        )
    return out


def label_counts(store: Store, annotator_id: int) -> tuple[Counter[str], int]:
    """How often this annotator used each label on confirmed sentences, and the id of the
    last event those counts include (read in one transaction, so the two agree)."""
    with store.read():
        as_of = int(store.scalar("SELECT coalesce(max(id), 0) FROM events") or 0)
        counts = Counter(
            {
                str(r[0]): int(r[1])
                for r in store.all(
                    "SELECT j.value, count(*) FROM annotations a, json_each(a.labels) j "
                    "WHERE a.annotator_id = ? AND a.confirmed = 1 GROUP BY j.value",
                    [annotator_id],
                )
            }
        )
    return counts, as_of


def article_progress(store: Store, annotator_id: int) -> dict[int, int]:
    """article id -> sentences this annotator confirmed there."""
    return {
        int(r[0]): int(r[1])
        for r in store.all(
            "SELECT article_id, count(*) FROM annotations WHERE annotator_id = ? AND confirmed = 1 "
            "GROUP BY article_id",
            [annotator_id],
        )
    }
