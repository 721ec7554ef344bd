"""Where an annotator's session is and how it moves: the open article (read with what it
shows: others' labels, the article form, suggestions), the cursor, the queue, and what a
locked database does to a key. A part of `AnnotationSession` (session.py), which holds the
edits; the two share its attributes, set by its constructor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.labeling import SentenceState
from annotator.models.articles import Article, Sentence
from annotator.models.errors import DatabaseBusy, WriteFailed
from annotator.models.shares import percent_done
from annotator.models.suggestions import Suggestion
from annotator.schema import LabelSchema
from annotator.session_queue import AnnotatorQueue
from annotator.store import annotations as ann
from annotator.store import articles as arts
from annotator.store import (
    assignments,
    checkpoints,
    fields,
    progress,
    ranges,
    suggestion_reading,
)
from annotator.store.conditions import Seen
from annotator.store.database import Store

KEY_SPIN_S = 0.01
"""How long a key tries the write lock every 0.1 ms before SQLite's millisecond sleeps."""


class SessionError(ValueError):
    """Something the annotator asked for that cannot be done; the message says why."""


@dataclass(frozen=True)
class Outcome:
    """What an action did, for the screen to say (None: nothing worth a message)."""

    message: str | None = None
    moved_article: bool = False
    saved: bool = False
    # sentences the action changed besides the one under the cursor (an undone batch): the
    # screen redraws their rows too
    changed: tuple[int, ...] = ()


class Moves:
    """The session's place: its attributes are set by AnnotationSession.__init__."""

    store: Store
    annotator_id: int
    show_others: bool
    first_id: int
    last_id: int
    corpus_total: int
    confirmed_total: int
    article: Article
    sentences: list[Sentence]
    states: dict[int, SentenceState]
    others: dict[int, list[tuple[str, SentenceState]]]
    article_fields: dict[str, Any]
    article_comment: str | None
    article_rank: int
    index: int
    suggesting: bool
    suggested: dict[int, tuple[Suggestion, ...]]
    schema: LabelSchema
    busy: bool
    queue: AnnotatorQueue
    # what the open article showed this annotator (suggestions or not), until a write that
    # the session makes anyway has recorded it (store/conditions.py)
    unrecorded: Seen | None
    _written_seen: int
    _written_folded: int

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
            # where this annotator was, when it was in this article (reopening the article
            # one quit: the sentence being worked on, not the byline above it); else its
            # first unconfirmed sentence
            was = ann.cursor(self.store, self.annotator_id)
            at = next((i for i, s in enumerate(self.sentences) if s.id == was), None)
            if at is None:
                at = next(
                    (i for i, s in enumerate(self.sentences) if not self.state_of(s.id).confirmed),
                    0,
                )
            self.index = at
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
        self.suggesting = suggestion_reading.shown(self.store, self.annotator_id, art.id)
        self.suggested = (
            suggestion_reading.for_article(
                self.store, art.id, labels=frozenset(self.schema.label_names)
            )
            if self.suggesting
            else {}
        )
        # recorded by the next write this session makes (cursor or edit), the first showing
        # kept: what the annotator saw, whatever the split says later
        self.unrecorded = None if self.store.read_only else (art.id, self.suggesting)

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
    def unassigned(self) -> bool:
        """This project assigns its articles (`annotator assign` has run), and none to this
        annotator: the screen opens on the whole corpus, outside every queue, and says so
        (audit7 F16: a newcomer landed in article 1, which had its two annotators, without a
        word)."""
        return not self.queue and assignments.any_assigned(self.store)

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
        return percent_done(self.confirmed_total, self.corpus_total)

    # --- navigation ----------------------------------------------------------------------

    def _remember(self) -> None:
        # where the annotator is reading: worth a write, not worth waiting for a locked
        # database (the next edit stores the cursor with it), and never worth a move: a
        # database that cannot be written (read-only, a full disk) is still read and moved
        # through, and only an edit says NOT SAVED (audit7 F8: a move that failed here had
        # moved the session but not the screen, which then showed one article's title over
        # another's sentences)
        if self.busy or self.store.read_only:
            return
        try:
            ann.set_cursor(self.store, self.annotator_id, self.current.id, self.unrecorded)
        except DatabaseBusy:
            self.busy = True
            return
        except WriteFailed:
            return
        self.unrecorded = None

    # --- a locked database ---------------------------------------------------------------

    def be_brief(self, seconds: float) -> None:
        """Wait at most this long for another process's write lock (the screen must not
        freeze); a key that finds it held longer raises DatabaseBusy and changes nothing.
        The first KEY_SPIN_S of the wait try the lock every 0.1 ms: a key that meets
        another process's short write (the model's rescoring) waits only for its end."""
        self.store.set_patience(seconds, spin=min(seconds, KEY_SPIN_S))

    # --- checkpoints when the annotator pauses (store/checkpoints.py) ---------------------

    def defer_checkpoints(self) -> None:
        """The screen's keys no longer pay the WAL's checkpoints: they run when it is idle
        (checkpoint_due, then checkpoint in a thread)."""
        checkpoints.defer(self.store)

    def checkpoint_due(self) -> bool:
        """Looked at regularly (the screen: every second). True once this session has
        written since its last checkpoint and not since the last look: the annotator
        paused, and a checkpoint now costs no key anything."""
        now = checkpoints.written(self.store)
        due = now == self._written_seen and now != self._written_folded
        self._written_seen = now
        if due:
            self._written_folded = now
        return due

    def checkpoint(self) -> bool:
        """Fold the WAL into the database on a connection of its own: for a thread."""
        return checkpoints.checkpoint(self.store.path)

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
        return Outcome(self.outside_queue(), moved_article=True)

    def outside_queue(self) -> str | None:
        """What to say when this annotator has a queue and the article is not in it: its
        labels count as one more annotator's (audit14 F6: said only by "queue -/n")."""
        if not self.queue or self.queue.holds(self.article.id):
            return None
        others = assignments.assigned_to(self.store, self.article.id)
        whose = f"assigned to {', '.join(others)}" if others else "assigned to no one"
        return (
            f"this article is not in your queue ({whose}): what you confirm here counts as "
            "one more annotator's; ] or g lead back into your queue"
        )

    def next_unconfirmed(self) -> Outcome:
        self.queue.refresh(self.confirmed_total)
        if self.queue:
            sid = self.queue.next_unconfirmed(self.current.id)
            if sid is None:
                return self._next_draft("every sentence in your queue is confirmed")
        else:
            sid = ranges.next_unconfirmed(
                self.store, self.annotator_id, self.current.id, self.first_id, self.last_id
            )
        if sid is None:
            return self._next_draft("every sentence in the corpus is confirmed")
        moved = self._goto_sentence(sid)
        self._remember()
        return Outcome(moved_article=moved)

    def _next_draft(self, done: str) -> Outcome:
        """With nothing left unconfirmed, `g` goes on to the changes not confirmed again
        (audit8 F8: status counted them, and nothing on the screen led to them)."""
        sid, n = ann.next_draft(self.store, self.annotator_id, self.current.id)
        if sid is None:
            return Outcome(done)
        moved = self._goto_sentence(sid)
        self._remember()
        return Outcome(
            f"{done}; {n} changed after confirmation wait{'s' * (n == 1)} for Enter "
            "(or z): g goes on to the next",
            moved_article=moved,
        )

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
