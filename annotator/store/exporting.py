"""Streaming what an export needs, sentence by sentence, in corpus order, in constant memory.

Three ordered cursors (sentences, confirmed annotations, gold) are merged on the sentence id,
so no result is ever held whole. SQLite builds each JSON object itself (json_object, in C),
which keeps a million-sentence export fast; the export layer only splices strings.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

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


class SentenceRecord(NamedTuple):
    """A tuple (cheap to make a million of) with names for readability."""

    sentence_id: int
    article_id: int
    json: str  # the sentence itself, as a JSON object
    annotations: list[tuple[str, str]]  # (annotator, JSON object), by annotator name
    gold: str | None  # JSON object


def article_json(store: Store, lo: int | None = None, hi: int | None = None) -> dict[int, Any]:
    """Article metadata as JSON, once per article; only those overlapping ids [lo, hi)."""
    clauses, params = [], []
    if lo is not None:
        clauses.append("a.first_sentence_id + a.sentence_count > ?")
        params.append(lo)
    if hi is not None:
        clauses.append("a.first_sentence_id < ?")
        params.append(hi)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return {int(r[0]): r[1] for r in store.all(
        "SELECT a.id, json_object('id', a.external_id, 'title', a.title, 'outlet', o.name, "
        "'author', a.author, 'published', a.published, 'url', a.url, 'byline', a.byline, "
        "'flesch_reading_ease', a.flesch_reading_ease, "
        "'flesch_kincaid_grade', a.flesch_kincaid_grade) "
        f"FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id{where}", params)}


@contextlib.contextmanager
def utf8_rows(store: Store) -> Iterator[None]:
    """Within the block, text comes back as the UTF-8 bytes SQLite stores (see write_jsonl)."""
    previous = store.conn.text_factory
    store.conn.text_factory = bytes
    try:
        yield
    finally:
        store.conn.text_factory = previous


def count(store: Store, *, everything: bool = False) -> int:
    if everything:
        return int(store.scalar("SELECT coalesce(sum(sentence_count), 0) FROM articles") or 0)
    return int(store.scalar(
        "SELECT count(*) FROM (SELECT sentence_id FROM annotations WHERE confirmed = 1 "
        "UNION SELECT sentence_id FROM gold_annotations)") or 0)


def count_annotations(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM annotations WHERE confirmed = 1") or 0)


def split_points(store: Store, parts: int, *, everything: bool = False) -> list[int]:
    """Sentence ids that cut the export into `parts` ranges of about the same size."""
    total = count(store, everything=everything)
    if parts < 2 or total < parts:
        return []
    query = ("SELECT id FROM sentences ORDER BY id LIMIT 1 OFFSET ?" if everything else
             "SELECT sentence_id FROM annotations WHERE confirmed = 1 ORDER BY sentence_id "
             "LIMIT 1 OFFSET ?")
    # annotations count each sentence once per annotator: close enough to balance the work
    n = total if everything else count_annotations(store)
    cuts = [int(store.scalar(query, [n * k // parts]) or 0) for k in range(1, parts)]
    return sorted(set(cuts))


def sentences(store: Store, *, everything: bool = False, lo: int | None = None,
              hi: int | None = None) -> Iterator[SentenceRecord]:
    """Every sentence with a confirmed annotation or gold (all of them with `everything`),
    optionally only ids in [lo, hi)."""
    conn = store.conn
    # only the sentences to export get their JSON built (the PK indexes answer the EXISTS)
    clauses = [] if everything else [
        "(EXISTS (SELECT 1 FROM annotations x WHERE x.sentence_id = s.id AND "
        "x.confirmed = 1) OR EXISTS (SELECT 1 FROM gold_annotations y "
        "WHERE y.sentence_id = s.id))"]
    bounds: list[int] = []
    for op, value in ((">=", lo), ("<", hi)):
        if value is not None:
            clauses.append(f"s.id {op} ?")
            bounds.append(value)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    span = " AND ".join(f"{{col}} {op} ?" for op, v in ((">=", lo), ("<", hi)) if v is not None)
    sent = conn.execute(f"SELECT s.id, s.article_id, {_SENTENCE_JSON} FROM sentences s "
                        f"JOIN articles a ON a.id = s.article_id{where} ORDER BY s.id", bounds)
    anns = iter(conn.execute(
        f"SELECT an.sentence_id, n.name, {_ANNOTATION_JSON} FROM annotations an "
        "JOIN annotators n ON n.id = an.annotator_id WHERE an.confirmed = 1"
        + (" AND " + span.format(col="an.sentence_id") if span else "")
        + " ORDER BY an.sentence_id", bounds))
    golds = iter(conn.execute(
        f"SELECT g.sentence_id, {_GOLD_JSON} FROM gold_annotations g "
        "LEFT JOIN annotators n ON n.id = g.adjudicator_id"
        + (" WHERE " + span.format(col="g.sentence_id") if span else "")
        + " ORDER BY g.sentence_id", bounds))
    # a merge join on the sentence id; this loop runs once per exported sentence, so it is
    # kept to plain tuples and local names
    ann_row = next(anns, None)
    gold_row = next(golds, None)
    record = SentenceRecord
    for sid, aid, sjson in sent:
        group: list[tuple[str, str]] = []
        while ann_row is not None and ann_row[0] <= sid:
            if ann_row[0] == sid:
                group.append((ann_row[1], ann_row[2]))
            ann_row = next(anns, None)
        gold = None
        while gold_row is not None and gold_row[0] <= sid:
            if gold_row[0] == sid:
                gold = gold_row[1]
            gold_row = next(golds, None)
        if len(group) > 1:
            group.sort()
        yield record(sid, aid, sjson, group, gold)


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
