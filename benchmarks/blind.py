"""What `agreement --blind-only` (and `--by schema`) cost on the big database.

    .venv/bin/python benchmarks/blind.py            # 1,000,000 sentences, 3,000,000 events
    .venv/bin/python benchmarks/blind.py --quick    # 100,000 / 300,000
    .venv/bin/python benchmarks/blind.py --smoke    # 5,000 / 15,000: it still runs

On a working copy of benchmarks/bigdb.py's database, four annotators are recorded as having
seen others' labels of 200 articles each halfway through the work, and one of every
article near its end (saw_others events, as `annotator.store.blind.record` writes them, dated
inside the history so that later work exists). Then, in this process, median of --runs:
the agreement data as `annotator agreement` reads it; the same with blind work only (and how
many annotations that left out); the same scoped to one schema version; and finding what is
not blind alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.store import blind, reliability
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from benchmarks import bigdb


def seen_halfway(path: Path, rng: random.Random) -> int:
    """Add the saw_others events; returns how many."""
    conn = sqlite3.connect(path)
    n = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    (half,) = conn.execute(
        "SELECT at FROM events ORDER BY id LIMIT 1 OFFSET ?", [n // 2]
    ).fetchone()
    (late,) = conn.execute(
        "SELECT at FROM events ORDER BY id LIMIT 1 OFFSET ?", [n * 9 // 10]
    ).fetchone()
    (schema,) = conn.execute("SELECT value FROM settings WHERE key = 'schema_hash'").fetchone()
    articles = [int(r[0]) for r in conn.execute("SELECT id FROM articles")]
    people = [int(r[0]) for r in conn.execute("SELECT id FROM annotators ORDER BY id")]
    rows: list[tuple[object, ...]] = []
    for who in people[:4]:
        for art in rng.sample(articles, min(200, len(articles))):
            after = {"shown": "article", "article": None, "via": "benchmark"}
            rows.append((half, who, art, json.dumps(after)))
    rows.append((late, people[-1], None, json.dumps({"shown": "all", "via": "benchmark"})))
    conn.executemany(
        "INSERT INTO events (at, annotator_id, kind, action, article_id, before, after, "
        f"schema_hash) VALUES (?, ?, '{blind.KIND}', '{blind.ACTION}', ?, 'null', ?, ?)",
        [(*r, schema) for r in rows],
    )
    conn.commit()
    conn.close()
    return len(rows)


def median(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    sentences, events = (
        (5_000, 15_000)
        if args.smoke
        else (100_000, 300_000)
        if args.quick
        else (1_000_000, 3_000_000)
    )
    runs = 1 if args.smoke else args.runs
    cached = bigdb.ensure(sentences, events)
    with tempfile.TemporaryDirectory(dir=cached.parent) as tmp:
        path = bigdb.working_copy(cached, Path(tmp))
        added = seen_halfway(path, random.Random(7))
        store = open_store(path)
        g, _ = use_guidelines(store)
        schema = g.schema
        print(f"{sentences:,} sentences, {events:,} events, {added} saw_others events; {runs} runs")
        plain, _ = median(lambda: reliability.agreement_data(store, schema), runs)
        only, data = median(
            lambda: reliability.agreement_data(
                store, schema, scope=reliability.Scope(blind_only=True)
            ),
            runs,
        )
        alone, _ = median(lambda: blind.not_blind(store), runs)
        per_schema, _ = median(
            lambda: reliability.agreement_data(
                store, schema, scope=reliability.Scope(schema_hash=schema.hash)
            ),
            runs,
        )
        excluded = getattr(data, "excluded", {})
        print(f"agreement data, everything:           {plain:7.2f} s")
        print(
            f"agreement data, --blind-only:         {only:7.2f} s  (x{only / plain:.2f}; left out "
            f"{excluded.get('annotations', 0):,} of {excluded.get('of_annotations', 0):,} "
            "annotations)"
        )
        print(f"  of which finding what is not blind: {alone:7.2f} s")
        print(
            f"agreement data, one schema version:   {per_schema:7.2f} s  "
            f"(x{per_schema / plain:.2f})"
        )
        store.close()
    if args.smoke:
        print("(smoke run: the figures mean nothing)")


if __name__ == "__main__":
    main()
