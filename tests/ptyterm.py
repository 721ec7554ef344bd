"""Run the real `annotator` in a pseudo-terminal and read its screen like a person would.

The process gets a pty of a fixed size; everything it writes is fed to a pyte screen (a
VT100 emulator), so tests assert on what is visible, wait for it, then act.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
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

from tests.conftest import ROOT


class PtyApp:
    def __init__(
        self, args: list[str], *, cols: int = 120, rows: int = 40, env: dict[str, str] | None = None
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self._lock = threading.Lock()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(cols),
            "LINES": str(rows),
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        full_env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            cwd=ROOT,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.raw.extend(data)
                self.stream.feed(data)

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def send(self, keys: str | bytes, pause: float = 0.0) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)
        if pause:
            time.sleep(pause)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = 20.0) -> str:
        check = (lambda t: what in t) if isinstance(what, str) else what
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if check(text):
                return text
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"screen never showed {what!r}; it shows:\n{self.text()}")

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

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.master)


def annotate(db: Path, name: str, *extra: str, cols: int = 120, rows: int = 40) -> PtyApp:
    return PtyApp(["--db", str(db), "annotate", "--annotator", name, *extra], cols=cols, rows=rows)
