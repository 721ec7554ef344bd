"""The review screen: where one annotator's confirmed labels differ from gold, read-only.

A list of the sentences on top (where, their labels, gold's); below, the one under the
cursor in full: the sentence, both label sets, who decided gold and their note, and the
guideline of every label in dispute. Nothing here writes.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from annotator.feedback import ReviewItem
from annotator.guidelines import Guidelines
from annotator.safetext import printable, printable_lines
from annotator.tui.text import literal
from annotator.tui.widgets.document import Document


def _labels(labels: tuple[str, ...], fields: tuple[tuple[str, str], ...]) -> str:
    shown = " ".join(labels) or "(none)"
    if fields:
        shown += " · " + ", ".join(f"{k}={v}" for k, v in fields)
    return shown


class ReviewScreen(Screen[None]):
    BINDINGS = [
        # j/k as on the annotation screen (the arrows work too); not on a label key
        Binding("j", "step(1)", "Next", id="review.next"),
        Binding("k", "step(-1)", "Previous", id="review.previous"),
        Binding("escape,ctrl+q", "app.quit", "Quit", id="review.quit"),
    ]

    def __init__(self, annotator: str, items: list[ReviewItem], guidelines: Guidelines) -> None:
        super().__init__()
        self.annotator = annotator
        self.items = items
        self.guidelines = guidelines

    def compose(self) -> ComposeResult:
        n = len(self.items)
        title = (
            f"Review for {self.annotator}: {n} sentence{'s' if n != 1 else ''} where your "
            "labels differ from gold (read-only)"
            if n
            else f"Review for {self.annotator}: nothing differs from gold "
            "(no gold yet, or you agree with all of it)"
        )
        yield Static(literal(title, "bold"), id="review-title", markup=False)
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-detail", markup=False)
        # the guideline of each disputed label, as Markdown (controls made visible first)
        yield Document("", id="review-guideline")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#review-table", DataTable)
        for col in ("where", "yours", "gold", "sentence"):
            table.add_column(col)
        for i, item in enumerate(self.items):
            d = item.difference
            table.add_row(
                Text(printable(f"{d.article} #{d.position + 1}")),
                Text(printable(_labels(d.labels, d.fields)), style="yellow"),
                Text(printable(_labels(d.gold_labels, d.gold_fields)), style="green"),
                Text(printable(d.text[:80])),
                key=str(i),
            )
        table.focus()
        self._show(0)

    @property
    def index(self) -> int:
        return self.query_one("#review-table", DataTable).cursor_row

    def _show(self, index: int) -> None:
        detail = self.query_one("#review-detail", Static)
        if not self.items:
            detail.update(Content(""))
            return
        item = self.items[index]
        d = item.difference
        who = d.adjudicator or ("unanimous" if d.method == "unanimous" else "unknown")
        parts = [
            literal(f"{d.title or d.article} · sentence {d.position + 1}", "bold"),
            literal(d.text),
            literal("yours: ", "bold") + literal(_labels(d.labels, d.fields), "yellow"),
            literal("gold:  ", "bold") + literal(_labels(d.gold_labels, d.gold_fields), "green"),
            literal(f"decided by {who} ({d.method})", "$text-muted"),
            literal("note: ", "bold") + Content(printable_lines(d.note or "(no note)")),
        ]
        detail.update(Content("\n").join(parts))
        self.query_one(Document).show(
            "\n\n".join(printable_lines(section) for _label, section in item.guidelines)
        )

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def action_step(self, step: int) -> None:
        table = self.query_one("#review-table", DataTable)
        if self.items:
            table.move_cursor(row=max(0, min(len(self.items) - 1, table.cursor_row + step)))
