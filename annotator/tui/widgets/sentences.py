"""The article's sentences in reading order, the current one highlighted, with label chips."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message

from annotator.labeling import SentenceState
from annotator.schema import LabelSchema
from annotator.store.articles import Sentence
from annotator.tui.text import chip, literal
from annotator.tui.widgets.steady import SteadyStatic

_KIND_STYLE = {"title": "bold", "heading": "bold", "byline": "italic $text-muted",
               "credit": "italic $text-muted", "embed": "italic $text-muted",
               "media": "italic $text-muted", "furniture": "italic $text-muted"}


@dataclass(frozen=True)
class RowData:
    """Everything a row shows; rows never ask the store for anything."""

    sentence: Sentence
    state: SentenceState
    others: tuple[tuple[str, SentenceState], ...] = ()


def render_row(data: RowData, schema: LabelSchema) -> Content:
    s, st = data.sentence, data.state
    text = literal(s.text, _KIND_STYLE.get(s.kind, ""))
    if s.kind == "list_item":
        text = Content("• ") + text
    if s.kind not in ("body", "list_item"):
        text = Content.assemble((f"{s.kind} ", "dim italic"), text)
    # confirmed or not shows as the row's left border (see app.tcss), so text wraps aligned.
    # The chip line is always there, empty or not: adding the first label must not push the
    # rest of the article down (calmer to read, and no re-layout of the screen per key)
    parts: list[Content | str | tuple[str, str]] = [text, "\n  "]
    if st.labels or st.comment:
        parts.extend(_chips(st, schema))
    for name, other in data.others:
        parts.append("\n  ")
        parts.append((f"{'✓' if other.confirmed else '·'} ", "$text-muted"))
        parts.append(literal(name, "italic $text-muted"))
        parts.append(" ")
        parts.extend(_chips(other, schema) or [("(nothing)", "$text-muted")])
    return Content.assemble(*parts)


def _chips(st: SentenceState, schema: LabelSchema) -> list[Content | str | tuple[str, str]]:
    out: list[Content | str | tuple[str, str]] = []
    for name in st.labels:
        try:
            color = schema.color(name)
        except KeyError:  # a label from an older schema: still shown, in grey
            color = "#808080"
        label = name
        for sf in schema.sentence_fields:
            if sf.label == name and st.field(sf.name):
                label += f"·{st.field(sf.name)}"
        out.append(chip(label, color))
        out.append(" ")
    if st.comment:
        # one line: the full comment is in the side panel and the comment dialog
        short = st.comment if len(st.comment) <= 50 else st.comment[:49] + "…"
        out.append(literal(f"“{short}”", "italic $text-muted"))
    return out


class SentenceRow(SteadyStatic):
    """One segment of the article."""

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(self, index: int, content: Content, *, new_paragraph: bool) -> None:
        super().__init__(content,
                         classes="sentence -new-paragraph" if new_paragraph else "sentence")
        self.index = index

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.index))


class SentenceList(VerticalScroll, can_focus=False):
    """Rows for the current article; only the rows that change are re-rendered."""

    def __init__(self, schema: LabelSchema, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.schema = schema
        self.rows: list[SentenceRow] = []
        self.cursor = 0

    async def show_article(self, rows: list[RowData], cursor: int) -> None:
        # reuse the row widgets of the previous article: mounting and removing a hundred
        # widgets took most of the 60 ms a change of article cost
        keep = min(len(rows), len(self.rows))
        if len(self.rows) > keep:
            await self.remove_children(self.rows[keep:])
            del self.rows[keep:]
        new: list[SentenceRow] = []
        last_paragraph = None
        for i, data in enumerate(rows):
            content = render_row(data, self.schema)
            paragraph = last_paragraph is not None and data.sentence.paragraph != last_paragraph
            last_paragraph = data.sentence.paragraph
            if i < keep:
                row = self.rows[i]
                row.rendered = content
                row.update(content)
                row.set_class(paragraph, "-new-paragraph")
                row.remove_class("-current")
            else:
                row = SentenceRow(i, content, new_paragraph=paragraph)
                new.append(row)
            row.set_class(data.state.confirmed, "-confirmed")
        self.rows.extend(new)
        if new:
            await self.mount_all(new)
        self.cursor = -1
        self.move_cursor(cursor)
        # the rows have no size until the next layout: centre the cursor again after it,
        # or reopening at sentence 40 would show the top of the article
        self.call_after_refresh(self._center_cursor)

    def _center_cursor(self) -> None:
        if 0 <= self.cursor < len(self.rows):
            self.scroll_to_center(self.rows[self.cursor], animate=False, immediate=True)

    def update_row(self, index: int, data: RowData) -> None:
        row = self.rows[index]
        row.set_class(data.state.confirmed, "-confirmed")
        row.show(render_row(data, self.schema))

    def move_cursor(self, index: int) -> None:
        if 0 <= self.cursor < len(self.rows):
            self.rows[self.cursor].remove_class("-current")
        self.cursor = index
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            row.add_class("-current")
            self.scroll_to_center(row, animate=False, immediate=True)
