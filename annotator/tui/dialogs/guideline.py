"""The guideline of one label, one key away; `?` again shows the whole guidelines."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from annotator.safetext import printable, printable_lines
from annotator.tui.text import literal


class GuidelineModal(ModalScreen[None]):
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
            with VerticalScroll(id="guideline-scroll"):
                yield Markdown(self.section, id="guideline-text")

    def _title(self) -> Content:
        what = "Full guidelines" if self.showing_full else f"Guideline: {self.label_name}"
        return literal(
            f"{what}   (? {'this label' if self.showing_full else 'all'}, esc closes)", "bold"
        )

    async def action_toggle_full(self) -> None:
        self.showing_full = not self.showing_full
        await self.query_one("#guideline-text", Markdown).update(
            self.full if self.showing_full else self.section
        )
        self.query_one("#guideline-title", Static).update(self._title())
        self.query_one("#guideline-scroll", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
