"""The article as one line-based view (Textual's Line API): sentences in reading order, the
current one highlighted, label chips under each.

One widget instead of one per sentence: a key re-renders the lines of one sentence and
repaints them, with no layout pass over the article (which cost most of a frame with a
widget per sentence), and changing article re-wraps the text instead of mounting a hundred
widgets. Only the lines in view are drawn.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from annotator.schema import LabelSchema
from annotator.tui.widgets.rows import RowData, render_row, render_summary

GUTTER = "▌  "  # the row's status colour, its status glyph, a space
# the glyphs say what the colours say, for monochrome terminals (NO_COLOR): on the first
# line of a row, confirmed or not; the current row's bar is an arrow
CONFIRMED, UNCONFIRMED, CURRENT = "✓", "·", "▶"
# the current sentence goes on below the view / began above it
GOES_ON, BEGAN_ABOVE = "↓", "↑"


class ArticleView(ScrollView, can_focus=False):
    COMPONENT_CLASSES = {
        "article-view--gutter",
        "article-view--gutter-confirmed",
        "article-view--gutter-current",
        "article-view--current",
    }

    class Clicked(Message):
        """A sentence was clicked: the cursor goes there."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, schema: LabelSchema, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.schema = schema
        self.rows: list[RowData] = []
        self.contents: list[Content] = []
        self.cursor = 0
        self._gap: list[bool] = []  # a blank line before the row (a new paragraph)
        self._lines: list[list[Strip]] = []  # each row wrapped at _width
        self._top: list[int] = []  # first line of each row (its gap included)
        self._width = 0
        self._center_pending = False
        # the current row wrapped again with the highlight as its base style (a style laid
        # over finished segments would lose to their own background): (row, content, lines)
        self._current: tuple[int, Content, list[Strip]] | None = None

    # --- content -------------------------------------------------------------------------

    def show_article(self, rows: list[RowData], cursor: int) -> None:
        self.rows = list(rows)
        self.contents = [render_row(r, self.schema) for r in rows]
        self._gap = [
            i > 0 and r.sentence.paragraph != rows[i - 1].sentence.paragraph
            for i, r in enumerate(rows)
        ]
        self.cursor = cursor
        self._width = 0  # wrap again on the next render
        self._center_pending = True  # once wrapped: before its first layout it has no width
        self._rewrap()
        self.refresh()

    def update_row(self, index: int, data: RowData) -> None:
        self.rows[index] = data
        self.contents[index] = render_row(data, self.schema)
        if not self._width:
            self.refresh()
            return
        old = len(self._lines[index])
        self._lines[index] = self._wrap(self.contents[index])
        if len(self._lines[index]) == old:
            self._refresh_row(index)  # repaint its lines: no layout, no other row touched
        else:
            self._retop()
            self.refresh()
            if index == self.cursor:
                # it grew (a comment, a chip line): the next sentence stays in view, as
                # after a move, not pushed below the foot of the view
                self.scroll_to_row(index)

    def move_cursor(self, index: int) -> None:
        old, self.cursor = self.cursor, index
        if 0 <= old < len(self.rows):
            self._refresh_row(old)
        if 0 <= index < len(self.rows):
            self._refresh_row(index)
            self.scroll_to_row(index)

    def row_at(self, y: int) -> int | None:
        """The row drawn at line y of the view."""
        line = y + round(self.scroll_offset.y)
        i = bisect_right(self._top, line) - 1
        if 0 <= i < len(self.rows) and not (self._gap[i] and line == self._top[i]):
            return i
        return None

    def plain(self, index: int) -> str:
        return self.contents[index].plain

    # --- geometry ------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - len(GUTTER) - 1)

    def _wrap(self, content: Content) -> list[Strip]:
        return Visual.to_strips(self, content, self._text_width(), None, self.visual_style)

    def _current_lines(self, index: int) -> list[Strip]:
        content = self.contents[index]
        cached = self._current
        if (
            cached is None
            or cached[0] != index
            or cached[1] is not content
            or len(cached[2]) != len(self._lines[index])
        ):
            style = self.visual_style + self.get_visual_style("article-view--current")
            lines = Visual.to_strips(self, content, self._text_width(), None, style)
            cached = self._current = (index, content, lines)
        return cached[2]

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._width = width
        self._lines = [self._wrap(c) for c in self.contents]
        self._current = None
        self._retop()
        if self._center_pending:
            self._center_pending = False
            self.call_after_refresh(self.center_cursor)

    def _retop(self) -> None:
        top, line = [], 0
        for gap, lines in zip(self._gap, self._lines, strict=True):
            top.append(line)
            line += len(lines) + gap
        self._top = top
        self.virtual_size = Size(self._width, line)

    def row_region(self, index: int) -> Region:
        """The lines of a row in the whole article (virtual coordinates)."""
        top = self._top[index] + self._gap[index]
        return Region(0, top, self._width, len(self._lines[index]))

    def scroll_to_row(self, index: int) -> None:
        """Scroll as little as shows the row and, where they fit, its neighbours: reading
        down, the next sentence is in view before the cursor gets there."""
        if not self._lines:
            return
        region = self.row_region(index)
        height = self.scrollable_content_region.height
        for j in (index + 1, index - 1):  # the next one first: reading goes down
            if 0 <= j < len(self.rows):
                wider = region.union(self.row_region(j))
                if wider.height <= height:
                    region = wider
        self.scroll_to_region(region, animate=False, immediate=True, center=False, spacing=None)

    def scroll_within(self, step: int) -> bool:
        """Scroll a page (less two lines, kept for context) down or up within the current
        row, no further than its ends. False if it is all in view already that way."""
        if not self._lines or not 0 <= self.cursor < len(self.rows):
            return False
        region = self.row_region(self.cursor)
        height = self.scrollable_content_region.height
        y = round(self.scroll_offset.y)
        top, last = region.y, max(region.y, region.bottom - height)
        target = min(max(y + step * max(1, height - 2), top), last)
        if (target - y) * step <= 0:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

    def hidden_below(self) -> int:
        """Lines of the current row below the view (0: its end is in view)."""
        if not self._lines or not 0 <= self.cursor < len(self.rows):
            return 0
        bottom = round(self.scroll_offset.y) + self.scrollable_content_region.height
        return max(0, self.row_region(self.cursor).bottom - bottom)

    def center_cursor(self) -> None:
        if not self._lines or not 0 <= self.cursor < len(self.rows):
            return
        region = self.row_region(self.cursor)
        target = region.y - max(0, (self.size.height - region.height) // 2)
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        if not self._lines:
            return
        region = self.row_region(index)
        y = region.y - round(self.scroll_offset.y)
        if y + region.height > 0 and y < self.size.height:
            self.refresh_lines(region.y, region.height)  # virtual lines: it subtracts the scroll

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._center_pending = True  # keep the current sentence in view across resizes
            self._rewrap()
            self.refresh()

    # --- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if self._width != width:
            self._rewrap()
        base = self.rich_style
        line = y + round(self.scroll_offset.y)
        i = bisect_right(self._top, line) - 1
        if i < 0 or i >= len(self.rows):
            return Strip.blank(width, base)
        k = line - self._top[i] - self._gap[i]
        if k < 0 or k >= len(self._lines[i]):
            return Strip.blank(width, base)
        confirmed = self.rows[i].state.confirmed
        last_line = y == self.scrollable_content_region.height - 1
        if i == self.cursor and last_line and k < len(self._lines[i]) - 1:
            return self._summary_line(i, len(self._lines[i]) - k, width)
        if i == self.cursor:
            lines = self._current_lines(i)
            base = self.get_component_rich_style("article-view--current")
            gutter_style = self.get_component_rich_style("article-view--gutter-current")
            if confirmed:
                gutter_style += RichStyle(
                    color=self.get_component_rich_style("article-view--gutter-confirmed").color
                )
            gutter_style += RichStyle(bgcolor=base.bgcolor)
        else:
            lines = self._lines[i]
            gutter_style = self.get_component_rich_style(
                "article-view--gutter-confirmed" if confirmed else "article-view--gutter"
            )
        bar = CURRENT if i == self.cursor and k == 0 else GUTTER[0]
        glyph = (CONFIRMED if confirmed else UNCONFIRMED) if k == 0 else " "
        if i == self.cursor and y == 0 and k > 0:
            bar = BEGAN_ABOVE
        strip = Strip.join([Strip([Segment(f"{bar}{glyph} ", gutter_style)]), lines[k]])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _summary_line(self, index: int, hidden: int, width: int) -> Strip:
        """The view's last line while the current row goes on below it: how much more, the
        key that shows it, and the row's chips and comment (on one line, cut with "…")."""
        base = self.get_component_rich_style("article-view--current")
        gutter = self.get_component_rich_style("article-view--gutter-current")
        gutter += RichStyle(bgcolor=base.bgcolor)
        content = render_summary(self.rows[index], self.schema, hidden)
        room = max(1, width - len(GUTTER))
        if content.cell_length > room:
            content = content.truncate(room - 1) + Content("…")
        style = self.visual_style + self.get_visual_style("article-view--current")
        line = Visual.to_strips(self, content, room, 1, style)[0]
        strip = Strip.join([Strip([Segment(f"{GOES_ON}  ", gutter)]), line])
        return strip.extend_cell_length(width, base).crop(0, width)

    def on_click(self, event: events.Click) -> None:
        index = self.row_at(event.y)
        if index is not None:
            event.stop()
            self.post_message(self.Clicked(index))
