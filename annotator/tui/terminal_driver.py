"""Textual's terminal driver, ending the app when its terminal goes away.

An app with a controlling terminal gets SIGHUP when the terminal goes (a closed window, an
ssh drop, `tmux kill-session`) and ends. One that does not (no controlling terminal under
`setsid`; the signal ignored under `nohup`) goes on: its terminal is hung up, stdin reads
end of file at once, and Textual's input thread loops on it at full CPU for ever; its
output thread dies on the first EIO, after which a full queue of writes blocks the app's
way out. This driver watches the terminal and, the moment it is gone, stops the input loop
and ends the app as ctrl+q does (every change is already committed as it shows). Output to
a gone terminal is dropped, so the way out cannot block on it.

The watch is a thread blocked in poll() on stdin for a hangup or an error (asking for no
events: poll reports those always), so it costs nothing while the terminal lives.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import threading
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

# what writing to a terminal that is gone fails with (a hung-up tty says EIO)
GONE_ERRNOS = frozenset({errno.EIO, errno.ENXIO, errno.EBADF})
GONE_EVENTS = select.POLLHUP | select.POLLERR | select.POLLNVAL


class TerminalOutput:
    """The driver's output file (what Textual's writer thread writes to). Once the terminal
    is gone, a write or flush that fails is dropped and reported, instead of ending the
    writer thread, after which a full queue would block whoever writes next."""

    def __init__(self, file: IO[str], gone: threading.Event, on_gone: Callable[[], None]) -> None:
        self._file = file
        self._gone = gone
        self._on_gone = on_gone

    def _call(self, op: Callable[..., object], *args: str) -> None:
        if self._gone.is_set():
            return
        try:
            op(*args)
        except OSError as e:
            if e.errno not in GONE_ERRNOS:
                raise
            self._on_gone()

    def write(self, text: str) -> None:
        self._call(self._file.write, text)

    def flush(self) -> None:
        self._call(self._file.flush)

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return self._file.isatty()


class HangupDriver(LinuxDriver):
    """LinuxDriver that ends the app when its terminal is hung up (see the module doc)."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.terminal_gone = threading.Event()
        self._gone_lock = threading.Lock()
        self._watch: threading.Thread | None = None
        self._wake_r = self._wake_w = -1
        if self._file is not None:
            self._file = TerminalOutput(self._file, self.terminal_gone, self._terminal_gone)  # type: ignore[assignment]

    def start_application_mode(self) -> None:
        super().start_application_mode()  # type: ignore[no-untyped-call]
        if not os.isatty(self.fileno):
            # no terminal at all (</dev/null, a pipe): stdin reads end of file at once and
            # the input loop would spin on it for ever. The commands refuse before this
            # (tui/tty.py); an app started some other way ends here, as if hung up
            self._terminal_gone()
            return
        if os.isatty(self.fileno) and self._watch is None:
            self._wake_r, self._wake_w = os.pipe()
            self._watch = threading.Thread(
                target=self._watch_terminal, name="annotator-hangup-watch", daemon=True
            )
            self._watch.start()

    def stop_application_mode(self) -> None:
        super().stop_application_mode()
        self._stop_watch()

    def _stop_watch(self) -> None:
        watch, self._watch = self._watch, None
        if watch is None:
            return
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        watch.join()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def _watch_terminal(self) -> None:
        poll = select.poll()
        poll.register(self.fileno, 0)  # no events asked: a hangup or an error only
        poll.register(self._wake_r, select.POLLIN)
        while True:
            for fd, events in poll.poll():
                if fd == self._wake_r:
                    return  # the app is leaving the terminal on its own
                if events & GONE_EVENTS:
                    self._terminal_gone()
                    return

    def _terminal_gone(self) -> None:
        """Once, from whichever thread saw it: stop reading the terminal and end the app."""
        with self._gone_lock:
            if self.terminal_gone.is_set():
                return
            self.terminal_gone.set()
        # the input thread's own way out (disable_input sets it on the app's way out): it
        # ends its loop instead of reading end of file at full CPU until then
        self.exit_event.set()
        # (Driver keeps the app's event loop: it is made on it)
        with contextlib.suppress(RuntimeError):  # the loop is already closed: the app ended
            self._loop.call_soon_threadsafe(self._app.exit)
