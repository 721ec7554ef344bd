"""`annotator agreement --tui`: the application on the agreement screen."""

from __future__ import annotations

from pathlib import Path

from annotator.guidelines import Guidelines
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.agreement import AgreementScreen


def create_agreement_app(
    db_path: Path,
    guidelines: Guidelines,
    *,
    annotators: list[str] | None = None,
    label: str | None = None,
    article_id: int | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
) -> AnnotatorApp:
    return AnnotatorApp(
        AgreementScreen(
            db_path,
            guidelines,
            annotators=annotators,
            label=label,
            article_id=article_id,
            n_resamples=n_resamples,
            seed=seed,
        ),
        title="annotator: agreement",
    )
