"""A fingerprint of everything the layout pass decides, on every input we have, and its speed.

    .venv/bin/python benchmarks/layout_fingerprint.py           # check against the stored file
    .venv/bin/python benchmarks/layout_fingerprint.py --write   # regenerate the stored file
    .venv/bin/python benchmarks/layout_fingerprint.py --speed   # layout CPU s per MB
    .venv/bin/python benchmarks/layout_fingerprint.py --passes N  # N corpus passes, silent

`--passes` is for an instruction count that the machine's load does not move (CPU seconds
on a shared 2-core machine vary by 10% and more from run to run): run it under valgrind
with 1 and with 2 passes and take the difference, one pass of the layout, warm:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python benchmarks/layout_fingerprint.py --passes 2   # "Collected : N"

The layout pass (annotator/ingest/layout.py) turns a source into cleaned text, an offset map
and typed segments. A speed change must not move one of them by a byte; a segmentation fix
moves some on purpose. So the stored file (tests/data/layout_fingerprint.json) holds one
sha256 (shortened) per input of everything `layout()` returns: the cleaned text, the offset
map, every segment (start, end, kind, paragraph, links) and the byline, author, title, date
and furniture counters the article carries. tests/test_layout_fingerprint.py asserts that
today's code gives the stored hashes; after a deliberate change of segments, regenerate the
file with `--write` and say so in the commit.

Inputs: ../shared/news_corpus (txt/, md/, crude/ and html/ through the HTML reader), the
seeds, samples/, the English Golden Rules, generated articles (benchmarks/corpus.py) and
"shuffled" articles: lines of the corpus drawn at random (seeded) into new pages, so that
lines meet neighbours they never meet in the corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.ingest.articles import read_sources  # noqa: E402
from annotator.ingest.layout import Layout, layout  # noqa: E402
from annotator.ingest.reading import InputError  # noqa: E402
from benchmarks.corpus import articles  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "news_corpus"
STORED = ROOT / "tests" / "data" / "layout_fingerprint.json"
GENERATED = 2000
SHUFFLED = 400
CHUNK = 100  # generated and shuffled articles are hashed in chunks of this many


def canonical(lay: Layout) -> str:
    """Everything layout() decided, as one deterministic string."""
    return json.dumps(
        [
            lay.text,
            lay.offset_map.points,
            [
                [s.start, s.end, s.kind, s.paragraph, [[k.start, k.end, k.url] for k in s.links]]
                for s in lay.segments
            ],
            lay.byline,
            lay.author,
            lay.title,
            lay.published,
            lay.removed_furniture,
            lay.rejoined,
        ],
        ensure_ascii=False,
    )


def digest(lay: Layout) -> str:
    return hashlib.sha256(canonical(lay).encode("utf-8")).hexdigest()[:24]


# one input: its name and (source text, body start, title) as parse_source passes them
Input = tuple[str, str, int, str | None]


def file_inputs(html: bool = True) -> Iterator[Input]:
    folders = ["txt", "md", "crude"] + (["html"] if html else [])
    paths: list[Path] = []
    if CORPUS.is_dir():
        for folder in folders:
            paths += sorted((CORPUS / folder).iterdir())
    if (SHARED / "seeds").is_dir():
        paths += sorted((SHARED / "seeds").iterdir())
    paths += sorted((ROOT / "samples").glob("*.txt"))
    for path in paths:
        name = path.relative_to(path.parent.parent).as_posix()
        try:
            for i, src in enumerate(read_sources(path)):
                yield f"{name}#{i}", src.text, src.body_start, src.metadata.get("title")
        except InputError:
            continue  # a page with no article text: the reader refuses it, layout never sees it


def golden_inputs() -> Iterator[Input]:
    rules = SHARED / "golden_rules_en.json"
    if rules.is_file():
        for rule in json.loads(rules.read_text(encoding="utf-8")):
            yield f"golden#{rule['id']}", rule["text"], 0, None


def generated_inputs(n: int = GENERATED) -> Iterator[Input]:
    for name, text in articles(n):
        yield f"generated#{name}", text, 0, None


def shuffled_inputs(n: int = SHUFFLED) -> Iterator[Input]:
    """New pages made of corpus lines (and blank lines) in a seeded random order."""
    if not CORPUS.is_dir():
        return
    pool: list[str] = []
    for folder in ("txt", "md", "crude"):
        for p in sorted((CORPUS / folder).iterdir()):
            pool += p.read_text(encoding="utf-8").splitlines()
    rng = random.Random(13)
    for i in range(n):
        # runs of consecutive lines (a page's own neighbours) mixed with strangers
        lines: list[str] = []
        while len(lines) < 40:
            at = rng.randrange(len(pool))
            lines += pool[at : at + rng.randint(1, 6)]
            if rng.random() < 0.3:
                lines.append("")
        yield f"shuffled#{i:04d}", "\n".join(lines), 0, None


def chunked(name: str, inputs: Iterator[Input]) -> Iterator[tuple[str, list[Input]]]:
    batch: list[Input] = []
    for item in inputs:
        batch.append(item)
        if len(batch) == CHUNK:
            yield f"{name}#{batch[0][0].split('#')[1]}..", batch
            batch = []
    if batch:
        yield f"{name}#{batch[0][0].split('#')[1]}..", batch


def fingerprints(html: bool = True) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, text, start, title in list(file_inputs(html)) + list(golden_inputs()):
        out[name] = digest(layout(text, start, title=title))
    for group, inputs in (
        ("generated", generated_inputs()),
        ("shuffled", shuffled_inputs()),
    ):
        for name, batch in chunked(group, inputs):
            h = hashlib.sha256()
            for _n, text, start, title in batch:
                h.update(digest(layout(text, start, title=title)).encode())
            out[name] = h.hexdigest()[:24]
    return out


def speed() -> None:
    """Layout CPU seconds per MB: the corpus (txt, md, crude) x4, generated articles."""
    corpus = [i for i in file_inputs(html=False) if i[0].split("/")[0] in ("txt", "md", "crude")]
    for label, inputs in (
        ("corpus x4", corpus * 4),
        (f"generated {GENERATED}", list(generated_inputs())),
    ):
        mb = sum(len(t.encode("utf-8")) for _n, t, _s, _t in inputs) / 1e6
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            for _n, text, start, title in inputs:
                layout(text, start, title=title)
            best = min(best, time.process_time() - t0)
        print(f"{label}: {mb:.2f} MB, layout {best:.2f} CPU s (best of 3), {best / mb:.3f} s/MB")


def passes(n: int) -> None:
    """The layout over the corpus (txt, md, crude) n times, nothing measured or printed."""
    corpus = [i for i in file_inputs(html=False) if i[0].split("/")[0] in ("txt", "md", "crude")]
    for _ in range(n):
        for _n, text, start, title in corpus:
            layout(text, start, title=title)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="regenerate the stored fingerprints")
    ap.add_argument("--speed", action="store_true", help="print layout CPU s per MB")
    ap.add_argument("--passes", type=int, metavar="N", help="run the layout N times, silently")
    args = ap.parse_args()
    if args.passes is not None:
        passes(args.passes)
        return 0
    if args.speed:
        speed()
        return 0
    now = fingerprints()
    if args.write:
        STORED.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {len(now)} fingerprints to {STORED.relative_to(ROOT)}")
        return 0
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    differ = sorted(k for k in stored.keys() | now.keys() if stored.get(k) != now.get(k))
    for k in differ:
        print(f"differs: {k}")
    print(f"{len(now)} inputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
