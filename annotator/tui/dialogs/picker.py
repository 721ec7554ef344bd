"""Open an article: every article with this annotator's progress, filtered as you type."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotator.tui.dialogs.type_ahead import TypeAheadModal
from annotator.tui.text import literal


@dataclass(frozen=True)
class PickerEntry:
    article_id: int
    title: str
    outlet: str | None
    confirmed: int
    sentences: int


def render_entry(e: PickerEntry) -> Content:
    done = e.confirmed == e.sentences
    pct = 100 * e.confirmed // e.sentences if e.sentences else 0
    status = ("✓ done " if done else f"{pct:3d}%   ", "$success" if done else "$text-muted")
    parts: list[Content | str | tuple[str, str]] = [status, literal(e.title)]
    if e.outlet:
        parts += [("  ", ""), literal(e.outlet, "$text-muted")]
    parts.append((f"  {e.confirmed}/{e.sentences}", "$text-muted"))
    return Content.assemble(*parts)


class ArticlePicker(TypeAheadModal[int | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "focus_list", show=False, id="picker.down"),
    ]

    def __init__(self, entries: list[PickerEntry], current: int, *, queue: bool = False) -> None:
        super().__init__()
        self.entries = entries
        self.current = current
        self.queue = queue  # the entries are the annotator's queue, in its order

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="dialog"):
            yield Static(
                literal(
                    ("Your queue" if self.queue else "Open an article")
                    + f" ({len(self.entries)})   "
                    "type to filter · enter opens · esc closes",
                    "bold",
                ),
                markup=False,
            )
            yield Input(placeholder="filter by title or outlet", id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        q = query.casefold().strip()
        ol = self.query_one(OptionList)
        ol.clear_options()
        shown = [
            e
            for e in self.entries
            if not q or q in e.title.casefold() or q in (e.outlet or "").casefold()
        ]
        ol.add_options([Option(render_entry(e), id=str(e.article_id)) for e in shown[:2000]])
        for i, e in enumerate(shown[:2000]):
            if e.article_id == self.current:
                ol.highlighted = i
                break
        else:
            ol.highlighted = 0 if shown else None

    @on(Input.Changed)
    def filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def open_highlighted(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            opt = ol.get_option_at_index(ol.highlighted)
            self.dismiss(int(opt.id or 0))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
