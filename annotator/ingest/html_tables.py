"""A table written as HTML inside a text or markdown file (`<table><tr><td>...`): read as a
markdown table is, one segment of kind `table` per row, its cells' text joined by " | "
(inserted: the tags between cells are not copied), offsets exact into the source.

Only a table that opens a line and whose `</table>` closes one, with no table inside it, is
read so; anything else stays as written. Looked for only in a text that holds "<table".
"""

from __future__ import annotations

from annotator.ingest.layout_assembly import trim
from annotator.ingest.lazy_re import rx

_OPEN = r"(?i)<table\b[^<>]*>"
_CLOSE = r"(?i)</table\s*>"
# the tags that shape rows and cells; the others (thead, tbody, caption, colgroup) are markup
_PART = r"(?i)<(/?)(tr|td|th)\b[^<>]*>"
# a caption is not a row
_CAPTION = r"(?is)<caption\b[^<>]*>.*?</caption\s*>"


def may_hold_table(text: str, start: int) -> bool:
    # ("<" first: one character is found fastest, and most texts have none)
    return "<" in text and (text.find("<table", start) >= 0 or text.find("<TABLE", start) >= 0)


def table_regions(text: str, start: int) -> list[tuple[int, int]]:
    """The HTML tables of text[start:], each (where its `<table>` opens its line, where its
    `</table>` ends)."""
    out: list[tuple[int, int]] = []
    pos = start
    while (m := rx(_OPEN).search(text, pos)) is not None:
        close = rx(_CLOSE).search(text, m.end())
        if close is None:
            break
        pos = close.end()
        line_start = text.rfind("\n", start, m.start()) + 1
        line_end = text.find("\n", close.end())
        line_end = len(text) if line_end < 0 else line_end
        if (
            text[max(line_start, start) : m.start()].strip()
            or text[close.end() : line_end].strip()
            or rx(_OPEN).search(text, m.end(), close.start())  # a table inside: left as written
        ):
            continue
        out.append((m.start(), close.end()))
    return out


def table_rows(text: str, start: int, end: int) -> list[list[tuple[int, int]]]:
    """The rows of the table text[start:end], each the spans of its cells' text (trimmed;
    empty cells left out; a row without text left out)."""
    skip = [m.span() for m in rx(_CAPTION).finditer(text, start, end)]
    rows: list[list[tuple[int, int]]] = []
    row: list[tuple[int, int]] | None = None
    cell: int | None = None  # where the open cell's text starts

    def close_cell(at: int) -> None:
        nonlocal cell
        if cell is not None and row is not None:
            a, b = trim(text, cell, at)
            if b > a:
                row.append((a, b))
        cell = None

    def close_row(at: int) -> None:
        nonlocal row
        close_cell(at)
        if row:
            rows.append(row)
        row = None

    for m in rx(_PART).finditer(text, start, end):
        if any(a <= m.start() < b for a, b in skip):
            continue
        closing, name = m.group(1), m.group(2).lower()
        if name == "tr":
            close_row(m.start())
            if not closing:
                row = []
        elif closing:
            close_cell(m.start())
        else:
            close_cell(m.start())
            if row is None:
                row = []  # a cell without its <tr> (HTML allows leaving it out)
            cell = m.end()
    close_row(text.rfind("<", start, end))  # the cell or row left open, up to </table>
    return rows
