"""`annotator agreement --tui`: the agreement screen on its own."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from annotator.guidelines import Guidelines
from annotator.tui.screens.agreement import AgreementScreen


class AgreementApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "annotator: agreement"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(self, screen: AgreementScreen) -> None:
        super().__init__()
        self._agreement = screen

    def on_mount(self) -> None:
        self.push_screen(self._agreement)


def create_agreement_app(
    db_path: Path,
    guidelines: Guidelines,
    *,
    annotators: list[str] | None = None,
    label: str | None = None,
    article_id: int | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
) -> AgreementApp:
    return AgreementApp(
        AgreementScreen(
            db_path,
            guidelines,
            annotators=annotators,
            label=label,
            article_id=article_id,
            n_resamples=n_resamples,
            seed=seed,
        )
    )
