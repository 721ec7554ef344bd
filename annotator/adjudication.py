"""An adjudicator's session: a queue of disputed items, gold decisions, undo. No UI.

Items are the sentences whose confirmed annotations differ, most disputed first, then the
article fields whose values differ. Unanimous ones become gold automatically (method
"unanimous") unless every item is to be reviewed. Each decision is committed before the
method returns, like every other change.

Speed: the queue and its gold are read once when the session opens; a decision is one
`BEGIN IMMEDIATE` transaction that reads the item's gold, applies the change and writes it
(as the annotation path does), and updates only that item. `refresh()` looks at what other
connections committed since the last look (events after the last one seen, skipped at no
cost while `PRAGMA data_version` is unchanged) and recomputes only the items it touched.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from annotator import labeling
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
    sort_key,
)
from annotator.guidelines import Guidelines
from annotator.labeling import LabelingError, SentenceState
from annotator.models.articles import Article, Sentence
from annotator.models.gold import Gold, GoldField
from annotator.session import Outcome
from annotator.store import annotations as ann
from annotator.store import articles as arts
from annotator.store import gold as gold_store
from annotator.store import gold_queue, gold_unanimous
from annotator.store.database import Store
from annotator.store.gold import FieldDecision, FieldGoldChange, GoldChange

__all__ = ["AdjudicationSession", "Item"]

CACHED_ARTICLES = 8  # articles whose sentences are kept for the context lines


class AdjudicationSession:
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
        adjudicator_id = ann.annotator_id(store, adjudicator)
        assert adjudicator_id is not None
        self.adjudicator_id = adjudicator_id
        self.annotators = annotators
        self.min_annotators = min_annotators
        self.spec = QueueSpec(self.schema, label, review_all, annotators, min_annotators)
        self.auto_added = self.auto_withdrawn = 0
        if not review_all:
            self.auto_added, self.auto_withdrawn = gold_unanimous.sync_unanimous(
                store,
                adjudicator=adjudicator_id,
                schema_hash=self.schema.hash,
                session=self.session_id,
                annotators=annotators,
                min_annotators=min_annotators,
            )
        # what was committed up to here is in the queue; refresh() starts after it
        self._data_version = gold_queue.data_version(store)
        self._last_event = gold_queue.last_event(store)
        self.items: list[Item] = build(store, self.spec)
        self._by_key: dict[ItemKey, Item] = {it.key: it for it in self.items}
        self._decided = sum(1 for it in self.items if it.decided)
        self.index = next((i for i, it in enumerate(self.items) if not it.decided), 0)
        self._articles: OrderedDict[int, tuple[Article, list[Sentence]]] = OrderedDict()

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

    def is_decided(self, item: Item) -> bool:
        return item.decided

    @property
    def decided(self) -> int:
        return self._decided

    def display_name(self, name: str, index: int) -> str:
        return f"annotator {index + 1}" if self.blind else name

    def _article_and_sentences(self, article_id: int) -> tuple[Article, list[Sentence]]:
        cached = self._articles.get(article_id)
        if cached is None:
            art = arts.get_article(self.store, article_id)
            assert art is not None
            cached = (art, arts.sentences_of(self.store, article_id))
            self._articles[article_id] = cached
            if len(self._articles) > CACHED_ARTICLES:
                self._articles.popitem(last=False)
        else:
            self._articles.move_to_end(article_id)
        return cached

    def article(self, article_id: int) -> Article:
        return self._article_and_sentences(article_id)[0]

    def sentences_of(self, article_id: int) -> list[Sentence]:
        return self._article_and_sentences(article_id)[1]

    def context(self, item: Item) -> tuple[Sentence | None, Sentence | None, Sentence | None]:
        """The sentence before, the sentence, and the one after."""
        if item.sentence_id is None:
            return None, None, None
        art, sents = self._article_and_sentences(item.article_id)
        i = item.sentence_id - art.first_sentence_id
        return (
            sents[i - 1] if i > 0 else None,
            sents[i],
            sents[i + 1] if i + 1 < len(sents) else None,
        )

    # --- moving --------------------------------------------------------------------------

    def move(self, step: int) -> Outcome:
        if not self.items:
            return Outcome("nothing to adjudicate")
        new = max(0, min(len(self.items) - 1, self.index + step))
        if new == self.index:
            return Outcome("last item" if step > 0 else "first item")
        self.index = new
        return Outcome()

    def next_undecided(self) -> Outcome:
        n = len(self.items)
        for k in range(1, n + 1):
            i = (self.index + k) % n
            if not self.items[i].decided:
                self.index = i
                return Outcome()
        return Outcome("every item has gold")

    def defer(self) -> Outcome:
        """Put the current item at the end of the queue, for later."""
        if not self.items:
            return Outcome("nothing to adjudicate")
        item = self.items.pop(self.index)
        self.items.append(item)
        if self.index >= len(self.items):
            self.index = 0
        return Outcome("deferred to the end of the queue")

    def _go_to(self, key: ItemKey) -> None:
        item = self._by_key.get(key)
        if item is not None:
            self.index = self.items.index(item)

    # --- deciding ------------------------------------------------------------------------

    def _decide(self, transform: Callable[[SentenceState], SentenceState], action: str) -> Outcome:
        """Apply `transform` to the current sentence's gold as stored, in one transaction."""
        item = self.current
        assert item is not None and item.sentence_id is not None
        sid = item.sentence_id
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
            ),
        )

    def _decide_field(self, transform: Callable[[GoldField | None], FieldDecision]) -> Outcome:
        item = self.current
        assert item is not None and item.kind == ARTICLE_FIELD
        return self._commit(
            item,
            lambda: gold_store.change_field_gold(
                self.store,
                adjudicator=self.adjudicator_id,
                article_id=item.article_id,
                field=item.field or "",
                transform=transform,
                schema_hash=self.schema.hash,
                session=self.session_id,
            ),
        )

    def _commit(self, item: Item, write: Callable[[], GoldChange | FieldGoldChange]) -> Outcome:
        """Run one gold write (its own transaction) and note the gold it left on the item; a
        refused decision (LabelingError) is the message, nothing written."""
        try:
            change = write()
        except LabelingError as e:
            return Outcome(str(e))
        self._update(item, change.gold)
        return Outcome(saved=change.event_id is not None)

    def _update(self, item: Item, gold: Gold | GoldField | None) -> None:
        """Record an item's new gold, keeping the decided count without a pass."""
        was = item.decided
        if item.kind == SENTENCE:
            assert gold is None or isinstance(gold, Gold)
            item.gold = gold
        else:
            assert gold is None or isinstance(gold, GoldField)
            item.gold_field = gold
        if self._by_key.get(item.key) is item:
            self._decided += int(item.decided) - int(was)

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

            def field_note(decided: GoldField | None) -> FieldDecision:
                if decided is None:
                    raise LabelingError("decide the value first (a digit picks a version)")
                return FieldDecision(decided.value, note, decided.method)

            return self._decide_field(field_note)

        def sentence_note(st: SentenceState) -> SentenceState:
            if not st.labels:
                raise LabelingError("decide the labels first (a digit picks a version)")
            return labeling.set_comment(st, note)

        return self._decide(sentence_note, "gold: note")

    def accept(self) -> Outcome:
        """Keep the decision and move to the next undecided item."""
        item = self.current
        if item is None:
            return Outcome("nothing to adjudicate")
        if not item.decided:
            return Outcome("no gold yet: a digit picks a version, label keys edit, d defers")
        return self.next_undecided()

    def undo(self) -> Outcome:
        done = ann.undo_last(
            self.store,
            annotator_id=self.adjudicator_id,
            schema_hash=self.schema.hash,
            session=self.session_id,
            kinds=gold_store.GOLD_KINDS,
        )
        if done is None:
            return Outcome("nothing to undo")
        if done.sentence_id is not None:
            key: ItemKey = done.sentence_id
        else:
            key = (done.article_id or 0, done.field or "")
        item = self._by_key.get(key)
        if item is not None:
            was = item.decided
            read_gold(self.store, [item])
            self._decided += int(item.decided) - int(was)
            self._go_to(key)
        return Outcome(f"undone: {done.action}", saved=True)

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
                    session=self.session_id,
                    annotators=self.annotators,
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

    def _insert(self, item: Item) -> None:
        """A new item at its place in the queue's order (the current item stays current)."""
        at = _bisect(self.items, sort_key(item))
        self.items.insert(at, item)
        self._by_key[item.key] = item  # no gold read yet: refresh() reads it with the rest
        if at <= self.index and len(self.items) > 1:
            self.index += 1

    def _remove(self, item: Item) -> None:
        at = self.items.index(item)
        del self.items[at]
        del self._by_key[item.key]
        self._decided -= int(item.decided)
        if at < self.index:
            self.index -= 1


def _bisect(items: list[Item], key: tuple[Any, ...]) -> int:
    """Where an item with this sort key goes (the queue is sorted, deferred items aside)."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if sort_key(items[mid]) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo
