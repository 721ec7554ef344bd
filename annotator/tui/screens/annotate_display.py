"""What the annotation screen shows, and the one road from a session call to the screen.

The layout (header, progress line, sentences, side panel, footer) and how it adapts to the
terminal's width; each part redrawn from the session; messages (a toast, or the legend's
line when narrow); a write that failed or waits for another process's lock; and `_edit`,
through which every key reaches the session and then the screen.

Apart from annotate.py (the keys and what they do) and annotate_dialogs.py (the dialogs a
key opens) so that what is drawn can be read, and changed, in one place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from annotator.models.errors import DatabaseBusy, StoreError, WriteFailed
from annotator.safetext import printable
from annotator.session import AnnotationSession, Outcome, SessionError
from annotator.session_forms import OFF_TEAM
from annotator.suggesting import (
    best_per_label,
)
from annotator.tui.widgets.article_view import ArticleView
from annotator.tui.widgets.footer import KeyFooter
from annotator.tui.widgets.header import ArticleHeader, Progress, ProgressLine
from annotator.tui.widgets.legend import (
    ArticleFields,
    Legend,
    LegendLine,
    definition_heights,
    render_article_fields,
    render_legend,
    render_legend_line,
)
from annotator.tui.widgets.messages import Message, MessageLog
from annotator.tui.widgets.rows import RowData, link_spans
from annotator.tui.widgets.suggested import SuggestedPanel, render_suggested

NARROW = 100
WIDE = 160
SIDE = 38  # the side panel's width in app.tcss
MEASURE = 112  # the article column's width in a wide terminal: lines of about 105 characters


class SidePanel(VerticalScroll, can_focus=False):
    """The side panel scrolls with the mouse, never takes the focus: focused (it was, as the
    first focusable widget), its scroll keys came before the screen's, so pgdn/pgup scrolled
    it instead of the sentence, ↑/↓ too once it overflowed, and the Keys panel listed ten
    scroll keys that did nothing (audit9a F7)."""


class AnnotateDisplay(Screen[None]):
    """The screen's parts, drawn from the session; AnnotateScreen adds the keys."""

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__()
        self.session = session
        self.schema = session.schema
        self.label_cursor = 0
        self._shown_fields: dict[str, Any] | None = None
        self._heights: tuple[int, list[int]] = (-1, [])
        self._lock_watch: Timer | None = None
        self._link_lines = 0
        self._header_of: object = None  # the article the header shows
        self._suggested_for: object = None  # what the suggestions panel shows
        # narrow: messages go to the legend's second line (toasts would cover the sentence
        # being read); one stays until it has been in view long enough to be read, then
        # goes at the next key (monotonic time it may go at)
        self._note: tuple[str, str] | None = None
        self._note_until = 0.0
        self._toast = ("", 0.0)  # the toast in view and until when
        self._note_lacking = False

    def compose(self) -> ComposeResult:
        yield ArticleHeader(id="article-header", markup=False)
        yield ProgressLine(id="progress")
        yield LegendLine(id="legend-line")
        with Horizontal(id="main"):
            yield ArticleView(self.schema, id="sentences")
            with SidePanel(id="side"):
                yield Legend(id="legend")
                yield SuggestedPanel(id="suggested")
                yield ArticleFields(id="article-fields", markup=False)
                yield MessageLog(id="messages")
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        # below this width the side panel would squeeze the sentences: one legend line instead
        narrow = event.size.width < NARROW
        was_narrow = self.has_class("-narrow")
        self.set_class(narrow, "-narrow")
        wide = event.size.width >= WIDE
        self.set_class(wide, "-wide")
        # wide: the sentences keep a readable measure and the side panel takes the rest
        # (its definitions and source types wrap less); below, the stylesheet's 38 columns
        self.query_one("#side").styles.width = (
            max(SIDE, event.size.width - MEASURE) if wide else None
        )
        footer = self.query_one(KeyFooter)
        footer.compact = narrow
        footer.show_command_palette = not narrow  # ctrl+p still opens it
        footer.refresh(recompose=True)  # its words are shorter below 80 columns
        if not (self.is_mounted and self.session.sentences):
            return
        if narrow or narrow != was_narrow:
            self._show_header()  # one line when narrow, the title cut to leave the byline
        progress = self.query_one(ProgressLine)
        if not progress.has_class("-error"):
            self._refresh_progress()  # short words when narrow; an error stays as it is
        # the one-line legend is cut to its width, known after this layout
        self.call_after_refresh(self._refresh_side)

    # --- rendering -----------------------------------------------------------------------

    def _row(self, index: int) -> RowData:
        s = self.session.sentences[index]
        others = tuple(self.session.others.get(s.id, ())) if self.session.show_others else ()
        state = self.session.state_of(s.id)
        suggested = tuple(
            x.label
            for x in best_per_label(self.session.suggested.get(s.id, ()))
            if x.label not in state.labels
        )
        return RowData(s, state, others, suggested=suggested)

    async def _show_article(self) -> None:
        # the side panel keeps room for as many links as a sentence of this article has
        self._link_lines = max((len(x.links) for x in self.session.sentences), default=0)
        self._show_header()
        rows = [self._row(i) for i in range(len(self.session.sentences))]
        self.query_one(ArticleView).show_article(rows, self.session.index)
        self._refresh_side()
        self._refresh_progress()
        self.refresh_bindings()  # the accept keys: this article may show suggestions or not

    def _show_header(self) -> None:
        s = self.session
        self._header_of = s.article
        first = s.sentences[0].text if s.sentences else None
        self.query_one(ArticleHeader).show(s.article, first, self.app.size.width)

    def _refresh_current(self, index: int | None = None) -> None:
        i = self.session.index if index is None else index
        self.query_one(ArticleView).update_row(i, self._row(i))

    def _refresh_side(self) -> None:
        s = self.session
        legend = self.query_one(Legend)
        # pad the definition under the cursor to the longest one, so that moving the label
        # cursor never changes the legend's size (and never costs a re-layout)
        width = legend.content_region.width
        if self._heights[0] != width:
            self._heights = (width, definition_heights(self.schema, legend.styles, width))
        heights = self._heights[1]
        pad = max(heights) - heights[self.label_cursor]
        cur = s.current
        links = tuple((cur.text[a:b], url) for a, b, url in link_spans(cur))
        most = self._link_lines
        legend.show(
            render_legend(
                self.schema, s.label_counts, self.label_cursor, s.current_state, pad, links, most
            )
        )
        shown = {**s.article_fields, "\0comment": s.article_comment}
        if shown != self._shown_fields:  # they change only on form and undo
            self._shown_fields = shown
            self.query_one(ArticleFields).update(
                render_article_fields(self.schema, s.article_fields, s.article_comment)
            )
        # the suggestions panel changes with the sentence, not with a key's labels: redrawn
        # only when the cursor (or the article's suggestions) moved
        sugg = (s.suggesting, cur.id, s.suggested.get(cur.id))
        if sugg != self._suggested_for:
            self._suggested_for = sugg
            panel = self.query_one(SuggestedPanel)
            panel.set_class(s.suggesting, "-on")
            if s.suggesting:
                panel.update(render_suggested(tuple(best_per_label(sugg[2] or ())), self.schema))
        self._refresh_legend_line(links)

    def _refresh_legend_line(self, links: tuple[tuple[str, str], ...] | None = None) -> None:
        s = self.session
        if links is None:
            links = tuple((s.current.text[a:b], url) for a, b, url in link_spans(s.current))
        line = self.query_one(LegendLine)
        width = line.content_region.width
        # the side panel's Suggested block is hidden here: what it says goes on this line
        state = s.current_state
        suggested = tuple(
            x
            for x in best_per_label(s.suggested.get(s.current.id, ()))
            if x.label not in state.labels
        )
        line.show(
            render_legend_line(
                self.schema, state, links, width, self.label_cursor, self._note, suggested
            )
        )

    def _tell(
        self,
        message: str,
        severity: SeverityLevel = "information",
        *,
        title: str = "",
        timeout: float = 3,
    ) -> None:
        """Say something where it covers no text: narrow, on the legend's second line (a
        toast would cover a third of the text at 80x24); wide, in the side panel's message
        list (its lower half is empty there); in between, as a toast."""
        text = printable(message)
        said = " ".join(f"{title}: {text}".split()) if title else text
        # kept at every width (hidden but narrow and in between), so a wider terminal
        # shows what was said before it was widened
        self.query_one(MessageLog).add(Message(time.strftime("%H:%M:%S"), said, severity))
        if self.has_class("-narrow"):
            self._note = (said, severity)
            self._note_until = time.monotonic() + self.reading_time(said)
            # said beside the source-type choices, it is about them: answered once given
            self._note_lacking = self._lacking()
            self._refresh_legend_line()
        elif not self.has_class("-wide"):
            if self._toast[0] == said and time.monotonic() < self._toast[1]:
                return  # in view already: once is enough (audit15d F6: six Enters, six toasts)
            self._toast = (said, time.monotonic() + timeout)
            self.notify(text, title=title, severity=severity, markup=False, timeout=timeout)

    READ_MIN_S = 1.5
    """The least time a narrow message stays in view, keys or not (it used to go at the
    next key, before it could be read)..."""
    READ_CPS = 15.0
    """...plus its length at this many characters a second..."""
    READ_MAX_S = 5.0
    """...but no longer than this: a long message is cut to the line anyway."""

    @classmethod
    def reading_time(cls, text: str) -> float:
        return min(cls.READ_MAX_S, cls.READ_MIN_S + len(text) / cls.READ_CPS)

    def _lacking(self) -> bool:
        state = self.session.current_state
        return any(
            sf.label in state.labels and state.field(sf.name) is None
            for sf in self.schema.sentence_fields
        )

    def _note_read(self) -> None:
        """A key: the message goes if it was in view long enough to be read."""
        if self._note is not None and time.monotonic() >= self._note_until:
            self._note = None

    def _note_answered(self) -> None:
        """After a key: a message about the missing source type goes once it is given."""
        if self._note is not None and self._note_lacking and not self._lacking():
            self._note = None

    def _refresh_progress(self) -> None:
        if self._lock_watch is not None:
            return  # the line says that we wait for the database until we no longer do
        s = self.session
        queue = bool(s.queue)  # with assignments: the place in the annotator's queue
        self.query_one(ProgressLine).show_progress(
            Progress(
                sentence=s.index + 1,
                sentences=len(s.sentences),
                article=s.queue_position if queue else s.article_rank,
                articles=len(s.queue) if queue else s.article_total,
                article_confirmed=s.article_confirmed,
                corpus_percent=s.queue_percent if queue else s.corpus_percent,
                annotator=s.annotator,
                blind=not s.show_others,
                blind_project=s.blind_project,
                read_only=s.read_only,
                queue=queue,
                form=(len(s.article_fields), len(self.schema.article_fields)),
            )
        )

    def _say(self, out: Outcome) -> None:
        if out.message:
            self._tell(out.message)

    def _failed(self, error: StoreError) -> None:
        # the write did not happen: say so plainly, and leave the screen as it was
        if isinstance(error, DatabaseBusy):
            self._waiting()
            return
        self.query_one(ProgressLine).error(f"NOT SAVED: {error}")
        self._tell(str(error), "error", title="Not saved", timeout=8)

    async def _after(self, out: Outcome, *, previous: int) -> None:
        """Bring the screen up to date after the session did something."""
        self._note_answered()
        if out.moved_article:
            # a message about the article just left ("article complete: ... press A") must
            # not stay under the next one's title, where A opens that one's form (audit9a
            # F12); what the move itself says is said below
            self._note = None
            await self._show_article()
        else:
            if self.session.article is not self._header_of:  # its outlet changed (undo)
                self._show_header()
            self._refresh_current(previous)
            view = self.query_one(ArticleView)
            first, n = self.session.article.first_sentence_id, len(self.session.sentences)
            for sid in out.changed:  # an undone batch: every row it changed (audit9a F13)
                if 0 <= sid - first < n:
                    view.update_row(sid - first, self._row(sid - first))
            if previous != self.session.index:
                self.query_one(ArticleView).move_cursor(self.session.index)
                self._refresh_current()
            self._refresh_side()
            self._refresh_progress()
        self._say(out)

    # --- the road from a key to the screen -----------------------------------------------

    async def _synced(self) -> set[int] | None:
        """Repaint what another session of this annotator changed (a second terminal);
        returns the changed sentences of this article, None if nothing changed elsewhere."""
        try:
            changed = self.session.sync()
        except StoreError:
            return None  # cannot read now: the key itself will say so if it must write
        if changed is None:
            return None
        view = self.query_one(ArticleView)
        for sid in changed:
            i = sid - self.session.article.first_sentence_id
            if 0 <= i < len(self.session.sentences):
                view.update_row(i, self._row(i))
        if self.session.show_others:
            for i in range(len(self.session.sentences)):
                view.update_row(i, self._row(i))
        self._shown_fields = None
        self._refresh_side()
        self._refresh_progress()
        return changed

    def _waiting(self) -> None:
        """Another process holds the write lock: say so, keep the screen readable, and
        watch for the lock to be given back."""
        # what the annotator must do first: the line is cut at the edge, and at 80 columns
        # "NOT saved" was past it, so the key read as applied once the lock went (audit9a F10)
        self.query_one(ProgressLine).error(
            "Key NOT saved, press it again when this line clears: WAITING for the database "
            "(another process holds its write lock: an import?). Keep reading meanwhile."
        )
        if self._lock_watch is None:
            self._lock_watch = self.set_interval(0.5, self._watch_lock)

    def _watch_lock(self) -> None:
        if not self.session.lock_is_free():
            return
        if self._lock_watch is not None:
            self._lock_watch.stop()
            self._lock_watch = None
        self._refresh_progress()
        self._tell("the database is free again")

    async def _edit(self, do: Callable[[], Outcome], *, edits: bool = True) -> None:
        previous = self.session.index
        self._note_read()  # the line is redrawn with the screen, below
        changed = await self._synced()
        if (
            edits
            and changed is not None
            and (self.session.current.id in changed or do == self.session.undo)
        ):
            # the key was meant for what the screen showed, which another session of this
            # annotator has just changed: never apply it to a state the annotator did not see
            self._tell(
                "changed in another session of "
                f"{self.session.annotator}: the screen now shows what is stored; "
                "press the key again if you still mean it",
                "warning",
                timeout=6,
            )
            return
        if edits and self.session.off_team:
            self._tell(OFF_TEAM, "warning", timeout=8)
            return
        try:
            out = do()
        except (WriteFailed, StoreError) as e:
            self._failed(e)
            return
        except SessionError as e:
            self._tell(str(e))
            return
        await self._after(out, previous=previous)
