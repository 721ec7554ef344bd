"""benchmarks/adjudicate.py --smoke runs end to end (a small generated database, a few keys
through the session and through a real pty), so the benchmark cannot rot. It asserts that
every key committed and reached the screen; its timings are printed, never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytest.importorskip("pyte", reason="the benchmark's terminal needs pyte (the dev tools)")


@pytest.mark.slow
def test_adjudicate_benchmark_smoke() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "adjudicate.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "targets met" in done.stdout and "smoke run" in done.stdout
    for part in ("(a) opening", "(b) key to committed", "(c) the queue's refresh", "(d) key"):
        assert part in done.stdout
    assert "annotation: key written -> chip shown" in done.stdout  # the control ran too
