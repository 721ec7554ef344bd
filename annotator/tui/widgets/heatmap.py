"""Annotator x annotator Cohen's kappa for one label, each cell coloured by its value."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from annotator.tui.text import literal

CELL = 8


def kappa_color(value: float | None) -> str:
    """Red below chance-level agreement, through yellow, to green at 0.8 and above."""
    if value is None:
        return "#444444"
    if value >= 0.8:
        return "#2e7d32"
    if value >= 0.667:
        return "#7cb342"
    if value >= 0.4:
        return "#f9a825"
    if value >= 0.2:
        return "#ef6c00"
    return "#c62828"


def render_heatmap(label: str, annotators: list[str], pairs: list[dict[str, Any]]) -> Content:
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for p in pairs:
        if p["label"] == label:
            cells[(p["annotator_a"], p["annotator_b"])] = p["cohen_kappa"]
            cells[(p["annotator_b"], p["annotator_a"])] = p["cohen_kappa"]
    width = max([len(a) for a in annotators] + [6])
    parts: list[Content | str | tuple[str, str]] = [
        literal(f"Cohen's kappa per pair: {label}", "bold"),
        ("   [ and ] another label", "$text-muted"),
        "\n",
        " " * (width + 1),
    ]
    for b in annotators:
        parts.append(literal(b[: CELL - 1].center(CELL), "bold"))  # over the cells
    for a in annotators:
        parts += ["\n", literal(a.ljust(width)[:width], "bold"), " "]
        for b in annotators:
            if a == b:
                parts.append(("—".center(CELL), "$text-muted"))
                continue
            c = cells.get((a, b))
            value = c.get("value") if c else None
            shown = "n/a" if value is None else f"{value:.2f}"
            parts.append((shown.center(CELL), f"#101010 on {kappa_color(value)}"))
    parts += [
        "\n\n",
        ("≥0.80 ", "#101010 on #2e7d32"),
        " ",
        ("≥0.67 ", "#101010 on #7cb342"),
        " ",
        ("≥0.40 ", "#101010 on #f9a825"),
        " ",
        ("≥0.20 ", "#101010 on #ef6c00"),
        " ",
        ("<0.20 ", "#101010 on #c62828"),
        " ",
        ("n/a: undefined", "$text-muted"),
    ]
    return Content.assemble(*parts)


class Heatmap(Static):
    pass
