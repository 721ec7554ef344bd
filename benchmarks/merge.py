"""`annotator merge` of two copies of a project (issue 14 asks for two 100,000-event copies
in under 10 s).

    .venv/bin/python benchmarks/merge.py             # 50,000 sentences, 100,000 events a copy
    .venv/bin/python benchmarks/merge.py --smoke     # tiny: it still runs

The copy is benchmarks/bigdb.py's database (five annotators' interleaved sessions written as
the product writes them). Three cases, each on a fresh working copy, timed with the store's
own `merge` (wall and CPU; the machine may be shared):
- "same copy": the other copy is identical: every event is already here (the check alone);
- "all new": the other copy's annotators are renamed (say, the same people on a laptop
  under other names), so every one of its events and states is new here: the most work a
  merge of two copies of that size can do;
- "again": the "all new" copy merged a second time: nothing changes.
After each, PRAGMA integrity_check.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.models.merge import MergeReport
from annotator.store.database import open_store
from annotator.store.merge import merge
from benchmarks import bigdb


def timed(here: Path, other: Path) -> tuple[float, float, MergeReport]:
    with open_store(here) as store:
        w, c = time.perf_counter(), time.process_time()
        report = merge(store, other)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        ok = store.scalar("PRAGMA integrity_check")
    assert ok == "ok", ok
    return wall, cpu, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=50_000)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--smoke", action="store_true", help="tiny data: it still runs")
    args = ap.parse_args()
    if args.smoke:
        args.sentences, args.events, args.repeat = 2_000, 4_000, 1
    source = bigdb.ensure(args.sentences, args.events)
    with tempfile.TemporaryDirectory(prefix="bench-merge-", dir=source.parent) as tmp:
        folder = Path(tmp)
        renamed = bigdb.working_copy(source, folder / "renamed")
        conn = sqlite3.connect(renamed)
        conn.execute("UPDATE annotators SET name = name || '@laptop'")
        conn.commit()
        conn.close()
        cases = {"same copy": source, "all new": renamed}
        results: dict[str, list[tuple[float, float, MergeReport]]] = {}
        for run in range(args.repeat):
            for name, other in cases.items():
                here = bigdb.working_copy(source, folder / f"here-{name}-{run}".replace(" ", "-"))
                results.setdefault(name, []).append(timed(here, other))
                if name == "all new":
                    results.setdefault("again", []).append(timed(here, other))
                here.unlink()
        print(f"two copies of {args.sentences:,} sentences and {args.events:,} events each")
        print(f"{'case':<10} {'wall s':>8} {'cpu s':>8} {'events added':>13} {'known':>8}")
        for name, rows in results.items():
            report = rows[-1][2]
            print(
                f"{name:<10} {statistics.median(r[0] for r in rows):>8.2f} "
                f"{statistics.median(r[1] for r in rows):>8.2f} "
                f"{report.events_added:>13,} {report.events_known:>8,}"
            )
        print(f"(median of {args.repeat}; integrity_check ok after every merge)")
        if args.smoke:
            print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
