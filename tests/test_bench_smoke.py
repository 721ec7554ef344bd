"""Every benchmark's --smoke mode runs end to end on tiny data, so a refactoring that breaks
a benchmark fails the tests (benchmarks/adjudicate.py has its own, tests/test_bench_adjudicate.py).
Their timings are printed by the benchmarks, never asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

# (benchmark and its options, a line its smoke run must print: it got to the end)
SMOKES = [
    ("segmentation", "speed ratio annotator/pysbd"),
    ("import", "jsonl ratio annotator / blingfire+sqlite3"),
    ("import_lock", "while writing:"),
    ("agreement", "holds a few units x coders arrays"),
    ("annotate", "(smoke run: the figures mean nothing)"),
    ("annotate --suggestions", "acceptances;"),  # keys while the model retrains (issue 16)
    ("screen", "(smoke run: the figures mean nothing)"),
    ("startup", "(smoke run: the figures mean nothing)"),
    ("assign", "(smoke run: the figures mean nothing)"),
    ("suggest_train", "(smoke run: the figures mean nothing)"),
    ("export", "(smoke run: the figures mean nothing)"),
    ("assigned_queue", "(smoke run: the figures mean nothing)"),
    ("serve", "(smoke run: the figures mean nothing)"),
    ("merge", "(smoke run: the figures mean nothing)"),
    ("status", "(smoke run: the figures mean nothing)"),
    ("blind", "(smoke run: the figures mean nothing)"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "last_words"), SMOKES, ids=[s[0] for s in SMOKES])
def test_benchmark_smoke(name: str, last_words: str) -> None:
    pytest.importorskip("pyte", reason="the benchmarks need the dev tools")
    script, *options = name.split()
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / f"{script}.py"), "--smoke", *options],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert last_words in done.stdout, done.stdout[-3000:]
