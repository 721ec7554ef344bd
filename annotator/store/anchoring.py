"""What measuring anchoring reads: confirmations, gold, acceptances, suggestions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from annotator.models.suggestions import MODEL
from annotator.store import acceptances as accepted
from annotator.store.database import Store
from annotator.store.schema_history import answer_schemas
from annotator.store.suggestions import SHOWN_SCORE


def confirmations(
    store: Store, labels: Sequence[str]
) -> Iterator[tuple[int, str, str, list[str], frozenset[str]]]:
    """(sentence_id, article external id, annotator, labels, the labels of `labels` its
    schema lacked) of every confirmed annotation. The last were added since: that
    confirmation never rated them (schema_history; audit15a F3: they counted as a "no")."""
    lacking, schema, joined = answer_schemas(store, labels)
    for sid, article, who, chosen, h in store.conn.execute(
        f"SELECT a.sentence_id, r.external_id, n.name, a.labels, {schema} FROM annotations a"
        f"{joined} JOIN articles r ON r.id = a.article_id "
        "JOIN annotators n ON n.id = a.annotator_id "
        "WHERE a.confirmed = 1 ORDER BY a.sentence_id, n.name"
    ):
        unrated = lacking.get(h, NOTHING) if h is not None else NOTHING
        yield int(sid), str(article), str(who), list(json.loads(chosen)), unrated


NOTHING: frozenset[str] = frozenset()


def gold(store: Store) -> dict[int, list[str]]:
    return {
        int(sid): list(json.loads(labels))
        for sid, labels in store.conn.execute("SELECT sentence_id, labels FROM gold_annotations")
    }


def acceptances(store: Store) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """For each confirmed answer that holds an accepted suggestion (accepted before the
    confirmation stored: store/acceptances.py, audit15a F6): the annotator, the article's
    external id, what the acceptances left and what is confirmed now, each as its labels
    and, for every field an acceptance set (the guessed source type), `field=value`: an
    overridden guess is a change (audit15a F12)."""
    for x in accepted.acceptances(store):
        left = sorted(x.left) + [f"{k}={v}" for k, v in sorted(x.set_fields.items())]
        final = sorted(x.labels) + [f"{k}={x.fields.get(k, '')}" for k in sorted(x.set_fields)]
        yield x.annotator, x.article, left, final


def shown_suggestions(store: Store) -> Iterator[tuple[int, str, str]]:
    """(sentence_id, source, label) of every suggestion the screen would show."""
    for sid, source, label in store.conn.execute(
        "SELECT sentence_id, source, label FROM suggestions WHERE score >= ?", [SHOWN_SCORE]
    ):
        yield int(sid), str(source), str(label)


def model_training(store: Store) -> tuple[str, str, set[int]] | None:
    """The model's version, when it was trained, and every sentence it may have learnt from:
    those with gold or any event at or before that time (its training read them before it
    wrote its suggestions). Conservative: a sentence touched then but left out of training
    is counted too, never the other way round. None: no model trained."""
    found = store.one(
        "SELECT version, updated_at FROM suggestion_sources WHERE source = ?", [MODEL]
    )
    if found is None:
        return None
    version, at = str(found[0]), str(found[1])
    seen = {
        int(sid)
        for (sid,) in store.conn.execute(
            "SELECT sentence_id FROM events WHERE sentence_id IS NOT NULL AND at <= ? "
            "UNION SELECT sentence_id FROM gold_annotations WHERE decided_at <= ?",
            [at, at],
        )
    }
    return version, at, seen
