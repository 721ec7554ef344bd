"""Streaming what an export needs, sentence by sentence, in corpus order, in constant memory.

Three ordered cursors (sentences, confirmed annotations, gold) are merged on the sentence id,
so no result is ever held whole. SQLite builds each JSON object itself (json_object, in C),
which keeps a million-sentence export fast; the export layer only splices strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from annotator.store.database import Store

_SENTENCE_JSON = """json_object(
    'id', a.external_id || ':' || s.position, 'article_id', a.external_id,
    'position', s.position, 'paragraph', s.paragraph, 'kind', s.kind,
    'start', s.start, 'end', s."end", 'text', s.text, 'links', json(coalesce(s.links, '[]')),
    'words', s.words, 'flesch_reading_ease', s.flesch_reading_ease,
    'flesch_kincaid_grade', s.flesch_kincaid_grade)"""
_ANNOTATION_JSON = """json_object(
    'annotator', n.name, 'labels', json(an.labels), 'fields', json(an.fields),
    'comment', an.comment, 'confirmed_at', an.confirmed_at, 'updated_at', an.updated_at)"""
_GOLD_JSON = """json_object(
    'labels', json(g.labels), 'fields', json(g.fields), 'method', g.method,
    'adjudicator', n.name, 'agrees_with', json(g.agrees_with), 'note', g.note,
    'decided_at', g.decided_at)"""


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    sentence_id: int
    article_id: int
    json: str  # the sentence itself, as a JSON object
    annotations: tuple[tuple[str, str], ...]  # (annotator, JSON object), by annotator name
    gold: str | None  # JSON object


def article_json(store: Store) -> dict[int, str]:
    """Article metadata as JSON, once per article (small: one row per article)."""
    return {int(r[0]): str(r[1]) for r in store.all(
        "SELECT a.id, json_object('id', a.external_id, 'title', a.title, 'outlet', o.name, "
        "'author', a.author, 'published', a.published, 'url', a.url, 'byline', a.byline, "
        "'flesch_reading_ease', a.flesch_reading_ease, "
        "'flesch_kincaid_grade', a.flesch_kincaid_grade) "
        "FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id")}


def count(store: Store, *, everything: bool = False) -> int:
    if everything:
        return int(store.scalar("SELECT coalesce(sum(sentence_count), 0) FROM articles") or 0)
    return int(store.scalar(
        "SELECT count(*) FROM (SELECT sentence_id FROM annotations WHERE confirmed = 1 "
        "UNION SELECT sentence_id FROM gold_annotations)") or 0)


def count_annotations(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM annotations WHERE confirmed = 1") or 0)


def sentences(store: Store, *, everything: bool = False) -> Iterator[SentenceRecord]:
    """Every sentence with a confirmed annotation or gold (all of them with `everything`)."""
    conn = store.conn
    sent = conn.execute(f"SELECT s.id, s.article_id, {_SENTENCE_JSON} FROM sentences s "
                        "JOIN articles a ON a.id = s.article_id ORDER BY s.id")
    anns = conn.execute(f"SELECT an.sentence_id, n.name, {_ANNOTATION_JSON} FROM annotations an "
                        "JOIN annotators n ON n.id = an.annotator_id WHERE an.confirmed = 1 "
                        "ORDER BY an.sentence_id")
    golds = conn.execute(f"SELECT g.sentence_id, {_GOLD_JSON} FROM gold_annotations g "
                         "LEFT JOIN annotators n ON n.id = g.adjudicator_id "
                         "ORDER BY g.sentence_id")
    ann_row = anns.fetchone()
    gold_row = golds.fetchone()
    for sid, aid, sjson in sent:
        group: list[tuple[str, str]] = []
        while ann_row is not None and ann_row[0] <= sid:
            if ann_row[0] == sid:
                group.append((ann_row[1], ann_row[2]))
            ann_row = anns.fetchone()
        gold = None
        while gold_row is not None and gold_row[0] <= sid:
            if gold_row[0] == sid:
                gold = gold_row[1]
            gold_row = golds.fetchone()
        if group or gold is not None or everything:
            if len(group) > 1:
                group.sort()
            yield SentenceRecord(sid, aid, sjson, tuple(group), gold)


def articles(store: Store) -> Iterator[dict[str, Any]]:
    """Per article: metadata, every annotator's article fields, gold fields, outlet fields."""
    fields: dict[int, dict[str, dict[str, Any]]] = {}
    for aid, name, field, value in store.all(
            "SELECT f.article_id, n.name, f.field, f.value FROM "
            "article_annotations f JOIN annotators n ON n.id = f.annotator_id "
            "ORDER BY f.article_id, n.name, f.field"):
        fields.setdefault(aid, {}).setdefault(name, {})[field] = json.loads(value)
    gold: dict[int, dict[str, Any]] = {}
    for aid, field, value, method, who, agrees, note, at in store.all(
            "SELECT g.article_id, g.field, g.value, g.method, n.name, g.agrees_with, g.note, "
            "g.decided_at FROM gold_article_fields g LEFT JOIN annotators n "
            "ON n.id = g.adjudicator_id ORDER BY g.article_id, g.field"):
        gold.setdefault(aid, {})[field] = {"value": json.loads(value), "method": method,
                                           "adjudicator": who, "agrees_with": json.loads(agrees),
                                           "note": note, "decided_at": at}
    outlets: dict[int, dict[str, Any]] = {}
    for oid, field, value, who, at in store.all(
            "SELECT o.outlet_id, o.field, o.value, n.name, o.updated_at FROM outlet_annotations "
            "o JOIN annotators n ON n.id = o.annotator_id ORDER BY o.outlet_id, o.field"):
        outlets.setdefault(oid, {})[field] = {"value": json.loads(value), "entered_by": who,
                                              "entered_at": at}
    for row in store.all(
            "SELECT a.id, a.external_id, a.title, o.name, o.domain, a.outlet_id, a.author, "
            "a.published, a.url, a.byline, a.sentence_count, a.words, a.flesch_reading_ease, "
            "a.flesch_kincaid_grade, a.source_path FROM articles a LEFT JOIN outlets o "
            "ON o.id = a.outlet_id ORDER BY a.id"):
        (aid, ext, title, outlet, domain, oid, author, published, url, byline, n, words, fre,
         fk, source) = row
        yield {"id": ext, "title": title, "outlet": outlet, "outlet_domain": domain,
               "author": author, "published": published, "url": url, "byline": byline,
               "sentences": n, "words": words, "flesch_reading_ease": fre,
               "flesch_kincaid_grade": fk, "source": source,
               "annotations": fields.get(aid, {}), "gold": gold.get(aid, {}),
               "outlet_fields": outlets.get(oid, {}) if oid else {}}


def annotator_summary(store: Store) -> list[dict[str, Any]]:
    return [{"annotator": r[0], "confirmed": r[1]} for r in store.all(
        "SELECT name, confirmed FROM annotators WHERE confirmed > 0 ORDER BY name")]
