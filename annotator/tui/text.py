"""Turning stored strings into Textual Content that shows exactly what was written.

Never pass untrusted text to a widget as a str: Textual would parse it as markup
("[Reuters]" vanishes, "[/]" raises, "[@click=app.quit]" runs an action). Everything goes
through `literal()`: control characters become visible placeholders one for one (so offsets
stay valid), and the result is Content, which is never parsed.
"""

from __future__ import annotations

from textual.content import Content

from annotator.safetext import printable
from annotator.tui.cell_widths import count_spacing_marks

# before any screen measures text: Hindi's vowel signs take the cell the terminal gives them
count_spacing_marks()


def literal(text: str | None, style: str = "") -> Content:
    if not text:
        return Content("")
    return Content.styled(printable(text), style) if style else Content(printable(text))


def chip(text: str, color: str) -> Content:
    """A label as a coloured chip: dark text on the label's colour."""
    return Content.styled(f" {printable(text)} ", f"#101010 on {color}")
