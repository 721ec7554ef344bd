"""A fingerprint of every stored row an import produces, to show a speed change changed nothing.

    .venv/bin/python benchmarks/import_fingerprint.py --save /tmp/before.json   # on the old code
    .venv/bin/python benchmarks/import_fingerprint.py --check /tmp/before.json  # on the new code
    .venv/bin/python benchmarks/import_fingerprint.py --save F --also short.jsonl  # and these

--also FILE (any number): each file imported too, in a database of its own (a 20 MB replicate
JSONL from benchmarks/import.py, the short items of benchmarks/import_short.py --write).

Imports ../shared/news_corpus (txt/, md/, crude/, html/), ../shared/seeds and 300 generated
articles (benchmarks/corpus.py, as files and as one JSON Lines file) into a fresh database,
serially and with worker processes, and hashes each article's row (every column but the
row id and the import time) with all of its sentence rows (every column but the ids): text,
offsets, kinds, links, readability figures, language, offset map, metadata. --check names
each article whose rows differ and exits 1. The serial and parallel imports must agree too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.store.database import open_store  # noqa: E402
from annotator.store.imports import import_files  # noqa: E402
from benchmarks.corpus import articles  # noqa: E402

SHARED = ROOT.parent / "shared"


def inputs(work: Path, also: list[Path] | None = None) -> dict[str, list[Path]]:
    """Groups of files, each imported into a database of its own (the extractions of one
    page share its id)."""
    groups: dict[str, list[Path]] = {}
    corpus = SHARED / "news_corpus"
    for folder in ("txt", "md", "crude", "html"):
        if (corpus / folder).is_dir():
            groups[folder] = sorted((corpus / folder).iterdir())
    if (SHARED / "seeds").is_dir():
        groups["seeds"] = sorted((SHARED / "seeds").glob("*.txt"))
    gen = work / "generated"
    gen.mkdir()
    jsonl = work / "generated.jsonl"
    groups["generated"] = []
    with open(jsonl, "w", encoding="utf-8") as fh:
        for i, (name, text) in enumerate(articles(300)):
            p = gen / f"{i:03d}_{name}.txt"
            p.write_text(text, encoding="utf-8")
            groups["generated"].append(p)
            fh.write(json.dumps({"id": f"j{i}_{name}", "text": text + f"\n\nLine {i}."}) + "\n")
    groups["generated"].append(jsonl)
    for p in also or []:
        groups[f"also-{p.name}"] = [p]
    return groups


def fingerprint(db: Path, paths: list[Path], workers: int) -> dict[str, str]:
    store = open_store(db)
    out: dict[str, str] = {}
    for r in import_files(store, paths, workers=workers):
        if r.error is not None:  # a page with no text is refused: the message is kept too
            out[f"error:{r.path.name}"] = str(r.error).replace(str(r.path), r.path.name)
    rows = store.all("SELECT * FROM articles ORDER BY id")
    cols = [d[1] for d in store.all("PRAGMA table_info(articles)")]
    scols = [d[1] for d in store.all("PRAGMA table_info(sentences)")]
    for row in rows:
        rec = dict(zip(cols, row, strict=True))
        aid = rec.pop("id")
        for volatile in ("imported_at", "first_sentence_id"):
            rec.pop(volatile, None)
        # the path of a generated file differs between runs (a temporary folder)
        rec["source_path"] = Path(str(rec["source_path"])).name
        sents = []
        for s in store.all("SELECT * FROM sentences WHERE article_id = ? ORDER BY id", [aid]):
            srec = dict(zip(scols, s, strict=True))
            srec.pop("id")
            srec.pop("article_id")
            sents.append(srec)
        h = hashlib.sha256(repr((sorted(rec.items()), sents)).encode("utf-8", "surrogatepass"))
        out[str(rec["external_id"])] = h.hexdigest()
    store.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path)
    g.add_argument("--check", type=Path)
    ap.add_argument("--also", type=Path, nargs="*", default=[], help="more files to import")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-fingerprint-") as tmp:
        work = Path(tmp)
        serial: dict[str, str] = {}
        parallel: dict[str, str] = {}
        for group, paths in inputs(work, args.also).items():
            for workers, into in ((0, serial), (2, parallel)):
                db = work / f"{group}-{workers}.sqlite"
                into.update({f"{group}/{k}": v for k, v in fingerprint(db, paths, workers).items()})
    bad = [k for k in serial if serial.get(k) != parallel.get(k)]
    if bad or serial.keys() != parallel.keys():
        print(f"serial and parallel imports differ: {bad[:10]}")
        return 1
    print(f"{len(serial)} articles fingerprinted")
    if args.save:
        args.save.write_text(json.dumps(serial, indent=0, sort_keys=True), encoding="utf-8")
        return 0
    before = json.loads(args.check.read_text(encoding="utf-8"))
    differ = sorted(k for k in before.keys() | serial.keys() if before.get(k) != serial.get(k))
    for k in differ[:40]:
        print(f"differs: {k}")
    print(f"{len(differ)} of {len(before)} articles differ" if differ else "identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
