"""The Textual application: thin. It holds the session, applies the schema's keymap and
opens the screens; behaviour lives on the screens."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from annotator.session import AnnotationSession
from annotator.tui.commands import ArticleCommands
from annotator.tui.keymap import schema_keymap
from annotator.tui.screens.annotate import AnnotateScreen


class AnnotatorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    COMMANDS = App.COMMANDS | {ArticleCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.set_keymap(schema_keymap(self.session.schema))
        self.push_screen(AnnotateScreen.for_schema(self.session))

    def open_agreement(self) -> None:
        """The agreement screen shows everyone's labels: in blind mode, ask first."""
        from annotator.tui.dialogs.confirm import ConfirmModal
        from annotator.tui.screens.agreement import AgreementScreen

        def go(yes: bool | None) -> None:
            if yes:
                self.push_screen(AgreementScreen(self.session.store.path, self.session.guidelines))

        if self.session.show_others:
            go(True)
        else:
            self.push_screen(
                ConfirmModal(
                    "The agreement screen shows every annotator's labels, "
                    "which ends blind annotation for you. Open it?"
                ),
                go,
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, AnnotateScreen):
            return
        for title, help_text, action in (
            ("Confirm sentence", "Confirm and move to the next sentence", "confirm"),
            ("Undo", "Undo the last change (also from earlier sessions)", "undo"),
            ("Next unconfirmed sentence", "Across articles", "next_unconfirmed"),
            ("Next article", "", "article(1)"),
            ("Previous article", "", "article(-1)"),
            ("Comment", "Comment on the current sentence", "comment"),
            ("Article form", "Genre, credibility and the other article fields", "article_form"),
            ("Open article", "Pick an article, with progress", "open_article"),
            ("Guideline", "Guideline of the label under the cursor", "guideline"),
            ("Agreement", "Inter-annotator agreement", "agreement"),
        ):
            yield SystemCommand(title, help_text, lambda a=action: screen.run_action(a))


def create_app(session: AnnotationSession) -> AnnotatorApp:
    """One factory for the CLI and the tests."""
    return AnnotatorApp(session)
