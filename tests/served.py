"""`annotator serve` for tests and benchmarks/serve.py: the real server in a subprocess on a
free loopback port, and a websocket client that speaks what textual-serve's browser side
(xterm.js) sends: ["stdin", text], ["resize", {...}], ["ping", x]; binary frames back are
the terminal output."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
# for the status screen: markup that would run an action or vanish, and terminal escapes
# (OSC 52 writes the clipboard, CSI 2J clears the screen)
EVIL_TITLE = "[@click=app.quit]Boom[/] [b]x \x1b]52;c;SGFja2Vk\x07"
EVIL_NAME = "[b]mallory[/b]\x1b[2J"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def evil_annotator(db: Path, folder: Path) -> None:
    """EVIL_NAME's label on the article "evil": imported under a plain name, then renamed in
    SQL, as a database made before names were checked holds it (import-labels and every
    command refuse such a name now): what shows it must still show it inert."""
    import sqlite3

    label = {"annotator": "mallory-plain", "article_id": "evil", "position": 0, "labels": ["QUOTE"]}
    path = folder / "evil-labels.jsonl"
    path.write_text(json.dumps(label) + "\n", encoding="utf-8")
    cli(db, "import-labels", str(path), "--format", "jsonl")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE annotators SET name = ? WHERE name = 'mallory-plain'", [EVIL_NAME])
    conn.close()


def cli(db: Path, *args: str) -> str:
    """`annotator --db DB ARGS`, in this process (the real CLI through click's runner); its
    output. A failure raises with the message."""
    from click.testing import CliRunner

    from annotator.cli import cli as annotator

    result = CliRunner().invoke(annotator, ["--db", str(db), *args], catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"annotator {' '.join(args)}: {result.output}")
    return result.output


def link_token(db: Path, name: str, *extra: str) -> str:
    return cli(db, "team", "link", name, *extra).strip().rsplit("token=", 1)[1]


@dataclass
class Served:
    """A running `annotator serve`; stop() sends SIGTERM and waits."""

    db: Path
    port: int
    proc: subprocess.Popen[str]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def children(self) -> list[int]:
        """The server's live child processes (the app processes it started)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            pids = [int(p) for p in path.read_text().split()]
        except OSError:
            return []
        live = []
        for pid in pids:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":
                live.append(pid)
        return live

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """In the server, before exec: SIGTERM it when the test process goes away, however
    that happens (killed, crashed), so a server never outlives the tests that started it."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _ignore_sigchld() -> None:
    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)


def serve(
    db: Path, log: Path, *extra: str, timeout: float = 20, sigchld_ignored: bool = False
) -> Served:
    """`sigchld_ignored`: started as some launchers start programs, with SIGCHLD ignored
    (inherited across exec), where the kernel reaps children unless the server says not."""
    port = free_port()
    out = log.open("w", encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db), "serve", "--port", str(port), *extra],
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=env,
        preexec_fn=_ignore_sigchld if sigchld_ignored else _die_with_parent,
    )
    served = Served(db, port, proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"annotator serve exited: {served.log_text()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return served
        time.sleep(0.05)
    served.stop()
    raise RuntimeError(f"annotator serve did not listen within {timeout} s: {served.log_text()}")


@dataclass
class Client:
    """One simulated browser tab on the websocket."""

    ws: aiohttp.ClientWebSocketResponse
    session: aiohttp.ClientSession
    screen: bytearray = field(default_factory=bytearray)
    frames: int = 0
    # (wall clock at arrival, end offset in `screen`) per frame, for the benchmark
    arrivals: list[tuple[float, int]] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.screen += msg.data
                self.frames += 1
                self.arrivals.append((time.time(), len(self.screen)))
                self._changed.set()

    def start(self) -> None:
        self._reader = asyncio.create_task(self._read())

    async def wait_for(
        self, text: str, timeout: float = 20, since: int = 0, times: int = 1
    ) -> float:
        """Wait until `text` appears (`times` times) in the output after byte `since`; the
        monotonic time."""
        needle = text.encode()
        deadline = time.monotonic() + timeout
        while self.screen.count(needle, since) < times:
            left = deadline - time.monotonic()
            if left <= 0 or self.ws.closed:
                tail = bytes(self.screen[-400:]).decode("utf-8", "replace")
                raise TimeoutError(f"{text!r} not on screen; last output: {tail!r}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return time.monotonic()

    async def key(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            await self._reader
        await self.session.close()


async def connect(
    base: str,
    token: str | None,
    *,
    origin: str | None = None,
    size: tuple[int, int] = (120, 40),
    screen: str = "",
) -> Client:
    """Load the page with ?token= (the cookie), then open the websocket as the page would
    (`screen`: "adjudicate" or "agreement" for URL/SCREEN; "" the role's own).
    Raises aiohttp.WSServerHandshakeError when the server refuses."""
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    try:
        if token is not None:
            async with session.get(f"{base}/?token={token}") as r:
                r.raise_for_status()
        ws = await session.ws_connect(
            f"{base.replace('http', 'ws', 1)}/ws{'/' + screen if screen else ''}"
            f"?width={size[0]}&height={size[1]}",
            origin=origin if origin is not None else base,
            max_msg_size=0,
        )
    except BaseException:
        await session.close()
        raise
    client = Client(ws, session)
    client.start()
    await ws.send_json(["resize", {"width": size[0], "height": size[1]}])
    return client
