"""An adjudicator's session: a queue of disputed items, gold decisions, undo. No UI.

Items are the sentences whose confirmed annotations differ, most disputed first, then the
article fields whose values differ. Unanimous ones become gold automatically (method
"unanimous") unless every item is to be reviewed. Each decision is committed before the
method returns, like every other change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from dataclasses import field as dc_field  # Item has an attribute named `field`
from typing import Any

from annotator import labeling
from annotator.guidelines import Guidelines
from annotator.labeling import LabelingError, SentenceState
from annotator.models.articles import Article, Sentence
from annotator.models.gold import ADJUDICATED, Gold, GoldField, Version
from annotator.session import Outcome
from annotator.store import annotations as ann
from annotator.store import articles as arts
from annotator.store import gold as gold_store


@dataclass
class Item:
    """One thing to decide: a sentence, or an article field."""

    kind: str  # "sentence" or "article_field"
    article_id: int
    score: float
    disputed: tuple[str, ...]
    sentence_id: int | None = None
    field: str | None = None
    versions: list[Version] = dc_field(default_factory=list)
    values: list[tuple[str, Any]] = dc_field(default_factory=list)  # article field versions

    @property
    def annotators(self) -> list[str]:
        if self.kind == "sentence":
            return [v.annotator for v in self.versions]
        return [name for name, _ in self.values]


def _score(versions: list[Version], names: tuple[str, ...]) -> tuple[float, tuple[str, ...]]:
    disputed = []
    total = 0.0
    for name in names:
        yes = sum(1 for v in versions if name in v.labels)
        minority = min(yes, len(versions) - yes)
        if minority:
            disputed.append(name)
            total += minority / len(versions)
    if not disputed:  # same labels, different source types
        return 0.01, ()
    return total / len(names), tuple(disputed)


class AdjudicationSession:
    def __init__(
        self,
        store: Any,
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
        aid = ann.annotator_id(store, adjudicator)
        assert aid is not None
        self.adjudicator_id = aid
        self.annotators = annotators
        self.min_annotators = min_annotators
        self.auto_added = self.auto_withdrawn = 0
        if not review_all:
            self.auto_added, self.auto_withdrawn = gold_store.sync_unanimous(
                store,
                adjudicator=aid,
                schema_hash=self.schema.hash,
                session=self.session_id,
                annotators=annotators,
                min_annotators=min_annotators,
            )
        self.items = self._build_queue()
        self.index = next((i for i, it in enumerate(self.items) if not self.is_decided(it)), 0)
        self._sentences: dict[int, list[Sentence]] = {}

    # --- the queue -----------------------------------------------------------------------

    def _build_queue(self) -> list[Item]:
        names = (self.label,) if self.label else self.schema.label_names
        # SQLite finds the disputed sentences; only theirs are read into Python
        ids = gold_store.disputed_ids(
            self.store, self.annotators, self.min_annotators, include_unanimous=self.review_all
        )
        all_versions = gold_store.versions(self.store, annotators=self.annotators, sentence_ids=ids)
        article_of = {
            s: a
            for s, a in self.store.all(
                "SELECT id, article_id FROM sentences WHERE id IN (SELECT sentence_id FROM "
                "annotations WHERE confirmed = 1)"
            )
        }
        items = []
        for sid, vs in all_versions.items():
            if len(vs) < self.min_annotators:
                continue
            differ = len({v.key for v in vs}) > 1
            if not differ and not self.review_all:
                continue
            score, disputed = _score(vs, names) if differ else (0.0, ())
            if self.label and self.label not in disputed and differ:
                continue
            items.append(
                Item("sentence", article_of[sid], score, disputed, sentence_id=sid, versions=vs)
            )
        if not self.label:
            for (aid, fname), vals in gold_store.field_versions(
                self.store, self.annotators
            ).items():
                if len(vals) < self.min_annotators:
                    continue
                differ = len({repr(v) for _n, v in vals}) > 1
                if differ or self.review_all:
                    counts: dict[str, int] = {}
                    for _n, v in vals:
                        counts[repr(v)] = counts.get(repr(v), 0) + 1
                    share = 1 - max(counts.values()) / len(vals)  # the share not in the mode
                    items.append(
                        Item(
                            "article_field",
                            aid,
                            share,
                            (fname,) if differ else (),
                            field=fname,
                            values=vals,
                        )
                    )
        # sentences first, most disputed first; then the article fields. The two scores are
        # not on one scale (a sentence's is a mean over labels), so they are not interleaved
        items.sort(
            key=lambda it: (
                it.kind != "sentence",
                -it.score,
                it.article_id,
                it.sentence_id or 0,
                it.field or "",
            )
        )
        return items

    @property
    def current(self) -> Item | None:
        return self.items[self.index] if self.items else None

    def gold(self, item: Item | None = None) -> Gold | None:
        item = item or self.current
        if item is None or item.sentence_id is None:
            return None
        return gold_store.gold_for_sentences(self.store, [item.sentence_id]).get(item.sentence_id)

    def gold_field(self, item: Item | None = None) -> GoldField | None:
        item = item or self.current
        if item is None or item.field is None:
            return None
        return gold_store.gold_fields_for_article(self.store, item.article_id).get(item.field)

    def is_decided(self, item: Item) -> bool:
        return (self.gold(item) if item.kind == "sentence" else self.gold_field(item)) is not None

    @property
    def decided(self) -> int:
        return sum(1 for it in self.items if self.is_decided(it))

    def display_name(self, name: str, index: int) -> str:
        return f"annotator {index + 1}" if self.blind else name

    def article(self, article_id: int) -> Article:
        art = arts.get_article(self.store, article_id)
        assert art is not None
        return art

    def sentences_of(self, article_id: int) -> list[Sentence]:
        if article_id not in self._sentences:
            self._sentences[article_id] = arts.sentences_of(self.store, article_id)
        return self._sentences[article_id]

    def context(self, item: Item) -> tuple[Sentence | None, Sentence | None, Sentence | None]:
        """The sentence before, the sentence, and the one after."""
        if item.sentence_id is None:
            return None, None, None
        sents = self.sentences_of(item.article_id)
        i = item.sentence_id - self.article(item.article_id).first_sentence_id
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
            if not self.is_decided(self.items[i]):
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

    # --- deciding ------------------------------------------------------------------------

    def _set(
        self, labels: tuple[str, ...] | None, fields: dict[str, str], note: str | None, action: str
    ) -> Outcome:
        item = self.current
        assert item is not None and item.sentence_id is not None
        event = gold_store.set_sentence_gold(
            self.store,
            adjudicator=self.adjudicator_id,
            sentence_id=item.sentence_id,
            article_id=item.article_id,
            labels=labels,
            fields=fields,
            note=note,
            method=ADJUDICATED,
            action=action,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        return Outcome(saved=event is not None)

    def _state(self) -> SentenceState:
        g = self.gold()
        if g is None:
            return SentenceState()
        return SentenceState(g.labels, g.fields, g.note, True)

    def pick(self, n: int) -> Outcome:
        """Take annotator n's version (1-based) as gold."""
        item = self.current
        if item is None:
            return Outcome("nothing to adjudicate")
        if item.kind == "article_field":
            if not 1 <= n <= len(item.values):
                return Outcome(f"there are {len(item.values)} versions")
            _name, value = item.values[n - 1]
            event = gold_store.set_field_gold(
                self.store,
                adjudicator=self.adjudicator_id,
                article_id=item.article_id,
                field=item.field or "",
                value=value,
                note=self._field_note(),
                schema_hash=self.schema.hash,
                session=self.session_id,
            )
            return Outcome(saved=event is not None)
        if not 1 <= n <= len(item.versions):
            return Outcome(f"there are {len(item.versions)} versions")
        v = item.versions[n - 1]
        g = self.gold()
        return self._set(
            v.labels,
            dict(v.fields),
            g.note if g else None,
            f"gold: {self.display_name(v.annotator, n - 1)}'s version",
        )

    def _field_note(self) -> str | None:
        g = self.gold_field()
        return g.note if g else None

    def toggle(self, label: str) -> Outcome:
        item = self.current
        if item is None or item.kind != "sentence":
            return Outcome("labels belong to sentence items")
        st = labeling.toggle(self._state(), label, self.schema)
        labels = st.labels or None  # no label left: the gold is withdrawn
        return self._set(labels, dict(st.fields), st.comment, f"gold: toggle {label}")

    def set_field(self, name: str, value: str | None) -> Outcome:
        item = self.current
        if item is None or item.kind != "sentence":
            return Outcome("fields belong to sentence items")
        try:
            st = labeling.set_field(self._state(), name, value, self.schema)
        except LabelingError as e:
            return Outcome(str(e))
        return self._set(st.labels, dict(st.fields), st.comment, f"gold: set {name}")

    def note(self, text: str | None) -> Outcome:
        item = self.current
        text = (text or "").strip() or None
        if item is None:
            return Outcome("nothing to adjudicate")
        if item.kind == "article_field":
            decided = self.gold_field()
            if decided is None:
                return Outcome("decide the value first (a digit picks a version)")
            event = gold_store.set_field_gold(
                self.store,
                adjudicator=self.adjudicator_id,
                article_id=item.article_id,
                field=item.field or "",
                value=decided.value,
                note=text,
                method=decided.method,
                schema_hash=self.schema.hash,
                session=self.session_id,
            )
            return Outcome(saved=event is not None)
        g = self.gold()
        if g is None:
            return Outcome("decide the labels first (a digit picks a version)")
        return self._set(g.labels, dict(g.fields), text, "gold: note")

    def accept(self) -> Outcome:
        """Keep the decision and move to the next undecided item."""
        item = self.current
        if item is None:
            return Outcome("nothing to adjudicate")
        if not self.is_decided(item):
            return Outcome("no gold yet: a digit picks a version, label keys edit, d defers")
        return self.next_undecided()

    def undo(self) -> Outcome:
        done = ann.undo_last(
            self.store,
            annotator=self.adjudicator_id,
            schema_hash=self.schema.hash,
            session=self.session_id,
            kinds=gold_store.GOLD_KINDS,
        )
        if done is None:
            return Outcome("nothing to undo")
        for i, it in enumerate(self.items):
            if (it.sentence_id is not None and it.sentence_id == done.sentence_id) or (
                it.field is not None
                and it.field == done.field
                and it.article_id == done.article_id
                and done.sentence_id is None
            ):
                self.index = i
                break
        return Outcome(f"undone: {done.action}", saved=True)
