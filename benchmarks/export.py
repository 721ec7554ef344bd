"""Export speed and memory on a big database: records/s and peak memory per format.

    .venv/bin/python benchmarks/export.py            # the 1,000,000-sentence database
    .venv/bin/python benchmarks/export.py --quick    # the 100,000-sentence one
    .venv/bin/python benchmarks/export.py --only jsonl --repeats 7   # the jsonl rows, 7 runs
    .venv/bin/python benchmarks/export.py --smoke    # 5,000 sentences, once: it still runs

Runs the real `annotator export` in a subprocess for each format, on a copy of the
database benchmarks/bigdb.py builds (and caches), and prints wall time, records/s, the
child's peak resident memory (from wait4) and the CPU seconds it used (user + system, its
helper process included): on a shared machine wall time follows the load of the moment,
CPU time much less, so the load average is printed before and after. The jsonl exports run
5 times (the median is printed, with the range), the others once; outputs are deleted
between runs (replacing a 600 MB file costs the rename ~0.1-0.3 s more). jsonl gold runs
with the default (a helper process when the load average leaves a CPU idle,
export/parallel.py), with --jobs 1 and with --jobs 2. Memory must not grow with the
corpus: the same exports on the small and the big database are compared. For scale, a
plain dump of the same sentences with `sqlite-utils query --nl` (no annotations, no gold)
is timed as a floor.
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
SIZES = {"smoke": (5_000, 15_000), "quick": (100_000, 300_000), "full": (1_000_000, 3_000_000)}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def run(argv: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS in MB, CPU seconds (user + system, the child's own children
    included) and stderr of a child process."""
    before = os.times()
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    # wait4's usage is the child's own; its helper process is counted once the child reaped
    # it, in this process's children_* times
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return dt, usage.ru_maxrss / 1024, max(cpu, usage.ru_utime + usage.ru_stime), err


def records(path: Path) -> int:
    if path.is_dir():  # the hf folder: its raw configuration (data/raw-DIGEST.jsonl)
        (path,) = (path / "data").glob("raw-*.jsonl")
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def bench(
    db: Path, work: Path, label: str, only: str | None, repeats: int
) -> dict[str, tuple[float, float, int]]:
    out: dict[str, tuple[float, float, int]] = {}
    py = sys.executable
    cases = [
        ("jsonl gold", ["--format", "jsonl"], "out.jsonl"),
        ("jsonl gold -j1", ["--format", "jsonl", "--jobs", "1"], "out1.jsonl"),
        ("jsonl gold -j2", ["--format", "jsonl", "--jobs", "2"], "out2.jsonl"),
        ("jsonl raw", ["--format", "jsonl", "--view", "raw"], "raw.jsonl"),
        ("jsonl majority", ["--format", "jsonl", "--view", "majority"], "maj.jsonl"),
        ("csv gold", ["--format", "csv"], "out.csv"),
        ("prodigy raw", ["--format", "prodigy", "--view", "raw"], "p.jsonl"),
        ("label-studio", ["--format", "label-studio"], "ls.json"),
        ("hf", ["--format", "hf"], "hf"),
    ]
    cases = [c for c in cases if only is None or c[0].startswith(only)]
    print(f"\n{label}: {db.name} ({load()})")
    print(
        f"{'export':18s} {'seconds':>8s} {'records':>10s} {'records/s':>10s} {'peak MB':>8s} "
        f"{'CPU s':>6s}"
    )
    for name, args, target in cases:
        dest = work / target
        times, cpus, rss, n = [], [], 0.0, 0
        for _ in range(repeats if name.startswith("jsonl") else 1):
            dt, peak, cpu, _err = run(
                [py, "-m", "annotator", "--db", str(db), "export", *args, "-o", str(dest)]
            )
            n = (
                records(dest)
                - (1 if name.startswith("csv") else 0)
                - (2 if name == "label-studio" else 0)
            )
            times.append(dt)
            cpus.append(cpu)
            rss = max(rss, peak)
            for p in (dest, *work.glob(f"{dest.stem}.articles.*")):
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()
        dt = statistics.median(times)
        out[name] = (dt, rss, n)
        spread = f"  ({min(times):.2f}-{max(times):.2f} s)" if len(times) > 1 else ""
        print(
            f"{name:18s} {dt:8.2f} {n:10,d} {n / dt:10,.0f} {rss:8.0f} "
            f"{statistics.median(cpus):6.2f}{spread}"
        )
    print(f"({load()})")
    if only is not None:
        return out
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
    dt, rss, _cpu, _ = run(floor)
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
    ap.add_argument("--full", action="store_true", help="only the 1M-sentence database")
    ap.add_argument("--smoke", action="store_true", help="5,000 sentences, each export once")
    ap.add_argument("--only", metavar="PREFIX", help='only the exports named so ("jsonl")')
    ap.add_argument("--repeats", type=int, default=REPEATS, help="runs of each jsonl export")
    args = ap.parse_args()
    keys = (
        ("smoke",)
        if args.smoke
        else ("quick",)
        if args.quick
        else ("full",)
        if args.full
        else ("quick", "full")
    )
    repeats = 1 if args.smoke else args.repeats
    work = Path(tempfile.mkdtemp(prefix="annotator-export-"))
    try:
        results = {}
        for key in keys:
            sentences, events = SIZES[key]
            cached = bigdb.ensure(sentences, events)
            db = bigdb.working_copy(cached, work)
            results[key] = bench(
                db, work, f"{sentences:,} sentences, {events:,} events", args.only, repeats
            )
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        if "full" in results and "quick" in results:
            print("\npeak memory, 100k vs 1M sentences (MB):")
            for name in results["full"]:
                print(
                    f"  {name:16s} {results['quick'][name][1]:6.0f} -> "
                    f"{results['full'][name][1]:6.0f}"
                )
        if args.smoke:
            print("(smoke run: the figures mean nothing)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
