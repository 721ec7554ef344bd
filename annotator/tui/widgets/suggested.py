"""The side panel's account of the current sentence's suggestions: each label with its
source, version, score and the cue that fired, and the keys that accept them."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from annotator.models.suggestions import Suggestion
from annotator.schema import LabelSchema
from annotator.tui.text import literal
from annotator.tui.widgets.rows import suggested_chip

HEIGHT = 5
"""Lines the panel always takes, so that moving between sentences never re-lays out the
side panel (a key's cost)."""


def render_suggested(suggestions: tuple[Suggestion, ...], schema: LabelSchema) -> Content:
    parts: list[Content | str | tuple[str, str]] = [
        ("Suggested", "bold"),
        ("  y accepts, B all furniture", "$text-muted"),
    ]
    lines = 1
    for s in suggestions:
        if lines >= HEIGHT:
            break
        parts.append("\n")
        parts.append(suggested_chip(s.label, schema))
        kind = f" {s.source_type}" if s.source_type else ""
        cue = f": {s.cue}" if s.cue else ""
        parts.append(literal(f"{kind} {s.source}@{s.version} {s.score:.2f}{cue}", "$text-muted"))
        lines += 1
    if not suggestions:
        parts.append(("\n(none for this sentence)", "$text-muted"))
    return Content.assemble(*parts)


class SuggestedPanel(Static):
    pass
