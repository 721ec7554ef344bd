"""The annotation screen: one article, one sentence at a time, labels on single keys.

Every key goes through a binding with an id (label keys are slots remapped from the schema
with `App.set_keymap`), to an action that calls the session, which commits before it
returns; only then is the screen updated. A failed write is shown as such and changes
nothing on screen.

This module holds the keys (bindings, and what each does to the sentence) and the work the
screen does in the background (counts, suggestions' model, others' changes). What is drawn
is annotate_display.py's; the dialogs a key opens are annotate_dialogs.py's.
"""

from __future__ import annotations

import dataclasses
import gc
from collections import Counter

from textual import on, work
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from annotator.keys import YIELDING_KEYS
from annotator.models.errors import StoreError
from annotator.safetext import printable
from annotator.session import AnnotationSession, Outcome
from annotator.suggesting import (
    accept_boilerplate,
    accept_current,
    furniture,
    retrain_if_due,
)
from annotator.suggesting import reload as reload_suggestions
from annotator.tui.keymap import field_slot_values, slot_bindings
from annotator.tui.screens.annotate_dialogs import AnnotateDialogs
from annotator.tui.widgets.article_view import ArticleView


def _without_keys(binding: BindingType, keys: set[str]) -> BindingType:
    """The binding without keys a label of the schema has (keys.YIELDING_KEYS)."""
    if not keys or not isinstance(binding, Binding):
        return binding
    left = [k for k in binding.key.split(",") if k not in keys]
    return dataclasses.replace(binding, key=",".join(left))


