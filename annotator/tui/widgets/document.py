"""A Markdown document drawn from lines rendered once per width (Textual's Line API).

The whole guidelines through Textual's Markdown widget are a tree of hundreds of widgets:
3.9 s to open at normal load, 14.7 s under load, and every show or hide lays them out
again. Rendered by Rich into lines once (about 0.4 s under load), they are kept per width
and per text; showing another text, scrolling and opening again only draw the lines in view.
The text must already be made printable (controls as placeholders) by the caller.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class Document(ScrollView, can_focus=True):
    # shared by every document of the app (the guideline dialogs of all screens): a handful
    # of texts at a width or two
    _cache: dict[tuple[str, int], list[Strip]] = {}

    def __init__(self, markdown: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.markdown = markdown
        self._lines: list[Strip] = []

    def show(self, markdown: str) -> None:
        self.markdown = markdown
        self._lines = []
        self.scroll_home(animate=False)
        self.refresh()

    def lines_at(self, width: int) -> list[Strip]:
        key = (self.markdown, width)
        if key not in self._cache:
            console = Console(
                file=io.StringIO(),
                width=width,
                color_system="truecolor",
                force_terminal=True,
                legacy_windows=False,
            )
            rendered = console.render_lines(
                Markdown(self.markdown), console.options.update_width(width), pad=True
            )
            self._cache[key] = [Strip(Segment.simplify(line), width) for line in rendered]
        return self._cache[key]

    def _ensure(self) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and (not self._lines or self._lines[0].cell_length != width):
            self._lines = self.lines_at(width)
            self.virtual_size = Size(width, len(self._lines))

    def render_line(self, y: int) -> Strip:
        self._ensure()
        line = y + round(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        if 0 <= line < len(self._lines):
            return self._lines[line].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def on_resize(self) -> None:
        self._lines = []
        self.refresh()
