"""One disputed sentence with every annotator's labels side by side."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.models.gold import Version
from annotator.schema import LabelSchema
from annotator.tui.text import chip, literal


def render_side_by_side(
    schema: LabelSchema, text: str, where: str, marks: list[Version], disputed: tuple[str, ...]
) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        literal(where, "$text-muted"),
        "\n\n",
        literal(text, "bold"),
        "\n\n",
    ]
    width = max([len(m.annotator) for m in marks] + [9])
    header = "".ljust(width)
    parts.append(literal(header + "  "))
    for lab in schema.labels:
        style = "bold underline" if lab.name in disputed else "$text-muted"
        parts.append((f"{lab.key} ", style))
    parts.append("\n")
    for m in marks:
        parts += [literal(m.annotator.ljust(width)[:width], "bold"), "  "]
        for lab in schema.labels:
            on = lab.name in m.labels
            parts.append(
                ("● " if on else "· ", f"{schema.color(lab.name)}" if on else "$text-muted")
            )
        parts.append("  ")
        for name in m.labels:
            extra = "".join(
                f"·{v}"
                for k, v in m.fields
                if any(sf.name == k and sf.label == name for sf in schema.sentence_fields)
            )
            parts += [
                chip(name + extra, schema.color(name))
                if name in schema.label_names
                else literal(name),
                " ",
            ]
        parts.append("\n")
    parts += [
        "\n",
        ("disputed: ", "$text-muted"),
        literal(", ".join(disputed), "bold"),
        ("   ? guideline of the first disputed label · esc back", "$text-muted"),
    ]
    return Content.assemble(*parts)


class DisagreementModal(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,enter", "close", "Back", id="disagreement.close"),
        Binding("question_mark", "guideline", "Guideline", id="disagreement.guide"),
    ]

    def __init__(self, content: Content, label: str | None, section: str | None, full: str) -> None:
        super().__init__()
        self.content = content
        self.label = label
        self.section = section
        self.full = full

    def compose(self) -> ComposeResult:
        with Vertical(id="disagreement-box", classes="dialog"), VerticalScroll():
            yield Static(self.content, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_guideline(self) -> None:
        from annotator.tui.dialogs.guideline import GuidelineModal

        if self.label:
            self.app.push_screen(GuidelineModal(self.section, self.full, self.label))
