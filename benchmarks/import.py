"""Import throughput on real news, beside a minimal blingfire + sqlite3 pipeline.

    .venv/bin/python benchmarks/import.py                  # 20 MB of files, a 20 MB JSONL
    .venv/bin/python benchmarks/import.py --mb 5 --runs 3  # smaller, medians of 3
    .venv/bin/python benchmarks/import.py --workers 0      # parse in the importing process
    .venv/bin/python benchmarks/import.py --startup        # only `annotator import ONE`

The text of ../shared/news_corpus (txt/, md/, crude/: 142 files, 1.2 MB; generated articles
when it is absent) is copied until it reaches the size asked for, each copy made unique by a
last line (importing the same text twice is a no-op, which would flatter the figure): once
as one file per article, once as one JSON Lines file. Each is imported the way
`annotator import` does (`import_files`: parsing in worker processes, one per core, above
1 MB) into a fresh database, then by the floor: blingfire's sentence splitter + sqlite3 (one
transaction per file, one row per sentence; no cleaning, furniture, languages or
readability). Printed per input: wall time and MB/s for both and their ratio; CPU seconds of
the importing process and of its workers (on a loaded machine the wall figure is the share
of the cores we got, the CPU figure is the work); MB per CPU second; peak resident memory of
the importer and of a worker; where the importer's wall time goes: for files, its two
phases (phase 1: taking the parsed articles from the workers, waiting for them; phase 2:
writing, with the pauses that leave the lock to annotators); for the JSON Lines file, which
is written as the workers parse it, the reading of the whole file first (its check), then
the writes with their pauses, and of those the time spent waiting for the workers' chunks.
Then the suggestions pass that `annotator import` runs after the import, in one process
(store/suggestions.py `refresh_project`: the importer's kinds and the cue lexicon for every
new sentence), and import + suggestions as MB/s: what a user waits for. Then the start-up
of `annotator import ONE` (an English .txt, a French .txt, which needs the language model,
and an English .html; --startup: these alone), from compiled bytecode as a user's second
run has it.
Run several times (--runs): the medians are printed, with the load average.

    .venv/bin/python benchmarks/import.py --stages         # CPU s per MB of each stage

--stages parses the corpus (its three extractions, read once) four times over in this
process, after a first pass that pays the once-per-process loads (syllable table, language
model, Pyphen), and prints the CPU seconds per MB of input of each stage: layout (cleaning,
furniture, kinds; without the splitter), the sentence splitter, language detection,
readability counts, the rest of parse_source, prepare + pack (what a worker does to send an
article: the rows and their export records, pickled), unpack + write (what the importer
does: SQLite inserts, one transaction per article). Caches: the syllable counts of words
met before (per word, as in a real import); nothing keyed by article or paragraph, so the
fourth pass costs what the first did once the loads are paid.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.store import imports  # noqa: E402
from annotator.store.database import open_store  # noqa: E402
from annotator.store.imports import import_files  # noqa: E402
from benchmarks.common import child_env  # noqa: E402
from benchmarks.corpus import articles  # noqa: E402

CORPUS = ROOT.parent / "shared" / "news_corpus"


def sources() -> list[tuple[str, str]]:
    if not CORPUS.is_dir():
        return list(articles(150))
    out = []
    for folder in ("txt", "md", "crude"):
        for p in sorted((CORPUS / folder).iterdir()):
            out.append((p.stem.replace(".", "_"), p.read_text(encoding="utf-8")))
    return out


def replicate(work: Path, mb: float) -> tuple[list[Path], Path]:
    """Text files (one article each) and one JSONL file, each about `mb` MB."""
    files = work / "files"
    files.mkdir()
    src = sources()
    size, copy, paths = 0, 0, []
    while size < mb * 1e6:
        for name, text in src:
            p = files / f"{copy:03d}_{name}.txt"
            p.write_text(f"{text.rstrip()}\n\nCopy {copy} of {name}.\n", encoding="utf-8")
            paths.append(p)
            size += p.stat().st_size
            if size >= mb * 1e6:
                break
        copy += 1
    jsonl = work / "corpus.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        size, copy = 0, 0
        while size < mb * 1e6:
            for name, text in src:
                line = json.dumps({"id": f"{copy}_{name}", "text": f"{text}\n\nCopy {copy}."})
                fh.write(line + "\n")
                size += len(line.encode("utf-8")) + 1
                if size >= mb * 1e6:
                    break
            copy += 1
    return paths, jsonl


@dataclass
class Run:
    wall: float
    cpu_main: float
    cpu_workers: float
    segments: int
    rss_main_mb: float
    rss_worker_mb: float
    parse_wall: float = 0.0  # the importer's phase 1 (store/imports.py), wall seconds
    write_wall: float = 0.0  # its phase 2
    check_wall: float = 0.0  # a JSON Lines file read whole before its writes begin
    wait_wall: float = 0.0  # of phase 1 and 2, waiting for a worker's answer
    # the suggestions pass `annotator import` runs after the import (refresh_project)
    suggest_wall: float = 0.0
    suggest_cpu: float = 0.0
    suggestions: int = 0


def _phase_timer(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def run(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            spent[0] += time.perf_counter() - t

    return run


def children_cpu() -> tuple[float, float]:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def ours(db: Path, files: list[Path], workers: int | None) -> Run:
    from annotator.store import import_workers, import_writes

    store = open_store(db)
    before, _ = children_cpu()
    parse_wall, write_wall, check_wall, wait_wall = [0.0], [0.0], [0.0], [0.0]
    parse_all, write_batches = imports._parse_all, import_writes.write_batches
    check, slot_get = imports.check_jsonl, import_workers._Slot.get
    imports._parse_all = _phase_timer(parse_all, parse_wall)
    # every write, of a spool (files, a JSON Lines file that failed its check) or of a JSON
    # Lines file as the workers parse it
    import_writes.write_batches = _phase_timer(write_batches, write_wall)
    imports.check_jsonl = _phase_timer(check, check_wall)
    import_workers._Slot.get = _phase_timer(slot_get, wait_wall)  # type: ignore[method-assign]
    together = getattr(imports, "_Group", None)  # small files written several at a time
    write_together = together._write_together if together is not None else None
    if together is not None:
        together._write_together = _phase_timer(together._write_together, write_wall)
    t, c = time.perf_counter(), time.process_time()
    segments = 0
    try:
        for r in import_files(store, files, workers=workers):
            assert r.error is None, r.error
            segments += r.sentences
    finally:
        imports._parse_all, import_writes.write_batches = parse_all, write_batches
        imports.check_jsonl, import_workers._Slot.get = check, slot_get  # type: ignore[method-assign]
        if together is not None:
            together._write_together = write_together
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    # what `annotator import` does next, in this one process (cli/importing.py)
    from annotator.store.suggestions import refresh_project

    t, c = time.perf_counter(), time.process_time()
    suggestions = refresh_project(store)
    suggest_wall, suggest_cpu = time.perf_counter() - t, time.process_time() - c
    store.close()
    after, worker_rss = children_cpu()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Run(
        wall,
        cpu,
        after - before,
        segments,
        rss,
        worker_rss,
        parse_wall[0],
        write_wall[0],
        check_wall[0],
        wait_wall[0],
        suggest_wall,
        suggest_cpu,
        suggestions,
    )


def floor(db: Path, files: list[Path]) -> Run:
    """blingfire + sqlite3: read, split, insert; what any importer must at least do."""
    import blingfire

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # as the annotator store commits
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, name TEXT, text TEXT)")
    conn.execute(
        'CREATE TABLE sentences (article_id INTEGER, start INTEGER, "end" INTEGER, text TEXT)'
    )
    t, c = time.perf_counter(), time.process_time()
    segments = 0
    for p in files:
        # line by line, as ours reads: this process's peak memory is reported for both
        records = (
            (json.loads(line) for line in p.open(encoding="utf-8"))
            if p.suffix == ".jsonl"
            else [{"id": p.stem, "text": p.read_text(encoding="utf-8")}]
        )
        conn.execute("BEGIN IMMEDIATE")
        for rec in records:
            text = rec["text"]
            aid = conn.execute(
                "INSERT INTO articles (name, text) VALUES (?, ?)", [rec["id"], text]
            ).lastrowid
            _s, offsets = blingfire.text_to_sentences_and_offsets(text)
            conn.executemany(
                'INSERT INTO sentences (article_id, start, "end", text) VALUES (?,?,?,?)',
                [(aid, a, b, text[a:b]) for a, b in offsets],
            )
            segments += len(offsets)
        conn.execute("COMMIT")
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    conn.close()
    return Run(wall, cpu, 0.0, segments, 0.0, 0.0)


# what the `annotator` console script runs, from this checkout: the script itself imports
# whichever tree the venv's editable install points at, which is not this one when a copy
# of another commit is measured with the same venv (`git archive <base> | tar -x`)
_COMMAND = "import sys; from annotator.cli import main; sys.argv[0] = 'annotator'; sys.exit(main())"


def startup(
    work: Path, one: Path, runs: int, cache: Path | None = None
) -> tuple[list[float], list[float]]:
    """Wall and CPU times (user + system) of `annotator import ONE` into an existing project
    database (a fresh one pays for the migrations once). Under load the wall time is mostly
    waiting for a core; the CPU time is the work. `cache`: the user cache folder
    (XDG_CACHE_HOME) the runs share, where the language model's decompressed copy goes.
    Our modules run from compiled bytecode, as after any first run of an installed or
    editable package (compiled first by `compiled_bytecode`): this machine sets
    PYTHONDONTWRITEBYTECODE, and without the cache every run compiled about 80 modules from
    source, 0.1-0.2 s that no user's second import pays."""
    env = child_env()
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    times, cpus = [], []
    for i in range(runs):
        db = work / f"start-{one.name}-{i}.sqlite"
        open_store(db).close()
        before, _ = children_cpu()
        t = time.perf_counter()
        # cwd too: `python -c` puts the current folder first on sys.path
        subprocess.run([sys.executable, "-c", _COMMAND, "--db", str(db), "import", str(one)],
                       check=True, capture_output=True, env=env, cwd=ROOT)  # fmt: skip
        times.append(time.perf_counter() - t)
        cpus.append(children_cpu()[0] - before)
    return times, cpus


