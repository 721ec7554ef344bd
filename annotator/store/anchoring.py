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


def gold(store: Store, labels: Sequence[str]) -> dict[int, tuple[list[str], frozenset[str]]]:
    """sentence_id -> (the gold's labels, the labels of `labels` its schema lacked). The
    last it never rated (unanimous gold of answers that predate a label is recorded under
    their schema, store/gold_schema.py): unknown, not "no", as the exports read it (audit15c
    F7: a model's suggestions of such a label were all false positives)."""
    lacking, schema, joined = answer_schemas(store, labels, "g")
    return {
        int(sid): (list(json.loads(chosen)), lacking.get(h, NOTHING) if h is not None else NOTHING)
        for sid, chosen, h in store.conn.execute(
            f"SELECT g.sentence_id, g.labels, {schema} FROM gold_annotations g{joined}"
        )
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


def suggested_labels(store: Store) -> dict[int, frozenset[str]]:
    """Per sentence, the labels suggested at a score the screen shows, whether or not its
    annotators were shown them (the control arm's are computed too)."""
    out: dict[int, set[str]] = {}
    for sid, _source, label in shown_suggestions(store):
        out.setdefault(sid, set()).add(label)
    return {sid: frozenset(v) for sid, v in out.items()}


def best_guesses(store: Store) -> dict[tuple[int, str], str | None]:
    """(sentence, label) -> the source type of the best shown suggestion of the label
    there: the one `y` applies (suggesting.best_per_label over the screen's order, best
    score first, then source, as suggestion_reading.for_article); None: it guesses none."""
    out: dict[tuple[int, str], str | None] = {}
    for sid, label, guess in store.conn.execute(
        "SELECT sentence_id, label, source_type FROM suggestions WHERE score >= ? "
        "ORDER BY sentence_id, score DESC, source, label",
        [SHOWN_SCORE],
    ):
        out.setdefault((int(sid), str(label)), None if guess is None else str(guess))
    return out


def confirmed_fields(store: Store) -> dict[tuple[int, str], dict[str, str]]:
    """(sentence, annotator) -> the sentence fields of the confirmed answer."""
    return {
        (int(sid), str(who)): {str(k): str(v) for k, v in json.loads(fields).items()}
        for sid, who, fields in store.conn.execute(
            "SELECT a.sentence_id, n.name, a.fields FROM annotations a "
            "JOIN annotators n ON n.id = a.annotator_id WHERE a.confirmed = 1"
        )
    }


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
