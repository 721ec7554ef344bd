"""What the model learns from and what it leaves: the training examples (gold, else the
majority of confirmed annotations), its report, and its suggestions, written in chunks."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable

from annotator.models.suggestions import MODEL, Suggestion
from annotator.store.database import Store, now
from annotator.store.jsontext import dumps
from annotator.store.suggestions import PAUSE_SECONDS, UPSERT, row

MAX_EXAMPLES = 100_000
"""The model learns from at most this many sentences (gold first, then the latest)."""


def confirmed_examples(store: Store) -> int:
    """How many sentences the model could learn from now (gold, or confirmed by someone)."""
    return int(
        store.scalar(
            "SELECT count(*) FROM (SELECT sentence_id FROM annotations WHERE confirmed = 1 "
            "UNION SELECT sentence_id FROM gold_annotations)"
        )
        or 0
    )


def training_examples(
    store: Store, limit: int = MAX_EXAMPLES
) -> tuple[list[str], list[frozenset[str]]]:
    """Each sentence with gold labels, else the labels a majority (or half) of the
    annotators who confirmed it chose: gold first, then the latest sentences, at most
    `limit` (reading stops there: a big project's whole history is not read to retrain)."""
    texts: list[str] = []
    sets: list[frozenset[str]] = []
    for text, labels in store.conn.execute(
        "SELECT s.text, g.labels FROM gold_annotations g JOIN sentences s ON s.id = g.sentence_id "
        "ORDER BY g.sentence_id"
    ):
        if len(texts) >= limit:
            return texts, sets
        texts.append(str(text))
        sets.append(frozenset(json.loads(labels)))
    current: int | None = None
    votes: Counter[str] = Counter()
    n = 0
    text = ""
    for sid, t, labels in store.conn.execute(
        "SELECT a.sentence_id, s.text, a.labels FROM annotations a "
        "JOIN sentences s ON s.id = a.sentence_id WHERE a.confirmed = 1 AND NOT EXISTS "
        "(SELECT 1 FROM gold_annotations g WHERE g.sentence_id = a.sentence_id) "
        "ORDER BY a.sentence_id DESC"
    ):
        if sid != current:
            if len(texts) >= limit:
                return texts, sets
            if current is not None:
                texts.append(text)
                sets.append(frozenset(k for k, v in votes.items() if 2 * v >= n))
            current, votes, n, text = int(sid), Counter(), 0, str(t)
        votes.update(json.loads(labels))
        n += 1
    if current is not None:
        texts.append(text)
        sets.append(frozenset(k for k, v in votes.items() if 2 * v >= n))
    return texts, sets


def model_report(store: Store) -> dict[str, object]:
    row = store.one("SELECT report FROM suggestion_sources WHERE source = ?", [MODEL])
    if row is None:
        return {}
    report: dict[str, object] = json.loads(str(row[0]))
    return report


def write_model(
    store: Store,
    version: str,
    report: dict[str, object],
    predict: Callable[[list[str]], list[list[tuple[str, float]]]],
    *,
    chunk: int = 20_000,
) -> int:
    """Replace the model's suggestions: every sentence scored by `predict`, in chunks, each
    written in its own short transaction (the annotators keep writing meanwhile)."""
    with store.write() as conn:
        conn.execute("DELETE FROM suggestions WHERE source = ?", [MODEL])
        conn.execute(
            "INSERT INTO suggestion_sources (source, version, through_sentence_id, report, "
            "updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (source) DO UPDATE SET "
            "version = excluded.version, through_sentence_id = 0, report = excluded.report, "
            "updated_at = excluded.updated_at",
            [MODEL, version, dumps(report), now()],
        )
    last = 0
    written = 0
    while True:
        rows = store.all(
            "SELECT id, article_id, text FROM sentences WHERE id > ? ORDER BY id LIMIT ?",
            [last, chunk],
        )
        if not rows:
            return written
        found = predict([str(r[2]) for r in rows])
        at = now()
        out = [
            row(Suggestion(int(r[0]), label, MODEL, version, round(p, 4)), int(r[1]), at)
            for r, labels in zip(rows, found, strict=True)
            for label, p in labels
        ]
        last = int(rows[-1][0])
        with store.write() as conn:
            conn.executemany(UPSERT, out)
            conn.execute(
                "UPDATE suggestion_sources SET through_sentence_id = ? WHERE source = ?",
                [last, MODEL],
            )
        written += len(out)
        time.sleep(PAUSE_SECONDS)
