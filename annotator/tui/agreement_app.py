"""`annotator agreement --tui`: the agreement screen on its own."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from annotator.guidelines import Guidelines
from annotator.store.database import Store
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


def create_agreement_app(store: Store, guidelines: Guidelines, **options: object) -> AgreementApp:
    return AgreementApp(AgreementScreen(store.path, guidelines, **options))  # type: ignore[arg-type]


def run_agreement_app(store: Store, guidelines: Guidelines, **options: object) -> None:
    create_agreement_app(store, guidelines, **options).run()
