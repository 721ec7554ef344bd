"""The screen's last messages, in the side panel of a wide terminal.

A toast there covered the side panel's lower half, which is empty at 200x50, and went away
after three seconds whether it was read or not. Here the last few stay, newest first, with
the time each was said; the newest in full, older ones dimmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from annotator.tui.text import literal
from annotator.tui.widgets.steady import SteadyStatic

SHOWN = 5  # messages kept on screen (the panel's height is fixed: no layout per message)
STYLE = {"information": "", "warning": "$warning", "error": "bold $error"}


@dataclass(frozen=True)
class Message:
    at: str  # HH:MM:SS, local time
    text: str
    severity: str


def render_messages(messages: list[Message]) -> Content:
    parts: list[Content | str | tuple[str, str]] = [("Messages", "bold")]
    if not messages:
        parts += ["\n", ("none yet", "$text-muted")]
    for i, m in enumerate(reversed(messages[-SHOWN:])):
        style = STYLE.get(m.severity, "") if i == 0 else "$text-muted"
        parts += ["\n", (f"{m.at} ", "$text-muted"), literal(" ".join(m.text.split()), style)]
    return Content.assemble(*parts)


class MessageLog(SteadyStatic):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(render_messages([]), **kwargs)
        self.messages: list[Message] = []

    def add(self, message: Message) -> None:
        self.messages = [*self.messages[-(SHOWN - 1) :], message]
        self.show(render_messages(self.messages))
