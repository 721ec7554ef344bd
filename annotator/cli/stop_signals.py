"""SIGTERM and SIGHUP stop an import as Ctrl-C does.

A job killed by `timeout` or systemd (SIGTERM), or a terminal or ssh session closed under it
(SIGHUP), ended the import where it stood: Python's default action for both is to die at
once, so the file being written was not taken back, no summary was said, and the worker
processes, their parent gone, printed a BrokenPipeError traceback each (audit7 F3). Here
both raise KeyboardInterrupt in the importing process, which takes the file back and says
what was imported, as for Ctrl-C, and exits 128 + the signal's number, as a shell reports a
process the signal ended. A signal the user chose to ignore (`nohup` ignores SIGHUP) stays
ignored.
"""

from __future__ import annotations

import signal
from types import FrameType

_STOPPING = (signal.SIGTERM, signal.SIGHUP)
_received: list[int] = []


def stop_as_interrupt() -> None:
    """From now on, SIGTERM and SIGHUP (when not ignored) raise KeyboardInterrupt."""
    for sig in _STOPPING:
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, _interrupt)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    _received.append(signum)
    raise KeyboardInterrupt


def stopped_by() -> str:
    """What stopped the command: "Ctrl-C", or the signal's name."""
    return signal.Signals(_received[0]).name if _received else "Ctrl-C"


def exit_code() -> int:
    """130 for Ctrl-C (SIGINT), else 128 + the signal that stopped it."""
    return 128 + (_received[0] if _received else signal.SIGINT)
