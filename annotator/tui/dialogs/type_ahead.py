"""A dialog that keeps the keys typed before it could take them (audit9a F1).

Keys that arrive in one read ("cHello" pasted without bracketed paste, batched by ssh or
mosh, typed while the app was busy) reach the app one after another: the first opens the
dialog, the rest are routed while the dialog's input is not focused yet (it is focused in
its on_mount, which runs later). Textual hands such a key to the screen itself, where no
binding takes it, and it was lost: the comment editor opened empty, the filter read "e"
for "One". Type-ahead belongs to the dialog the first key opened, as in any editor.

The app routes a key to the screen only when nothing on it has focus
(`App.on_event`: `self.focused or self.screen`), through `Screen._forward_event`; here
such a key is held, and given back to the app, in order, once something in the dialog
has focus, so that it goes where a key typed then would go (the input, or a binding such
as escape or ctrl+s). The key that opens the dialog must be a priority binding of its
screen: else the rest of the burst is routed to that screen before its binding runs.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class TypeAheadModal(ModalScreen[ResultType]):
    def __init__(self) -> None:
        super().__init__()
        self._early: list[events.Key] = []

    def _forward_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.focused is None:
            self._early.append(events.Key(event.key, event.character))
            return
        super()._forward_event(event)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        early, self._early = self._early, []
        for key in early:
            self.app.post_message(key)
