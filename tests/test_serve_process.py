"""AppProcess.shutdown against real child processes: the app process quits when asked and
is reaped by asyncio's child watcher alone (anything else reaping it first makes the
watcher log "Unknown child process pid N, will report returncode 255", as `annotator
serve` once did intermittently under load)."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest
from textual_serve.download_manager import DownloadManager

from annotator.tui.serve_process import AppProcess

# a stand-in app: announces itself as textual-serve expects, then exits on the first byte
# of input (textual-serve's "quit" message), as a Textual app does when its tab closes
QUITS_WHEN_ASKED = "import sys; print('__GANGLION__', flush=True); sys.stdin.buffer.read(1)"
# never quits: only a kill ends it
STUBBORN = "import sys, time; print('__GANGLION__', flush=True); time.sleep(60)"


async def _nothing(_data: object = None) -> None:
    return None


def _session(code: str) -> AppProcess:
    return AppProcess(
        [sys.executable, "-c", code],
        write_bytes=_nothing,
        write_str=_nothing,
        close=_nothing,
        download_manager=DownloadManager(),
    )


async def test_an_app_that_quits_is_reaped_by_the_watcher_alone(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # a race (the app has just exited when its output ends): 100 rounds meet it; the old
    # shutdown (asyncio's Process.kill() at once) lost it in 6 of 100 unloaded, 33 of 200
    # under two CPU burners
    caplog.set_level(logging.WARNING, logger="asyncio")
    for _ in range(100):
        session = _session(QUITS_WHEN_ASKED)
        await session.start(80, 24)
        process = session._process
        assert process is not None
        await session.shutdown()
        assert process.returncode == 0  # its own exit status, not the watcher's 255
    assert "Unknown child process" not in caplog.text


async def test_an_app_that_does_not_quit_is_killed(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the grace shortened so the test is quick; the kill is what is under test
    monkeypatch.setattr("annotator.tui.serve_process.STOP_GRACE_S", 0.5)
    caplog.set_level(logging.WARNING, logger="asyncio")
    session = _session(STUBBORN)
    await session.start(80, 24)
    process = session._process
    assert process is not None
    await asyncio.wait_for(session.shutdown(), 10)
    assert process.returncode == -9
    assert "Unknown child process" not in caplog.text
