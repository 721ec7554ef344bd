"""`annotator adjudicate`: the adjudication screen."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from annotator.adjudication import AdjudicationSession
from annotator.tui.keymap import schema_keymap
from annotator.tui.screens.adjudicate import REFRESH_SECONDS, AdjudicateScreen


class AdjudicateApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "annotator: adjudication"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(
        self, session: AdjudicationSession, *, refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        super().__init__()
        self.session = session
        self.refresh_seconds = refresh_seconds

    def on_mount(self) -> None:
        keymap = {
            k: v for k, v in schema_keymap(self.session.schema).items() if k.startswith("label.")
        }
        self.set_keymap(keymap)
        self.push_screen(AdjudicateScreen.for_schema(self.session, self.refresh_seconds))


def create_adjudicate_app(
    session: AdjudicationSession, *, refresh_seconds: float = REFRESH_SECONDS
) -> AdjudicateApp:
    """`refresh_seconds`: how often the queue looks for what others committed."""
    return AdjudicateApp(session, refresh_seconds=refresh_seconds)