def compiled_bytecode() -> None:
    """Our modules compiled into the bytecode cache the start-up runs read (child_env)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "annotator")],
                   check=True, capture_output=True, env=child_env())  # fmt: skip


def startups(work: Path, runs: int) -> None:
    """Start-up of `annotator import ONE`: an English .txt, a French .txt (the language
    model: its first run, with an empty user cache, decompresses it and writes the cache;
    the runs after map the cache) and an English .html page."""
    if not CORPUS.is_dir():
        print("start-up: needs ../shared/news_corpus")
        return
    compiled_bytecode()
    cache = work / "xdg-cache"
    french = CORPUS / "txt" / "dw.com-elephants.txt"
    first, first_cpu = startup(work, french, 1, cache)
    print(
        f"start-up: `annotator import {french.name}` with no language model cache yet "
        f"(the run that writes it): {first[0]:.2f} s, CPU {first_cpu[0]:.2f} s"
    )
    for one in (
        CORPUS / "txt" / "bbc.com.52241221.txt",
        french,
        CORPUS / "html" / "bbc.com.52241221.html",
    ):
        times, cpus = startup(work, one, runs, cache)
        print(
            f"start-up: `annotator import {one.name}`: median {med(times):.2f} s, "
            f"best {min(times):.2f} s of {len(times)}; CPU median {med(cpus):.2f} s "
            f"(load average {os.getloadavg()[0]:.1f})"
        )


def stages(reps: int = 4) -> None:
    """CPU seconds per MB of each stage, in this process (see the module's docstring)."""
    import collections
    import dataclasses

    from annotator.ingest import articles as arts
    from annotator.ingest import language, readability, sentences
    from annotator.ingest.layout import layout
    from annotator.store import import_spool
    from annotator.store.articles import add_article

    spent: collections.defaultdict[str, float] = collections.defaultdict(float)

    def timed(key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*a: Any, **k: Any) -> Any:
            t = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[key] += time.process_time() - t

        return run

    # the splitter wherever the layout code imported it; the rest where parse_source calls it
    split = timed("split", sentences.split_sentences)
    for name, mod in list(sys.modules.items()):
        if name.startswith("annotator.ingest.") and hasattr(mod, "split_sentences"):
            mod.split_sentences = split  # type: ignore[attr-defined]
    setattr(arts, "layout", timed("layout", layout))  # noqa: B010 (wrapped for timing)
    language.detect = timed("language", language.detect)
    readability.counts_each = timed("readability", readability.counts_each)
    if not CORPUS.is_dir():
        srcs = [
            src for name, text in articles(150) for src in arts.read_sources(_text_file(name, text))
        ]
    else:
        srcs = [
            src
            for folder in ("txt", "md", "crude")
            for p in sorted((CORPUS / folder).iterdir())
            for src in arts.read_sources(p)
        ]
    mb = sum(len(s.original) for s in srcs) / 1e6
    t = time.process_time()
    for s in srcs:
        arts.parse_source(s)
    first = time.process_time() - t
    spent.clear()
    work = Path(tempfile.mkdtemp(prefix="annotator-stages-"))
    store = open_store(work / "stages.sqlite")
    t = time.process_time()
    for rep in range(reps):
        for s in srcs:
            art = arts.parse_source(s)
            # another id and text each pass: the store would take the same text as unchanged
            art = dataclasses.replace(art, external_id=f"{rep}-{art.external_id}")
            art.text += f"\n{rep}"
            t2 = time.process_time()
            packed = import_spool.pack(art)
            t3 = time.process_time()
            with store.write(foreign_keys=False) as conn:  # as the importer writes
                add_article(conn, import_spool.unpack(packed))
            spent["write"] += time.process_time() - t3
            spent["pack"] += t3 - t2
    total = time.process_time() - t
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    spent["layout"] -= spent["split"]
    total_mb = mb * reps
    print(
        f"stages: {mb:.2f} MB x {reps}, CPU s per MB of input (first pass, with the loads: "
        f"{first / mb:.3f}); load average {os.getloadavg()[0]:.1f}"
    )
    named = (
        ("layout", "layout (without the splitter)"),
        ("split", "sentence splitter"),
        ("language", "language detection"),
        ("readability", "readability counts"),
        ("pack", "prepare + pack (worker)"),
        ("write", "unpack + write (importer)"),
    )
    for key, label in named:
        print(f"  {label:32s} {spent[key] / total_mb:.3f}")
    rest = total - sum(spent.values())
    print(f"  {'rest of parse_source':32s} {rest / total_mb:.3f}")
    print(f"  {'total':32s} {total / total_mb:.3f} ({total_mb / total:.2f} MB per CPU second)")


def _text_file(name: str, text: str) -> Path:
    p = Path(tempfile.mkdtemp(prefix="annotator-stages-")) / f"{name}.txt"
    p.write_text(text, encoding="utf-8")
    return p


def phases(label: str, runs: list[Run]) -> str:
    """Where the importer's wall time went (medians)."""
    wait = med([r.wait_wall for r in runs])
    if label == "jsonl" and any(r.check_wall for r in runs):
        # written as the workers parse it (store/import_stream.py): reading it whole first,
        # then the writes, which wait for the workers' chunks in between
        check = med([r.check_wall for r in runs])
        return (
            f"importer wall: reading the file whole before writing {check:.1f} s,"
            f" then writes and pauses {med([r.write_wall for r in runs]):.1f} s, of which waiting"
            f" for the workers {wait:.1f} s"
        )
    return (
        f"importer wall in phase 1 (parsing, or waiting for the workers) "
        f"{med([r.parse_wall for r in runs]):.1f} s, phase 2 (writes and pauses) "
        f"{med([r.write_wall for r in runs]):.1f} s; waiting for the workers {wait:.1f} s"
    )


def med(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--runs", type=int, default=1, help="repeat and print medians")
    ap.add_argument("--workers", type=int, default=None, help="parse workers (default: cores)")
    ap.add_argument("--smoke", action="store_true", help="0.3 MB once: it still works")
    ap.add_argument("--stages", action="store_true", help="CPU s per MB of each stage")
    ap.add_argument("--startup", action="store_true", help="only the one-file start-ups")
    args = ap.parse_args()
    if args.stages:
        stages()
        return
    if args.smoke:
        args.mb, args.runs = 0.3, 1
    if args.startup:
        work = Path(tempfile.mkdtemp(prefix="annotator-import-bench-"))
        try:
            print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
            startups(work, args.runs if args.runs > 1 else 5)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    work = Path(tempfile.mkdtemp(prefix="annotator-import-bench-"))
    try:
        files, jsonl = replicate(work, args.mb)
        mb_files = sum(p.stat().st_size for p in files) / 1e6
        mb_jsonl = jsonl.stat().st_size / 1e6
        where = "news_corpus" if CORPUS.is_dir() else "generated articles (no ../shared)"
        print(
            f"input ({where}): {len(files)} files, {mb_files:.1f} MB; JSONL {mb_jsonl:.1f} MB; "
            f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}"
        )
        n = 0
        for label, batch, mb in (("files", files, mb_files), ("jsonl", [jsonl], mb_jsonl)):
            runs, floors = [], []
            for _ in range(args.runs):
                n += 1
                runs.append(ours(work / f"ours-{n}.sqlite", batch, args.workers))
                floors.append(floor(work / f"floor-{n}.sqlite", batch))
            wall = med([r.wall for r in runs])
            cpu = med([r.cpu_main + r.cpu_workers for r in runs])
            fwall = med([r.wall for r in floors])
            fcpu = med([r.cpu_main for r in floors])
            last = runs[-1]
            print(
                f"{label} annotator import   {mb / wall:6.2f} MB/s wall ({wall:.1f} s, "
                f"{last.segments:,} segments); CPU {med([r.cpu_main for r in runs]):.1f} s "
                f"importer + {med([r.cpu_workers for r in runs]):.1f} s workers = "
                f"{mb / cpu:.2f} MB per CPU second; peak RSS importer {last.rss_main_mb:.0f} MB,"
                f" a worker {last.rss_worker_mb:.0f} MB; {phases(label, runs)}\n"
                f"{label} then suggestions  {med([r.suggest_wall for r in runs]):.1f} s wall, "
                f"{med([r.suggest_cpu for r in runs]):.1f} s CPU, one process "
                f"({last.suggestions:,} suggestions: the pass `annotator import` runs after the "
                f"import); import + suggestions "
                f"{mb / med([r.wall + r.suggest_wall for r in runs]):.2f} MB/s wall\n"
                f"{label} blingfire+sqlite3  {mb / fwall:6.2f} MB/s wall ({fwall:.1f} s, "
                f"{floors[-1].segments:,} sentences); {mb / fcpu:.2f} MB per CPU second\n"
                f"{label} ratio annotator / blingfire+sqlite3: wall {wall / fwall:.1f}x, "
                f"CPU {cpu / fcpu:.1f}x ({args.runs} run(s), medians; load average now "
                f"{os.getloadavg()[0]:.1f})"
            )
        if CORPUS.is_dir():
            startups(work, 1 if args.smoke else 5)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
