"""Import throughput on short items: a JSON Lines file of claims, posts and headlines.

    .venv/bin/python benchmarks/import_short.py                   # 100,000 items, once
    .venv/bin/python benchmarks/import_short.py --items 20000 --runs 3
    .venv/bin/python benchmarks/import_short.py --write short.jsonl   # the file only

The items are the one-line things this tool is used to label (audit5 F10: 100,000
two-sentence records ran at 1,270 items/s, 0.12 MB/s, against 5 MB/s on news articles):
seeded, so every run and every checkout sees the same file, and varied (no two alike):
about half one-sentence claims or headlines, a third posts of two or three sentences, the
rest with a title and a sentence or two, a few with a URL or a link. Each run imports the
file the way `annotator import` does (`import_files`, worker processes by default) into a
fresh database, then runs the suggestions pass it runs after (`refresh_project`, one
process), and prints items/s and MB/s of each, with the CPU seconds of the importer and of
its workers (on a shared machine the CPU figures compare, the wall ones do not). Medians
of --runs, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.store.database import open_store  # noqa: E402
from annotator.store.imports import import_files  # noqa: E402
from annotator.store.suggestions import refresh_project  # noqa: E402

_WHO = [
    "Officials",
    "The mayor",
    "A spokesperson for the ministry",
    "Police",
    "Senator Ruth Alvarez",
    "The company",
    "Witnesses",
    "Analysts at Barclays",
    "The health department",
    "Dr. Amir Patel",
    "Local residents",
    "The union",
]
_SAID = ["said", "claimed", "told reporters", "confirmed", "denied", "warned", "insisted"]
_WHAT = [
    "the bridge will reopen on {day}",
    "item {i} was approved by {n} votes to {m}",
    "{n} people were hurt in the crash",
    "the vaccine is {n}% effective",
    "taxes will rise by {n}% next year",
    "the school closed after {n} cases",
    "the contract is worth ${n} million",
    "the fire started near Route {n}",
    "prices fell {n}% in {month}",
    "the report was leaked on {day}",
]
_HEDGE = ["It may", "This could", "Sources suggest it might", "Reportedly, it would"]
_AFTER = [
    "take weeks to confirm.",
    "affect {n} families.",
    "change before {month}.",
    "be challenged in court.",
]
_OPINION = [
    "This is a disgrace.",
    "What a shameful decision!",
    "Nobody believes this anymore.",
    "Finally, some good news.",
    "Unbelievable.",
    "Is anyone surprised?",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]


def _fill(rng: random.Random, template: str, i: int) -> str:
    n = rng.randint(2, 950)
    return template.format(
        i=i, n=n, m=rng.randint(1, n), day=rng.choice(_DAYS), month=rng.choice(_MONTHS)
    )


def _claim(rng: random.Random, i: int) -> str:
    return f"{rng.choice(_WHO)} {rng.choice(_SAID)} {_fill(rng, rng.choice(_WHAT), i)}."


def item(rng: random.Random, i: int) -> dict[str, str]:
    """One record: a claim or headline (about half), a post of two or three sentences
    (a third), or a titled item (the rest); a few carry a URL or a link."""
    roll = rng.random()
    rec = {"id": f"s{i}"}
    if roll < 0.5:
        text = _claim(rng, i)
        if rng.random() < 0.3:  # a headline: no final stop
            text = text[:-1]
    elif roll < 0.83:
        parts = [_claim(rng, i), f"{rng.choice(_HEDGE)} {_fill(rng, rng.choice(_AFTER), i)}"]
        if rng.random() < 0.5:
            parts.append(rng.choice(_OPINION))
        text = " ".join(parts)
    else:
        rec["title"] = f"Update {i}: {rng.choice(_WHO)} {rng.choice(_SAID)}"
        text = _claim(rng, i)
        if rng.random() < 0.5:
            text += f" {rng.choice(_OPINION)}"
    if rng.random() < 0.05:
        text += f" More at [source {i}](https://example.org/{i})."
    if rng.random() < 0.05:
        rec["url"] = f"https://news.example.com/{i}"
    rec["text"] = text
    return rec


def write_items(path: Path, n: int, seed: int = 13) -> float:
    """The file of n items; its size in MB."""
    rng = random.Random(seed)
    seen: set[str] = set()
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            rec = item(rng, i)
            while rec["text"] in seen:  # the same text twice would be imported once
                rec = item(rng, i)
            seen.add(rec["text"])
            fh.write(json.dumps(rec) + "\n")
    return path.stat().st_size / 1e6


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def one_run(db: Path, jsonl: Path, workers: int | None) -> tuple[float, ...]:
    store = open_store(db)
    children = children_cpu()
    t, c = time.perf_counter(), time.process_time()
    added = 0
    for r in import_files(store, [jsonl], workers=workers):
        assert r.error is None, r.error
        added += r.added
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    workers_cpu = children_cpu() - children
    t, c = time.perf_counter(), time.process_time()
    suggestions = refresh_project(store)
    swall, scpu = time.perf_counter() - t, time.process_time() - c
    store.close()
    return wall, cpu, workers_cpu, swall, scpu, float(added), float(suggestions)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=1, help="repeat and print medians")
    ap.add_argument("--workers", type=int, default=None, help="parse workers (default: cores)")
    ap.add_argument("--write", type=Path, help="write the JSON Lines file here and stop")
    args = ap.parse_args()
    if args.write:
        mb = write_items(args.write, args.items)
        print(f"{args.write}: {args.items:,} items, {mb:.2f} MB")
        return
    with tempfile.TemporaryDirectory(prefix="annotator-short-") as tmp:
        work = Path(tmp)
        jsonl = work / "short.jsonl"
        mb = write_items(jsonl, args.items)
        n = args.items
        print(
            f"short items ({ROOT}): {n:,} items, {mb:.2f} MB JSONL; {os.cpu_count()} cores; "
            f"load average at start {os.getloadavg()[0]:.1f}"
        )
        runs = [one_run(work / f"short-{k}.sqlite", jsonl, args.workers) for k in range(args.runs)]
        wall, cpu, wcpu, swall, scpu = (statistics.median(r[k] for r in runs) for k in range(5))
        added, suggestions = runs[-1][5], runs[-1][6]
        assert added == n, f"{added:.0f} of {n} items imported"
        print(
            f"import_files   {n / wall:7.0f} items/s {mb / wall:5.2f} MB/s wall ({wall:.1f} s); "
            f"CPU {cpu:.1f} s importer + {wcpu:.1f} s workers = {(cpu + wcpu) * 1e3 / n:.3f} "
            f"CPU ms per item"
        )
        print(
            f"suggestions    {n / swall:7.0f} items/s {mb / swall:5.2f} MB/s wall ({swall:.1f} s); "
            f"CPU {scpu:.1f} s, one process = {scpu * 1e3 / n:.3f} CPU ms per item "
            f"({suggestions:,.0f} suggestions)"
        )
        total = wall + swall
        print(
            f"import + suggestions {n / total:7.0f} items/s {mb / total:5.2f} MB/s wall; "
            f"CPU {(cpu + wcpu + scpu) * 1e3 / n:.3f} ms per item ({args.runs} run(s), medians; "
            f"load average now {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
