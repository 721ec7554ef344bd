"""How one segment of the article is drawn: its text styled by kind, and its label chips."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from annotator.labeling import SentenceState
from annotator.models.articles import Sentence
from annotator.safetext import printable
from annotator.schema import LabelSchema
from annotator.tui.text import chip, literal

_KIND_STYLE = {
    "title": "bold",
    "heading": "bold",
    "byline": "italic $text-muted",
    "credit": "italic $text-muted",
    "embed": "italic $text-muted",
    "media": "italic $text-muted",
    "furniture": "italic $text-muted",
    "code": "$text-muted",  # a static site's code block: shown as written, not prose
}


@dataclass(frozen=True)
class RowData:
    """Everything a row shows; rows never ask the store for anything."""

    sentence: Sentence
    state: SentenceState
    others: tuple[tuple[str, SentenceState], ...] = ()
    suggested: tuple[str, ...] = ()  # suggested labels not (yet) the annotator's, shown apart


LINK_STYLE = "underline $text-accent"

COMMENT_SHOWN = 300  # characters of a comment under its sentence


def link_spans(s: Sentence) -> list[tuple[int, int, str]]:
    """(start, end, url) of the sentence's links, within its text, in order."""
    out = []
    for link in s.links:
        start, end = link.get("start"), link.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(s.text):
            out.append((start, end, str(link.get("url") or "")))
    return sorted(out)


def render_row(data: RowData, schema: LabelSchema) -> Content:
    s, st = data.sentence, data.state
    text = literal(s.text, _KIND_STYLE.get(s.kind, ""))
    # links underlined: the guidelines' rule 4 turns on where a link sits (on the reporting
    # verb: attribution; on the claim: evidence). The sanitiser keeps offsets one-for-one.
    for start, end, _url in link_spans(s):
        text = text.stylize(LINK_STYLE, start, end)
    if s.kind == "list_item":
        text = Content("• ") + text
    if s.kind not in ("body", "list_item"):
        text = Content.assemble((f"{s.kind} ", "dim italic"), text)
    # confirmed or not shows as the colour of the row's gutter (ArticleView), so text wraps
    # aligned.
    # The chip line is always there, empty or not: adding the first label must not push the
    # rest of the article down (calmer to read, and no re-layout of the screen per key)
    parts: list[Content | str | tuple[str, str]] = [text, "\n  "]
    if st.revised:  # its labels changed after it was confirmed (stored: see labeling)
        parts.append(("✎ changed after confirmation ", "bold $warning"))
    if st.labels or st.comment:
        parts.extend(_chips(st, schema))
    for name in data.suggested:
        parts.append(suggested_chip(name, schema))
        parts.append(" ")
    for name, other in data.others:
        parts.append("\n  ")
        parts.append((f"{'✓' if other.confirmed else '·'} ", "$text-muted"))
        parts.append(literal(name, "italic $text-muted"))
        parts.append(" ")
        parts.extend(_chips(other, schema) or [("(nothing)", "$text-muted")])
    return Content.assemble(*parts)


def render_summary(data: RowData, schema: LabelSchema, hidden: int) -> Content:
    """One line for a sentence that goes on below the view: how many lines more, the key
    that scrolls to them, then its chips and comment (its labels stay in view)."""
    more = f"{hidden} more line{'s' if hidden != 1 else ''}: pgdn"
    parts: list[Content | str | tuple[str, str]] = [(more, "bold $accent"), "  "]
    st = data.state
    if st.revised:
        parts.append(("✎ ", "bold $warning"))
    parts.extend(_chips(st, schema) or [("no labels yet", "$text-muted")])
    return Content.assemble(*parts)


def suggested_chip(name: str, schema: LabelSchema) -> Content:
    """A suggested label: outlined in the label's colour (no fill), italic, with a `?`, so
    it never reads as one of the annotator's chips, with or without colour."""
    try:
        color = schema.color(name)
    except KeyError:
        color = "#808080"
    return Content.styled(f"⟨{printable(name)}?⟩", f"italic {color}")


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
        # the comment, wrapped (its lines joined), whole up to COMMENT_SHOWN characters
        # (about four lines at 80 columns): a cut one hid what the annotator wrote, but a
        # note of pages pushed the sentences around it off the screen (audit7 F27). The row
        # grows only when the comment changes, which redraws it anyway
        shown = " / ".join(line.strip() for line in st.comment.splitlines() if line.strip())
        if len(shown) > COMMENT_SHOWN:
            shown = shown[:COMMENT_SHOWN].rstrip() + " … (c shows all)"
        out.append(literal(f"“{shown}”", "italic $text-muted"))
    return out
