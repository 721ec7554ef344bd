"""The adjudication screen: one disputed item at a time, every annotator's version side by
side, gold decided with single keys (a digit takes a version, label keys edit it)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from annotator.adjudication import AdjudicationSession, Item
from annotator.models.errors import StoreError
from annotator.session import Outcome
from annotator.tui.dialogs.text_prompt import TextPrompt
from annotator.tui.dialogs.value_choice import ValueChoice
from annotator.tui.keymap import slot_bindings
from annotator.tui.text import chip, literal


def _chips(
    schema: Any, labels: tuple[str, ...], fields: tuple[tuple[str, str], ...]
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


def render_item(s: AdjudicationSession, item: Item) -> Content:
    schema = s.schema
    parts: list[Content | str | tuple[str, str]] = []
    if item.kind == "sentence":
        before, sentence, after = s.context(item)
        assert sentence is not None
        if before is not None:
            parts += [literal(before.text, "$text-muted"), "\n\n"]
        parts += [
            (f"{sentence.kind} #{sentence.position}  ", "$text-muted"),
            literal(sentence.text, "bold"),
            "\n\n",
        ]
        if after is not None:
            parts += [literal(after.text, "$text-muted"), "\n\n"]
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
        g = s.gold(item)
        parts += ["\n", ("Gold  ", "bold underline")]
        if g is None:
            parts.append(("not decided", "$warning"))
        else:
            parts += _chips(schema, g.labels, g.fields)
            agree = ", ".join(
                s.display_name(n, item.annotators.index(n)) if n in item.annotators else n
                for n in g.agrees_with
            )
            parts += [
                "\n",
                (f"{g.method}", "$success"),
                literal(f"  agrees with: {agree or 'nobody'}", "$text-muted"),
            ]
            if g.note:
                parts += ["\n", literal(f"note: {g.note}", "italic")]
    else:
        spec = schema.article_field(item.field or "")
        parts += [
            ("Article field  ", "$text-muted"),
            literal(spec.title, "bold"),
            (f"  ({spec.level})", "$text-muted"),
            "\n",
            literal(s.article(item.article_id).display_title, "italic"),
            "\n\n",
            ("Versions", "bold underline"),
            "\n",
        ]
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
        decided = s.gold_field(item)
        parts += ["\n", ("Gold  ", "bold underline")]
        if decided is None:
            parts.append(("not decided", "$warning"))
        else:
            c = spec.choice(decided.value)
            parts += [
                literal(c.title if c else str(decided.value), "bold"),
                "  ",
                (decided.method, "$success"),
            ]
            if decided.note:
                parts += ["\n", literal(f"note: {decided.note}", "italic")]
    if item.disputed:
        parts += ["\n\n", ("disputed: ", "$text-muted"), literal(", ".join(item.disputed))]
    return Content.assemble(*parts)


class AdjudicateScreen(Screen[None]):
    BINDINGS = [
        Binding("enter,space", "accept", "Accept & next", id="adjudicate.accept"),
        Binding("j,down", "move(1)", "Next", id="adjudicate.next"),
        Binding("k,up", "move(-1)", "Prev", id="adjudicate.prev"),
        Binding("d", "defer", "Defer", id="adjudicate.defer"),
        Binding("c", "note", "Note", id="adjudicate.note"),
        Binding("t", "source_type", "Source type", id="adjudicate.field"),
        Binding("z,backspace", "undo", "Undo", id="adjudicate.undo"),
        Binding("question_mark", "guideline", "Guideline", id="adjudicate.guideline"),
        *[
            Binding(str(n), f"pick({n})", show=False, id=f"adjudicate.pick.{n}")
            for n in range(1, 10)
        ],
        # + label slots for the schema: see for_schema()
    ]

    @classmethod
    def for_schema(cls, session: AdjudicationSession) -> AdjudicateScreen:
        screen_class: type[AdjudicateScreen] = type(
            cls.__name__,
            (cls,),
            {"BINDINGS": [*cls.BINDINGS, *slot_bindings(session.schema, fields=False)]},
        )
        return screen_class(session)

    def __init__(self, session: AdjudicationSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(id="adjudicate-progress", markup=False)
        with Horizontal(id="main"):
            with VerticalScroll(id="adjudicate-item"):
                yield Static(id="adjudicate-body", markup=False)
            with VerticalScroll(id="side"):
                yield Static(id="adjudicate-legend", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        s = self.session
        if s.auto_added or s.auto_withdrawn:
            self.notify(
                f"{s.auto_added} unanimous item(s) became gold, {s.auto_withdrawn} withdrawn",
                markup=False,
            )
        self.refresh_view()

    def refresh_view(self) -> None:
        s = self.session
        item = s.current
        head = literal(
            f"Adjudication by {s.adjudicator}: item {s.index + 1}/{len(s.items)} · "
            f"{s.decided} decided · {s.auto_added} became gold by unanimity this session"
            + (" · names hidden" if s.blind else ""),
            "bold",
        )
        self.query_one("#adjudicate-progress", Static).update(head)
        body = self.query_one("#adjudicate-body", Static)
        if item is None:
            body.update(literal("Nothing to adjudicate: no confirmed annotations differ.", "bold"))
        else:
            body.update(render_item(s, item))
        legend: list[Content | str | tuple[str, str]] = [("Gold labels", "bold"), "\n"]
        for lab in s.schema.labels:
            legend += [(f"{lab.key} ", "bold"), chip(lab.name, s.schema.color(lab.name)), "\n"]
        legend += [
            "\n",
            (
                "1-9 take a version\nt source type\nc note · d defer\n"
                "enter accept · z undo\n? guideline",
                "$text-muted",
            ),
        ]
        self.query_one("#adjudicate-legend", Static).update(Content.assemble(*legend))

    def _run(self, do: Any) -> None:
        try:
            out: Outcome = do()
        except StoreError as e:
            self.notify(f"NOT SAVED: {e}", severity="error", markup=False, timeout=8)
            return
        self.refresh_view()
        if out.message:
            self.notify(out.message, markup=False, timeout=3)

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
        current = decided.note if decided is not None else None

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
