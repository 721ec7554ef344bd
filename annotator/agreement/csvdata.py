"""Reading ratings from CSV files for `annotator agreement --from-csv FILE`.

Two layouts:

* wide: a header row of annotator names, then one row per unit; an empty cell is a missing
  rating. A first column named `unit` (any case) holds unit ids; without it, a unit is known
  by its line number.
* long: one row per rating, with named columns for unit, annotator and value. A row with an
  empty value is no rating.

The level of measurement is the caller's choice, never guessed. At the nominal level values
are text categories; at the ordinal, interval and ratio levels they must be numbers, unless a
value map (text -> number) turns them into numbers. Values are stripped of surrounding
whitespace; unit ids and annotator names are kept exactly as written (published figures, e.g.
BABE's, depend on the raw strings).

A row whose unit id (or, in the long layout, annotator) is empty cannot be matched with any
other rating: it is skipped and reported in `CsvRatings.notes` (the BABE SG2 file has one such
row, a lone rating that would not be pairable anyway). An annotator rating the same unit twice
is an error naming both lines, whatever the two values: any silent rule (first, last, mean)
changes the coefficient, and a repeated rating usually means a broken export.

Errors are `CsvFormatError`, one line: FILE:LINE: reason. Files are streamed (RFC 4180
quoting, UTF-8 with or without a byte order mark).
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import math
from collections.abc import Generator, Hashable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from annotator.models.matrices import LEVELS, MISSING, Level, Ratings

_BOM = "\ufeff"


class CsvFormatError(ValueError):
    """A problem in an input file, located as FILE:LINE."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class CsvRatings:
    """The ratings read from a file, with one-line notes on rows that were skipped."""

    ratings: Ratings
    notes: tuple[str, ...] = ()


def read_wide_csv(
    path: str | Path, level: Level, *, value_map: Mapping[str, float] | None = None
) -> CsvRatings:
    """Read the wide layout: header of annotator names (optional first column `unit`)."""
    _check_level(level)
    with contextlib.closing(_records(path)) as records:
        return _read_wide(path, level, value_map, records)


def _read_wide(
    path: str | Path,
    level: Level,
    value_map: Mapping[str, float] | None,
    records: Iterator[tuple[int, list[str]]],
) -> CsvRatings:
    header_line, header = _header(path, records)
    has_unit = header[0].strip().casefold() == "unit"
    coders = header[1:] if has_unit else header
    if not coders:
        raise CsvFormatError(path, header_line, "the header names no annotator")
    _check_names(path, header_line, coders)
    values = _Values(path, level, value_map)
    units: list[Hashable] = []
    seen_units: dict[str, int] = {}
    rows: list[list[int]] = []
    notes: list[str] = []
    for line, row in records:
        if len(row) != len(header):
            raise _ragged(path, line, len(header), len(row))
        if has_unit:
            unit = row[0]
            if not unit.strip():
                notes.append(f"{path}:{line}: empty {header[0]!r}; row skipped")
                continue
            if unit in seen_units:
                raise CsvFormatError(
                    path, line, f"unit {unit!r} appears twice (first at line {seen_units[unit]})"
                )
            seen_units[unit] = line
            units.append(unit)
            cells = row[1:]
        else:
            units.append(line)
            cells = row
        rows.append([values.code(cell, line) for cell in cells])
    if not rows:
        raise CsvFormatError(path, header_line, "no unit rows after the header")
    codes = np.array(rows, dtype=np.int32).reshape(len(rows), len(coders))
    return CsvRatings(values.ratings(codes, tuple(coders), tuple(units)), tuple(notes))


def read_long_csv(
    path: str | Path,
    level: Level,
    *,
    unit_column: str,
    annotator_column: str,
    value_column: str,
    value_map: Mapping[str, float] | None = None,
) -> CsvRatings:
    """Read the long layout: one rating per row, in the named columns."""
    _check_level(level)
    wanted = (unit_column, annotator_column, value_column)
    if len(set(wanted)) != 3:
        raise ValueError("unit, annotator and value must be three different columns")
    with contextlib.closing(_records(path)) as records:
        return _read_long(path, level, wanted, value_map, records)


