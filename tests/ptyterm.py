"""Run the real `annotator` in a pseudo-terminal and read its screen like a person would.

The process gets a pty of a fixed size; everything it writes is read by a thread that
timestamps each chunk, and fed to a pyte screen (a VT100 emulator), so callers assert on
what is visible, wait for it, then act. The one harness for the tests and the benchmarks:

- tests feed the screen as the bytes arrive (`live=True`): `wait_for`, `text`, `kill`;
- benchmarks feed it later (`live=False`), so the reader only reads and timestamps and a
  change is dated by the chunk that made it: `when`, `settle`, `catch_up`, `lines`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent
# the project's own settings must not leak into the app under test
_UNSET = ("TEXTUAL", "ANNOTATOR_DB", "ANNOTATOR_USER", "ANNOTATOR_SYNC")


class PtyApp:
    def __init__(
        self,
        args: list[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
        argv: list[str] | None = None,
        live: bool = True,
    ) -> None:
        """`annotator ARGS...` (or the command `argv`) on a cols x rows pty. `env` is added
        to this process's environment, after the project's own variables are removed."""
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.chunks: list[tuple[float, bytes]] = []  # (perf_counter at arrival, bytes)
        self.fed = 0  # chunks fed to the screen so far
        self.live = live
        self._lock = threading.Lock()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {k: v for k, v in os.environ.items() if k not in _UNSET}
        full_env.update(
            {"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)},
            PYTHONPATH=str(ROOT),
        )
        full_env.update(env or {})
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv if argv is not None else [sys.executable, "-m", "annotator", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=ROOT,
            start_new_session=True,
            close_fds=True,
        )
        self.tty = os.ttyname(slave)  # the app's side, /dev/pts/N
        os.close(slave)
        self.master = master
        # close() wakes the reader through this pipe: a thread blocked in read() on the
        # master would keep the terminal open after os.close (the app would see no hangup),
        # and could read from whatever file next gets the master's number
        self._wake_r, self._wake_w = os.pipe()
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        poll = select.poll()
        poll.register(self.master, select.POLLIN)
        poll.register(self._wake_r, select.POLLIN)
        while True:
            try:
                if any(fd == self._wake_r for fd, _events in poll.poll()):
                    return
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            t = time.perf_counter()
            with self._lock:
                self.chunks.append((t, data))
                self.raw.extend(data)
                if self.live:
                    self.stream.feed(data)
                    self.fed = len(self.chunks)

    # --- what is on screen ---------------------------------------------------------------

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def lines(self) -> list[str]:
        with self._lock:
            return list(self.screen.display)

    def catch_up(self) -> None:
        """Feed everything received so far (live=False)."""
        with self._lock:
            while self.fed < len(self.chunks):
                self.stream.feed(self.chunks[self.fed][1])
                self.fed += 1

    # --- waiting -------------------------------------------------------------------------

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = 20.0) -> str:
        check = (lambda t: what in t) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.live:
                self.catch_up()
            text = self.text()
            if check(text):
                return text
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"screen never showed {what!r}; it shows:\n{self.text()}")

    def settle(self, quiet: float, timeout: float = 10.0) -> None:
        """Wait until nothing has arrived for `quiet` seconds."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout and self.proc.poll() is None:
            last = max(start, self.chunks[-1][0] if self.chunks else 0.0)
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(0.002)

    def when(
        self,
        check: Callable[[list[str]], bool],
        since: float,
        *,
        quiet: float = 0.05,
        timeout: float = 30.0,
    ) -> float:
        """Arrival time of the first chunk after `since` after which the screen passes
        (live=False). The bytes are fed to pyte only when the output pauses, so that the
        reader thread is not competing with the emulator while it timestamps."""
        deadline = time.perf_counter() + timeout
        while True:
            self.settle(quiet, max(0.0, deadline - time.perf_counter()))
            while self.fed < len(self.chunks):
                t, data = self.chunks[self.fed]
                self.stream.feed(data)
                self.fed += 1
                if t >= since and check(list(self.screen.display)):
                    return t
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                shown = "\n".join(self.screen.display)
                raise RuntimeError(f"the screen never passed the check; it shows:\n{shown}")

    # --- input and ending ----------------------------------------------------------------

    def send(self, keys: str | bytes, pause: float = 0.0) -> float:
        """Write the keys; returns when they were written (perf_counter)."""
        t = time.perf_counter()
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)
        if pause:
            time.sleep(pause)
        return t

    def kill(self) -> None:
        """SIGKILL: no handler, no flush, no goodbye."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.close()

    def quit(self) -> int:
        self.send(b"\x11")  # ctrl+q
        try:
            return self.proc.wait(timeout=15)
        finally:
            self.close()

    def stop(self) -> None:
        """ctrl+q, and SIGKILL if that does not end it within 5 s."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                os.write(self.master, b"\x11")
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.close()

    def close(self) -> None:
        """Close the terminal, as a terminal window does: once this returns, nothing here
        holds it (so the app's side is hung up)."""
        if self._closed:
            return
        self._closed = True
        os.write(self._wake_w, b"x")
        if self._reader is not threading.current_thread():
            self._reader.join()
        for fd in (self.master, self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)


def annotate(db: Path, name: str, *extra: str, cols: int = 120, rows: int = 40) -> PtyApp:
    return PtyApp(["--db", str(db), "annotate", "--annotator", name, *extra], cols=cols, rows=rows)
