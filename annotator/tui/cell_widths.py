"""Spacing combining marks take a cell, as the terminal draws them.

Rich (and Textual, which measures with it) counts every combining mark as zero cells, the
spacing ones too (Unicode category Mc: the vowel signs of Devanagari, Bengali, Tamil,
Telugu, Myanmar ... that sit beside their consonant, not on it). Terminals draw an Mc mark
in a cell of its own: glibc's wcwidth, which tmux, xterm and VTE use, gives it 1. So a
wrapped Hindi line measured 73 cells was drawn in 90, the end of every line ran past the
right edge, and at 80x24 the annotator never saw part of the sentence (audit6 F2).

`count_spacing_marks()` makes rich's width table say 1 for every Mc code point it has as 0
(nonspacing marks, Mn, stay 0: they are drawn on their base). Rich looks the table up
through `rich.cells.load_cell_table` on every measure, so the table it returns is replaced
by a copy with those widths, and the caches of measures taken before are cleared. Applied
once, when the first screen module is imported (annotator/tui/text.py); tests/
test_cell_widths.py checks rich's measure against the C library's wcwidth, and a Hindi
article at 80x24 through a real terminal (tmux).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from rich import cells

_applied = False


def _with_spacing_marks(widths: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The (start, end, width) ranges with each Mc code point of a 0-width range as 1."""
    out: list[tuple[int, int, int]] = []
    for start, end, width in widths:
        if width != 0:
            out.append((start, end, width))
            continue
        run_start, run_width = start, None
        for cp in range(start, end + 1):
            w = 1 if unicodedata.category(chr(cp)) == "Mc" else 0
            if run_width is None:
                run_width = w
            elif w != run_width:
                out.append((run_start, cp - 1, run_width))
                run_start, run_width = cp, w
        if run_width is not None:
            out.append((run_start, end, run_width))
    return out


def count_spacing_marks() -> None:
    """Make rich (and Textual) measure spacing combining marks as one cell. Idempotent."""
    global _applied
    if _applied:
        return
    load: Callable[..., Any] = getattr(cells, "load_cell_table")  # noqa: B009 (not exported)

    @cache
    def load_counting_marks(unicode_version: str = "auto") -> Any:
        table = load(unicode_version)
        return table._replace(widths=_with_spacing_marks(table.widths))

    setattr(cells, "load_cell_table", load_counting_marks)  # noqa: B010
    cells.get_character_cell_size.cache_clear()
    cells.cached_cell_len.cache_clear()
    _applied = True