def _read_long(
    path: str | Path,
    level: Level,
    wanted: tuple[str, str, str],
    value_map: Mapping[str, float] | None,
    records: Iterator[tuple[int, list[str]]],
) -> CsvRatings:
    header_line, header = _header(path, records)
    names = [h.strip() for h in header]
    index = []
    for name in wanted:
        if name.strip() not in names:
            columns = ", ".join(repr(n) for n in names)
            raise CsvFormatError(
                path, header_line, f"no column {name!r}; the columns are: {columns}"
            )
        index.append(names.index(name.strip()))
    iu, ia, iv = index
    values = _Values(path, level, value_map)
    unit_index: dict[str, int] = {}
    coder_index: dict[str, int] = {}
    cells: dict[tuple[int, int], tuple[int, int]] = {}  # (unit, coder) -> (code, line)
    notes: list[str] = []
    for line, row in records:
        if len(row) != len(header):
            raise _ragged(path, line, len(header), len(row))
        unit, coder = row[iu], row[ia]
        empty = [name for name, cell in ((wanted[0], unit), (wanted[1], coder)) if not cell.strip()]
        if empty:
            notes.append(f"{path}:{line}: empty {' and '.join(map(repr, empty))}; row skipped")
            continue
        u = unit_index.setdefault(unit, len(unit_index))
        c = coder_index.setdefault(coder, len(coder_index))
        code = values.code(row[iv], line)
        if code == MISSING:
            continue
        if (u, c) in cells:
            raise CsvFormatError(
                path,
                line,
                f"annotator {coder!r} rated unit {_short(unit)} twice "
                f"(also at line {cells[(u, c)][1]})",
            )
        cells[(u, c)] = (code, line)
    if not unit_index:
        raise CsvFormatError(path, header_line, "no rating rows after the header")
    codes = np.full((len(unit_index), len(coder_index)), MISSING, dtype=np.int32)
    for (u, c), (code, _) in cells.items():
        codes[u, c] = code
    ratings = values.ratings(codes, tuple(coder_index), tuple(unit_index))
    return CsvRatings(ratings, tuple(notes))


def read_value_map(path: str | Path) -> dict[str, float]:
    """Read a two-column mapping file: TEXT,NUMBER per row.

    A first row whose second cell is not a number is a header and is skipped. Texts are
    stripped; the same text twice is an error.
    """
    with contextlib.closing(_records(path)) as records:
        return _read_map(path, records)


def _read_map(path: str | Path, records: Iterator[tuple[int, list[str]]]) -> dict[str, float]:
    mapping: dict[str, float] = {}
    lines: dict[str, int] = {}
    first = True
    for line, row in records:
        if len(row) != 2:
            raise CsvFormatError(path, line, f"expected 2 fields (TEXT,NUMBER), got {len(row)}")
        text, number = row[0].strip(), row[1].strip()
        value = _number(number)
        if first and value is None:
            first = False
            continue
        first = False
        if value is None:
            raise CsvFormatError(path, line, f"{number!r} is not a finite number")
        if not text:
            raise CsvFormatError(path, line, "empty text: an empty cell is always missing")
        if text in mapping:
            raise CsvFormatError(
                path, line, f"{text!r} is mapped twice (also at line {lines[text]})"
            )
        mapping[text] = value
        lines[text] = line
    if not mapping:
        raise CsvFormatError(path, None, "no mapping rows (expected TEXT,NUMBER)")
    return mapping


def parse_map_option(option: str) -> tuple[str, float]:
    """Parse a `--map TEXT=NUMBER` option; TEXT may itself contain '='."""
    text, sep, number = option.rpartition("=")
    value = _number(number.strip())
    if not sep or not text.strip() or value is None:
        raise ValueError(f"expected TEXT=NUMBER, got {option!r}")
    return text.strip(), value


