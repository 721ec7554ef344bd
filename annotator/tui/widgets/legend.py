"""The side panel: label legend with counts, the definition under the label cursor, the
source type keys, this sentence's comment and the article-level judgements."""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual.content import Content
from textual.widgets import Static

from annotator.labeling import SentenceState
from annotator.schema import LabelSchema
from annotator.tui.text import chip, literal
from annotator.tui.widgets.steady import SteadyStatic


def definition_heights(schema: LabelSchema, styles: object, width: int) -> list[int]:
    """The wrapped height of each label's definition at this width (compute once per width:
    wrapping eight paragraphs on every key would cost more than the layout it saves)."""
    if width <= 0:
        return [0] * len(schema.labels)
    return [
        literal(lab.description).get_height(styles, width)  # type: ignore[arg-type]
        for lab in schema.labels
    ]


def render_legend(
    schema: LabelSchema,
    counts: Counter[str] | None,
    cursor: int,
    state: SentenceState,
    padding: int = 0,
    links: tuple[tuple[str, str], ...] = (),
    link_lines: int = 0,
) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        ("Labels", "bold"),
        "  ",
        ("tab moves ▸  ? guideline", "$text-muted"),
    ]
    width = max(len(lab.name) for lab in schema.labels)
    for i, lab in enumerate(schema.labels):
        on = lab.name in state.labels
        pointer = "▸" if i == cursor else " "
        count = "…" if counts is None else str(counts.get(lab.name, 0))
        parts.append("\n")
        parts.append((f"{pointer} ", "bold $accent"))
        parts.append((f"{lab.key} ", "bold"))
        parts.append(
            chip(lab.name.ljust(width), schema.color(lab.name))
            if on
            else literal(f" {lab.name.ljust(width)} ", "$text")
        )
        parts.append((f" {count:>5}", "$text-muted"))
    lab = schema.labels[cursor]
    parts += [
        "\n\n",
        literal(lab.title or lab.name, "bold"),
        "\n",
        literal(lab.description, "$text-muted"),
    ]
    if padding:
        parts.append("\n" * padding)
    for sf in schema.sentence_fields:
        active = sf.label in state.labels
        parts += [
            "\n\n",
            literal(sf.title, "bold" if active else "$text-muted"),
            (f"  (after {schema.label(sf.label).key})", "$text-muted"),
        ]
        current = state.field(sf.name)
        for c in sf.values:
            mark = "●" if current == str(c.value) else "○"
            style = "" if active else "$text-muted"
            parts += ["\n", (f"{mark} {c.key} ", style), literal(c.title, style)]
    parts += render_links(links, link_lines)
    return Content.assemble(*parts)


def render_links(
    links: tuple[tuple[str, str], ...], reserve: int
) -> list[Content | str | tuple[str, str]]:
    """The links of the sentence under the cursor: (link text, url), the url in full, in
    `reserve` lines (the most links a sentence of this article has), so that moving never
    changes the panel's height (which would cost a layout of the screen)."""
    parts: list[Content | str | tuple[str, str]] = []
    if reserve:
        parts += ["\n\n", ("Links here", "bold")]
        if not links:
            parts += ["\n", ("none", "$text-muted")]
    for text, url in links:
        parts += ["\n", literal(text, "underline")]
        if url != text:  # a bare link is its own url: once is enough
            parts += [(" → ", "$text-muted"), literal(url or "(no url)")]
    parts.append("\n" * max(0, reserve - max(1, len(links))))
    return parts


def render_legend_line(
    schema: LabelSchema,
    state: SentenceState,
    links: tuple[tuple[str, str], ...] = (),
    link_line: int = 0,
    cursor: int = -1,
) -> Content:
    """The legend on one line, for terminals too narrow for the side panel; with
    `link_line` (a width), the links of the sentence under the cursor on a second line."""
    parts: list[Content | str | tuple[str, str]] = []
    for i, lab in enumerate(schema.labels):
        # the label cursor (tab moves it, ? shows its guideline) is visible here too
        parts.append(("▸" if i == cursor else "", "bold $accent"))
        parts.append((f"{lab.key}", "bold"))
        if lab.name in state.labels:
            parts.append(chip(lab.name, schema.color(lab.name)))
        else:
            parts.append(literal(f" {lab.name} ", "$text-muted"))
        parts.append(" ")
    if link_line:  # cut to the width: its height never changes as the cursor moves
        shown = (
            "  ".join(text if url == text else f"{text} → {url}" for text, url in links)
            or "no link here"
        )
        if len(shown) > link_line:
            shown = shown[: link_line - 1] + "…"
        parts += ["\n", literal(shown, "underline" if links else "$text-muted")]
    return Content.assemble(*parts)


def render_article_fields(
    schema: LabelSchema, values: dict[str, Any], comment: str | None = None
) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        ("Article", "bold"),
        "  ",
        ("A edits", "$text-muted"),
    ]
    for f in schema.article_fields:
        v = values.get(f.name)
        choice = f.choice(v) if v is not None else None
        shown = choice.title if choice else ("—" if v is None else str(v))
        parts += [
            "\n",
            literal(f.title, "$text-muted"),
            ": ",
            literal(shown, "" if v is not None else "$text-muted"),
        ]
    if comment:
        joined = " / ".join(x.strip() for x in comment.splitlines() if x.strip())
        parts += ["\n", literal("Comment", "$text-muted"), ": ", literal(joined, "italic")]
    return Content.assemble(*parts)


class Legend(SteadyStatic):
    pass


class LegendLine(SteadyStatic):
    pass


class ArticleFields(Static):
    pass
