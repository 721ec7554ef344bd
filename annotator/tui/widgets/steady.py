"""A Static that re-lays out the screen only when its height really changes.

Static.update() asks for a layout pass by default: on an article of a hundred rows that pass
is most of a frame (~11 ms here), and every key used to pay it several times. Comparing the
wrapped height of the old and the new content is cheap (Content caches it).
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.widgets import Static


class SteadyStatic(Static):
    def __init__(self, content: Content | str = "", **kwargs: object) -> None:
        super().__init__(content, markup=False, **kwargs)  # type: ignore[arg-type]
        self.rendered = content if isinstance(content, Content) else Content(content)

    def show(self, content: Content) -> None:
        width = self.content_region.width
        # no width: hidden (the side panel in a narrow terminal, the one-line legend in a
        # wide one) or not laid out yet; its size is worked out when it is shown, not now
        # Textual passes a widget's styles here itself (Widget._get_box_model); its
        # annotation asks for the RulesMap the styles behave as
        rules: RulesMap = self.styles  # type: ignore[assignment]
        same = width <= 0 or (
            content.get_height(rules, width) == self.rendered.get_height(rules, width)
        )
        self.rendered = content
        self.update(content, layout=not same)
