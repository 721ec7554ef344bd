"""A table of figures that shows whole columns only, and says which ones it left out.

A DataTable wider than its terminal is cut at the right edge, inside a cell: at 80 columns
the status screen read "per hou" over alice's 1217 sentences an hour shown as "121", and the
agreement screen's last visible column was headed "n" over the first digit of 0.941, i.e.
"n = 0" for every label (audit9a F3). A figure cut short is worse than no figure.

So, as `annotator agreement` does in a narrow terminal (it drops pos/neg/prev and says so in
the caption) and as Label Studio's data manager hides the columns you do not have room for
rather than truncating them: each column has a rank, the columns that do not fit are left
out whole, least needed first, and a line under the table names them ("→ not shown at this
width: ..."). It is worked out again when the terminal is resized. A text column (a title,
a sentence) may be marked `flex`: when it does not fit whole it takes the room that is left
and is cut with "…".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static

# a flex column narrower than this is no use: it is left out like any other
MIN_FLEX = 12


@dataclass(frozen=True)
class Col:
    label: str
    rank: int = 0  # 0 is kept longest; the highest rank is left out first
    flex: bool = False
    name: str = ""  # what the "not shown" line calls it, if not its label

    @property
    def said(self) -> str:
        return self.name or self.label


def fit(widths: Sequence[int], cols: Sequence[Col], room: int) -> tuple[list[int], int]:
    """The indices of the columns that fit in `room` cells (in their order), and the width
    the flex column's text gets (0: no flex column shown). The first column is always kept.
    A flex column takes its whole width if that fits at its rank, else what is left, down
    to MIN_FLEX; the columns after it in rank then fit in what it did not take."""
    order = sorted(range(len(cols)), key=lambda i: (i != 0, cols[i].rank, i))
    kept: list[int] = []
    used = 0
    flex_width = 0
    for i in order:
        need = widths[i]
        if cols[i].flex and used + need > room:
            need = max(MIN_FLEX + 2, room - used)
        if not kept or used + need <= room:
            kept.append(i)
            used += need
            if cols[i].flex:
                flex_width = need - 2
    return sorted(kept), flex_width


class FittedTable(DataTable[Any]):
    """A DataTable filled with `fill()`, showing the columns that fit whole. The line that
    names the others is a Static mounted right after the table (`self.mark`)."""

    def __init__(self, *, more: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.more = more  # how to see the rest: "a wider terminal, or `annotator status`"
        self.mark = Static("", classes="more-columns", markup=False)
        self.mark.display = False
        self._cols: list[Col] = []
        self._rows: list[list[Text]] = []
        self._keys: list[str | None] = []
        self._room = 0
        self.hidden: list[str] = []

    def on_mount(self) -> None:
        if isinstance(self.parent, Widget):
            self.parent.mount(self.mark, after=self)

    def fill(
        self,
        cols: Sequence[Col],
        rows: Sequence[Sequence[Text]],
        keys: Sequence[str | None] | None = None,
    ) -> None:
        self._cols = list(cols)
        self._rows = [list(r) + [Text("")] * (len(cols) - len(r)) for r in rows]
        self._keys = list(keys) if keys is not None else [None] * len(rows)
        self._show()

    def _room_now(self) -> int:
        return self.scrollable_content_region.width

    def on_resize(self, event: events.Resize) -> None:
        if self._cols and self._room_now() != self._room:
            self._show()

    def _show(self) -> None:
        room = self._room_now()
        self._room = room
        cells = self.cell_padding * 2
        widths = [
            max([Text(c.label).cell_len, *(r[i].cell_len for r in self._rows)]) + cells
            for i, c in enumerate(self._cols)
        ]
        # not laid out yet (no width): everything, until the first resize says how much
        kept, flex_width = (
            fit(widths, self._cols, room) if room > 0 else (list(range(len(self._cols))), 0)
        )
        row = self.cursor_row
        self.clear(columns=True)
        for i in kept:
            self.add_column(Text(self._cols[i].label))
        for r, key in zip(self._rows, self._keys, strict=True):
            shown = []
            for i in kept:
                cell = r[i]
                if self._cols[i].flex and flex_width and cell.cell_len > flex_width:
                    cell = cell.copy()
                    cell.truncate(flex_width, overflow="ellipsis")
                shown.append(cell)
            self.add_row(*shown, key=key)
        if self._rows:
            self.move_cursor(row=min(row, len(self._rows) - 1))
        self.hidden = [c.said for i, c in enumerate(self._cols) if i not in kept]
        self.mark.display = bool(self.hidden)
        if self.hidden:
            self.mark.update(
                Content.styled(
                    f"→ not shown at this width: {', '.join(self.hidden)}"
                    + (f" ({self.more})" if self.more else ""),
                    "$text-muted italic",
                )
            )
