"""Import throughput on real news: the corpus replicated to 20 MB, and a 20 MB JSONL.

    .venv/bin/python benchmarks/news_import.py             # 20 MB each
    .venv/bin/python benchmarks/news_import.py --mb 5

The text of ../shared/news_corpus (txt/, md/, crude/: 142 files, 1.2 MB) is copied until it
reaches the size asked for, each copy made unique by a last line (importing the same text
twice is a no-op, which would flatter the figure). Side by side, on the same files: a
minimal pipeline, blingfire's sentence splitter + sqlite3 (one transaction per file, one row
per sentence, no cleaning, no furniture, no readability), as a floor. Prints MB/s for both
and the ratio, and the start-up time of `annotator import` on one file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.store.database import open_store  # noqa: E402
from annotator.store.imports import import_file  # noqa: E402

CORPUS = ROOT.parent / "shared" / "news_corpus"


def sources() -> list[tuple[str, str]]:
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
        copy += 1
    jsonl = work / "corpus.jsonl"
    with open(jsonl, "w", encoding="utf-8") as fh:
        size, copy = 0, 0
        while size < mb * 1e6:
            for name, text in src:
                line = json.dumps({"id": f"{copy}_{name}", "text": f"{text}\n\nCopy {copy}."})
                fh.write(line + "\n")
                size += len(line.encode("utf-8")) + 1
            copy += 1
    return paths, jsonl


def ours(work: Path, files: list[Path]) -> tuple[float, int]:
    db = work / f"ours-{len(list(work.iterdir()))}.sqlite"
    store = open_store(db)
    t = time.perf_counter()
    segments = 0
    for p in files:
        r = import_file(store, p)
        assert r.error is None, r.error
        segments += r.sentences
    dt = time.perf_counter() - t
    store.close()
    return dt, segments


def floor(work: Path, files: list[Path]) -> tuple[float, int]:
    """blingfire + sqlite3: read, split, insert; what any importer must at least do."""
    import blingfire

    db = work / f"floor-{len(list(work.iterdir()))}.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # as the annotator store commits
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, name TEXT, text TEXT)")
    conn.execute(
        'CREATE TABLE sentences (article_id INTEGER, start INTEGER, "end" INTEGER, text TEXT)'
    )
    t = time.perf_counter()
    segments = 0
    for p in files:
        records = (
            [json.loads(line) for line in p.open(encoding="utf-8")]
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
    dt = time.perf_counter() - t
    conn.close()
    return dt, segments


def startup(work: Path, one: Path) -> float:
    """Best of 3 wall times of `annotator import ONE` into an existing project database
    (a fresh one pays for the migrations once: sqlite-utils and pandas, about 1 s)."""
    exe = Path(sys.executable).parent / "annotator"
    best = float("inf")
    for i in range(3):
        db = work / f"start-{one.suffix[1:]}{i}.sqlite"
        open_store(db).close()
        t = time.perf_counter()
        subprocess.run([str(exe), "--db", str(db), "import", str(one)], check=True,
                       capture_output=True)  # fmt: skip
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0)
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} is not present")
    work = Path(tempfile.mkdtemp(prefix="annotator-news-bench-"))
    try:
        files, jsonl = replicate(work, args.mb)
        mb_files = sum(p.stat().st_size for p in files) / 1e6
        mb_jsonl = jsonl.stat().st_size / 1e6
        print(f"corpus: {len(files)} files, {mb_files:.1f} MB; JSONL {mb_jsonl:.1f} MB")
        for label, batch, mb in (("files", files, mb_files), ("jsonl", [jsonl], mb_jsonl)):
            dt, segs = ours(work, batch)
            fdt, fsegs = floor(work, batch)
            print(
                f"{label:5s} annotator import   {mb / dt:6.2f} MB/s ({segs:,} segments, "
                f"{dt:.1f} s)\n"
                f"{label:5s} blingfire+sqlite3  {mb / fdt:6.2f} MB/s ({fsegs:,} sentences, "
                f"{fdt:.1f} s)\n"
                f"{label:5s} ratio (time ours / floor): {dt / fdt:.1f}x"
            )
        for one in (
            CORPUS / "txt" / "bbc.com.52241221.txt",
            CORPUS / "html" / "bbc.com.52241221.html",
        ):
            best = startup(work, one)
            print(f"start-up: `annotator import {one.name}`, best of 3: {best:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
