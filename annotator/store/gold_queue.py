"""What the adjudication queue reads about gold and the annotations it is decided from: what
changed since the last look, which sentences are disputed, each one's versions, and the
progress counts. Gold rows themselves are read and written in store/gold.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from annotator.models.gold import Version
from annotator.store import answers
from annotator.store.coders import Coders
from annotator.store.database import Store

# --- what changed ---------------------------------------------------------------------------


@contextmanager
def without_waiting(store: Store) -> Iterator[None]:
    """Writes that give up at once (DatabaseBusy) when another process holds the database,
    instead of waiting out the busy timeout: for work a timer can try again later.

    Through the store's own patience: a bare `PRAGMA busy_timeout = 0` was put back by the
    store's BEGIN IMMEDIATE before its attempts, so the adjudication screen's timer refresh
    froze the screen for three attempts of 5 s whenever another process wrote (found by
    testspeed14: the busy-database tests took 15 s each)."""
    was = (store.busy_timeout_s, store.attempts, store.spin_s)
    said, store.on_wait = store.on_wait, None  # nothing to wait for, nothing to say
    store.set_patience(0.0, attempts=1)
    try:
        yield
    finally:
        store.on_wait = said
        store.set_patience(was[0], attempts=was[1], spin=was[2])


def data_version(store: Store) -> int:
    """Changes when another connection commits (never for this connection's own writes):
    the cheap test before looking for what changed."""
    return int(store.scalar("PRAGMA data_version") or 0)


def last_event(store: Store) -> int:
    return int(store.scalar("SELECT coalesce(max(id), 0) FROM events") or 0)


@dataclass(frozen=True)
class Changed:
    """What the events after some id touched: sentences, article fields, and which of those
    had their gold changed (by anyone)."""

    last_event: int
    sentences: dict[int, int]  # sentence id -> article id, annotations changed
    fields: set[tuple[int, str]]  # (article id, field), annotations changed
    gold_sentences: set[int]
    gold_fields: set[tuple[int, str]]


def changed_since(store: Store, event_id: int) -> Changed:
    sentences: dict[int, int] = {}
    fields: set[tuple[int, str]] = set()
    gold_sentences: set[int] = set()
    gold_fields: set[tuple[int, str]] = set()
    last = event_id
    for eid, kind, sid, aid, field in store.all(
        "SELECT id, kind, sentence_id, article_id, field FROM events WHERE id > ? ORDER BY id",
        [event_id],
    ):
        last = int(eid)
        if kind == "sentence" and sid is not None:
            sentences[int(sid)] = int(aid)
        elif kind == "article_field" and field is not None:
            fields.add((int(aid), str(field)))
        elif kind == "gold_sentence" and sid is not None:
            gold_sentences.add(int(sid))
        elif kind == "gold_article_field" and field is not None:
            gold_fields.add((int(aid), str(field)))
    return Changed(last, sentences, fields, gold_sentences, gold_fields)


def article_of(store: Store, sentence_ids: Sequence[int]) -> dict[int, int]:
    return {
        int(s): int(a)
        for s, a in store.all(
            "SELECT id, article_id FROM sentences WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(sentence_ids))],
        )
    }


def progress(store: Store) -> dict[str, Any]:
    by_method: dict[str, int] = dict(
        store.all("SELECT method, count(*) FROM gold_annotations GROUP BY method")
    )
    fields: dict[str, int] = dict(
        store.all("SELECT method, count(*) FROM gold_article_fields GROUP BY method")
    )
    # the disputed sentences are kept by triggers (migration 0011): grouping every
    # confirmed annotation here took most of a second on a million sentences
    disputed, still_open = store.one(
        "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM gold_annotations g "
        "WHERE g.sentence_id = d.sentence_id)), 0) FROM disputed_sentences d"
    ) or (0, 0)
    return {
        "gold_sentences": sum(by_method.values()),
        "by_method": by_method,
        "gold_article_fields": sum(fields.values()),
        "disputed_sentences": disputed,
        "disputed_open": still_open,
    }


def groups_sql(
    coders: Coders,
    min_annotators: int,
    versions_test: str,
    sentence_ids: Sequence[int] | None = None,
) -> tuple[str, list[object]]:
    """SQL for the sentences with at least `min_annotators` confirmed annotations (of the
    coders) whose number of distinct answers, as the adopted schema reads them
    (store/answers.py), passes `versions_test` ("> 1": disputed, "= 1": unanimous, ">= 1":
    any), among `sentence_ids` if given."""
    where, params = coders.sql("a.annotator_id")
    if sentence_ids is not None:
        where += " AND a.sentence_id IN (SELECT value FROM json_each(?))"
        params = [*params, json.dumps(list(sentence_ids))]
    # Labels are stored in the order of the schema of their time and fields with sorted
    # keys: answers stored alike are read alike, so the stored text is compared first
    # (SQLite groups it without a Python object per annotation), and only a sentence whose
    # stored answers differ is read as the adopted schema reads them (json_each per
    # annotation: five times the cost): after a reorder or a drop they may agree.
    b_where, b_params = coders.sql("b.annotator_id")
    stored = f"count(DISTINCT {answers.stored_sql('a')})"
    having: str
    decides = answers.STORED_DECIDES  # no schema change that matters: the text decides
    if versions_test == "> 1":
        having = f" AND {stored} > 1 AND ({decides} OR {answers.versions_sql(b_where, '> 1')})"
    elif versions_test == "= 1":
        having = (
            f" AND ({stored} = 1 OR (NOT coalesce({decides}, 0) "
            f"AND {answers.versions_sql(b_where, '= 1')}))"
        )
    elif versions_test == ">= 1":
        having, b_params = "", []
    else:
        raise ValueError(versions_test)
    sql = (
        (f"WITH {answers.OWNERS_CTE} " if having else "")
        + f"SELECT a.sentence_id FROM annotations a WHERE a.confirmed = 1{where} "
        f"GROUP BY a.sentence_id HAVING count(*) >= ?{having}"
    )
    return sql, [*params, min_annotators, *b_params]


# --- what differs ---------------------------------------------------------------------------


def versions(
    store: Store,
    *,
    annotators: Sequence[str] | None = None,
    sentence_ids: Sequence[int] | None = None,
    coders: Coders | None = None,
) -> dict[int, list[Version]]:
    """Confirmed annotations per sentence (of the chosen annotators, or of the `coders`),
    sorted by annotator."""
    out: dict[int, list[Version]] = defaultdict(list)
    if coders is None:
        coders = Coders(tuple(annotators) if annotators else None)
    if sentence_ids is not None and len(sentence_ids) > 500:
        ids = list(sentence_ids)
        for i in range(0, len(ids), 500):
            out.update(versions(store, coders=coders, sentence_ids=ids[i : i + 500]))
        return out
    where, params = coders.sql("a.annotator_id")
    if sentence_ids is not None:
        where += f" AND a.sentence_id IN ({','.join('?' * len(sentence_ids))})"
        params.extend(sentence_ids)
    how = answers.reading(store)  # as the adopted schema reads them (audit12 F2)
    for sid, name, labels, fields, comment in store.all(
        "SELECT a.sentence_id, n.name, a.labels, a.fields, a.comment FROM annotations a "
        f"JOIN annotators n ON n.id = a.annotator_id WHERE a.confirmed = 1{where} "
        "ORDER BY a.sentence_id, n.name",
        params,
    ):
        read, read_fields = answers.read_answer(how, labels, fields)
        out[int(sid)].append(Version(name, read, tuple(sorted(read_fields.items())), comment))
    return out


def disputed_signatures(
    store: Store,
    coders: Coders,
    min_annotators: int = 2,
    *,
    include_unanimous: bool = False,
    sentence_ids: Sequence[int] | None = None,
) -> list[tuple[int, int, str]]:
    """(sentence id, article id, signature) for every disputed sentence (or `sentence_ids`
    among them), in one query, with no Python object per annotation. The signature is the
    stored labels and fields of each confirmed version (labels, unit separator, fields;
    versions joined by the record separator): many sentences share one, so a caller judges
    each distinct signature once (`signature_versions` reads it as the adopted schema
    does) and reads the versions themselves (`versions`) only for the item on screen."""
    groups, params = groups_sql(
        coders, min_annotators, ">= 1" if include_unanimous else "> 1", sentence_ids
    )
    where, names = coders.sql("a.annotator_id")
    return store.all(
        "SELECT a.sentence_id, a.article_id, group_concat(a.labels || char(31) || a.fields, "
        f"char(30)) FROM annotations a WHERE a.confirmed = 1{where} AND a.sentence_id IN "
        f"({groups}) GROUP BY a.sentence_id",
        [*names, *params],
    )


def stale_gold(
    store: Store, coders: Coders, sentence_ids: Sequence[int] | None = None
) -> list[tuple[int, int, str, str]]:
    """(sentence id, article id, versions' signature as disputed_signatures gives it, the
    gold's labels) for each adjudicated gold that a coder's answer confirmed after the
    decision may contradict (audit14 F3: the annotators changed their answers, the sentence
    left the queue as unanimous, and the gold decided on the old versions stayed unseen)."""
    where, names = coders.sql("a.annotator_id")
    among = ""
    params: list[object] = []
    if sentence_ids is not None:
        among = " AND g.sentence_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(list(sentence_ids))]
    return store.all(
        "SELECT g.sentence_id, g.article_id, (SELECT group_concat(a.labels || char(31) || "
        f"a.fields, char(30)) FROM annotations a WHERE a.sentence_id = g.sentence_id "
        f"AND a.confirmed = 1{where}), g.labels FROM gold_annotations g "
        f"WHERE g.method = 'adjudicated'{among} AND EXISTS (SELECT 1 FROM annotations a "
        f"WHERE a.sentence_id = g.sentence_id AND a.confirmed = 1{where} "
        "AND a.confirmed_at > g.decided_at)",
        [*names, *params, *names],
    )


@lru_cache(maxsize=4096)
def _labels(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


@lru_cache(maxsize=4096)
def _fields(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(json.loads(text).items()))


def signature_versions(signature: str, how: answers.Reading | None = None) -> list[Version]:
    """The versions a signature stands for, without their annotators' names or comments,
    read as `how` (answers.reading: the adopted schema) reads them."""
    out = []
    for part in signature.split("\x1e"):
        labels, fields = part.split("\x1f")
        if how is None:
            out.append(Version("", _labels(labels), _fields(fields), None))
        else:
            read, read_fields = how.answer(_labels(labels), dict(_fields(fields)))
            out.append(Version("", read, tuple(read_fields.items()), None))
    return out


def field_versions(
    store: Store,
    coders: Coders,
    keys: Collection[tuple[int, str]] | None = None,
) -> dict[tuple[int, str], list[tuple[str, Any]]]:
    """Each coder's value per (article id, field), only for those keys if given."""
    clause, params = coders.sql("f.annotator_id")
    if keys is not None:
        clause += (
            " AND (f.article_id, f.field) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))"
        )
        params.append(json.dumps([list(k) for k in keys]))
    clause = f" WHERE {clause.removeprefix(' AND ')}" if clause else ""
    out: dict[tuple[int, str], list[tuple[str, Any]]] = defaultdict(list)
    for aid, field, name, value in store.all(
        "SELECT f.article_id, f.field, n.name, f.value FROM article_annotations f "
        f"JOIN annotators n ON n.id = f.annotator_id{clause} "
        "ORDER BY f.article_id, f.field, n.name",
        params,
    ):
        out[(int(aid), str(field))].append((str(name), json.loads(value)))
    return out
