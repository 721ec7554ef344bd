"""One browser session's app process for `annotator serve`, and the browser's messages to
it. textual-serve's `AppService` runs the process and speaks Textual's web-driver protocol
over its pipes; it is started here without a shell, from an argument list the server built
(the member's name is data, never shell text)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Sequence

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService

STOP_GRACE_S = 3.0  # an app process that does not quit when asked is killed after this


# the bytes an app sends before its first screen: the terminal set-up (alternate screen,
# mouse, paste modes) takes about 100, the first frame several thousand
FIRST_FRAME_BYTES = 1024


class AppProcess(AppService):
    def __init__(self, argv: Sequence[str], **kwargs: object) -> None:
        super().__init__(" ".join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)
        self.sent = 0  # bytes of screen sent to the browser

    @property
    def shown(self) -> bool:
        """Whether the browser has been sent the app's first screen."""
        return self.sent >= FIRST_FRAME_BYTES

    async def on_data(self, payload: bytes) -> None:
        await super().on_data(payload)
        self.sent += len(payload)

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        env = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def shutdown(self) -> None:
        """Ask the app to quit; kill it if it has not exited within STOP_GRACE_S.

        Only asyncio's child watcher may reap the process (on 3.11 a thread blocked in
        waitpid(pid)): anything else that reaps it first makes the watcher log "Unknown
        child process pid N, will report returncode 255". asyncio's own Process.kill()
        does (subprocess.Popen.send_signal polls, i.e. waitpid(WNOHANG), before it
        signals), and the app has usually just exited when its output ends, so we wait
        for the watcher's report, and a process still running is signalled by pid."""
        process = self._process
        deadline = asyncio.get_running_loop().time() + STOP_GRACE_S
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.stop(), STOP_GRACE_S)
        if process is None:
            return
        left = max(deadline - asyncio.get_running_loop().time(), 0.1)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), left)
        if process.returncode is None:
            # not reported, so not reaped by the watcher thread (bar the instant between
            # its waitpid and its report): the pid is still this process's, or its zombie's
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)
            await process.wait()


async def pump(ws: web.WebSocketResponse, app: AppProcess) -> None:
    """The browser's messages, as textual-serve's server reads them; anything else is
    ignored (a message cannot name another user or another command)."""
    async for message in ws:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind = envelope[0]
        data = envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            if not app.shown:
                # typed on the blank page while the app starts: keys for sentences nobody
                # has seen yet (audit15d F8: `q Enter h Enter` confirmed two of them)
                continue
            await app.send_bytes(data.encode("utf-8", "surrogatepass"))
        elif kind == "resize" and isinstance(data, dict):
            await app.set_terminal_size(size(data.get("width"), 80), size(data.get("height"), 24))
        elif kind == "ping":
            await ws.send_json(["pong", data if isinstance(data, str) else ""])
        elif kind == "blur":
            await app.blur()
        elif kind == "focus":
            await app.focus()


def size(value: object, default: int) -> int:
    """A terminal dimension from the browser: a number within reason, else the default."""
    try:
        n = int(str(value))
    except ValueError:
        return default
    return n if 1 <= n <= 1000 else default
