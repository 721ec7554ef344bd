"""Command-line interface (click). Commands live in modules named for what they do; each is
imported when its command runs (annotator.cli.main.COMMAND_MODULES)."""

from __future__ import annotations

from annotator.cli.main import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="annotator")
