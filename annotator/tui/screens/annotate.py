"""The annotation screen: one article, one sentence at a time, labels on single keys.

Every key goes through a binding with an id (label keys are slots remapped from the schema
with `App.set_keymap`), to an action that calls the session, which commits before it
returns; only then is the screen updated. A failed write is shown as such and changes
nothing on screen.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from annotator.models.errors import DatabaseBusy, StoreError, WriteFailed
from annotator.safetext import printable
from annotator.schema import FieldSpec
from annotator.session import AnnotationSession, Outcome, SessionError
from annotator.suggesting import (
    accept_boilerplate,
    accept_current,
    best_per_label,
    furniture,
    retrain_if_due,
)
from annotator.suggesting import reload as reload_suggestions
from annotator.tui.dialogs.article_form import ArticleForm, FormField

if TYPE_CHECKING:
    from annotator.tui.dialogs.guideline import GuidelineModal
from annotator.tui.dialogs.picker import ArticlePicker, PickerEntry
from annotator.tui.dialogs.text_prompt import TextPrompt
from annotator.tui.keymap import field_slot_values, slot_bindings
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
from annotator.tui.widgets.rows import RowData, link_spans
from annotator.tui.widgets.suggested import SuggestedPanel, render_suggested

# the article comment, in the form beside the schema's fields (a free text; no agreement)
ARTICLE_COMMENT = FieldSpec(
    name="comment",
    title="Comment on the article",
    level="text",
    description="Why a field is empty, doubts, what to ask the team (enter edits; "
    "several lines, ctrl+s saves)",
)

# the article's outlet, settable: scraped articles often have none, and without one the
# outlet's fields cannot be reached
OUTLET_NAME = FieldSpec(
    name="outlet",
    title="Outlet (its name)",
    level="text",
    description="Who published the article; once set, A again shows the outlet's fields",
)

NARROW = 100
WIDE = 160
SIDE = 38  # the side panel's width in app.tcss
MEASURE = 112  # the article column's width in a wide terminal: lines of about 105 characters


class AnnotateScreen(Screen[None]):
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
        Binding(
            "right_square_bracket", "article(1)", "Next article", show=False, id="next_article"
        ),
        Binding(
            "left_square_bracket", "article(-1)", "Prev article", show=False, id="previous_article"
        ),
        Binding("g", "next_unconfirmed", "To do", id="next_unconfirmed"),
        Binding("z,backspace", "undo", "Undo", id="undo"),
        Binding("c", "comment", "Comment", id="comment"),
        Binding("A", "article_form", "Article", id="article_form"),
        Binding("o", "open_article", "Open", id="open_article"),
        Binding("question_mark", "guideline", "Guide", id="guideline"),
        Binding("R", "agreement", "Agree", id="agreement"),
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
        screen_class: type[AnnotateScreen] = type(
            cls.__name__, (cls,), {"BINDINGS": [*cls.BINDINGS, *slot_bindings(session.schema)]}
        )
        return screen_class(session)

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__()
        self.session = session
        self.schema = session.schema
        self.label_cursor = 0
        self._field_values = field_slot_values(self.schema)
        self._shown_fields: dict[str, Any] | None = None
        self._heights: tuple[int, list[int]] = (-1, [])
        self._lock_watch: Timer | None = None
        self._link_lines = 0
        self._header_of: object = None  # the article the header shows
        self._guideline: GuidelineModal | None = None
        self._suggested_for: object = None  # what the suggestions panel shows
        # narrow: messages go to the legend's second line (toasts would cover the sentence
        # being read), until the next key
        self._note: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield ArticleHeader(id="article-header", markup=False)
        yield ProgressLine(id="progress")
        yield LegendLine(id="legend-line")
        with Horizontal(id="main"):
            yield ArticleView(self.schema, id="sentences")
            with VerticalScroll(id="side"):
                yield Legend(id="legend")
                yield SuggestedPanel(id="suggested")
                yield ArticleFields(id="article-fields", markup=False)
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
        if narrow != was_narrow:
            self._show_header()  # one line when narrow
        progress = self.query_one(ProgressLine)
        if not progress.has_class("-error"):
            self._refresh_progress()  # short words when narrow; an error stays as it is
        # the one-line legend is cut to its width, known after this layout
        self.call_after_refresh(self._refresh_side)

    async def on_mount(self) -> None:
        self.session.be_brief(self.WRITE_WAIT_S)
        await self._show_article()
        self._load_counts()
        if self.session.read_only:
            # say it before the first key, not only after it (the progress line says it on)
            path = printable(str(self.session.store.path))
            message = f"{path} cannot be written: nothing done here is saved"
            self._refresh_progress()
            self._tell(message, "warning", title="Read-only", timeout=10)
        # an idle screen notices another session's changes too (a pragma, no table read)
        self.set_interval(self.POLL_S, self._poll_others)
        if self.session.suggesting and not self.session.read_only:
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
        if ready:
            self.app.call_from_thread(self._model_ready)

    def _model_ready(self) -> None:
        reload_suggestions(self.session)
        view = self.query_one(ArticleView)
        for i in range(len(self.session.sentences)):
            view.update_row(i, self._row(i))
        self._refresh_side()

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
        self.query_one(ArticleHeader).show(s.article, s.sentences[0].text if s.sentences else None)

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
        line.show(
            render_legend_line(
                self.schema, s.current_state, links, width, self.label_cursor, self._note
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
        """Say something: on the legend's second line when narrow (a toast would cover a
        third of the text at 80x24), else as a toast."""
        text = printable(message)
        if self.has_class("-narrow"):
            self._note = (" ".join(f"{title}: {text}".split()) if title else text, severity)
            self._refresh_legend_line()
        else:
            self.notify(text, title=title, severity=severity, markup=False, timeout=timeout)

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
        if out.moved_article:
            await self._show_article()
        else:
            if self.session.article is not self._header_of:  # its outlet changed (undo)
                self._show_header()
            self._refresh_current(previous)
            if previous != self.session.index:
                self.query_one(ArticleView).move_cursor(self.session.index)
                self._refresh_current()
            self._refresh_side()
            self._refresh_progress()
        self._say(out)

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

    async def _poll_others(self) -> None:
        await self._synced()

    def _waiting(self) -> None:
        """Another process holds the write lock: say so, keep the screen readable, and
        watch for the lock to be given back."""
        self.query_one(ProgressLine).error(
            "WAITING for the database: another process holds its write lock (an import?). "
            "That key was NOT saved. Keep reading; press it again when this line clears."
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
        self._note = None  # a message stays until the next key (then the line is redrawn)
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
        try:
            out = do()
        except (WriteFailed, StoreError) as e:
            self._failed(e)
            return
        except SessionError as e:
            self._tell(str(e))
            return
        await self._after(out, previous=previous)

    async def action_toggle_slot(self, slot: int) -> None:
        label = self.schema.labels[slot]
        self.label_cursor = slot  # the definition shown follows the last label used
        await self._edit(lambda: self.session.toggle(label.name))

    async def action_field_slot(self, slot: int) -> None:
        key = self._field_values[slot]
        await self._edit(lambda: self.session.set_field_key(key))

    async def action_confirm(self) -> None:
        await self._edit(self.session.confirm)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the accept keys exist only where suggestions are shown (footer included)
        if action in ("accept_suggestions", "accept_boilerplate"):
            return self.session.suggesting
        return True

    async def action_accept_suggestions(self) -> None:
        await self._edit(lambda: accept_current(self.session))

    async def action_accept_boilerplate(self) -> None:
        await self._edit(lambda: self._boilerplate())

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

    def action_label_cursor(self, step: int) -> None:
        self.label_cursor = (self.label_cursor + step) % len(self.schema.labels)
        self._refresh_side()

    @on(ArticleView.Clicked)
    async def row_clicked(self, event: ArticleView.Clicked) -> None:
        index = event.index
        await self._edit(lambda: self.session.move_to(index), edits=False)

    def action_comment(self) -> None:
        s = self.session

        async def done(text: str | None) -> None:
            if text is not None:
                await self._edit(lambda: s.comment(text))

        self.app.push_screen(
            TextPrompt(
                "Comment on this sentence",
                s.current.text,
                s.current_state.comment,
                "why, doubts, what to ask the team",
                multiline=True,
            ),
            done,
        )

    async def action_guideline(self) -> None:
        # imported here: the Markdown widget costs 45 ms at startup, for a dialog on demand
        from annotator.tui.dialogs.guideline import GuidelineModal

        lab = self.schema.labels[self.label_cursor]
        g = self.session.guidelines
        # one modal for the app's life: the full guidelines are rendered on the first `? ?`
        # only (seconds under load), then shown and hidden
        if self._guideline is None:
            self._guideline = GuidelineModal(g.section(lab.name), g.markdown, lab.name)
            self.app.install_screen(self._guideline, name="guidelines")
        else:
            self._guideline.show_label(g.section(lab.name), lab.name)
        await self.app.push_screen("guidelines")

    def action_article_form(self) -> None:
        s = self.session
        fields = [
            FormField("article", f, s.article_fields.get(f.name))
            for f in self.schema.article_fields
        ]
        fields.append(FormField("comment", ARTICLE_COMMENT, s.article_comment))
        fields.append(FormField("outlet_name", OUTLET_NAME, s.article.outlet))
        if s.article.outlet_id is not None:
            known = s.outlet_fields()
            for f in self.schema.outlet_fields:
                value, who, when = known.get(f.name, (None, "", ""))
                note = f"by {who}, {when[:10]}" if who else ""
                fields.append(FormField("outlet", f, value, note))

        def save(scope: str, name: str, value: Any) -> str | None:
            try:
                if scope == "comment":
                    out = s.set_article_comment(value)
                elif scope == "outlet_name":
                    out = s.set_article_outlet(value)
                elif scope == "article":
                    out = s.set_article_field(name, value)
                else:
                    out = s.set_outlet_field(name, value)
            except StoreError as e:
                self._failed(e)
                return f"NOT SAVED: {e}"
            return None if out.saved else out.message

        def closed(_: None) -> None:
            self._note = None  # "its article form needs ..." is stale once the form was open
            self._refresh_side()
            self._refresh_progress()  # narrow, it counts the form's fields
            self._show_header()  # the outlet may have been set

        self.app.push_screen(
            ArticleForm(s.article.display_title, fields, save, s.guidelines), closed
        )

    def action_open_article(self) -> None:
        entries = [
            PickerEntry(a.id, a.display_title, a.outlet, done, a.sentence_count)
            for a, done in self.session.article_list()
        ]
        self._refresh_progress()  # the list re-reads the queue, which may have grown

        async def chosen(article_id: int | None) -> None:
            if article_id is not None and article_id != self.session.article.id:
                await self._edit(lambda: self.session.open_article(article_id))

        picker = ArticlePicker(entries, self.session.article.id, queue=bool(self.session.queue))
        self.app.push_screen(picker, chosen)

    async def open_article(self, article_id: int) -> None:
        """For the command palette."""
        await self._edit(lambda: self.session.open_article(article_id))

    def action_agreement(self) -> None:
        opener = getattr(self.app, "open_agreement", None)
        if opener is not None:
            opener()
