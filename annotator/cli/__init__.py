"""Command-line interface (click). Commands live in modules named for what they do."""

from __future__ import annotations

from annotator.cli import (  # noqa: F401  (importing a module registers its commands)
    adjudicate,
    agreement,
    annotate,
    assign,
    database_cmd,
    export,
    guidelines_cmd,
    import_labels,
    importing,
    merge,
    status,
    suggestions,
    team,
)
from annotator.cli.main import cli


def main() -> None:
    cli(prog_name="annotator")
