"""Smaller slips of the guidelines commands and adoption (audit12 F17), each met by a user."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli


def test_drop_labels_without_guidelines_is_refused(run_cli: RunCli, imported_db: Path) -> None:
    """`--drop-labels` only loosens the adoption of a folder: alone it was accepted and did
    nothing, without a word."""
    r = run_cli("--drop-labels", "status")
    assert r.exit_code == 2, r.output
    assert "--drop-labels goes with --guidelines DIR" in r.output
