"""Undo and redo in an annotator's session: the last change taken back (also one from an
earlier run), and put back until another change is made; a batch written by one key (B)
taken back and put back by one key. A part of `AnnotationSession` (session.py), sharing its
attributes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Protocol

from annotator.labeling import SentenceState
from annotator.models.articles import Article, Sentence
from annotator.schema import LabelSchema
from annotator.session_moves import Outcome
from annotator.store import articles as arts
from annotator.store import fields
from annotator.store.database import Store
from annotator.store.redo import redo_last
from annotator.store.undo import undo_last

# the mark of one step of a change that spans sentences (suggesting.accept_boilerplate)
BATCH_STEP = re.compile(r"\((\d+) of (\d+)\)$")


class _Session(Protocol):
    """What undo and redo use of AnnotationSession."""

    store: Store
    schema: LabelSchema
    annotator_id: int
    session_id: str
    article: Article
    index: int
    article_fields: dict[str, Any]
    article_comment: str | None
    undo_passed: set[int]
    started_at: str

    @property
    def current(self) -> Sentence: ...

    def refused_off_team(self) -> Outcome | None: ...

    def _goto_sentence(self, sentence_id: int) -> bool: ...

    def _remember(self) -> None: ...

    def open_article(self, article_id: int) -> Outcome: ...

    def _committed(
        self,
        sentence_id: int,
        before: SentenceState,
        state: SentenceState,
        event_id: int | None,
    ) -> None: ...

    def _undo_batch(self, *, redo: bool) -> Outcome: ...

    def _undo_one(self, *, redo: bool = False) -> Outcome: ...


class Undoing:
    def undo(self: _Session) -> Outcome:
        """Take back the last change (also one from an earlier run). Several sentences
        written by one key (B: "accept BOILERPLATE, confirm (3 of 16)") are undone by one
        key too, back to the first of them."""
        return self._undo_batch(redo=False)

    def redo(self: _Session) -> Outcome:
        """Put back what the last undo took back, until another change is made (audit7
        F18); a batch undone by one key is put back by one key, all of it."""
        return self._undo_batch(redo=True)

    def _undo_batch(self: _Session, *, redo: bool) -> Outcome:
        if refused := self.refused_off_team():
            return refused
        was = (self.article.id, self.index)
        out = self._undo_one(redo=redo)
        moved = out.moved_article
        steps = 1
        touched = [self.current.id]
        # undo goes back to step 1 of the batch, redo on to its last step
        while (m := BATCH_STEP.search(out.message or "")) and (
            int(m.group(1)) < int(m.group(2)) if redo else int(m.group(1)) > 1
        ):
            out = self._undo_one(redo=redo)
            moved = moved or out.moved_article
            steps += 1
            touched.append(self.current.id)
        if steps > 1:
            # audit9a F13(c): each step moves to its sentence, which left the cursor on the
            # batch's first (undo) or last (redo): it stays, unless in another article
            if self.article.id == was[0]:
                self.index = was[1]
            else:
                self._goto_sentence(min(touched))
            self._remember()
            if out.message and (m := BATCH_STEP.search(out.message)):
                # audit7 F19: "undone: ... (1 of 26)" read as one of 26 undone, not all of them
                out = replace(out, message=f"{out.message[: m.start()]}({steps} sentences)")
        return replace(out, moved_article=moved, changed=tuple(touched))

    def _undo_one(self: _Session, *, redo: bool = False) -> Outcome:
        if redo:
            done = redo_last(
                self.store,
                annotator_id=self.annotator_id,
                schema_hash=self.schema.hash,
                session=self.session_id,
            )
        else:
            done = undo_last(
                self.store,
                annotator_id=self.annotator_id,
                schema_hash=self.schema.hash,
                session=self.session_id,
                passed=self.undo_passed,
            )
        if done is None:
            return Outcome("nothing to redo" if redo else "nothing to undo")
        moved = False
        if done.passed is not None:
            # its sentence holds another answer now (merged from a copy, another window,
            # an import): putting back its `before` would erase that (audit14 F2)
            self.undo_passed.add(done.undid)
            if done.sentence_id is not None:
                moved = self._goto_sentence(done.sentence_id)
            return Outcome(
                f"not undone: {done.action}: {done.passed}; z again goes on to earlier changes",
                moved_article=moved,
            )
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
        said = "redone" if redo else "undone"
        message = f"{said}: {done.action}"
        made_in, made_at = done.made
        if not redo and made_in not in (None, self.session_id) and made_at >= self.started_at:
            # the same annotator in two windows (or tabs): undo is theirs, not the window's;
            # say whose change this was (audit14 F5: it read as this window's)
            message += f" (made at {made_at[11:19]} in your other window)"
        return Outcome(message, moved_article=moved, saved=True)
