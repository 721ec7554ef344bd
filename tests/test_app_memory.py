"""An annotation app's process does not load numpy. Every served session is a process of
its own, so whatever the app imports is paid once per session: numpy (about 11 MB of PSS)
came in through the active-time count and the suggestion model, though the model trains in
a child process and the count needs numpy only to recount a stale annotator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.ptyterm import annotate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc (Linux)"),
]

LONG = "004_2bd55176b4b53eb1"


def _numpy_mapped(pid: int) -> list[str]:
    maps = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    return sorted({line.split()[-1] for line in maps.splitlines() if "numpy" in line})


def test_an_annotating_app_with_suggestions_maps_no_numpy(
    imported_db: Path, run_cli: RunCli
) -> None:
    # suggestions on: the screen asks at open whether the model is due for a retrain
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    app = annotate(imported_db, "alice", "--article", LONG)
    try:
        app.wait_for("Sentence 1/86")
        app.send("n")
        app.send("\r")
        app.wait_for("confirmed here 1/86")  # a confirm: the side panel's counts, activity
        app.settle(0.5)
        assert app.proc.poll() is None
        assert _numpy_mapped(app.proc.pid) == []
    finally:
        app.stop()


def test_the_probe_sees_numpy_where_it_is_loaded() -> None:
    # the attack on the probe: a process that imports numpy shows it in its maps
    import os

    import numpy  # noqa: F401

    assert _numpy_mapped(os.getpid()) != []
