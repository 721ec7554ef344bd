"""`annotator agreement --from-csv`: the coefficients on ratings read from a CSV file
(wide or long), never the database.

Apart from the command because it shares nothing with the database path but the output: a
CSV brings its own level of measurement and value map, and its errors name the file.
"""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli.agreement_output import emit


def agreement_from_csv(
    path: Path,
    unit_col: str | None,
    annotator_col: str | None,
    value_col: str | None,
    level: str,
    maps: tuple[str, ...],
    map_file: Path | None,
    n_resamples: int,
    seed: int,
    fmt: str,
) -> None:
    """Read the CSV (long if any column is named, else wide) and print its coefficients."""
    from annotator.agreement.csvdata import (
        CsvFormatError,
        parse_map_option,
        read_long_csv,
        read_value_map,
        read_wide_csv,
    )
    from annotator.agreement.matrix_report import matrix_report
    from annotator.models.matrices import as_level

    value_map: dict[str, float] = {}
    try:
        if map_file:
            value_map.update(read_value_map(map_file))
        for m in maps:
            text, number = parse_map_option(m)
            value_map[text] = number
        long_cols = (unit_col, annotator_col, value_col)
        if any(long_cols):
            if not all(long_cols):
                raise click.UsageError(
                    "the long layout needs all of --unit, --annotator and --value"
                )
            read = read_long_csv(
                path,
                as_level(level),
                unit_column=unit_col or "",
                annotator_column=annotator_col or "",
                value_column=value_col or "",
                value_map=value_map or None,
            )
        else:
            read = read_wide_csv(path, as_level(level), value_map=value_map or None)
    except CsvFormatError as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        # audit9b F16: Python's own text named the path twice ("[Errno 2] No such file ...")
        why = "no such file" if isinstance(e, FileNotFoundError) else (e.strerror or str(e))
        raise click.ClickException(f"{path}: cannot read ({why})") from None
    except ValueError as e:
        raise click.ClickException(f"{path}: {e}") from None
    data = matrix_report(
        read.ratings,
        as_level(level),
        n_resamples=n_resamples,
        seed=seed,
        input_notes=read.notes,
    )
    data = {"file": str(path), **data}
    emit(fmt, "matrix", data)