class AnnotateScreen(AnnotateDialogs):
    WRITE_WAIT_S = 0.3
    """How long a key waits for another process's write lock before saying it waits."""
    POLL_S = 1.0
    """How often an idle screen looks for another session's changes (a keyed screen looks
    before every key anyway)."""

    BINDINGS = [
        Binding("enter,space", "confirm", "Confirm", id="confirm"),
        # j/k and the arrows are left out of the footer: at 80 columns it must keep room for
        # the keys nobody guesses (o, ?, R, ctrl+q)
        Binding("j,down", "move(1)", "Next", show=False, id="next_sentence"),
        Binding("k,up", "move(-1)", "Prev", show=False, id="previous_sentence"),
        # within a current sentence taller than the view (audit9a F2): off the label keys
        Binding("pagedown", "scroll_sentence(1)", "Sentence ↓", show=False, id="sentence_down"),
        Binding("pageup", "scroll_sentence(-1)", "Sentence ↑", show=False, id="sentence_up"),
        Binding(
            "right_square_bracket", "article(1)", "Next article", show=False, id="next_article"
        ),
        Binding(
            "left_square_bracket", "article(-1)", "Prev article", show=False, id="previous_article"
        ),
        Binding("g", "next_unconfirmed", "To do", id="next_unconfirmed"),
        Binding("z,backspace", "undo", "Undo", id="undo"),
        Binding("Z,ctrl+y", "redo", "Redo", show=False, id="redo"),
        # priority: the dialog opens before the next key of a burst is routed, which then
        # goes to the dialog, not to this screen (dialogs/type_ahead.py; audit9a F1)
        Binding("c", "comment", "Comment", id="comment", priority=True),
        Binding("A", "article_form", "Article", id="article_form"),
        Binding("o", "open_article", "Open", id="open_article", priority=True),
        Binding("question_mark", "guideline", "Guide", id="guideline"),
        Binding("R", "agreement", "Agree", id="agreement"),
        # where the agreement screen is closed (check_action), R says so, unadvertised
        Binding("R", "agreement_closed", show=False, id="agreement_closed"),
        # shown only where the project shows suggestions (check_action)
        Binding("y", "accept_suggestions", "Accept suggestions", id="accept_suggestions"),
        Binding("B", "accept_boilerplate", "Accept boilerplate", id="accept_boilerplate"),
        Binding("tab", "label_cursor(1)", "Label ▸", show=False, id="label_cursor_next"),
        Binding("shift+tab", "label_cursor(-1)", "Label ◂", show=False, id="label_cursor_prev"),
        # + label and sentence-field slots for the schema: see for_schema()
    ]

    @classmethod
    def for_schema(cls, session: AnnotationSession) -> AnnotateScreen:
        """The screen with one binding slot per label and source-type value of the schema
        (placeholder keys the app remaps with set_keymap)."""
        taken = {lab.key for lab in session.schema.labels}
        own = [_without_keys(b, taken & set(YIELDING_KEYS)) for b in cls.BINDINGS]
        screen_class: type[AnnotateScreen] = type(
            cls.__name__, (cls,), {"BINDINGS": [*own, *slot_bindings(session.schema)]}
        )
        return screen_class(session)

    RETRAIN_LOOK_EVERY = 25
    """Confirming keys between two looks at whether the model is due: the look (two count
    queries) runs in the retrain worker, never on the key path; the model itself is due
    once the project has RETRAIN_EVERY more confirmed sentences, others' included."""

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__(session)
        self._field_values = field_slot_values(self.schema)
        self._keys_since_look = 0
        self._retraining = False

    async def on_mount(self) -> None:
        self.session.be_brief(self.WRITE_WAIT_S)
        self.session.defer_checkpoints()  # run when the annotator pauses: _poll_others
        await self._show_article()
        self._load_counts()
        if self.session.read_only:
            # say it before the first key, not only after it (the progress line says it on)
            path = printable(str(self.session.store.path))
            message = f"{path} cannot be written: nothing done here is saved"
            self._refresh_progress()
            self._tell(message, "warning", title="Read-only", timeout=10)
        if outside := self.session.outside_queue():  # opened with --article
            self._tell(outside, "warning", title="Outside your queue", timeout=10)
        if self.session.unassigned:
            self._tell(
                "no articles are assigned to you yet: this is the whole corpus, outside every "
                "queue (what you confirm counts, but a manager's `annotator assign` gives you "
                "your own articles)",
                "warning",
                title="No queue",
                timeout=15,
            )
        # an idle screen notices another session's changes too (a pragma, no table read)
        self.set_interval(self.POLL_S, self._poll_others)
        if self.session.suggesting and not self.session.read_only:
            self._start_retrain()

    def _look_for_retrain(self) -> None:
        """After a confirming key: every RETRAIN_LOOK_EVERY of them, unless a retrain runs,
        see in the background whether the model is due (it was only looked at when the
        screen opened, so a day-long session never retrained)."""
        self._keys_since_look += 1
        if self._keys_since_look < self.RETRAIN_LOOK_EVERY or self._retraining:
            return
        if self.session.suggesting and not self.session.read_only:
            self._keys_since_look = 0
            self._start_retrain()

    def _start_retrain(self) -> None:
        self._retraining = True
        self._retrain()

    @work(thread=True, exclusive=True, group="retrain")
    def _retrain(self) -> None:
        # the model learns from the project's labels in another process; this thread only
        # waits for it, then the screen reads the open article's new suggestions
        try:
            worker = get_current_worker()
            ready = retrain_if_due(self.session.store.path, lambda: worker.is_cancelled)
        except StoreError:
            return
        finally:
            self._retraining = False
        if ready:
            self.app.call_from_thread(self._model_ready)

    def _model_ready(self) -> None:
        reload_suggestions(self.session)
        view = self.query_one(ArticleView)
        for i in range(len(self.session.sentences)):
            view.update_row(i, self._row(i))
        self._refresh_side()

    @work(thread=True, exclusive=True, group="counts")
    def _load_counts(self) -> None:
        # the only heavy read at startup: its own connection, off the event loop
        try:
            counts, as_of = self.session.read_label_counts_apart()
        except StoreError:
            return
        self.app.call_from_thread(self._counts_loaded, counts, as_of)

    def _counts_loaded(self, counts: Counter[str], as_of: int) -> None:
        self.session.load_label_counts(counts, as_of)
        self._refresh_side()
        # Startup is over. What exists now (Textual's widgets, the schema, the article) lives
        # as long as the screen: moved out of the collector's way, a full collection no
        # longer takes ~55 ms in the middle of a key (seen in benchmarks/annotate.py)
        gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()

    # --- bindings ------------------------------------------------------------------------

    async def _poll_others(self) -> None:
        await self._synced()
        if not self.session.read_only and self.session.checkpoint_due():
            self._checkpoint()

    @work(thread=True, exclusive=True, group="checkpoint")
    def _checkpoint(self) -> None:
        # the WAL folded into the database while the annotator pauses, on a connection of
        # the thread's own, so that no key's COMMIT pays it (store/checkpoints.py)
        self.session.checkpoint()

    async def action_toggle_slot(self, slot: int) -> None:
        label = self.schema.labels[slot]
        self.label_cursor = slot  # the definition shown follows the last label used
        await self._edit(lambda: self.session.toggle(label.name))

    async def action_field_slot(self, slot: int) -> None:
        key = self._field_values[slot]
        await self._edit(lambda: self.session.set_field_key(key))

    async def action_confirm(self) -> None:
        await self._edit(self.session.confirm)
        self._look_for_retrain()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the accept keys exist only where suggestions are shown (footer included)
        if action in ("accept_suggestions", "accept_boilerplate"):
            return self.session.suggesting
        if action in ("agreement", "agreement_closed"):
            # not offered where it would be refused (audit14 F7: a served annotator of a
            # blind project saw "R Agree" in the footer); R then says why, unadvertised
            return self._agreement_open() == (action == "agreement")
        return True

    def _agreement_open(self) -> bool:
        allowed = getattr(self.app, "agreement_allowed", True)
        return bool(allowed() if callable(allowed) else allowed)

    async def action_accept_suggestions(self) -> None:
        await self._edit(lambda: accept_current(self.session))

    async def action_accept_boilerplate(self) -> None:
        await self._edit(lambda: self._boilerplate())
        self._look_for_retrain()

    def _boilerplate(self) -> Outcome:
        before = set(furniture(self.session))
        out = accept_boilerplate(self.session)
        view = self.query_one(ArticleView)
        first = self.session.article.first_sentence_id
        for sid in before:  # the current row is redrawn by _after
            view.update_row(sid - first, self._row(sid - first))
        return out

    async def action_move(self, step: int) -> None:
        await self._edit(lambda: self.session.move(step), edits=False)

    async def action_article(self, step: int) -> None:
        await self._edit(lambda: self.session.change_article(step), edits=False)

    async def action_next_unconfirmed(self) -> None:
        await self._edit(self.session.next_unconfirmed, edits=False)

    async def action_undo(self) -> None:
        await self._edit(self.session.undo)

    async def action_redo(self) -> None:
        await self._edit(self.session.redo)

    def action_scroll_sentence(self, step: int) -> None:
        self.query_one(ArticleView).scroll_within(step)

    def action_label_cursor(self, step: int) -> None:
        self.label_cursor = (self.label_cursor + step) % len(self.schema.labels)
        self._refresh_side()

    @on(ArticleView.Clicked)
    async def row_clicked(self, event: ArticleView.Clicked) -> None:
        index = event.index
        await self._edit(lambda: self.session.move_to(index), edits=False)
