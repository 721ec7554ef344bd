"""An annotator's working session: cursor, edits, undo and progress, without any UI.

The annotation screen calls these methods and renders what they return; tests drive them
directly. Every edit is committed by the store before the method returns, and the in-memory
copy is only updated from what was committed, so the screen can never show a change that is
not in the database. A failed write raises `WriteFailed` and leaves everything as it was.

The session is three modules by what they hold: where it is and how it moves
(session_moves.py), the edits of sentences, undo and counts (here), the article form and
blind records (session_forms.py).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from annotator import labeling
from annotator.guidelines import Guidelines
from annotator.labeling import LabelingError, SentenceState
from annotator.models.articles import Article, Sentence
from annotator.models.errors import DatabaseBusy
from annotator.models.suggestions import Suggestion
from annotator.session_forms import Forms
from annotator.session_moves import Moves, Outcome, SessionError
from annotator.session_queue import AnnotatorQueue
from annotator.session_undo import BATCH_STEP, Undoing
from annotator.store import annotations as ann
from annotator.store import articles as arts
from annotator.store import checkpoints, fields, progress, schema_names, team
from annotator.store.database import Store, now, open_store

__all__ = ["BATCH_STEP", "AnnotationSession", "Outcome", "SessionError"]


class AnnotationSession(Moves, Forms, Undoing):
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
        # changes `z` found changed since (session_undo.py): the next `z` goes past them
        self.undo_passed: set[int] = set()
        # when this session began: a change `z` takes back that another session of this
        # annotator made since was made in another window (session_undo.py)
        self.started_at = now()
        # a blind project records every time others' labels are shown to this annotator
        self.blind_project = team.setting(store, "blind") == "true"
        # refused before the name is registered: `status` listed a phantom annotator with
        # 0 confirmed after an `annotate` on an empty project (audit9a F5)
        self.article_total = arts.article_count(store)
        if not self.article_total:
            raise SessionError("no articles in the database: run `annotator import` first")
        aid = ann.annotator_id(store, annotator, create=not store.read_only)
        # a read-only database and a new name: nothing of theirs to show, nothing can be
        # saved (every write says so); 0 is no annotator's id
        self.annotator_id = aid if aid is not None else 0
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
        self.off_team = False  # taken off a closed team while the screen is open: see sync
        self.guidelines_changed: str | None = None  # the project's new schema hash: see sync
        self._opened_under = schema_names.adopted_hash(store)
        self._last_event = ann.last_event(store, self.annotator_id)
        self.busy = False  # the last write found the database locked (see _remember)
        # this connection's write count at the last look and at the last idle checkpoint
        # (checkpoint_due): both start as now, nothing to fold in yet
        self._written_seen = self._written_folded = checkpoints.written(store)
        # the annotator's queue (`annotator assign`): empty without assignments, and then
        # the whole corpus is theirs
        self.queue = AnnotatorQueue(store, self.annotator_id)
        self.queue.refresh(self.confirmed_total)
        self.unrecorded = None
        self._start(article)

    # --- edits ---------------------------------------------------------------------------

    def _apply(
        self,
        action: str,
        transform: Any,
        sentence: Sentence | None = None,
        cursor: int | None = None,
        rerate: bool = False,
    ) -> Outcome:
        s = sentence or self.current
        if refused := self.refused_off_team():
            return refused
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
                seen=self.unrecorded,
                rerate=rerate,
            )
        except LabelingError as e:
            return Outcome(str(e))
        except DatabaseBusy:
            self.busy = True
            raise
        self.busy = False
        self.unrecorded = None
        self._committed(s.id, change.before, change.state, change.event_id)
        said = labeling.revision_message(action, change.before, change.state)
        return Outcome(said, saved=change.event_id is not None)

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

    def blind_now(self) -> bool:
        """Is the project blind now? (It may have been made so since the session began:
        what shows others' labels asks again.)"""
        self.blind_project = team.setting(self.store, "blind") == "true"
        return self.blind_project

    # --- other sessions ------------------------------------------------------------------

    def sync(self) -> set[int] | None:
        """Take in what another session of this annotator wrote since we last looked.

        Returns None when nothing of ours changed elsewhere (the usual case: a pragma that
        reads no table, and one index lookup when another annotator wrote), else the
        sentences of the open article whose state changed (possibly none: the change was in
        another article, an article field, or the corpus grew). Everything shown is
        reloaded from the store: this article's states and fields, the total and the label
        counts, the corpus's article and sentence totals.
        """
        version = self.store.data_version()
        if version == self._data_version:
            return None
        self._data_version = version
        # audit9a F17: someone taken off a closed team went on writing from the screen they
        # had open (and a confirm of theirs withdrew unanimous gold); checked when anything
        # in the database changed, which taking them off is
        self.off_team = not team.may_annotate(self.store, self.annotator)
        # audit12 F19: a screen left open over a guideline change wrote the old schema's
        # labels (a dropped one too) under the old hash; checked as the team is
        # (the stored hash against the one stored when the screen opened: a hash computed
        # again from the stored text may differ after an upgrade, with nothing changed)
        adopted = schema_names.adopted_hash(self.store)
        self.guidelines_changed = adopted if adopted != self._opened_under else None
        grew = self._read_totals()
        if self.show_others:
            self.others = ann.others_for_article(self.store, self.article.id, self.annotator_id)
        last = ann.last_event(self.store, self.annotator_id)
        if last <= self._last_event:
            return set() if self.show_others or grew else None
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

    def _read_totals(self) -> bool:
        """The corpus's totals again (an import by another process while the screen is open:
        it said "art 7/6", audit9a F6); True when they changed."""
        before = (self.article_total, self.first_id, self.last_id)
        total = arts.article_count(self.store)
        if total:  # never none once the session could open
            self.article_total = total
            self.first_id, self.last_id = arts.sentence_bounds(self.store)
            self.corpus_total = self.last_id - self.first_id + 1
        return before != (self.article_total, self.first_id, self.last_id)

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
        out = self._apply("confirm", self._as_shown(self._confirmed), cursor=nxt, rerate=True)
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

    def _as_shown(
        self, transform: Callable[[SentenceState], SentenceState]
    ) -> Callable[[SentenceState], SentenceState]:
        """`transform`, refused when the stored labels are not the ones this screen shows:
        another window of the same annotator changed them meanwhile (audit8 F14: Enter in a
        stale window confirmed the other's draft, unseen). The stored state is taken in, so
        the screen shows it and the next Enter confirms what it shows."""
        sid = self.current.id
        shown = self.state_of(sid)

        def checked(st: SentenceState) -> SentenceState:
            if (st.labels, st.fields, st.confirmed) != (
                shown.labels,
                shown.fields,
                shown.confirmed,
            ):
                self.states[sid] = st
                now = labeling.listed(st.labels, st.fields) or "nothing"
                raise LabelingError(
                    f"changed in another window of yours: now {now}; shown as stored, Enter "
                    "confirms it"
                )
            return transform(st)

        return checked

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
