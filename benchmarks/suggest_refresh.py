"""The suggestions pass `annotator import` runs after its files (`refresh_project`: the
importer's and the cue lexicon's suggestions), on a copy of an imported database with its
suggestions taken away: CPU and wall per run, sentences per CPU second, and a hash of the
rows written (timestamps left out) to compare two checkouts' output.

    .venv/bin/python benchmarks/suggest_refresh.py IMPORTED.sqlite [--runs 3] [--dump FILE]

IMPORTED.sqlite: any database `annotator import` made (e.g. of the 20 MB replicate JSONL
that `benchmarks/import.py --mb 20` writes). To compare with another checkout, run this
file with that checkout first on sys.path (`PYTHONPATH=/tmp/base python ...`): it prints
which tree it timed.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import annotator
from annotator.store.database import open_store
from annotator.store.suggestions import refresh_project

_ROWS = (
    "SELECT id, sentence_id, article_id, label, source, version, score, cue, cue_start, "
    "cue_end, source_type FROM suggestions ORDER BY id"
)


def one_run(src: Path, work: Path, dump: Path | None) -> tuple[int, int, float, float, str]:
    db = work / "refresh.sqlite"
    shutil.copy(src, db)
    conn = sqlite3.connect(db)
    with conn:  # as before the first refresh: no suggestion, no source covered
        conn.execute("DELETE FROM suggestions")
        conn.execute("DELETE FROM suggestion_sources")
    sentences = int(conn.execute("SELECT count(*) FROM sentences").fetchone()[0])
    conn.close()
    with open_store(db) as store:
        wall, cpu = time.perf_counter(), time.process_time()
        written = refresh_project(store)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        digest = hashlib.sha256()
        out = dump.open("w", encoding="utf-8") if dump else None
        for r in store.conn.execute(_ROWS):
            line = repr(tuple(r)) + "\n"
            digest.update(line.encode())
            if out:
                out.write(line)
        if out:
            out.close()
    db.unlink()
    return sentences, written, cpu, wall, digest.hexdigest()[:12]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("db", type=Path)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--dump", type=Path, help="write the rows of the last run here")
    a = p.parse_args()
    print(f"tree {Path(annotator.__file__).parent.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(a.runs):
            dump = a.dump if n == a.runs - 1 else None
            sentences, written, cpu, wall, digest = one_run(a.db, Path(tmp), dump)
            print(
                f"refresh {sentences:,} sentences -> {written:,} suggestions: CPU {cpu:.2f} s, "
                f"wall {wall:.2f} s, {sentences / cpu:,.0f} sentences per CPU s; rows {digest}"
            )


if __name__ == "__main__":
    main()
