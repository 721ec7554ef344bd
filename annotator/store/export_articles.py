"""The article-level records of an export (the articles sidecar, the hf `articles`
configuration, the csv sidecar): each article's metadata and `meta`, every annotator's
article fields, the gold fields with their provenance, and its outlet's fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from annotator.store.database import Store


def articles(store: Store) -> Iterator[dict[str, Any]]:
    """Per article: metadata, every annotator's article fields, gold fields, outlet fields."""
    fields: dict[int, dict[str, dict[str, Any]]] = {}
    times: dict[int, dict[str, dict[str, str]]] = {}
    for aid, name, field, value, at in store.all(
        "SELECT f.article_id, n.name, f.field, f.value, f.updated_at FROM "
        "article_annotations f JOIN annotators n ON n.id = f.annotator_id "
        "ORDER BY f.article_id, n.name, f.field"
    ):
        fields.setdefault(aid, {}).setdefault(name, {})[field] = json.loads(value)
        times.setdefault(aid, {}).setdefault(name, {})[field] = at
    gold: dict[int, dict[str, Any]] = {}
    for aid, field, value, method, who, agrees, note, at in store.all(
        "SELECT g.article_id, g.field, g.value, g.method, n.name, g.agrees_with, g.note, "
        "g.decided_at FROM gold_article_fields g LEFT JOIN annotators n "
        "ON n.id = g.adjudicator_id ORDER BY g.article_id, g.field"
    ):
        gold.setdefault(aid, {})[field] = {
            "value": json.loads(value),
            "method": method,
            "adjudicator": who,
            "agrees_with": json.loads(agrees),
            "note": note,
            "decided_at": at,
        }
    outlets: dict[int, dict[str, Any]] = {}
    for oid, field, value, who, at in store.all(
        "SELECT o.outlet_id, o.field, o.value, n.name, o.updated_at FROM outlet_annotations "
        "o JOIN annotators n ON n.id = o.annotator_id ORDER BY o.outlet_id, o.field"
    ):
        outlets.setdefault(oid, {})[field] = {
            "value": json.loads(value),
            "entered_by": who,
            "entered_at": at,
        }
    for row in store.all(
        "SELECT a.id, a.external_id, a.title, o.name, o.domain, a.outlet_id, a.author, "
        "a.published, a.url, a.byline, a.sentence_count, a.words, a.flesch_reading_ease, "
        "a.flesch_kincaid_grade, a.language, a.source_path, a.meta FROM articles a "
        "LEFT JOIN outlets o "
        "ON o.id = a.outlet_id ORDER BY a.id"
    ):
        (
            aid,
            ext,
            title,
            outlet,
            domain,
            oid,
            author,
            published,
            url,
            byline,
            n,
            words,
            fre,
            fk,
            language,
            source,
            meta,
        ) = row
        yield {
            "id": ext,
            "title": title,
            "outlet": outlet,
            "outlet_domain": domain,
            "author": author,
            "published": published,
            "url": url,
            "byline": byline,
            "sentences": n,
            "words": words,
            "flesch_reading_ease": fre,
            "flesch_kincaid_grade": fk,
            "language": language,  # detected at import (ISO 639-1); None before detection
            "source": source,
            # what import kept beside the known fields: a JSON Lines record's `meta`, front
            # matter keys of its own, the page's description and tags, and why readability
            # is null (`readability_unavailable`)
            "meta": json.loads(meta) if meta else {},
            "annotations": fields.get(aid, {}),
            # when each was set: import-labels keeps the later value (audit9b F8: an older
            # export brought back over newer work reverted it)
            "annotated_at": times.get(aid, {}),
            "gold": gold.get(aid, {}),
            "outlet_fields": outlets.get(oid, {}) if oid else {},
        }
