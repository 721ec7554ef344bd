"""What agreement is computed from: confirmed annotations and article-field values, as rows."""

from __future__ import annotations

import json
from collections.abc import Sequence

from annotator.agreement.report import Confirmation, FieldValue
from annotator.store.database import Store


def _where(annotators: Sequence[str] | None, article_id: int | None,
           prefix: str) -> tuple[str, list[object]]:
    clauses, params = [], []
    if annotators:
        clauses.append(f"n.name IN ({','.join('?' * len(annotators))})")
        params.extend(annotators)
    if article_id is not None:
        clauses.append(f"{prefix}.article_id = ?")
        params.append(article_id)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


def confirmations(store: Store, *, annotators: Sequence[str] | None = None,
                  article_id: int | None = None) -> list[Confirmation]:
    where, params = _where(annotators, article_id, "a")
    return [Confirmation(int(r[0]), int(r[1]), str(r[2]), tuple(json.loads(r[3])),
                         tuple(sorted(json.loads(r[4]).items())))
            for r in store.all(
                "SELECT a.sentence_id, a.article_id, n.name, a.labels, a.fields "
                "FROM annotations a JOIN annotators n ON n.id = a.annotator_id "
                f"WHERE a.confirmed = 1{where} ORDER BY a.sentence_id, n.name", params)]


def field_values(store: Store, *, annotators: Sequence[str] | None = None,
                 article_id: int | None = None) -> list[FieldValue]:
    where, params = _where(annotators, article_id, "f")
    return [FieldValue(int(r[0]), str(r[1]), str(r[2]), json.loads(r[3])) for r in store.all(
        "SELECT f.article_id, n.name, f.field, f.value FROM article_annotations f "
        f"JOIN annotators n ON n.id = f.annotator_id WHERE 1 = 1{where}", params)]


def known_annotators(store: Store) -> list[str]:
    return [str(r[0]) for r in store.all("SELECT name FROM annotators ORDER BY name")]


def sentence_context(store: Store, sentence_ids: Sequence[int]) -> dict[int, dict[str, object]]:
    """Text and place of some sentences, for the disagreement list."""
    out: dict[int, dict[str, object]] = {}
    ids = list(sentence_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store.all(
                "SELECT s.id, s.text, s.position, s.kind, a.id, a.external_id, a.title "
                f"FROM sentences s JOIN articles a ON a.id = s.article_id "
                f"WHERE s.id IN ({','.join('?' * len(chunk))})", chunk):
            out[int(r[0])] = {"text": r[1], "position": r[2], "kind": r[3], "article_id": r[4],
                              "article": r[5], "title": r[6]}
    return out
