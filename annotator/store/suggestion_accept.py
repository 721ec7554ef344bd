"""Accepting suggestions: annotations written through the one event writer, each event
with the origin of the suggestion it came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from annotator.labeling import SentenceState
from annotator.store import annotations as ann
from annotator.store import conditions
from annotator.store.database import Store


@dataclass(frozen=True)
class Accepted:
    sentence_id: int
    before: SentenceState
    state: SentenceState
    event_ids: tuple[int, ...]


Transform = Callable[[SentenceState], SentenceState]


def accept(
    store: Store,
    *,
    annotator_id: int,
    changes: Sequence[tuple[int, int, str, str, Transform]],
    schema_hash: str,
    session: str | None,
    seen: conditions.Seen | None = None,
    cursor: int | None = None,
) -> list[Accepted]:
    """Apply (sentence_id, article_id, action, origin, transform) changes in ONE write
    transaction, each recorded by its own event with its origin (several sources' labels
    on one sentence: one event per source). A transform that changes nothing writes
    nothing; a LabelingError from any of them leaves everything as it was. `cursor`: where
    the annotator is, saved with the changes (audit7 F19: after B alone, reopening started
    at the first article, not where the work was)."""
    firsts: dict[int, SentenceState] = {}
    lasts: dict[int, SentenceState] = {}
    events: dict[int, list[int]] = {}
    with store.write() as conn:
        conditions.record_in_tx(conn, annotator_id, seen)
        if cursor is not None:
            ann._cursor_in_tx(conn, annotator_id, cursor)
        for sid, aid, action, origin, transform in changes:
            before = ann.state_in_tx(conn, sid, annotator_id)
            firsts.setdefault(sid, before)
            after = transform(before)
            lasts[sid] = after
            if after == before:
                continue
            events.setdefault(sid, []).append(
                ann.record_sentence_in_tx(
                    conn,
                    annotator_id,
                    sid,
                    aid,
                    action,
                    before,
                    after,
                    schema_hash,
                    session,
                    undoes=None,
                    origin=origin,
                )
            )
    return [Accepted(sid, firsts[sid], lasts[sid], tuple(events.get(sid, ()))) for sid in firsts]
