"""The footer of every screen: when the keys do not fit, their words get shorter, so that
every key stays on screen (Textual cuts the footer at the right edge, and the keys nobody
guesses, `?`, the accept keys and `ctrl+q`, are the last ones). The annotation screen
recomposes it on resize itself (it also makes it compact); the others use FittingFooter,
which does so on its own."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

TIGHT = 80
NARROW = 100  # as the annotation screen's: below, compact and no palette key
SHORT = {
    "Confirm": "OK",
    "Comment": "Note",
    "Article": "Form",
    "Guide": "Help",
    "Agree": "Agr",
    # the adjudication, status and agreement screens (audit9a F4: at 80 columns their
    # footers lost z Undo, ?, r Refresh and ^q Quit off the right edge)
    "Accept & next": "Accept",
    "Source type": "Type",
    "Guideline": "Help",
    "Annotators": "People",
    "Assignments": "Assigned",
    "Disagreements": "Disputes",
    "Recompute": "Again",
    "Prev label": "◂Label",
    "Next label": "Label▸",
}
SHORTER = {
    **SHORT,
    "Refresh": "Again",
    "Articles": "Arts",
    "Assignments": "Asgn",
    "Disagreements": "Disp",
    "Annotators": "Who",
}
# tried in turn until the keys fit the width: the first tier is the words as bound
TIERS: tuple[dict[str, str], ...] = (
    {},
    {**SHORT, "Accept suggestions": "Accept all", "Accept boilerplate": "Boilerplate"},
    {**SHORT, "Accept suggestions": "Accept", "Accept boilerplate": "Boiler"},
    {**SHORTER, "Accept suggestions": "Acc", "Accept boilerplate": "Boil", "To do": "Todo"},
)


def _width(keys: list[FooterKey], words: dict[str, str], compact: bool) -> int:
    # Textual's footer CSS: a compact key is "KEY DESCRIPTION" and a margin of one; a
    # padded one " KEY DESCRIPTION " (one more cell)
    extra = 2 if compact else 3
    return sum(
        cell_len(k.key_display) + cell_len(words.get(k.description, k.description)) + extra
        for k in keys
    )


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        keys = [k for k in keys if k not in palette]
        # the palette key is docked at the right, after a border
        room = self.app.size.width - sum(_width([k], {}, False) + 1 for k in palette)
        words: dict[str, str] | None = None  # None: the keys alone
        for tier in TIERS:
            # below TIGHT the short words even where the long ones would fit (a narrow
            # terminal reads better with one vocabulary)
            if self.app.size.width < TIGHT and not tier:
                continue
            if _width(keys, tier, self.compact) <= room:
                words = tier
                break
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget in keys:
                # narrower still (a 50-column split): the keys without their words, so that
                # `?` and `^q` stay on screen (audit7 F23: they fell off from 50 columns)
                widget.description = (
                    "" if words is None else words.get(widget.description, widget.description)
                )
            yield widget


class FittingFooter(KeyFooter):
    """A KeyFooter that fits its keys again whenever the terminal's width changes; below
    NARROW columns compact and without the palette key (ctrl+p still opens it), as on the
    annotation screen."""

    def on_resize(self, event: events.Resize) -> None:
        width = self.app.size.width
        if width == getattr(self, "_fitted_width", None):
            return
        self._fitted_width = width
        self.compact = width < NARROW
        self.show_command_palette = width >= NARROW
        self.refresh(recompose=True)
