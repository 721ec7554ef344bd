"""Export speed and memory on a big database: records/s and peak memory per format.

    .venv/bin/python benchmarks/export.py            # the 1,000,000-sentence database
    .venv/bin/python benchmarks/export.py --quick    # the 100,000-sentence one

Runs the real `annotator export` in a subprocess for each format, on a copy of the
database benchmarks/bigdb.py builds (and caches), and prints wall time, records/s and the
child's peak resident memory (from wait4). The jsonl exports run 5 times (the median is
printed, with the range: this machine's runs vary by 10-20%), the others once; outputs are
deleted between runs (replacing a 600 MB file costs the rename ~0.1-0.3 s more). jsonl gold
runs with the default (a helper process, export/parallel.py) and with --jobs 1. Memory
must not grow with the corpus: the same exports on the small and the big database are
compared. For scale, a plain dump of the
same sentences with `sqlite-utils query --nl` (no annotations, no gold) is timed as a floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bigdb  # noqa: E402

REPEATS = 5
SIZES = {"quick": (100_000, 300_000), "full": (1_000_000, 3_000_000)}


def run(argv: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stderr of a child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    return dt, usage.ru_maxrss / 1024, err


def records(path: Path) -> int:
    if path.is_dir():  # the hf folder: its raw configuration (data/raw-DIGEST.jsonl)
        (path,) = (path / "data").glob("raw-*.jsonl")
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def bench(db: Path, work: Path, label: str) -> dict[str, tuple[float, float, int]]:
    out: dict[str, tuple[float, float, int]] = {}
    py = sys.executable
    cases = [
        ("jsonl gold", ["--format", "jsonl"], "out.jsonl"),
        ("jsonl gold -j1", ["--format", "jsonl", "--jobs", "1"], "out1.jsonl"),
        ("jsonl raw", ["--format", "jsonl", "--view", "raw"], "raw.jsonl"),
        ("jsonl majority", ["--format", "jsonl", "--view", "majority"], "maj.jsonl"),
        ("csv gold", ["--format", "csv"], "out.csv"),
        ("prodigy raw", ["--format", "prodigy", "--view", "raw"], "p.jsonl"),
        ("label-studio", ["--format", "label-studio"], "ls.json"),
        ("hf", ["--format", "hf"], "hf"),
    ]
    print(f"\n{label}: {db.name}")
    print(f"{'export':18s} {'seconds':>8s} {'records':>10s} {'records/s':>10s} {'peak MB':>8s}")
    for name, args, target in cases:
        dest = work / target
        times, rss, n = [], 0.0, 0
        for _ in range(REPEATS if name.startswith("jsonl") else 1):
            dt, peak, _err = run(
                [py, "-m", "annotator", "--db", str(db), "export", *args, "-o", str(dest)]
            )
            n = (
                records(dest)
                - (1 if name.startswith("csv") else 0)
                - (2 if name == "label-studio" else 0)
            )
            times.append(dt)
            rss = max(rss, peak)
            for p in (dest, *work.glob(f"{dest.stem}.articles.*")):
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()
        dt = statistics.median(times)
        out[name] = (dt, rss, n)
        spread = f"  ({min(times):.2f}-{max(times):.2f} s)" if len(times) > 1 else ""
        print(f"{name:18s} {dt:8.2f} {n:10,d} {n / dt:10,.0f} {rss:8.0f}{spread}")
    floor = [
        py,
        "-m",
        "sqlite_utils",
        "query",
        str(db),
        'select s.id, s.text, s.start, s."end", s.kind from sentences s where s.id in '
        "(select sentence_id from annotations where confirmed = 1)",
        "--nl",
    ]
    dt, rss, _ = run(floor)
    n = out["jsonl gold"][2]
    print(
        f"{'floor: sqlite-utils':18s} {dt:8.2f} {n:10,d} {n / dt:10,.0f} {rss:8.0f}"
        "   (sentences only, to stdout)"
    )
    print(f"ratio jsonl gold / sqlite-utils dump time: {out['jsonl gold'][0] / dt:.2f}x")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the 100k-sentence database")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="annotator-export-"))
    try:
        results = {}
        for key in ("quick",) if args.quick else ("quick", "full"):
            sentences, events = SIZES[key]
            cached = bigdb.ensure(sentences, events)
            db = bigdb.working_copy(cached, work)
            results[key] = bench(db, work, f"{sentences:,} sentences, {events:,} events")
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        if "full" in results:
            print("\npeak memory, 100k vs 1M sentences (MB):")
            for name in results["full"]:
                print(
                    f"  {name:16s} {results['quick'][name][1]:6.0f} -> "
                    f"{results['full'][name][1]:6.0f}"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
