"""The adjudication screen: one disputed item at a time, every annotator's version side by
side, gold decided with single keys (a digit takes a version, label keys edit it)."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from annotator.adjudication import AdjudicationSession, Item
from annotator.models.errors import StoreError
from annotator.safetext import printable
from annotator.schema import LabelSchema
from annotator.session import Outcome
from annotator.tui.dialogs.text_prompt import TextPrompt
from annotator.tui.dialogs.value_choice import ValueChoice
from annotator.tui.keymap import slot_bindings
from annotator.tui.text import chip, literal
from annotator.tui.widgets.footer import FittingFooter

REFRESH_SECONDS = 3.0  # how often the queue looks for what others committed
NARROW = 100  # below this width the side panel goes, as on the annotation screen


def _chips(
    schema: LabelSchema, labels: tuple[str, ...], fields: tuple[tuple[str, str], ...]
) -> list[Content | str | tuple[str, str]]:
    out: list[Content | str | tuple[str, str]] = []
    for name in labels:
        extra = "".join(
            f"·{v}"
            for k, v in fields
            if any(sf.name == k and sf.label == name for sf in schema.sentence_fields)
        )
        color = schema.color(name) if name in schema.label_names else "#808080"
        out += [chip(name + extra, color), " "]
    return out or [("(nothing)", "$text-muted")]


def render_context(s: AdjudicationSession, item: Item) -> Content:
    """What is judged: the sentence between its neighbours, or the article of a field."""
    parts: list[Content | str | tuple[str, str]] = []
    if item.kind == "sentence":
        before, sentence, after = s.context(item)
        assert sentence is not None
        if before is not None:
            parts += [literal(before.text, "$text-muted"), "\n\n"]
        parts += [
            # 1-based, the number the annotation screen shows ("Sentence 7/12")
            (f"{sentence.kind} #{sentence.position + 1}  ", "$text-muted"),
            literal(sentence.text, "bold"),
        ]
        if after is not None:
            parts += ["\n\n", literal(after.text, "$text-muted")]
    else:
        spec = s.schema.article_field(item.field or "")
        parts += [
            ("Article field  ", "$text-muted"),
            literal(spec.title, "bold"),
            (f"  ({spec.level})", "$text-muted"),
            "\n",
            literal(s.article(item.article_id).display_title, "italic"),
        ]
    return Content.assemble(*parts)


def render_decision(s: AdjudicationSession, item: Item) -> Content:
    """The versions, the gold and what is disputed: kept in view whatever the context's
    length (at 80x24 too)."""
    schema = s.schema
    parts: list[Content | str | tuple[str, str]] = []
    if item.kind == "sentence":
        parts += [
            ("Versions", "bold underline"),
            ("   digit takes one as gold", "$text-muted"),
            "\n",
        ]
        for i, v in enumerate(item.versions):
            parts += [
                (f" {i + 1} ", "bold reverse"),
                " ",
                literal(s.display_name(v.annotator, i).ljust(14), "bold"),
                " ",
            ]
            parts += _chips(schema, v.labels, v.fields)
            if v.comment:
                parts += ["  ", literal(f"“{v.comment}”", "italic $text-muted")]
            parts.append("\n")
        decided = s.gold(item)
        parts += [("Gold  ", "bold underline")]
        if decided is None:
            parts.append(("not decided", "$warning"))
        else:
            parts += _chips(schema, decided.labels, decided.fields)
            agree = ", ".join(
                s.display_name(n, item.annotators.index(n)) if n in item.annotators else n
                for n in decided.agrees_with
            )
            parts += [
                "\n",
                (f"{decided.method}", "$success"),
                # whose decision it is: two adjudicators share the queue (audit14 F1)
                literal(f" by {decided.adjudicator}" if decided.adjudicator else ""),
                literal(f"  agrees with: {agree or 'nobody'}", "$text-muted"),
            ]
            if decided.note:
                parts += ["\n", literal(f"note: {decided.note}", "italic")]
            if item.stale:
                parts += [
                    "\n",
                    (
                        "answers confirmed since this decision: Enter keeps it, "
                        "a digit or a label key decides again",
                        "$warning",
                    ),
                ]
    else:
        spec = schema.article_field(item.field or "")
        parts += [("Versions", "bold underline"), "\n"]
        for i, (name, value) in enumerate(item.values):
            c = spec.choice(value)
            parts += [
                (f" {i + 1} ", "bold reverse"),
                " ",
                literal(s.display_name(name, i).ljust(14), "bold"),
                " ",
                literal(c.title if c else str(value)),
                "\n",
            ]
        field_gold = s.gold_field(item)
        parts += [("Gold  ", "bold underline")]
        if field_gold is None:
            parts.append(("not decided", "$warning"))
        else:
            c = spec.choice(field_gold.value)
            parts += [
                literal(c.title if c else str(field_gold.value), "bold"),
                "  ",
                (field_gold.method, "$success"),
            ]
            if field_gold.note:
                parts += ["\n", literal(f"note: {field_gold.note}", "italic")]
    if item.disputed:
        parts += ["\n", ("disputed: ", "$text-muted"), literal(", ".join(item.disputed))]
    return Content.assemble(*parts)


class AdjudicateScreen(Screen[None]):
    BINDINGS = [
        Binding("enter,space", "accept", "Accept & next", id="adjudicate.accept"),
        Binding("j,down", "move(1)", "Next", id="adjudicate.next"),
        Binding("k,up", "move(-1)", "Prev", id="adjudicate.prev"),
        Binding("d", "defer", "Defer", id="adjudicate.defer"),
        # priority: keys typed right after it go to the note (dialogs/type_ahead.py)
        Binding("c", "note", "Note", id="adjudicate.note", priority=True),
        Binding("t", "source_type", "Source type", id="adjudicate.field"),
        Binding("z,backspace", "undo", "Undo", id="adjudicate.undo"),
        Binding("question_mark", "guideline", "Guideline", id="adjudicate.guideline"),
        Binding("r", "refresh_queue", "Refresh", id="adjudicate.refresh"),
        *[
            Binding(str(n), f"pick({n})", show=False, id=f"adjudicate.pick.{n}")
            for n in range(1, 10)
        ],
        # + label slots for the schema: see for_schema()
    ]

    @classmethod
    def for_schema(
        cls, session: AdjudicationSession, refresh_seconds: float = REFRESH_SECONDS
    ) -> AdjudicateScreen:
        screen_class: type[AdjudicateScreen] = type(
            cls.__name__,
            (cls,),
            {"BINDINGS": [*cls.BINDINGS, *slot_bindings(session.schema, fields=False)]},
        )
        return screen_class(session, refresh_seconds)

    def __init__(
        self, session: AdjudicationSession, refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        super().__init__()
        self.session = session
        self.refresh_seconds = refresh_seconds
        self._shown: Item | None = None  # the item on screen
        self._body_set = False
        self._head = ""
        self._decision_lines = 0
        self._busy = False  # the last timed refresh found the database locked

    def compose(self) -> ComposeResult:
        yield Static(id="adjudicate-progress", markup=False)
        with Horizontal(id="main"):
            with Vertical(id="adjudicate-item"):
                # the context scrolls; the versions and the gold below it stay in view
                with VerticalScroll(id="adjudicate-context"):
                    yield Static(id="adjudicate-body", markup=False)
                yield Static(id="adjudicate-decision", markup=False)
            with VerticalScroll(id="side"):
                yield Static(id="adjudicate-legend", markup=False)
        yield FittingFooter()

    def on_resize(self, event: events.Resize) -> None:
        # the side panel only repeats the keys the footer shows: give its room to the item
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_mount(self) -> None:
        s = self.session
        if s.auto_added or s.auto_withdrawn:
            self.notify(
                f"{s.auto_added} unanimous item(s) became gold, {s.auto_withdrawn} withdrawn",
                markup=False,
            )
        self.query_one("#adjudicate-legend", Static).update(self._legend())
        self.refresh_view()
        # what annotators confirm meanwhile joins the queue; a look costs one PRAGMA while
        # nobody else writes
        self.set_interval(self.refresh_seconds, self._poll)

    def _poll(self) -> None:
        try:
            out = self.session.refresh()
        except StoreError:
            if not self._busy:  # said once, not every few seconds
                self.notify(
                    "another process is writing to the database: the queue refreshes when "
                    "it is done (r tries now)",
                    severity="warning",
                    markup=False,
                )
            self._busy = True
            return
        self._busy = False
        if out is None:
            return
        self.refresh_view()
        if out.message:
            self.notify(out.message, markup=False, timeout=3)

    def action_refresh_queue(self) -> None:
        try:
            out = self.session.refresh(force=True) or Outcome("up to date")
        except StoreError:  # nothing was being saved: say what is going on, not NOT SAVED
            self.notify(
                "another process is writing to the database: press r again when it is done",
                severity="warning",
                markup=False,
            )
            return
        self._busy = False
        self.refresh_view()
        if out.message:
            self.notify(out.message, markup=False, timeout=3)

    def _legend(self) -> Content:
        s = self.session
        legend: list[Content | str | tuple[str, str]] = [("Gold labels", "bold"), "\n"]
        for lab in s.schema.labels:
            legend += [(f"{lab.key} ", "bold"), chip(lab.name, s.schema.color(lab.name)), "\n"]
        legend += [
            "\n",
            (
                "1-9 take a version\nt source type\nc note · d defer\n"
                "enter accept · z undo\nr refresh · ? guideline",
                "$text-muted",
            ),
        ]
        return Content.assemble(*legend)

    def refresh_view(self) -> None:
        """Repaint what a key changed. Within one item only the decision and the progress
        line change, and they are laid out again only if their height may have changed:
        a key must reach the screen within a frame."""
        s = self.session
        item = s.current
        head = literal(
            f"Adjudication by {s.adjudicator}: item {min(s.index + 1, len(s.items))}/"
            f"{len(s.items)} · "
            f"{s.decided} decided · {s.auto_added} became gold by unanimity this session"
            + (" · names hidden" if s.blind else ""),
            "bold",
        )
        if head.plain != self._head:
            self.query_one("#adjudicate-progress", Static).update(
                head, layout=len(head.plain) != len(self._head)
            )
            self._head = head.plain
        decision = self.query_one("#adjudicate-decision", Static)
        if item is None:
            if self._shown is not None or not self._body_set:
                body = self.query_one("#adjudicate-body", Static)
                body.update(
                    literal("Nothing to adjudicate: no confirmed annotations differ.", "bold")
                )
                decision.update("")
        else:
            if item is not self._shown or not self._body_set:  # another item: its context
                self.query_one("#adjudicate-body", Static).update(render_context(s, item))
                self.query_one("#adjudicate-context", VerticalScroll).scroll_home(animate=False)
            shown = render_decision(s, item)
            lines = shown.plain.split("\n")
            widest = max(len(line) for line in lines)
            same_height = len(lines) == self._decision_lines and widest < decision.size.width
            decision.update(shown, layout=not same_height or item is not self._shown)
            self._decision_lines = len(lines)
        self._shown = item
        self._body_set = True

    def _run(self, do: Callable[[], Outcome]) -> None:
        try:
            out: Outcome = do()
        except StoreError as e:
            self.notify(printable(f"NOT SAVED: {e}"), severity="error", markup=False, timeout=8)
            return
        self.refresh_view()
        if out.message:
            self.notify(printable(out.message), markup=False, timeout=3)

    def action_pick(self, n: int) -> None:
        self._run(lambda: self.session.pick(n))

    def action_toggle_slot(self, slot: int) -> None:
        name = self.session.schema.labels[slot].name
        self._run(lambda: self.session.toggle(name))

    def action_accept(self) -> None:
        self._run(self.session.accept)

    def action_move(self, step: int) -> None:
        self._run(lambda: self.session.move(step))

    def action_defer(self) -> None:
        self._run(self.session.defer)

    def action_undo(self) -> None:
        self._run(self.session.undo)

    def action_note(self) -> None:
        s = self.session
        item = s.current
        if item is None:
            return
        decided = s.gold(item) if item.kind == "sentence" else s.gold_field(item)
        current = decided.note if decided is not None else s.pending_note(item)

        def done(text: str | None) -> None:
            if text is not None:
                self._run(lambda: s.note(text))

        self.app.push_screen(
            TextPrompt("Why this gold?", "", current, "the reason, for the dataset's provenance"),
            done,
        )

    def action_source_type(self) -> None:
        s = self.session
        if not s.schema.sentence_fields:
            return
        sf = s.schema.sentence_fields[0]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._run(lambda: s.set_field(sf.name, value or None))

        self.app.push_screen(
            ValueChoice(sf.title, [(c.key or "", str(c.value), c.title) for c in sf.values]), chosen
        )

    def action_guideline(self) -> None:
        from annotator.tui.dialogs.guideline import GuidelineModal

        s = self.session
        item = s.current
        name = item.disputed[0] if item and item.disputed else s.schema.labels[0].name
        g = s.guidelines
        self.app.push_screen(GuidelineModal(g.section(name), g.markdown, name))
