"""A commit and the record of what it committed, together whatever signal comes.

The importer counts what each batch wrote after its COMMIT, and a file stopped by Ctrl-C
(or SIGTERM, SIGHUP: cli/stop_signals.py) takes back what that count says it wrote. A
signal's KeyboardInterrupt is raised at whatever bytecode Python runs next, so one arriving
after COMMIT and before the count left a batch in the database that nothing knew of: the
file said "nothing from this file was imported" with 25 of its articles stored (CI, stop
24). Inside `held()` a signal that would raise is noted instead, and its handler is run
once the block ends, where the record is whole.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

# the signals that stop a command by raising (Ctrl-C's default handler raises
# KeyboardInterrupt; cli/stop_signals.py makes SIGTERM and SIGHUP raise it too)
_RAISING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

Handler = Callable[[int, FrameType | None], object]


@contextmanager
def held() -> Iterator[None]:
    """Run the block without a Python signal handler raising inside it; the first signal
    that came meanwhile is handed to its handler when the block ends (a second Ctrl-C adds
    nothing: one stop is enough). Signals left to the system (SIG_DFL, SIG_IGN) are not
    touched, nor is anything outside the main thread, where no handler runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[tuple[int, FrameType | None]] = []

    def note(signum: int, frame: FrameType | None) -> None:
        came.append((signum, frame))

    saved: dict[int, Handler] = {}
    try:
        for sig in _RAISING:
            handler = signal.getsignal(sig)
            if callable(handler):
                saved[sig] = handler
                signal.signal(sig, note)
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
        if came:
            signum, frame = came[0]
            saved[signum](signum, frame)
