"""An import against annotators: how long a key waits for the lock, and the import's memory.

    .venv/bin/python benchmarks/import_lock.py --articles 5000          # one JSONL, many articles
    .venv/bin/python benchmarks/import_lock.py --big-mb 0.23            # one article at the limit
    .venv/bin/python benchmarks/import_lock.py --big-mb 5 --no-keys     # refused: over the limit
    .venv/bin/python benchmarks/import_lock.py --lines 1000000 --tiny   # 1M one-sentence lines

A second process commits a label key through the session layer every 20 ms for as long as
the import runs; the import runs in its own process under `/usr/bin/time -v` (or with
`resource.getrusage` of the child when that is missing) for its peak resident memory.
Prints the import's time and peak memory, and the key commit times: overall, and while the
import was writing (articles were appearing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import article, articles  # noqa: E402

KEYER = r"""
import json, sqlite3, sys, time
from pathlib import Path
from annotator.session import AnnotationSession
from annotator.store.database import open_store, WriteFailed
from annotator.store.schemas import use_guidelines

db, stop = sys.argv[1], Path(sys.argv[2])
store = open_store(db)
g, _ = use_guidelines(store)
session = AnnotationSession(store, g, "alice")
watch = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
print("ready", flush=True)
keys = []
while not stop.exists():
    t0 = time.perf_counter()
    try:
        saved = session.toggle("QUOTE").saved
    except WriteFailed:
        saved = False
    took = time.perf_counter() - t0
    articles = watch.execute("SELECT count(*) FROM articles").fetchone()[0]
    keys.append([took, saved, articles])
    time.sleep(0.02)
print(json.dumps(keys), flush=True)
"""


def make_input(args: argparse.Namespace, folder: Path) -> tuple[Path, int]:
    if args.big_mb:
        path = folder / "big.txt"
        rng = random.Random(7)
        with open(path, "w", encoding="utf-8") as fh:
            size, i = 0, 0
            while size < args.big_mb * 2**20:
                chunk = article(rng, i)
                fh.write(chunk + "\n\n")
                size += len(chunk.encode()) + 2
                i += 1
        return path, 1
    path = folder / "corpus.jsonl"
    n = args.lines or args.articles
    with open(path, "w", encoding="utf-8") as fh:
        if args.tiny:
            for i in range(n):
                text = f"Official {i} said the talks in Geneva went well on Tuesday."
                fh.write(json.dumps({"id": f"t{i}", "text": text}) + "\n")
        else:
            for name, text in articles(n):
                fh.write(json.dumps({"id": name, "text": text}) + "\n")
    return path, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--lines", type=int, default=0)
    ap.add_argument("--tiny", action="store_true", help="one short sentence per line")
    ap.add_argument("--big-mb", type=float, default=0, help="one article of this many MB")
    ap.add_argument("--no-keys", action="store_true", help="measure the import alone")
    ap.add_argument("--smoke", action="store_true", help="20 articles: it still works")
    args = ap.parse_args()
    if args.smoke:
        args.articles = 20
    folder = Path(tempfile.mkdtemp(prefix="import-lock-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    db = folder / "db.sqlite"
    cmd = [sys.executable, "-m", "annotator", "--db", str(db)]
    subprocess.run([*cmd, "import", str(ROOT / "samples")], check=True, capture_output=True)
    t0 = time.perf_counter()
    path, n = make_input(args, folder)
    size = path.stat().st_size / 2**20
    made = time.perf_counter() - t0
    print(f"input: {path.name}, {size:.1f} MB, {n} article(s) (made in {made:.1f} s)")
    stop = folder / "stop"
    keyer = None
    if not args.no_keys:
        keyer = subprocess.Popen(
            [sys.executable, "-c", KEYER, str(db), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert keyer.stdout is not None and keyer.stdout.readline().strip() == "ready"
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    proc = subprocess.run(
        [*timer, *cmd, "import", "-q", str(path)], capture_output=True, text=True, env=env
    )
    took = time.perf_counter() - started
    peak = next(
        (
            int(line.split(":")[1]) / 1024
            for line in proc.stderr.splitlines()
            if "Maximum resident set size" in line
        ),
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )
    summary = [ln for ln in proc.stderr.splitlines() + proc.stdout.splitlines() if "imported" in ln]
    print(f"import: {took:.1f} s, peak RSS {peak:.0f} MB, exit {proc.returncode}: {summary}")
    if keyer is None:
        return
    stop.touch()
    out, _ = keyer.communicate(timeout=120)
    keys = json.loads(out.strip().splitlines()[-1])
    end = 2 + n
    for name, subset in (
        ("all keys", keys),
        ("while writing", [k for k in keys if 2 < k[2] < end]),
    ):
        if not subset:
            print(f"{name}: none")
            continue
        t = sorted(k[0] for k in subset)
        print(
            f"{name}: {len(t)} keys, {sum(1 for k in subset if not k[1])} not saved; "
            f"median {statistics.median(t) * 1000:.2f} ms, "
            f"p99 {t[min(len(t) - 1, int(len(t) * 0.99))] * 1000:.1f} ms, "
            f"max {t[-1] * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
