"""The article-level form: genre, credibility and the other fields of the schema, and the
outlet's fields. Each choice is saved the moment it is made."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.guidelines import Guidelines
from annotator.safetext import printable
from annotator.schema import FieldSpec
from annotator.tui.dialogs.text_prompt import TextPrompt
from annotator.tui.text import literal


@dataclass
class FormField:
    scope: str  # "article", "comment" (the article comment) or "outlet"
    spec: FieldSpec
    value: Any
    note: str = ""  # who entered an outlet value, and when


# Saves one field; returns an error message, or None when it was saved.
Save = Callable[[str, str, Any], str | None]


def render_field(f: FormField, selected: bool) -> Content:
    spec = f.spec
    head: list[Content | str | tuple[str, str]] = [
        ("▸ " if selected else "  ", "bold $accent"),
        literal(spec.title, "bold"),
        (f"  {spec.level}", "$text-muted"),
    ]
    if f.note:
        head.append(literal(f"  {f.note}", "$text-muted"))
    if spec.level == "text":
        head += [
            "\n    ",
            literal(
                f.value if f.value else "—  (enter to write)", "" if f.value else "$text-muted"
            ),
        ]
        return Content.assemble(*head)
    head.append("\n   ")
    for i, c in enumerate(spec.values, 1):
        chosen = c.value == f.value
        # the chosen value's mark is a character (●, as the source types in the legend),
        # not reverse video alone, which tmux capture, screen readers and some mono themes
        # lose (audit9a F13e); it takes the place of a space, so no option moves
        label = f"{'●' if chosen else ' '}{i} {c.title} "
        head.append((printable(label), "reverse bold") if chosen else literal(label))
    return Content.assemble(*head)


class ArticleForm(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,A", "close", "Close", id="form.close"),
        Binding("down,j,tab", "move(1)", "Next field", id="form.next"),
        Binding("up,k,shift+tab", "move(-1)", "Previous field", id="form.prev"),
        Binding("x,delete,0", "clear", "Clear", id="form.clear"),
        Binding("enter", "edit", "Write", id="form.edit"),
        Binding("question_mark", "guideline", "Guideline", id="form.guideline"),
        *[Binding(str(i), f"choose({i})", show=False, id=f"form.choose.{i}") for i in range(1, 10)],
    ]

    def __init__(
        self, title: str, fields: list[FormField], save: Save, guidelines: Guidelines | None = None
    ) -> None:
        super().__init__()
        self.guidelines = guidelines
        self.title_text = title
        self.fields = fields
        self.save = save
        self.cursor = 0
        self.rows: list[Static] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="dialog"):
            yield Static(
                Content.assemble(literal("Article: ", "bold"), literal(self.title_text, "bold")),
                markup=False,
            )
            yield Static(
                literal(
                    "1-9 choose · x clear · j/k field · enter writes text · "
                    "? guideline · esc closes · every choice is saved at once",
                    "$text-muted",
                ),
                markup=False,
            )
            with VerticalScroll(id="form-fields"):
                scope = None
                for i, f in enumerate(self.fields):
                    if f.scope != scope:
                        scope = f.scope
                        heading = {
                            "outlet": "Outlet fields",
                            "outlet_name": "Outlet",
                            "comment": "Comment",
                        }.get(scope, "Judgements")
                        yield Static(
                            literal(heading, "bold underline"),
                            classes="form-section",
                            markup=False,
                        )
                    row = Static(render_field(f, i == 0), classes="form-field", markup=False)
                    self.rows.append(row)
                    yield row

    def _refresh(self, index: int) -> None:
        self.rows[index].update(render_field(self.fields[index], index == self.cursor))

    def action_move(self, step: int) -> None:
        old = self.cursor
        self.cursor = (self.cursor + step) % len(self.fields)
        self._refresh(old)
        self._refresh(self.cursor)
        self.rows[self.cursor].scroll_visible(animate=False)

    def _set(self, value: Any) -> None:
        f = self.fields[self.cursor]
        error = self.save(f.scope, f.spec.name, value)
        if error:
            self.notify(printable(error), severity="error", markup=False)
            return
        f.value = value
        self._refresh(self.cursor)

    def action_choose(self, n: int) -> None:
        spec = self.fields[self.cursor].spec
        if spec.level == "text":
            return
        if n > len(spec.values):
            self.notify(printable(f"{spec.title} has {len(spec.values)} values"), markup=False)
            return
        self._set(spec.values[n - 1].value)

    def action_clear(self) -> None:
        self._set(None)

    def action_edit(self) -> None:
        f = self.fields[self.cursor]
        if f.spec.level != "text":
            self.action_move(1)
            return

        def done(text: str | None) -> None:
            if text is not None:
                self._set(text.strip() or None)

        self.app.push_screen(
            TextPrompt(f.spec.title, f.spec.description, f.value, multiline=f.scope == "comment"),
            done,
        )

    def action_guideline(self) -> None:
        from annotator.tui.dialogs.guideline import GuidelineModal

        if self.guidelines is None:
            return
        name = self.fields[self.cursor].spec.name
        self.app.push_screen(
            GuidelineModal(self.guidelines.section(name), self.guidelines.markdown, name)
        )

    def action_close(self) -> None:
        self.dismiss(None)
