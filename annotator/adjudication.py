"""An adjudicator's session: a queue of disputed items, gold decisions, undo. No UI.

Items are the sentences whose confirmed annotations differ, most disputed first, then the
article fields whose values differ. Unanimous ones become gold automatically (method
"unanimous") unless every item is to be reviewed. Each decision is committed before the
method returns, like every other change.

Where the adjudicator stands in the queue is adjudication_order's; the sentences around an
item (context lines) adjudication_context's; which items are disputed adjudication_queue's.

Speed: the queue and its gold are read once when the session opens; a decision is one
`BEGIN IMMEDIATE` transaction that reads the item's gold, applies the change and writes it
(as the annotation path does), and updates only that item. `refresh()` looks at what other
connections committed since the last look (events after the last one seen, skipped at no
cost while `PRAGMA data_version` is unchanged) and recomputes only the items it touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

from annotator import labeling
from annotator.adjudication_context import ArticleCache
from annotator.adjudication_order import QueueOrder
from annotator.adjudication_queue import (
    ARTICLE_FIELD,
    SENTENCE,
    Item,
    ItemKey,
    QueueSpec,
    build,
    field_items,
    load_versions,
    read_gold,
    sentence_items,
)
from annotator.adjudication_undo import undo_decision
from annotator.guidelines import Guidelines
from annotator.labeling import LabelingError, SentenceState
from annotator.models.articles import Article, Sentence
from annotator.models.gold import Gold, GoldField
from annotator.session import Outcome
from annotator.store import annotations as ann
from annotator.store import coders, gold_fields, gold_queue, gold_unanimous, undo
from annotator.store import gold as gold_store
from annotator.store.database import Store
from annotator.store.gold import GoldChange
from annotator.store.gold_fields import FieldDecision, FieldGoldChange, StaleVersions

__all__ = ["AdjudicationSession", "Item"]


class AdjudicationSession(QueueOrder):
    """The queue (its order and moves are QueueOrder's) and the decisions that write gold."""

    def __init__(
        self,
        store: Store,
        guidelines: Guidelines,
        adjudicator: str,
        *,
        label: str | None = None,
        review_all: bool = False,
        blind: bool = False,
        annotators: list[str] | None = None,
        min_annotators: int = 2,
    ) -> None:
        self.store = store
        self.guidelines = guidelines
        self.schema = guidelines.schema
        self.adjudicator = adjudicator
        self.blind = blind
        self.label = label
        self.review_all = review_all
        self.session_id = "adjudicate-" + uuid.uuid4().hex[:12]
        # decisions `z` found changed since (undo_since.py): the next `z` goes past them
        self.undo_passed: set[int] = set()
        adjudicator_id = ann.annotator_id(store, adjudicator)
        assert adjudicator_id is not None
        self.adjudicator_id = adjudicator_id
        self.annotators = annotators
        self.min_annotators = min_annotators
        # whose answers count, read once: a team change shows when the queue is opened again
        self.spec = QueueSpec(
            self.schema, label, review_all, coders.coders(store, annotators), min_annotators
        )
        self.auto_added = self.auto_withdrawn = 0
        if not review_all:
            self.auto_added, self.auto_withdrawn = gold_unanimous.sync_unanimous(
                store,
                adjudicator=adjudicator_id,
                schema_hash=self.schema.hash,
                session=undo.AUTO_SESSION + self.session_id,
                coders=self.spec.coders,
                min_annotators=min_annotators,
            )
        # what was committed up to here is in the queue; refresh() starts after it
        self._data_version = gold_queue.data_version(store)
        self._last_event = gold_queue.last_event(store)
        super().__init__(build(store, self.spec))
        self._articles = ArticleCache(store)
        self._pending: dict[ItemKey, str] = {}  # notes written before the decision

    # --- the queue -----------------------------------------------------------------------

    @property
    def current(self) -> Item | None:
        if not self.items:
            return None
        item = self.items[self.index]
        if not item.loaded:  # the queue holds scores; versions are read for the item shown
            load_versions(self.store, self.spec, [item])
        return item

    def gold(self, item: Item | None = None) -> Gold | None:
        item = item or self.current
        return None if item is None else item.gold

    def gold_field(self, item: Item | None = None) -> GoldField | None:
        item = item or self.current
        return None if item is None else item.gold_field

    def display_name(self, name: str, index: int) -> str:
        return f"annotator {index + 1}" if self.blind else name

    # --- the sentences around an item ------------------------------------------------------

    def article(self, article_id: int) -> Article:
        return self._articles.article_and_sentences(article_id)[0]

    def sentences_of(self, article_id: int) -> list[Sentence]:
        return self._articles.article_and_sentences(article_id)[1]

    def context(self, item: Item) -> tuple[Sentence | None, Sentence | None, Sentence | None]:
        """The sentence before, the sentence, and the one after."""
        return self._articles.context(item)

    # --- deciding ------------------------------------------------------------------------

    def _decide(self, transform: Callable[[SentenceState], SentenceState], action: str) -> Outcome:
        """Apply `transform` to the current sentence's gold as stored, in one transaction."""
        item = self.current
        assert item is not None and item.sentence_id is not None
        sid = item.sentence_id
        pending = self._pending.get(item.key)
        if pending is not None:
            first = transform

            def transform(st: SentenceState) -> SentenceState:
                after = first(st)
                # the note written before the decision goes with it (audit9a F16)
                return labeling.set_comment(after, pending) if after.labels else after

        return self._commit(
            item,
            lambda: gold_store.change_sentence_gold(
                self.store,
                adjudicator=self.adjudicator_id,
                sentence_id=sid,
                article_id=item.article_id,
                transform=transform,
                action=action,
                schema_hash=self.schema.hash,
                session=self.session_id,
                shown=item.versions,
                coders=self.spec.coders,
            ),
        )

    def _decide_field(self, transform: Callable[[GoldField | None], FieldDecision]) -> Outcome:
        item = self.current
        assert item is not None and item.kind == ARTICLE_FIELD
        pending = self._pending.get(item.key)
        if pending is not None:
            first = transform

            def transform(decided: GoldField | None) -> FieldDecision:
                d = first(decided)
                return FieldDecision(d.value, d.note or pending, d.method)

        return self._commit(
            item,
            lambda: gold_fields.change_field_gold(
                self.store,
                adjudicator=self.adjudicator_id,
                article_id=item.article_id,
                field=item.field or "",
                transform=transform,
                schema_hash=self.schema.hash,
                session=self.session_id,
                shown=item.values,
                coders=self.spec.coders,
            ),
        )

    def _commit(self, item: Item, write: Callable[[], GoldChange | FieldGoldChange]) -> Outcome:
        """Run one gold write (its own transaction) and note the gold it left on the item; a
        refused decision (LabelingError) is the message, nothing written."""
        try:
            change = write()
        except StaleVersions as e:
            # the screen shows what is stored now, and the adjudicator decides again
            item.loaded = False
            load_versions(self.store, self.spec, [item])
            return Outcome(str(e))
        except LabelingError as e:
            return Outcome(str(e))
        self._update(item, change.gold, decided_now=change.event_id is not None)
        if change.event_id is not None:
            self._pending.pop(item.key, None)
        return Outcome(saved=change.event_id is not None)

    def pick(self, n: int) -> Outcome:
        """Take annotator n's version (1-based) as gold."""
        item = self.current
        if item is None:
            return Outcome("nothing to adjudicate")
        if item.kind == ARTICLE_FIELD:
            if not 1 <= n <= len(item.values):
                return Outcome(f"there are {len(item.values)} versions")
            value = item.values[n - 1][1]
            return self._decide_field(
                lambda decided: FieldDecision(value, decided.note if decided else None)
            )
        if not 1 <= n <= len(item.versions):
            return Outcome(f"there are {len(item.versions)} versions")
        v = item.versions[n - 1]
        return self._decide(
            lambda st: SentenceState(v.labels, v.fields, st.comment, True),
            f"gold: {self.display_name(v.annotator, n - 1)}'s version",
        )

    def toggle(self, label: str) -> Outcome:
        item = self.current
        if item is None or item.kind != SENTENCE:
            return Outcome("labels belong to sentence items")
        # no label left: the gold is withdrawn
        return self._decide(
            lambda st: labeling.toggle(st, label, self.schema), f"gold: toggle {label}"
        )

    def set_field(self, name: str, value: str | None) -> Outcome:
        item = self.current
        if item is None or item.kind != SENTENCE:
            return Outcome("fields belong to sentence items")
        return self._decide(
            lambda st: labeling.set_field(st, name, value, self.schema), f"gold: set {name}"
        )

    def note(self, text: str | None) -> Outcome:
        item = self.current
        note = (text or "").strip() or None
        if item is None:
            return Outcome("nothing to adjudicate")
        if item.kind == ARTICLE_FIELD:
            if item.gold_field is None:
                return self._keep_note(item, note)

            def field_note(decided: GoldField | None) -> FieldDecision:
                if decided is None:
                    raise LabelingError("decide the value first (a digit picks a version)")
                return FieldDecision(decided.value, note, decided.method)

            return self._decide_field(field_note)
        if item.gold is None:
            return self._keep_note(item, note)

        def sentence_note(st: SentenceState) -> SentenceState:
            if not st.labels:
                raise LabelingError("decide the labels first (a digit picks a version)")
            return labeling.set_comment(st, note)

        return self._decide(sentence_note, "gold: note")

    def _keep_note(self, item: Item, note: str | None) -> Outcome:
        """A note written before the decision: kept, and saved with it (audit9a F16: it was
        refused on Enter, and what was typed was gone)."""
        if note is None:
            self._pending.pop(item.key, None)
            return Outcome("note dropped")
        self._pending[item.key] = note
        return Outcome("note kept: it is saved with the decision (a digit picks a version)")

    def pending_note(self, item: Item) -> str | None:
        """The note written for `item` before its decision, not saved yet."""
        return self._pending.get(item.key)

    def accept(self) -> Outcome:
        """Keep the decision and move to the next undecided item."""
        item = self.current
        if item is None:
            return Outcome("nothing to adjudicate")
        if item.stale and item.sentence_id is not None:
            # decided before an answer changed (audit14 F3): Enter keeps the decision, now
            # made on the versions shown (its time and whom it agrees with written again)
            sid = item.sentence_id
            out = self._commit(
                item,
                lambda: gold_store.keep_sentence_gold(
                    self.store,
                    adjudicator=self.adjudicator_id,
                    sentence_id=sid,
                    article_id=item.article_id,
                    schema_hash=self.schema.hash,
                    session=self.session_id,
                    shown=item.versions,
                    coders=self.spec.coders,
                ),
            )
            if not out.saved:
                return out
            return replace(self.next_undecided(), saved=True)
        if not item.decided:
            return Outcome("no gold yet: a digit picks a version, label keys edit, d defers")
        return self.next_undecided()

    def undo(self) -> Outcome:
        return undo_decision(self)

    # --- what others did -----------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> Outcome | None:
        """Take in what other connections committed since the last look: new disputes join
        the queue, settled ones leave it, gold decided elsewhere shows. None when nothing
        was committed by anyone else (`force` looks at the events even so)."""
        version = gold_queue.data_version(self.store)
        if version == self._data_version and not force:
            return None
        changed = gold_queue.changed_since(self.store, self._last_event)
        sentences = dict(changed.sentences)
        fields = set(changed.fields)
        if not self.review_all and (sentences or fields):
            # a timer must not freeze the screen behind another process's write lock: if
            # the database is busy, nothing is taken in and the next look tries again
            with gold_queue.without_waiting(self.store):
                added, withdrawn = gold_unanimous.sync_unanimous(
                    self.store,
                    adjudicator=self.adjudicator_id,
                    schema_hash=self.schema.hash,
                    session=undo.AUTO_SESSION + self.session_id,
                    coders=self.spec.coders,
                    min_annotators=self.min_annotators,
                    sentence_ids=list(sentences),
                    field_keys=fields,
                )
            self.auto_added += added
            self.auto_withdrawn += withdrawn
        self._data_version = version
        self._last_event = changed.last_event
        current = self.current
        fresh = sentence_items(self.store, self.spec, list(sentences)) if sentences else []
        fresh += field_items(self.store, self.spec, fields) if fields else []
        found = {it.key: it for it in fresh}
        new = gone = 0
        keys: list[ItemKey] = [*sentences, *fields]
        for key in keys:
            now, old = found.get(key), self._by_key.get(key)
            if now is None and old is not None:
                self._remove(old)
                gone += 1
            elif now is not None and old is None:
                self._insert(now)
                new += 1
            elif now is not None and old is not None:  # same place, new versions
                old.score, old.disputed = now.score, now.disputed
                old.versions, old.values, old.loaded = now.versions, now.values, now.loaded
        # gold: of the items that changed, and of those whose gold someone else changed
        touched = {*sentences, *fields, *changed.gold_sentences, *changed.gold_fields}
        again = [self._by_key[k] for k in touched if k in self._by_key]
        if again:
            before = {id(it): it.decided for it in again}
            read_gold(self.store, again)
            self._decided += sum(int(it.decided) - int(before[id(it)]) for it in again)
        if current is not None and self._by_key.get(current.key) is current:
            self.index = self.items.index(current)
        self.index = min(self.index, max(0, len(self.items) - 1))
        if not new and not gone:
            return Outcome("up to date") if force else Outcome()
        return Outcome(f"queue refreshed: {new} new item(s), {gone} settled elsewhere")
