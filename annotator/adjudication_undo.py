"""`z` in the adjudication screen: the adjudicator's last decision taken back, unless its
item changed since (store/undo_since.py). A part of `AdjudicationSession`
(adjudication.py), sharing its attributes."""

from __future__ import annotations

from typing import Protocol

from annotator.adjudication_queue import Item, ItemKey, QueueSpec, contradicted, read_gold
from annotator.models.gold import GOLD_KINDS
from annotator.schema import LabelSchema
from annotator.session import Outcome
from annotator.store import undo
from annotator.store.database import Store


class _Adjudicating(Protocol):
    store: Store
    schema: LabelSchema
    spec: QueueSpec
    adjudicator_id: int
    session_id: str
    undo_passed: set[int]
    _by_key: dict[ItemKey, Item]
    _decided: int

    def _go_to(self, key: ItemKey) -> None: ...


def undo_decision(s: _Adjudicating) -> Outcome:
    done = undo.undo_last(
        s.store,
        annotator_id=s.adjudicator_id,
        schema_hash=s.schema.hash,
        session=s.session_id,
        kinds=GOLD_KINDS,
        passed=s.undo_passed,
    )
    if done is None:
        return Outcome("nothing to undo")
    if done.passed is not None:
        # another adjudicator decided since (or a merged copy's decision lost to this
        # database's): its `before` put back would erase that decision (audit14 F1)
        s.undo_passed.add(done.undid)
        return Outcome(
            f"not undone: {done.action}: {done.passed}; z again goes on to earlier decisions"
        )
    if done.sentence_id is not None:
        key: ItemKey = done.sentence_id
    else:
        key = (done.article_id or 0, done.field or "")
    item = s._by_key.get(key)
    if item is not None:
        was = item.decided
        read_gold(s.store, [item])
        if item.sentence_id is not None:  # the decision put back may be a stale one
            again = contradicted(s.store, s.spec.coders, [item.sentence_id])
            item.stale = any(True for _ in again)
        s._decided += int(item.decided) - int(was)
        s._go_to(key)
    return Outcome(f"undone: {done.action}", saved=True)
