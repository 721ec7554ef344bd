"""Choose one value of a field with its key (or x to clear)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from annotator.tui.text import literal


class ValueChoice(ModalScreen[str | None]):
    """Returns the chosen value, "" to clear, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        Binding("x", "clear", "Clear", id="choice.clear"),
        *[Binding(str(i), f"choose('{i}')", show=False, id=f"choice.{i}") for i in range(1, 10)],
    ]

    def __init__(self, title: str, options: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options  # (key, value, title)

    def compose(self) -> ComposeResult:
        parts: list[Content | str | tuple[str, str]] = [literal(self.title_text, "bold")]
        for key, _value, title in self.options:
            parts += ["\n", (f" {key} ", "bold reverse"), " ", literal(title)]
        parts += ["\n\n", ("x clears · esc cancels", "$text-muted")]
        with Vertical(id="choice-box", classes="dialog"):
            yield Static(Content.assemble(*parts), markup=False)

    def action_choose(self, key: str) -> None:
        for k, value, _title in self.options:
            if k == key:
                self.dismiss(value)
                return

    def action_clear(self) -> None:
        self.dismiss("")

    def action_cancel(self) -> None:
        self.dismiss(None)