class _Values:
    """Turns cells into category codes as the file streams, for one level of measurement."""

    def __init__(self, path: str | Path, level: Level, value_map: Mapping[str, float] | None):
        self.path = path
        self.level = level
        self.value_map = {k.strip(): v for k, v in (value_map or {}).items()}
        self.index: dict[Hashable, int] = {}

    def code(self, cell: str, line: int) -> int:
        text = cell.strip()
        if not text:
            return MISSING
        value: Hashable
        if text in self.value_map:
            value = _tidy(self.value_map[text])
        elif self.level == "nominal":
            value = text
        else:
            number = _number(text)
            if number is None:
                raise CsvFormatError(
                    self.path,
                    line,
                    f"{text!r} is not a number, as the {self.level} level needs "
                    f"(map it to one with TEXT=NUMBER)",
                )
            value = _tidy(number)
        if self.level == "ratio" and value < 0:  # type: ignore[operator]
            raise CsvFormatError(
                self.path, line, f"{text!r} is negative; the ratio level needs a true zero"
            )
        return self.index.setdefault(value, len(self.index))

    def ratings(
        self, codes: np.ndarray, coders: tuple[str, ...], units: tuple[Hashable, ...]
    ) -> Ratings:
        # Categories in a stable order (numbers ascending, then texts), whatever the file order.
        seen = list(self.index)
        order = sorted(range(len(seen)), key=lambda i: _category_key(seen[i]))
        remap = np.empty(len(seen) + 1, dtype=np.int32)
        remap[np.array(order, dtype=np.int64)] = np.arange(len(seen), dtype=np.int32)
        remap[-1] = MISSING  # codes of -1 index the last slot
        return Ratings(remap[codes], tuple(seen[i] for i in order), coders, units)


def _category_key(value: Hashable) -> tuple[int, float, str]:
    if isinstance(value, str):
        return (1, 0.0, value)
    return (0, float(value), "")  # type: ignore[arg-type]


def _tidy(number: float) -> int | float:
    """1.0 -> 1, so that categories print as they were written."""
    return int(number) if float(number).is_integer() else float(number)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")


def _check_names(path: str | Path, line: int, names: list[str]) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names, start=1):
        if not name.strip():
            raise CsvFormatError(path, line, f"annotator column {i} has no name in the header")
        if name in seen:
            raise CsvFormatError(path, line, f"annotator {name!r} appears twice in the header")
        seen.add(name)


def _ragged(path: str | Path, line: int, expected: int, got: int) -> CsvFormatError:
    return CsvFormatError(path, line, f"expected {expected} fields as in the header, got {got}")


def _header(path: str | Path, records: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    try:
        line, header = next(records)
    except StopIteration:
        raise CsvFormatError(path, None, "empty file: no header row") from None
    if all(not cell.strip() for cell in header):
        raise CsvFormatError(path, line, "no header: the first row is empty")
    return line, header


def _records(path: str | Path) -> Generator[tuple[int, list[str]], None, None]:
    """(first line, fields) of each non-blank record, streamed."""
    handle = open(path, "rb")  # noqa: SIM115 - closed in the finally below, as we stream
    try:
        lines = _text_lines(handle, path)
        head = next(lines, "")
        reader = csv.reader(itertools.chain([head], lines), delimiter=_delimiter(head), strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise CsvFormatError(path, start, f"malformed CSV: {error}") from None
            first, start = start, reader.line_num + 1
            if row:  # csv yields [] for a blank line
                yield first, row
    finally:
        handle.close()


def _delimiter(header: str) -> str:
    """`,`, or what a header with no comma separates its names by: spreadsheets of many
    locales save CSV with `;`, and some with tabs (audit9b F16: such a file read as one
    annotator named "unit;alice;bob", and agreement was "undefined: only one coder")."""
    if "," in header:
        return ","
    return max(";\t", key=header.count) if (";" in header or "\t" in header) else ","


def _text_lines(handle: BinaryIO, path: str | Path) -> Iterator[str]:
    """Decode line by line so that a bad byte is reported with its line number."""
    for number, raw in enumerate(handle, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CsvFormatError(
                path, number, f"not UTF-8 (byte {error.start + 1} of the line)"
            ) from None
        if number == 1 and text.startswith(_BOM):
            text = text[1:]
        yield text
