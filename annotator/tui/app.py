"""The Textual application: one for the annotation, adjudication and agreement screens, thin.
It holds the screen it opens on (and the annotation session, when there is one), applies the
schema's keymap; behaviour lives on the screens. The factories for the other two screens are
in adjudicate_app.py and agreement_app.py, so `annotator annotate` imports only its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.screen import Screen

from annotator.models.errors import StoreError
from annotator.session import AnnotationSession
from annotator.tui.commands import ArticleCommands
from annotator.tui.keymap import schema_keymap
from annotator.tui.screens.annotate import AnnotateScreen


class AnnotatorApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    COMMANDS = App.COMMANDS | {ArticleCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(
        self,
        first: Screen[None],
        *,
        title: str = "annotator",
        keymap: Mapping[str, str] | None = None,
        session: AnnotationSession | None = None,
        agreement_allowed: bool | Callable[[], bool] = True,
    ) -> None:
        super().__init__()
        self.title = title
        self.session = session  # the annotation session (the command palette's articles)
        # False when served to an annotator of a blind project (annotator/access.py): the
        # agreement screen shows everyone's labels, and a browser session may not ask for it.
        # Served, a function that reads the role and the setting again when asked (audit10
        # F3: a project made blind while a browser session was open still let R through)
        self.agreement_allowed = agreement_allowed
        self._first = first
        self._keymap = dict(keymap or {})

    def get_driver_class(self) -> type[Driver]:
        # a terminal that goes away without a hangup signal must end the app, not leave it
        # spinning (terminal_driver.py); a served app keeps the driver it is given
        from textual.drivers.linux_driver import LinuxDriver

        from annotator.tui.terminal_driver import HangupDriver

        driver = super().get_driver_class()
        return HangupDriver if driver is LinuxDriver else driver

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        self.push_screen(self._first)

    def open_agreement(self) -> None:
        """The agreement screen shows everyone's labels: in blind mode, ask first."""
        from annotator.tui.dialogs.confirm import ConfirmModal
        from annotator.tui.screens.agreement import AgreementScreen

        session = self.session
        if session is None:
            return
        allowed = self.agreement_allowed
        if not (allowed() if callable(allowed) else allowed):
            self.notify(
                "The agreement screen is not available to annotators of a blind project.",
                title="Not available",
                severity="warning",
            )
            return

        def go(yes: bool | None) -> None:
            if not yes:
                return
            if not session.show_others:
                try:
                    session.saw_others(None, "agreement screen")
                except StoreError as e:
                    # not recorded, so not shown: a blind project's record stays true
                    self.notify(
                        f"not opened: seeing others' labels could not be recorded ({e})",
                        severity="error",
                        markup=False,
                    )
                    return
            self.push_screen(AgreementScreen(session.store.path, session.guidelines))

        if session.show_others or not session.blind_now():
            # a project that is not blind asks nothing and records nothing (README; audit7
            # F19: it asked whether to end a blind annotation there was none of)
            go(True)
        else:
            self.push_screen(
                ConfirmModal(
                    "The agreement screen shows every annotator's labels, which ends blind "
                    "annotation for you. This project is blind: opening it is recorded "
                    "(your name, the time, all articles). Open it?"
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
            ("Redo", "Put back what the last undo took back", "redo"),
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


def create_app(
    session: AnnotationSession, *, agreement_allowed: bool | Callable[[], bool] = True
) -> AnnotatorApp:
    """The annotation screen: one factory for the CLI, `annotator serve` and the tests."""
    return AnnotatorApp(
        AnnotateScreen.for_schema(session),
        keymap=schema_keymap(session.schema),
        session=session,
        agreement_allowed=agreement_allowed,
    )
