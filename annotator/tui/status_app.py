"""`annotator status --tui` (and a manager's URL/status when served): the application on
the status screen."""

from __future__ import annotations

from pathlib import Path

from annotator.guidelines import Guidelines
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.status import StatusScreen


def create_status_app(
    db_path: Path, guidelines: Guidelines, viewer: str, n_resamples: int = 1000
) -> AnnotatorApp:
    """`viewer`: who is looking (a manager also sees each annotator against gold)."""
    return AnnotatorApp(
        StatusScreen(db_path, guidelines, viewer, n_resamples=n_resamples),
        title="annotator: status",
    )
