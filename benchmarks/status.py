"""`annotator status` on the 1,000,000-sentence database (issue 14 asks for under 1 s), with
a team and assignments, then as a manager once part of the corpus has gold.

    .venv/bin/python benchmarks/status.py            # 1M sentences, 3M events (built once)
    .venv/bin/python benchmarks/status.py --quick    # 100,000 sentences
    .venv/bin/python benchmarks/status.py --smoke    # tiny: it still runs (make test)

The database is benchmarks/bigdb.py's (five annotators, alice to erin), copied. On the copy:
a team (the five, an adjudicator, a manager) and `assign --per-article 2 --calibration 20`
through the store's real assign, timed too. Then, each the median of 5 runs:
- `status --format json` and `status --no-articles` in this process (click's runner: the
  command's own work, the JSON written to memory), wall and CPU;
- `status --format json > /dev/null` as a process of its own (start-up included);
- after adjudication made the unanimous sentences gold: `status --as` the manager, who also
  gets each annotator's agreement with gold (bootstrap 200 and 1000).
Wall and CPU are both printed: the machine may be shared (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from click.testing import CliRunner

from annotator.adjudication import AdjudicationSession
from annotator.cli import cli
from annotator.store import assignments, team
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from benchmarks import bigdb

TARGET_S = 1.0
SMOKE = (5_000, 15_000)
PEOPLE = ("alice", "bob", "carol", "dave", "erin")


def median_of(runs: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def verdict(seconds: float) -> str:
    return "ok" if seconds < TARGET_S else "MISS"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    sentences, events = SMOKE if args.smoke else bigdb.QUICK if args.quick else bigdb.FULL
    cached = bigdb.ensure(sentences, events)
    runs = 2 if args.smoke else 5
    with tempfile.TemporaryDirectory(dir=bigdb.DATA) as tmp:
        path = bigdb.working_copy(cached, Path(tmp))
        print(f"load average {os.getloadavg()[0]:.2f}; {sentences:,} sentences, {events:,} events")
        with open_store(path) as store:
            for name in PEOPLE:
                team.add(store, name)
            team.add(store, "dora", "adjudicator")
            team.add(store, "mia", "manager")
            t, c = time.perf_counter(), time.process_time()
            plan = assignments.assign(
                store, list(PEOPLE), per_article=2, calibration=20, seed=1, dry_run=False
            )
            print(
                f"assign    {len({s.article for s in plan.slots}):,} articles, "
                f"{len(plan.slots):,} slots: {time.perf_counter() - t:.2f} s wall, "
                f"{time.process_time() - c:.2f} s CPU"
            )
        runner = CliRunner()

        def status(*extra: str) -> Callable[[], object]:
            def run() -> object:
                r = runner.invoke(cli, ["--db", str(path), "status", *extra])
                assert r.exit_code == 0, r.output
                return r

            return run

        size = len(status("--format", "json", "--as", "alice")().output)  # type: ignore[attr-defined]
        for what, extra in (
            ("status --format json", ("--format", "json", "--as", "alice")),
            ("status --no-articles (text)", ("--no-articles", "--as", "alice")),
        ):
            wall, cpu = median_of(runs, status(*extra))
            print(
                f"{what:<34} {wall:6.3f} s wall, {cpu:6.3f} s CPU, in process "
                f"(median of {runs}): {verdict(wall)} (target < {TARGET_S:.0f} s)"
            )
        print(f"  (the JSON is {size / 1e6:.1f} MB)")
        command = [sys.executable, "-m", "annotator", "--db", str(path), "status"]
        command += ["--format", "json", "--as", "alice"]

        def process() -> None:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

        wall, _ = median_of(runs, process)
        print(
            f"{'status --format json, a process':<34} {wall:6.3f} s wall (start-up included, "
            f"median of {runs}): {verdict(wall)}"
        )
        store = open_store(path)
        g, _ = use_guidelines(store)
        t = time.perf_counter()
        AdjudicationSession(store, g, "dora")  # unanimous sentences become gold
        gold = int(store.scalar("SELECT count(*) FROM gold_annotations") or 0)
        store.close()
        print(f"adjudication made {gold:,} sentences gold in {time.perf_counter() - t:.1f} s")
        for n in ("200", "1000"):
            wall, cpu = median_of(
                max(1, runs - 2), status("--format", "json", "--as", "mia", "--bootstrap", n)
            )
            print(
                f"{'status as the manager, bootstrap ' + n:<34} {wall:6.3f} s wall, "
                f"{cpu:6.3f} s CPU (agreement with gold per annotator and label)"
            )
    if args.smoke:
        print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
