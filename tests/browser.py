"""Headless Chromium driven over the DevTools protocol (a websocket, through aiohttp, which
`annotator serve` needs anyway): no WebDriver, no extra package. Enough to open a page,
press keys the way a person does (the browser's own key events, into xterm.js) and read
what the page received and shows."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
from typing import Any

import aiohttp

CHROMIUM = next(
    (p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-port=0",
    "--window-size=1200,900",
]

# Installed before any page script: keeps a copy of the terminal output the page receives
# over its websocket, decoded, so a test can read what the screen was sent.
HOOK = """
(() => {
  window.__screen = "";
  window.__sockets = [];
  const Native = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const decoder = new TextDecoder("utf-8");
    window.__sockets.push(ws);
    ws.addEventListener("message", (e) => {
      if (typeof e.data !== "string") {
        window.__screen += decoder.decode(new Uint8Array(e.data), {stream: true});
      }
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def plain(screen: str) -> str:
    """The received output without escape sequences (text runs stay as written)."""
    return _ANSI.sub("", screen)


class Browser:
    def __init__(self) -> None:
        assert CHROMIUM is not None
        self.profile = tempfile.mkdtemp(prefix="annotator-chromium-")
        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.endpoint = self._endpoint()
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.session_id = ""

    def _endpoint(self, timeout: float = 30) -> str:
        assert self.proc.stderr is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line and self.proc.poll() is not None:
                break
            m = re.search(r"DevTools listening on (ws://\S+)", line)
            if m:
                return m.group(1)
        self.close()
        raise RuntimeError("chromium did not start its DevTools endpoint")

    async def start(self) -> None:
        self.http = aiohttp.ClientSession()
        self.ws = await self.http.ws_connect(self.endpoint, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        target = await self.send("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = await self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, True
        )
        self.session_id = attached["sessionId"]
        await self.send("Page.enable")
        await self.send("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})

    async def _read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            data = json.loads(msg.data)
            fut = self._pending.pop(data.get("id", -1), None)
            if fut is not None and not fut.done():
                if "error" in data:
                    fut.set_exception(RuntimeError(str(data["error"])))
                else:
                    fut.set_result(data.get("result", {}))

    async def send(
        self, method: str, params: dict[str, Any] | None = None, browser: bool = False
    ) -> dict[str, Any]:
        assert self.ws is not None
        msg_id = next(self._ids)
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if not browser:
            message["sessionId"] = self.session_id
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = fut
        await self.ws.send_str(json.dumps(message))
        return await asyncio.wait_for(fut, 30)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}
        )
        return result.get("result", {}).get("value")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + 20
        while await self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load")
            await asyncio.sleep(0.05)

    async def screen(self) -> str:
        return plain(str(await self.evaluate("window.__screen || ''")))

    async def wait_for_text(
        self, text: str, timeout: float = 20, since: int = 0, times: int = 1
    ) -> str:
        """Wait until `text` was received (`times` times) after character `since` of
        screen(); what was received from there."""
        deadline = time.monotonic() + timeout
        while True:
            screen = (await self.screen())[since:]
            if screen.count(text) >= times:
                return screen
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not received; the last 300: {screen[-300:]!r}")
            await asyncio.sleep(0.05)

    async def press(self, key: str) -> None:
        """One key as the browser's own keyboard events, into the focused terminal."""
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        if key == "Enter":
            down = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}
        else:
            code = f"Key{key.upper()}" if key.isalpha() else ""
            vk = ord(key.upper())
            down = {"key": key, "code": code, "windowsVirtualKeyCode": vk, "text": key}
            if key.isupper():
                down["modifiers"] = 8  # shift
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", **down})
        up = {k: v for k, v in down.items() if k != "text"}
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **up})

    async def aclose(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader
        if self.http is not None:
            await self.http.close()
        self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr is not None:
            self.proc.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)
