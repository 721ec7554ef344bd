"""`annotator review`: the application on the review screen."""

from __future__ import annotations

from annotator.feedback import ReviewItem
from annotator.guidelines import Guidelines
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.review import ReviewScreen


def create_review_app(
    annotator: str, items: list[ReviewItem], guidelines: Guidelines
) -> AnnotatorApp:
    return AnnotatorApp(ReviewScreen(annotator, items, guidelines), title="annotator: review")
