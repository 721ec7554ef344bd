"""Blind work, recorded: when an annotator was shown other annotators' labels, and which of
their annotations were settled before that.

Seeing others is an event (kind `blind`, action `saw_others`) written by the one
`events.append`: one event per article shown (`article_id` set), or one with `article_id`
NULL when everything was shown (`--show-others`, the whole agreement screen). `after` says
what was shown and through what: `{"shown": "all" | "article", "article": EXTERNAL_ID,
"via": "..."}`.

An annotation counts as blind when nothing about its labels or fields changed at or after
the first time its annotator saw others' labels for its article: its confirmation and every
later label, field or undo event come before that moment (a comment edit does not count: it
changes no label). Events are ordered by time (`at`, milliseconds), ties by id: time, not id
alone, so the order survives a merge of two copies of the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.store import events, team
from annotator.store.database import Store, now

KIND = "blind"
ACTION = "saw_others"
# sentence events that change no label or field: they leave an annotation blind
_NEUTRAL = ("comment", "undo: comment")


@dataclass(frozen=True)
class Seen:
    """The first time an annotator saw others' labels, for one article or (None) for all."""

    annotator_id: int
    article_id: int | None
    at: str
    event_id: int


def record(
    store: Store,
    annotator_id: int,
    *,
    article_ids: Sequence[int] | None,
    via: str,
    schema_hash: str,
    session: str | None = None,
) -> list[int]:
    """Record that `annotator_id` was shown others' labels: of these articles, or (None) of
    every article. Returns the event ids (one per article; one for all)."""
    with store.write() as conn:
        at = now()
        if article_ids is None:
            targets: list[tuple[int | None, object]] = [(None, {"shown": "all", "via": via})]
        else:
            ids = sorted(set(article_ids))
            marks = ",".join("?" * len(ids))
            external = dict(
                conn.execute(
                    f"SELECT id, external_id FROM articles WHERE id IN ({marks})", ids
                ).fetchall()
            )
            targets = [
                (i, {"shown": "article", "article": external.get(i), "via": via}) for i in ids
            ]
        return [
            events.append(
                conn,
                at=at,
                annotator_id=annotator_id,
                kind=KIND,
                action=ACTION,
                article_id=article_id,
                before=None,
                after=after,
                schema_hash=schema_hash,
                session=session,
            )
            for article_id, after in targets
        ]


def first_seen(store: Store, annotator_ids: Sequence[int] | None = None) -> list[Seen]:
    """Per annotator and article (None: all articles), the first saw_others event."""
    where, params = "", []
    if annotator_ids is not None:
        where = f" AND annotator_id IN ({','.join('?' * len(annotator_ids))})"
        params = list(annotator_ids)
    first: dict[tuple[int, int | None], Seen] = {}
    for aid, article, at, eid in store.all(
        "SELECT annotator_id, article_id, at, id FROM events "
        f"WHERE kind = ? AND action = ?{where} ORDER BY at, id",
        [KIND, ACTION, *params],
    ):
        key = (int(aid), None if article is None else int(article))
        if key not in first:
            first[key] = Seen(key[0], key[1], str(at), int(eid))
    return list(first.values())


def has_seen_all(store: Store, annotator_id: int) -> bool:
    """Whether this annotator was already shown every article's labels (nothing left to
    ask about)."""
    return (
        store.one(
            "SELECT 1 FROM events WHERE annotator_id = ? AND kind = ? AND action = ? "
            "AND article_id IS NULL LIMIT 1",
            [annotator_id, KIND, ACTION],
        )
        is not None
    )


def _after(seen: Seen) -> tuple[str, list[object]]:
    """The clause 'event e comes at or after this saw_others event', with its parameters."""
    return "(e.at > ? OR (e.at = ? AND e.id > ?))", [seen.at, seen.at, seen.event_id]


def not_blind(
    store: Store, annotator_ids: Sequence[int] | None = None
) -> tuple[set[tuple[int, int]], set[tuple[int, int, str]]]:
    """What is not blind work: (sentence_id, annotator_id) of every sentence whose labels or
    fields that annotator changed at or after first seeing others' labels for its article,
    and (article_id, annotator_id, field) of every article field likewise. Only the events
    of annotators who saw something are read (by the annotator or article index)."""
    sentences: set[tuple[int, int]] = set()
    article_fields: set[tuple[int, int, str]] = set()
    neutral = ",".join("?" * len(_NEUTRAL))
    for seen in first_seen(store, annotator_ids):
        after, params = _after(seen)
        # one article: read its events by the article index (a few hundred rows), not the
        # annotator's (`+` keeps SQLite off that index: hundreds of thousands of rows each)
        who, scope, scope_params = "e.annotator_id = ?", "", []
        if seen.article_id is not None:
            who, scope, scope_params = (
                "+e.annotator_id = ?",
                " AND e.article_id = ?",
                [seen.article_id],
            )
        for sid, kind, article, field in store.all(
            "SELECT DISTINCT e.sentence_id, e.kind, e.article_id, e.field FROM events e "
            f"WHERE {who}{scope} AND {after} AND ("
            f"(e.kind = 'sentence' AND e.action NOT IN ({neutral})) "
            "OR e.kind = 'article_field')",
            [seen.annotator_id, *scope_params, *params, *_NEUTRAL],
        ):
            if kind == "sentence":
                sentences.add((int(sid), seen.annotator_id))
            else:
                article_fields.add((int(article), seen.annotator_id, str(field)))
    return sentences, article_fields


def is_annotator(store: Store, name: str) -> bool:
    """Whether `name` is someone whose blind work a view of others' labels would end: an
    annotator on the team, or off the team someone who has confirmed a sentence.
    Adjudicators and managers read others' labels as their job."""
    role = team.role_of(store, name)
    if role is not None:
        return role == "annotator"
    row = store.one("SELECT confirmed FROM annotators WHERE name = ?", [name])
    return row is not None and int(row[0] or 0) > 0


def annotator_id(store: Store, name: str) -> int | None:
    row = store.one("SELECT id FROM annotators WHERE name = ?", [name])
    return int(row[0]) if row else None


def others_judged_articles(store: Store, annotator_id: int | None) -> tuple[list[int], bool]:
    """The articles where a figure judged against other people's labels would read them for
    this annotator: a sentence someone else confirmed, or gold. With it, whether that is
    every article (recorded then as one event for all, not one per article)."""
    ids = [
        int(r[0])
        for r in store.all(
            "SELECT article_id FROM annotations WHERE confirmed = 1 AND annotator_id != ? "
            "UNION SELECT article_id FROM gold_annotations ORDER BY 1",
            [-1 if annotator_id is None else annotator_id],
        )
    ]
    total = int(store.scalar("SELECT count(*) FROM articles") or 0)
    return ids, bool(ids) and len(ids) >= total
