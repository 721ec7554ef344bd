"""The footer of the annotation screen: below 80 columns its words get shorter, so that every
key stays on screen (Textual cuts the footer at the right edge, and the keys nobody guesses,
`?` and `ctrl+q`, are the last ones)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

TIGHT = 80
SHORT = {
    "Confirm": "OK",
    "Comment": "Note",
    "Article": "Form",
    "Guide": "Help",
    "Agree": "Agr",
}


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        tight = self.app.size.width < TIGHT
        for widget in super().compose():
            if tight and isinstance(widget, FooterKey):
                widget.description = SHORT.get(widget.description, widget.description)
            yield widget
