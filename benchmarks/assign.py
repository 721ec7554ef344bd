"""`annotator assign` on a big project (issue 14 asks for 100,000 articles and 50 annotators
in under 5 s), then the queues `status --format json` reads.

    .venv/bin/python benchmarks/assign.py            # 100,000 articles, 50 annotators
    .venv/bin/python benchmarks/assign.py --smoke    # 1,000 articles: it still runs

The articles are rows with a sentence count and no sentences: assign reads only the count
(its balance is in segments), so building real articles would time the importer instead.
Prints the pure plan's time (wall and CPU: the machine may be shared), the stored run's, a
re-run with nothing new, and a rebalance after five annotators leave.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.models.assignment import Article, plan
from annotator.store import assignments, progress
from annotator.store.database import now, open_store


def fill(path: Path, n: int, rng: random.Random) -> list[Article]:
    arts = [Article(f"art{i:07d}", rng.randint(5, 80)) for i in range(n)]
    with open_store(path) as store, store.write() as conn:
        at = now()
        conn.executemany(
            "INSERT INTO articles (external_id, text, text_sha256, original, encoding, "
            "offset_map, words, syllables, sentence_count, imported_at) "
            "VALUES (?, '', ?, x'', 'utf-8', '[]', 0, 0, ?, ?)",
            [(a.key, f"{i:064x}", a.segments, at) for i, a in enumerate(arts)],
        )
    return arts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    n, people, k, calibration = (1_000, 5, 2, 5) if args.smoke else (100_000, 50, 3, 50)
    team = [f"ann{i:02d}" for i in range(people)]
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "assign.sqlite"
        arts = fill(path, n, rng)
        t, c = time.perf_counter(), time.process_time()
        p = plan(arts, team, per_article=k, calibration=calibration, seed=1)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        spread = max(p.loads.values()) - min(p.loads.values())
        print(
            f"plan     {n} articles, {people} annotators, K={k}, N={calibration}: "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU; {len(p.slots)} slots, load spread "
            f"{spread} segments (longest article {max(a.segments for a in arts)})"
        )
        with open_store(path) as store:
            t, c = time.perf_counter(), time.process_time()
            assignments.assign(
                store, team, per_article=k, calibration=calibration, seed=1, dry_run=False
            )
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            print(f"assign   stored: {wall:.2f} s wall, {cpu:.2f} s CPU")
            t = time.perf_counter()
            counts, names = progress.confirmed_counts(store), progress.article_names(store)
            queues = assignments.queues(store, counts, names)
            print(
                f"queues   {sum(map(len, queues.values()))} rows: "
                f"{time.perf_counter() - t:.2f} s wall"
            )
            t = time.perf_counter()
            assignments.assign(
                store, team, per_article=k, calibration=calibration, seed=1, dry_run=False
            )
            print(f"re-run   nothing new: {time.perf_counter() - t:.2f} s wall")
            # a tenth of the team leaves: their unstarted articles move to the others
            gone = max(1, people // 10)
            t, c = time.perf_counter(), time.process_time()
            moved = assignments.rebalance(store, team[gone:], seed=1, dry_run=False)
            print(
                f"rebalance {len(moved.dropped)} slots of {gone} leavers moved: "
                f"{time.perf_counter() - t:.2f} s wall, {time.process_time() - c:.2f} s CPU"
            )
    if args.smoke:
        print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
