"""The guideline of one label, one key away; `?` again shows the whole guidelines.

The whole guidelines are a long Markdown document (seconds to lay out under load): the
annotation screen keeps one installed modal, which renders them on the first `? ?` and only
shows or hides them afterwards; opening it for another label replaces the short section."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from annotator.safetext import printable, printable_lines
from annotator.tui.text import literal
from annotator.tui.widgets.document import Document


class GuidelineModal(Screen[None]):
    BINDINGS = [
        Binding("question_mark", "toggle_full", "Full guidelines", id="guideline.full"),
        Binding("escape,q", "close", "Close", id="guideline.close"),
    ]

    def __init__(self, section: str | None, full: str, name: str) -> None:
        super().__init__()
        # The Markdown widget puts control characters of its source straight on the
        # terminal (an OSC 52 in guidelines.md wrote to the clipboard): they become visible
        # placeholders before Markdown sees them; line breaks and tabs stay for the parser.
        self.section = printable_lines(section or f"*No guideline section for {name}.*")
        self.full = printable_lines(full)
        self.label_name = printable(name)
        self.showing_full = False

    def compose(self) -> ComposeResult:
        with Vertical(id="guideline-box", classes="dialog"):
            yield Static(self._title(), id="guideline-title", markup=False)
            yield Document(self.section, id="guideline-text")

    def on_mount(self) -> None:
        self.query_one(Document).focus()  # j/k, arrows and page keys scroll it

    def _title(self) -> Content:
        what = "Full guidelines" if self.showing_full else f"Guideline: {self.label_name}"
        return literal(
            f"{what}   (? {'this label' if self.showing_full else 'all'}, esc closes)", "bold"
        )

    def show_label(self, section: str | None, name: str) -> None:
        """Reuse this modal for another label: its section, the rendered text kept."""
        self.section = printable_lines(section or f"*No guideline section for {name}.*")
        self.label_name = printable(name)
        self.showing_full = False
        if self.is_mounted:
            self.query_one(Document).show(self.section)
            self.query_one("#guideline-title", Static).update(self._title())

    def action_toggle_full(self) -> None:
        self.showing_full = not self.showing_full
        self.query_one(Document).show(self.full if self.showing_full else self.section)
        self.query_one("#guideline-title", Static).update(self._title())

    def action_close(self) -> None:
        self.dismiss(None)
