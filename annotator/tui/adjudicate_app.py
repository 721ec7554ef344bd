"""`annotator adjudicate`: the application on the adjudication screen."""

from __future__ import annotations

from annotator.adjudication import AdjudicationSession
from annotator.tui.app import AnnotatorApp
from annotator.tui.keymap import schema_keymap
from annotator.tui.screens.adjudicate import REFRESH_SECONDS, AdjudicateScreen


def create_adjudicate_app(
    session: AdjudicationSession, *, refresh_seconds: float = REFRESH_SECONDS
) -> AnnotatorApp:
    """`refresh_seconds`: how often the queue looks for what others committed."""
    # the label keys only: the adjudication screen has no sentence-field slots
    keymap = {k: v for k, v in schema_keymap(session.schema).items() if k.startswith("label.")}
    return AnnotatorApp(
        AdjudicateScreen.for_schema(session, refresh_seconds),
        title="annotator: adjudication",
        keymap=keymap,
    )
