"""An annotator's working session: cursor, edits, undo and progress, without any UI.

The annotation screen calls these methods and renders what they return; tests drive them
directly. Every edit is committed by the store before the method returns, and the in-memory
copy is only updated from what was committed, so the screen can never show a change that is
not in the database. A failed write raises `WriteFailed` and leaves everything as it was.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from annotator import labeling
from annotator.guidelines import Guidelines
from annotator.labeling import LabelingError, SentenceState
from annotator.models.articles import Article, Sentence
from annotator.models.errors import DatabaseBusy
from annotator.models.suggestions import Suggestion
from annotator.session_queue import AnnotatorQueue
from annotator.store import annotations as ann
from annotator.store import articles as arts
from annotator.store import blind, fields, progress, ranges, team
from annotator.store import suggestions as suggestion_store
from annotator.store.database import Store, open_store

# the mark of one step of a change that spans sentences (suggesting.accept_boilerplate)
BATCH_STEP = re.compile(r"\((\d+) of \d+\)$")


class SessionError(ValueError):
    """Something the annotator asked for that cannot be done; the message says why."""


@dataclass(frozen=True)
class Outcome:
    """What an action did, for the screen to say (None: nothing worth a message)."""

    message: str | None = None
    moved_article: bool = False
    saved: bool = False


class AnnotationSession:
    def __init__(
        self,
        store: Store,
        guidelines: Guidelines,
        annotator: str,
        *,
        article: str | None = None,
        show_others: bool = False,
        session_id: str | None = None,
    ):
        self.store = store
        self.guidelines = guidelines
        self.schema = guidelines.schema
        self.annotator = annotator
        self.show_others = show_others
        self.session_id = session_id or uuid.uuid4().hex[:12]
        # a blind project records every time others' labels are shown to this annotator
        self.blind_project = team.setting(store, "blind") == "true"
        aid = ann.annotator_id(store, annotator, create=not store.read_only)
        # a read-only database and a new name: nothing of theirs to show, nothing can be
        # saved (every write says so); 0 is no annotator's id
        self.annotator_id = aid if aid is not None else 0
        self.article_total = arts.article_count(store)
        if not self.article_total:
            raise SessionError("no articles in the database: run `annotator import` first")
        self.first_id, self.last_id = arts.sentence_bounds(store)
        self.corpus_total = self.last_id - self.first_id + 1
        self.confirmed_total = ann.confirmed_total(store, self.annotator_id)
        self.article: Article
        self.sentences: list[Sentence] = []
        self.states: dict[int, SentenceState] = {}
        self.others: dict[int, list[tuple[str, SentenceState]]] = {}
        self.article_fields: dict[str, Any] = {}
        self.article_comment: str | None = None
        self.article_rank = 0
        self.index = 0
        # suggested labels of the open article (shown apart, never labels until accepted:
        # annotator/suggesting.py), read with the article when this project shows them
        self.suggesting = False
        self.suggested: dict[int, tuple[Suggestion, ...]] = {}
        # label counts: a base read once (it can be slow on a big corpus, so the screen reads
        # it in a worker) plus the changes made since, each tagged with its event id
        self._count_base: Counter[str] | None = None
        self._count_as_of = 0
        self._count_deltas: list[tuple[int, Counter[str]]] = []
        # what this session has seen of the database: another session of the same annotator
        # (a second terminal) is noticed by these two before each key; see sync()
        self._data_version = store.data_version()
        self._last_event = ann.last_event(store, self.annotator_id)
        self.busy = False  # the last write found the database locked (see _remember)
        # the annotator's queue (`annotator assign`): empty without assignments, and then
        # the whole corpus is theirs
        self.queue = AnnotatorQueue(store, self.annotator_id)
        self.queue.refresh(self.confirmed_total)
        self._start(article)

    # --- where we are --------------------------------------------------------------------

    @property
    def queue_position(self) -> int:
        """1-based place of the open article in the queue; 0: not in it (or no queue)."""
        return self.queue.position(self.article.id)

    @property
    def queue_percent(self) -> float:
        """Confirmed sentences of the queue, in percent (the queue's own "corpus")."""
        return self.queue.percent(self.confirmed_total)

    def _start(self, ref: str | None) -> None:
        if ref is not None:
            art = arts.find_article(self.store, ref)
            if art is None:
                raise SessionError(f"no article {ref!r} (use its id or external id)")
            # outside the queue is allowed when asked for by name (a manager, a script):
            # the progress line says queue -/n, and ] or g lead back into the queue
            self._load(art)
            first = next(
                (i for i, s in enumerate(self.sentences) if not self.state_of(s.id).confirmed), 0
            )
            self.index = first
            return
        # resume where this annotator was; a new annotator starts at the first unconfirmed
        target = ann.cursor(self.store, self.annotator_id)
        if self.queue and not self.queue.holds_sentence(target):
            # with a queue: where they were in it, else its first unconfirmed sentence
            _, lo, _ = self.queue.spans[0]
            self._goto_sentence(self.queue.next_unconfirmed(None) or lo)
            return
        if target is None or not (self.first_id <= target <= self.last_id):
            target = (
                ranges.next_unconfirmed(
                    self.store, self.annotator_id, self.first_id - 1, self.first_id, self.last_id
                )
                or self.first_id
            )
        self._goto_sentence(target)

    def _load(self, art: Article) -> None:
        self.article = art
        self.sentences = arts.sentences_of(self.store, art.id)
        self.states = ann.states_for_article(self.store, art.id, self.annotator_id)
        self.others = (
            ann.others_for_article(self.store, art.id, self.annotator_id)
            if self.show_others
            else {}
        )
        self.article_fields = fields.article_fields(self.store, art.id, self.annotator_id)
        self.article_comment = fields.article_comment(self.store, art.id, self.annotator_id)
        self.article_rank = arts.article_rank(self.store, art.id)
        self.suggesting = suggestion_store.shown(self.store, self.annotator_id, art.id)
        self.suggested = suggestion_store.for_article(self.store, art.id) if self.suggesting else {}

    def _goto_sentence(self, sentence_id: int) -> bool:
        """Move the cursor to a sentence, loading its article if needed.

        Returns True if the article changed.
        """
        changed = False
        if not self.sentences or not (
            self.article.first_sentence_id <= sentence_id <= self.article.last_sentence_id
        ):
            art = arts.article_of_sentence(self.store, sentence_id)
            if art is None:
                raise SessionError(f"no sentence {sentence_id}")
            self._load(art)
            changed = True
        self.index = sentence_id - self.article.first_sentence_id
        return changed

    @property
    def read_only(self) -> bool:
        """The database was opened read-only: nothing done in this session can be saved."""
        return self.store.read_only

    @property
    def current(self) -> Sentence:
        return self.sentences[self.index]

    def state_of(self, sentence_id: int) -> SentenceState:
        return self.states.get(sentence_id, SentenceState())

    @property
    def current_state(self) -> SentenceState:
        return self.state_of(self.current.id)

    @property
    def article_confirmed(self) -> int:
        return sum(1 for s in self.states.values() if s.confirmed)

    @property
    def corpus_percent(self) -> float:
        return 100.0 * self.confirmed_total / self.corpus_total if self.corpus_total else 0.0

    # --- navigation ----------------------------------------------------------------------

    def _remember(self) -> None:
        # where the annotator is reading: worth a write, not worth waiting for a locked
        # database (the next edit stores the cursor with it)
        if self.busy:
            return
        try:
            ann.set_cursor(self.store, self.annotator_id, self.current.id)
        except DatabaseBusy:
            self.busy = True

    # --- a locked database ---------------------------------------------------------------

    def be_brief(self, seconds: float) -> None:
        """Wait at most this long for another process's write lock (the screen must not
        freeze); a key that finds it held longer raises DatabaseBusy and changes nothing."""
        self.store.set_patience(seconds)

    def lock_is_free(self) -> bool:
        free = self.store.lock_is_free()
        if free:
            self.busy = False
        return free

    def move(self, delta: int) -> Outcome:
        new = max(0, min(len(self.sentences) - 1, self.index + delta))
        if new == self.index:
            edge = "last" if delta > 0 else "first"
            return Outcome(f"{edge} sentence of this article (] and [ change article)")
        self.index = new
        self._remember()
        return Outcome()

    def move_to(self, index: int) -> Outcome:
        if 0 <= index < len(self.sentences) and index != self.index:
            self.index = index
            self._remember()
        return Outcome()

    def change_article(self, step: int) -> Outcome:
        self.queue.refresh(self.confirmed_total)
        if self.queue:  # the neighbour in the queue's order (from outside it: back into it)
            target = self.queue.neighbour(self.article.id, step)
            if target is None:
                return Outcome(
                    "this is the " + ("last" if step > 0 else "first") + " article of your queue"
                )
            return self.open_article(target)
        art = arts.neighbour_article(self.store, self.article.id, step)
        if art is None:
            return Outcome("this is the " + ("last" if step > 0 else "first") + " article")
        return self.open_article(art.id)

    def open_article(self, article_id: int) -> Outcome:
        art = arts.get_article(self.store, article_id)
        if art is None:
            raise SessionError(f"no article {article_id}")
        self._load(art)
        self.index = next(
            (i for i, s in enumerate(self.sentences) if not self.state_of(s.id).confirmed), 0
        )
        self._remember()
        return Outcome(moved_article=True)

    def next_unconfirmed(self) -> Outcome:
        self.queue.refresh(self.confirmed_total)
        if self.queue:
            sid = self.queue.next_unconfirmed(self.current.id)
            if sid is None:
                return Outcome("every sentence in your queue is confirmed")
        else:
            sid = ranges.next_unconfirmed(
                self.store, self.annotator_id, self.current.id, self.first_id, self.last_id
            )
        if sid is None:
            return Outcome("every sentence in the corpus is confirmed")
        moved = self._goto_sentence(sid)
        self._remember()
        return Outcome(moved_article=moved)

    # --- edits ---------------------------------------------------------------------------

    def _apply(
        self,
        action: str,
        transform: Any,
        sentence: Sentence | None = None,
        cursor: int | None = None,
    ) -> Outcome:
        s = sentence or self.current
        try:
            change = ann.change_sentence(
                self.store,
                annotator_id=self.annotator_id,
                sentence_id=s.id,
                article_id=s.article_id,
                action=action,
                transform=transform,
                schema_hash=self.schema.hash,
                session=self.session_id,
                cursor=cursor,
            )
        except LabelingError as e:
            return Outcome(str(e))
        except DatabaseBusy:
            self.busy = True
            raise
        self.busy = False
        self._committed(s.id, change.before, change.state, change.event_id)
        return Outcome(self._revision(s.id, action, change), saved=change.event_id is not None)

    def _revision(self, sentence_id: int, action: str, change: ann.Change) -> str | None:
        """Say that a confirmed sentence's labels or fields changed (it stays confirmed, so
        without a word the change would pass unseen). The mark itself is the stored state's
        `revised` (labeling sets it, confirming clears it, undo restores it)."""
        before, after = change.before, change.state
        if (
            action == "confirm"
            or not (before.confirmed and after.revised)
            or (before.labels == after.labels and before.fields == after.fields)
        ):
            return None
        was = ", ".join(
            [*before.labels, *(f"{k}={v}" for k, v in before.fields if (k, v) not in after.fields)]
        )
        return f"changed after confirmation (was {was}): z brings it back, Enter confirms it"

    def take_committed(
        self, sentence_id: int, before: SentenceState, state: SentenceState, event_id: int
    ) -> None:
        """A change committed by another module of this layer (accepting suggestions)."""
        self._committed(sentence_id, before, state, event_id)

    def _committed(
        self,
        sentence_id: int,
        before: SentenceState,
        state: SentenceState,
        event_id: int | None,
    ) -> None:
        """Take a committed change into memory: the sentence, progress and label counts.

        `before` is what the store found, never what memory held: an undo that crosses an
        article loads the new article after the change (memory already has the new state), and
        another session of this annotator may have written in between. The total is read back
        (one row by its key) rather than counted here, so it cannot drift."""
        self.states[sentence_id] = state
        self.confirmed_total = ann.confirmed_total(self.store, self.annotator_id)
        if self.queue and not self.queue.holds(self.article.id):
            self.queue.count_outside(self.confirmed_total)  # work outside it (an undo led there)
        if event_id is not None:
            self._last_event = max(self._last_event, event_id)
            delta: Counter[str] = Counter()
            if before.confirmed:
                delta.subtract(before.labels)
            if state.confirmed:
                delta.update(state.labels)
            self._count_deltas.append((event_id, delta))

    # --- other sessions ------------------------------------------------------------------

    def sync(self) -> set[int] | None:
        """Take in what another session of this annotator wrote since we last looked.

        Returns None when nothing of ours changed elsewhere (the usual case: a pragma that
        reads no table, and one index lookup when another annotator wrote), else the
        sentences of the open article whose state changed (possibly none: the change was in
        another article, or an article field). Everything shown is reloaded from the store:
        this article's states and fields, the total and the label counts.
        """
        version = self.store.data_version()
        if version == self._data_version:
            return None
        self._data_version = version
        if self.show_others:
            self.others = ann.others_for_article(self.store, self.article.id, self.annotator_id)
        last = ann.last_event(self.store, self.annotator_id)
        if last <= self._last_event:
            return set() if self.show_others else None
        self._last_event = last
        old = self.states
        self.states = ann.states_for_article(self.store, self.article.id, self.annotator_id)
        self.article_fields = fields.article_fields(self.store, self.article.id, self.annotator_id)
        self.confirmed_total = ann.confirmed_total(self.store, self.annotator_id)
        self.queue.count_outside(self.confirmed_total)  # the other session may have worked outside
        if self._count_base is not None:
            self._count_deltas = []
            self.read_label_counts()
        return {
            sid for sid in old.keys() | self.states.keys() if old.get(sid) != self.states.get(sid)
        }

    # --- label counts --------------------------------------------------------------------

    def load_label_counts(self, counts: Counter[str], as_of_event: int) -> None:
        """Counts read elsewhere (a worker) up to an event id; later changes are added."""
        self._count_base, self._count_as_of = counts, as_of_event

    def read_label_counts(self) -> None:
        self.load_label_counts(*progress.label_counts(self.store, self.annotator_id))

    def read_label_counts_apart(self) -> tuple[Counter[str], int]:
        """The counts read on a connection of their own (the one heavy read at startup, for
        a thread worker); hand them to load_label_counts on the event loop."""
        with open_store(self.store.path) as store:
            return progress.label_counts(store, self.annotator_id)

    @property
    def label_counts(self) -> Counter[str] | None:
        if self._count_base is None:
            return None
        total = Counter(self._count_base)
        for event_id, delta in self._count_deltas:
            if event_id > self._count_as_of:
                total.update(delta)
        return +total

    # --- blind work ----------------------------------------------------------------------

    def saw_others(self, article_ids: list[int] | None, via: str) -> None:
        """Record that this annotator is being shown others' labels (of these articles, or
        of all), in a blind project; elsewhere nothing is recorded. Raises StoreError when
        it cannot be written: the caller must then not show them."""
        if self.blind_project:
            blind.record(
                self.store,
                self.annotator_id,
                article_ids=article_ids,
                via=via,
                schema_hash=self.schema.hash,
                session=self.session_id,
            )

    def toggle(self, label: str) -> Outcome:
        return self._apply(f"toggle {label}", lambda st: labeling.toggle(st, label, self.schema))

    def set_field_key(self, key: str) -> Outcome:
        """A sentence-field key (1-4: the source type) for the current sentence."""
        for sf in self.schema.sentence_fields:
            for c in sf.values:
                if c.key == key:
                    value = str(c.value)
                    current = self.current_state.field(sf.name)
                    new = None if current == value else value  # same key again clears it
                    return self._apply(
                        f"set {sf.name}",
                        lambda st, n=sf.name, v=new: labeling.set_field(st, n, v, self.schema),
                    )
        return Outcome(f"no field value on key {key!r}")

    def confirm(self, *, advance: bool = True) -> Outcome:
        has_next = advance and self.index + 1 < len(self.sentences)
        nxt = self.sentences[self.index + 1].id if has_next else None
        out = self._apply("confirm", self._confirmed, cursor=nxt)
        if out.message or not advance:
            return out
        if has_next:
            self.index += 1  # the cursor was stored with the confirm: one commit per key
        if out.saved and all(self.state_of(s.id).confirmed for s in self.sentences):
            # stay on the finished article: its article form is the next piece of work, and
            # `A` must open this article's form, not the next one's
            return Outcome(self.finished_message(), saved=True)
        if has_next:
            return out
        return Outcome(
            "last sentence of this article: g goes to the next unconfirmed one", saved=out.saved
        )

    def finished_message(self) -> str:
        empty = [f.title for f in self.schema.article_fields if f.name not in self.article_fields]
        if empty:
            form = f"its article form needs {len(empty)} of {len(self.schema.article_fields)}"
            return f"article complete: {form} fields: press A; g goes to the next unconfirmed"
        return "article complete, form filled: g goes to the next unconfirmed sentence"

    def _confirmed(self, st: SentenceState) -> SentenceState:
        """Confirm, unless a label that asks for a sentence field (ATTRIBUTED: the source
        type, which the guidelines require) has none: never stored without it."""
        for sf in self.schema.sentence_fields:
            if sf.label in st.labels and st.field(sf.name) is None:
                keys = ", ".join(f"{c.key} {c.title}" for c in sf.values)
                raise LabelingError(f"{sf.label} needs its {sf.title.lower()} first: {keys}")
        return labeling.confirm(st, self.schema)

    def comment(self, text: str | None) -> Outcome:
        return self._apply("comment", lambda st: labeling.set_comment(st, text))

    def undo(self) -> Outcome:
        out = self._undo_one()
        # several sentences written by one key (B: "accept BOILERPLATE, confirm (3 of 16)")
        # are undone by one key too, back to the first of them
        moved = out.moved_article
        while (m := BATCH_STEP.search(out.message or "")) and int(m.group(1)) > 1:
            out = self._undo_one()
            moved = moved or out.moved_article
        return replace(out, moved_article=moved)

    def _undo_one(self) -> Outcome:
        done = ann.undo_last(
            self.store,
            annotator_id=self.annotator_id,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        if done is None:
            return Outcome("nothing to undo")
        moved = False
        if done.kind == "sentence" and done.sentence_id is not None:
            moved = self._goto_sentence(done.sentence_id)
            assert done.state is not None and done.before is not None
            self._committed(done.sentence_id, done.before, done.state, done.event_id)
        elif (
            done.kind in ("article_field", "article_comment", "article_outlet")
            and done.article_id is not None
        ):
            if done.article_id != self.article.id:
                self.open_article(done.article_id)
                moved = True
            self.article_fields = fields.article_fields(
                self.store, self.article.id, self.annotator_id
            )
            self.article_comment = fields.article_comment(
                self.store, self.article.id, self.annotator_id
            )
            self.article = arts.get_article(self.store, self.article.id) or self.article
        return Outcome(f"undone: {done.action}", moved_article=moved, saved=True)

    def set_article_field(self, name: str, value: Any) -> Outcome:
        spec = self.schema.article_field(name)
        if not spec.accepts(value):
            return Outcome(f"{spec.title}: {value!r} is not one of its values")
        fields.set_article_field(
            self.store,
            annotator_id=self.annotator_id,
            article_id=self.article.id,
            field=name,
            value=value,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        self.article_fields = fields.article_fields(self.store, self.article.id, self.annotator_id)
        return Outcome(saved=True)

    def set_article_comment(self, text: str | None) -> Outcome:
        """The annotator's comment on the whole article (several lines; empty removes it)."""
        comment = (text or "").strip() or None
        fields.set_article_comment(
            self.store,
            annotator_id=self.annotator_id,
            article_id=self.article.id,
            comment=comment,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        self.article_comment = comment
        return Outcome(saved=True)

    def set_article_outlet(self, name: str | None) -> Outcome:
        """Name this article's outlet (created if new): its outlet fields become reachable."""
        outlet = (name or "").strip() or None
        fields.set_article_outlet(
            self.store,
            annotator_id=self.annotator_id,
            article_id=self.article.id,
            name=outlet,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        self.article = arts.get_article(self.store, self.article.id) or self.article
        return Outcome(saved=True)

    def set_outlet_field(self, name: str, value: Any) -> Outcome:
        if self.article.outlet_id is None:
            return Outcome("this article has no outlet")
        spec = self.schema.outlet_field(name)
        if not spec.accepts(value):
            return Outcome(f"{spec.title}: {value!r} is not one of its values")
        fields.set_outlet_field(
            self.store,
            annotator_id=self.annotator_id,
            outlet_id=self.article.outlet_id,
            field=name,
            value=value,
            schema_hash=self.schema.hash,
            session=self.session_id,
        )
        return Outcome(saved=True)

    def outlet_fields(self) -> dict[str, tuple[Any, str, str]]:
        if self.article.outlet_id is None:
            return {}
        return fields.outlet_fields(self.store, self.article.outlet_id)

    # --- the corpus ----------------------------------------------------------------------

    def article_list(self) -> list[tuple[Article, int]]:
        """Every article with the number of its sentences this annotator confirmed; with a
        queue, only the queue's articles, in its order."""
        self.queue.refresh(self.confirmed_total)
        done = progress.article_progress(self.store, self.annotator_id)
        listed = arts.list_articles(self.store)
        if self.queue:
            listed = self.queue.in_order(listed, lambda a: a.id)
        return [(a, done.get(a.id, 0)) for a in listed]
