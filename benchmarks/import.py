"""Import throughput and memory: articles/s and MB/s into SQLite on a generated corpus.

    .venv/bin/python benchmarks/import.py            # 10,000 files (about 40 MB)
    .venv/bin/python benchmarks/import.py --files 2000

Prints: the corpus size; parsing alone (clean + segment, with and without readability);
the full import (one transaction per file, as `annotator import` does) with resident memory
sampled every 1,000 files, which must stay flat however many files go in; and, for scale, a
plain `sqlite-utils` insert of the raw files (no cleaning, no segmentation) as a floor.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.ingest.articles import read_articles
from annotator.store.database import open_store
from annotator.store.imports import import_file
from benchmarks.corpus import articles


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--smoke", action="store_true", help="20 files: it still works (make test)")
    ap.add_argument(
        "--keep", metavar="DIR", help="write the corpus and database here and keep them"
    )
    args = ap.parse_args()
    if args.smoke:
        args.files = 20

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    total_bytes = 0
    paths = []
    for name, text in articles(args.files):
        p = corpus / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        total_bytes += p.stat().st_size
        paths.append(p)
    mb = total_bytes / 1e6
    print(f"corpus: {len(paths)} files, {mb:.1f} MB (generated, seed 7)")

    sample = paths[: min(len(paths), 1000)]
    sample_mb = sum(p.stat().st_size for p in sample) / 1e6
    for label, with_r in (("parse only, no readability", False), ("parse + readability", True)):
        list(read_articles(sample[0], with_readability=with_r))  # warm caches (cmudict load)
        t = time.perf_counter()
        segs = 0
        for p in sample:
            for art in read_articles(p, with_readability=with_r):
                segs += len(art.sentences)
        dt = time.perf_counter() - t
        print(
            f"{label:28s} {len(sample) / dt:8.0f} articles/s {sample_mb / dt:6.2f} MB/s "
            f"({segs / dt:,.0f} segments/s, {len(sample)} files)"
        )

    db = work / "bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    store = open_store(db)
    t0 = time.perf_counter()
    segments = 0
    samples = []
    for i, p in enumerate(paths, 1):
        r = import_file(store, p)
        assert r.error is None, r.error
        segments += r.sentences
        if i % 1000 == 0 or i == len(paths):
            samples.append((i, rss_mb(), time.perf_counter() - t0))
    dt = time.perf_counter() - t0
    store.close()
    print(
        f"{'import into SQLite':28s} {len(paths) / dt:8.0f} articles/s {mb / dt:6.2f} MB/s "
        f"({segments:,} segments in {dt:.1f} s; db {db.stat().st_size / 1e6:.0f} MB + WAL)"
    )
    print(
        "resident memory while importing (files: MB):",
        ", ".join(f"{i}: {m:.0f}" for i, m, _ in samples),
    )
    first, last = samples[0][1], samples[-1][1]
    print(f"memory growth from {samples[0][0]} to {samples[-1][0]} files: {last - first:+.1f} MB")

    try:
        import sqlite_utils

        base = work / "baseline.sqlite"
        base.unlink(missing_ok=True)
        t = time.perf_counter()
        bdb = sqlite_utils.Database(base)
        bdb["raw"].insert_all(
            ({"name": p.stem, "text": p.read_text(encoding="utf-8")} for p in paths), batch_size=500
        )
        bdt = time.perf_counter() - t
        print(
            f"{'floor: sqlite-utils raw insert':28s} {len(paths) / bdt:8.0f} articles/s "
            f"{mb / bdt:6.2f} MB/s (no cleaning, segmentation or readability)"
        )
        print(f"ratio import / raw insert time: {dt / bdt:.1f}x")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
