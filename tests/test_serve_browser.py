"""`annotator serve` in a real browser: headless Chromium (Debian's `chromium`, installed by
.ci/run) driven over the DevTools protocol (tests/browser.py). The annotator opens their
link, presses label keys and Enter as a person would, and the labels are read from the
SQLite file; the attacks beside: no link, another annotator's revoked link, a page of
another origin opening the websocket with the annotator's cookie, the agreement screen
in a blind project, and the manager's status screen (which the manager gets, with a
hostile title and name shown as written)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from tests.browser import CHROMIUM, Browser
from tests.conftest import SEED_LONG, SEED_SHORT, write
from tests.served import (
    EVIL_TITLE,
    Served,
    cli,
    evil_annotator,
    free_port,
    link_token,
    serve,
)
from tests.test_serve import labels

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="needs chromium (apt-get install chromium; .ci/run does)"
    ),
]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    db = tmp_path / "project.sqlite"
    cli(db, "import", str(SEED_SHORT), str(SEED_LONG))
    # a hostile title and annotator name, for the manager's status screen
    write(tmp_path / "evil.jsonl", json.dumps({"id": "evil", "title": EVIL_TITLE, "text": "A."}))
    cli(db, "import", str(tmp_path / "evil.jsonl"))
    evil_annotator(db, tmp_path)
    cli(db, "team", "add", "alice")
    cli(db, "team", "add", "bob")
    cli(db, "team", "add", "mia", "--role", "manager")
    cli(db, "project", "set", "blind", "true")
    s = serve(db, tmp_path / "serve.log")
    yield s
    s.stop()


async def _until(check: object, timeout: float = 15) -> None:
    assert callable(check)
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met"
        await asyncio.sleep(0.05)


async def _other_origin(target: Served) -> tuple[web.AppRunner, str]:
    """A page on another port of the same host (same site, so the SameSite=Strict cookie
    goes along: only the Origin check stands between it and the annotator's session)."""
    page = f"""<!DOCTYPE html><script>
      const ws = new WebSocket("ws://127.0.0.1:{target.port}/ws?width=80&height=24");
      ws.onopen = () => {{ document.title = "opened"; }};
      ws.onclose = () => {{ if (document.title !== "opened") document.title = "refused"; }};
    </script>"""

    async def index(request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", index)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}/"


async def test_an_annotator_labels_in_the_browser_and_strangers_get_nothing(
    served: Served,
) -> None:
    db = served.db
    alice = link_token(db, "alice")
    bob = link_token(db, "bob")
    mia = link_token(db, "mia")
    cli(db, "team", "link", "bob", "--revoke")
    browser = Browser()
    try:
        await browser.start()

        # no link, then another annotator's revoked link: 403, and no app process
        await browser.goto(served.url + "/")
        assert "403" in await browser.evaluate("document.body.innerText")
        await browser.goto(f"{served.url}/?token={bob}")
        assert "403" in await browser.evaluate("document.body.innerText")
        assert served.children() == []

        # alice's link: the screen, the token gone from the address bar and out of reach
        # of the page's scripts (HttpOnly)
        await browser.goto(f"{served.url}/?token={alice}")
        await browser.wait_for_text("ATTRIB")
        assert await browser.evaluate("location.href") == served.url + "/"
        assert alice not in str(await browser.evaluate("document.cookie"))
        assert len(served.children()) == 1
        for key in ("q", "Enter", "h", "e", "Enter"):
            await browser.press(key)
        await _until(lambda: len(labels(db, "alice")) == 2)
        assert [lab for _, lab in labels(db, "alice")] == [["QUOTE"], ["HEDGED", "EDITORIAL"]]
        assert labels(db, "bob") == []

        # blind project: the agreement screen is not reachable, not even by answering yes
        mark = len(await browser.screen())
        await browser.press("R")
        await browser.wait_for_text("Not available", since=mark)
        await browser.press("y")
        # keys are read in order: once R's second answer shows, y was handled
        await browser.press("R")
        after = await browser.wait_for_text("Not available", since=mark, times=2)
        assert "Agreement:" not in after and "ends blind annotation" not in after

        # a page of another origin, with alice's cookie in the browser: websocket refused
        children = served.children()
        runner, other = await _other_origin(served)
        try:
            await browser.goto(other)
            await _until_title(browser, {"opened", "refused"})
            assert await browser.evaluate("document.title") == "refused"
        finally:
            await runner.cleanup()
        assert "foreign origin 'http://127.0.0.1:" in served.log_text()
        assert set(served.children()) <= set(children)  # no new app process

        # the status screen is the manager's: alice's link gets 403 there, and no process
        await browser.goto(f"{served.url}/status?token={alice}")
        assert "403" in await browser.evaluate("document.body.innerText")
        assert set(served.children()) <= set(children)
        # the manager gets it, hostile name and title shown as written, never as markup
        await browser.goto(f"{served.url}/status?token={mia}")
        await browser.wait_for_text("[b]mallory[/b]")
        mark = len(await browser.screen())
        await browser.press("2")  # the Articles tab
        await browser.wait_for_text("[@click=app.quit]Boom[/] [b]x", since=mark)
        raw = str(await browser.evaluate("window.__screen"))
        assert "\x1b]52;" not in raw and "\x1b[2J" not in raw
        assert await browser.evaluate("location.href") == served.url + "/status"
    finally:
        await browser.aclose()


async def _until_title(browser: Browser, titles: set[str], timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while await browser.evaluate("document.title") not in titles:
        assert asyncio.get_running_loop().time() < deadline, "the page's websocket never settled"
        await asyncio.sleep(0.05)


async def test_an_ended_session_says_why(served: Served) -> None:
    """audit15d F4: every ended session said "Reload the page to go on where you were":
    after a revoked link the reload gave 403. The page says why, from the close code."""
    db = served.db
    alice = link_token(db, "alice")
    browser = Browser()
    try:
        await browser.start()
        await browser.goto(f"{served.url}/?token={alice}")
        await browser.wait_for_text("ATTRIB")
        cli(db, "team", "link", "alice", "--revoke")
        shown = "document.querySelector('.closed-dialog').innerText"

        async def said() -> str:
            if not await browser.evaluate("document.body.classList.contains('-closed')"):
                return ""
            return str(await browser.evaluate(shown))

        deadline = asyncio.get_running_loop().time() + 15
        while not (text := await said()):
            assert asyncio.get_running_loop().time() < deadline, "the session never ended"
            await asyncio.sleep(0.1)
        assert "Everything shown as saved is saved" in text
        assert "revoked or expired" in text and "Reload the page" not in text, text
    finally:
        await browser.aclose()
