"""Ask for a line of text (a comment, an outlet note): Enter saves, Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from annotator.tui.text import literal


class TextPrompt(ModalScreen[str | None]):
    """Returns the text entered ("" to remove), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, context: str, value: str | None, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.context = context
        self.value = value or ""
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="dialog"):
            yield Static(literal(self.title_text, "bold"), markup=False)
            if self.context:
                yield Static(literal(self.context, "italic"), id="prompt-context", markup=False)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(
                literal("enter saves · empty removes · esc cancels", "$text-muted"), markup=False
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
