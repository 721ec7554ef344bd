"""Whether the screens can run here: they read keys from a terminal on stdin.

Without one (`</dev/null`, a pipe, `ssh host annotator annotate` without -t, a script, a
cron job) Textual's input thread reads end of file at once and loops on it at full CPU
for ever, painting escape codes nobody sees (audit9a F5: 60% of a core until killed).
Checked by the commands before anything is written (the annotator's name, a record of
seeing others' labels), and by the terminal driver (terminal_driver.py) as a last guard.
Served (`annotator serve`), textual-serve names the driver in TEXTUAL_DRIVER and feeds
keys on a pipe from the browser: that is fine. No Textual import: the commands call this
before they need the screen."""

from __future__ import annotations

import os
import sys


def terminal_problem() -> str | None:
    """Why a screen cannot run in this process, or None."""
    if os.environ.get("TEXTUAL_DRIVER"):  # served: the browser is the terminal
        return None
    stdin = sys.__stdin__
    try:
        if stdin is not None and os.isatty(stdin.fileno()):
            return None
    except (OSError, ValueError):  # closed, or no file descriptor
        pass
    return "stdin is not a terminal"
