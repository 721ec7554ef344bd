"""What measuring anchoring reads: confirmations, gold, acceptances, suggestions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from annotator.models.suggestions import MODEL
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
    """For each confirmed annotation on which its annotator accepted a suggestion (an event
    whose origin is `suggestion:...`, not undone): the annotator, the article's external
    id, the labels that acceptance left, and the labels confirmed now."""
    for who, article, after, final in store.conn.execute(
        "SELECT n.name, r.external_id, e.after, a.labels FROM annotations a "
        "JOIN annotators n ON n.id = a.annotator_id JOIN articles r ON r.id = a.article_id "
        "JOIN events e ON e.id = ("
        "  SELECT max(x.id) FROM events x WHERE x.sentence_id = a.sentence_id "
        "  AND x.annotator_id = a.annotator_id AND x.kind = 'sentence' "
        "  AND x.origin LIKE 'suggestion:%' "
        "  AND NOT EXISTS (SELECT 1 FROM events u WHERE u.undoes = x.id)) "
        "WHERE a.confirmed = 1"
    ):
        left = json.loads(after)
        final_labels = list(json.loads(final))
        # an acceptance that only set the source type left the labels as they were
        yield str(who), str(article), list(left.get("labels", final_labels)), final_labels


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
