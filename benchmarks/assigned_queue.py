"""The annotation screen with assignments: what following a queue costs (issue 14).

    .venv/bin/python benchmarks/assigned_queue.py         # 100,000 sentences (bigdb --quick)
    .venv/bin/python benchmarks/assigned_queue.py --full  # the 1,000,000-sentence one
    .venv/bin/python benchmarks/assigned_queue.py --smoke # tiny: it still runs (make test)

A copy of the cached benchmark database (benchmarks/bigdb.py) gets every article assigned to
every annotator (`assign --per-article K`, K = the number of annotators, each queue shuffled),
then the session's queue paths are timed as the screen calls them: opening the session, the
queue's version check and read, its confirmed count, `g` (next unconfirmed in the queue) and
`]` (next article in the queue). Medians and maxima in ms; the machine may be shared.
Not named queue.py: run as a script, this folder comes first on sys.path, and that name
would hide the standard library's queue, which Textual imports.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.session import AnnotationSession
from annotator.store import assignments
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from benchmarks import bigdb

SMOKE = (5_000, 15_000)


def timed(f: Callable[[], object], n: int) -> str:
    xs = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        xs.append(1000 * (time.perf_counter() - t))
    return f"median {statistics.median(xs):8.2f}   max {max(xs):8.2f}   (n={n})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    size = SMOKE if args.smoke else bigdb.FULL if args.full else bigdb.QUICK
    n = 5 if args.smoke else 30
    source = bigdb.ensure(*size)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "queue.sqlite"
        shutil.copy(source, db)
        with open_store(db) as store:
            names = [str(r[0]) for r in store.all("SELECT name FROM annotators ORDER BY id")]
            articles = int(store.scalar("SELECT count(*) FROM articles") or 0)
            t = time.perf_counter()
            assignments.assign(
                store, names, per_article=len(names), calibration=0, seed=1, dry_run=False
            )
            print(f"{size[0]:,} sentences, {articles} articles, annotators {', '.join(names)}")
            print(f"assign every article to all {len(names)}: {time.perf_counter() - t:.2f} s")
            g, _ = use_guidelines(store)
            t = time.perf_counter()
            s = AnnotationSession(store, g, names[0])
            start = 1000 * (time.perf_counter() - t)
            print(f"session start with a queue of {len(s.queue)} articles: {start:.1f} ms")
            aid = s.annotator_id
            spans = [(lo, hi) for _, lo, hi in s.queue.spans]
            print("                                         (ms)")
            rows: list[tuple[str, Callable[[], object]]] = [
                (
                    "queue version check (every g, ], o)",
                    lambda: assignments.queue_version(store, aid),
                ),
                ("queue read (when it changed)", lambda: assignments.queue_of(store, aid)),
                (
                    "queue's confirmed count (ranges)",
                    lambda: assignments.confirmed_in(store, aid, spans),
                ),
                ("g: next unconfirmed in the queue", s.next_unconfirmed),
                ("]: next article in the queue", lambda: s.change_article(1)),
            ]
            for label, f in rows:
                print(f"  {label:<40} {timed(f, n)}")
    if args.smoke:
        print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
