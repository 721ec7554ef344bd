"""Ask for text: a line (a gold note; Enter saves) or, with `multiline`, a comment in a
TextArea (Enter starts a new line, ctrl+s saves): a comment that scrolls its start out of a
one-line input cannot be read back. Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static, TextArea

from annotator.tui.dialogs.type_ahead import TypeAheadModal
from annotator.tui.text import literal


class TextPrompt(TypeAheadModal[str | None]):
    """Returns the text entered ("" to remove), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
        Binding("ctrl+s", "save", "Save", id="prompt.save", priority=True),
    ]

    def __init__(
        self,
        title: str,
        context: str,
        value: str | None,
        placeholder: str = "",
        *,
        multiline: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.context = context
        self.value = value or ""
        self.placeholder = placeholder
        self.multiline = multiline

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="dialog"):
            yield Static(literal(self.title_text, "bold"), markup=False)
            if self.context:
                yield Static(literal(self.context, "italic"), id="prompt-context", markup=False)
            if self.multiline:
                area = TextArea(self.value, id="prompt-area", soft_wrap=True, tab_behavior="focus")
                area.placeholder = self.placeholder
                yield area
                hint = "ctrl+s saves · enter: new line · empty removes · esc cancels"
            else:
                yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
                hint = "enter saves · empty removes · esc cancels"
            yield Static(literal(hint, "$text-muted"), markup=False)

    def on_mount(self) -> None:
        if self.multiline:
            area = self.query_one(TextArea)
            area.focus()
            area.move_cursor(area.document.end)
        else:
            self.query_one(Input).focus()

    def action_save(self) -> None:
        if self.multiline:
            self.dismiss(self.query_one(TextArea).text)
        else:
            self.dismiss(self.query_one(Input).value)

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
