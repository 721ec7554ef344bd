"""A fingerprint of what the text stages answer, on every input we have.

    .venv/bin/python benchmarks/text_fingerprint.py           # check against the stored file
    .venv/bin/python benchmarks/text_fingerprint.py --write   # regenerate the stored file

The text stages are the sentence splitter (annotator/ingest/sentences.py), the readability
counts (readability.py) and language detection (language.py). Their speed-ups must not move
an answer, so the stored file (tests/data/text_fingerprint.json) holds one sha256 (shortened)
per input of what each stage answers on it, and tests/test_text_speed.py asserts that today's
code gives the stored hashes. Unlike benchmarks/layout_fingerprint.py (which holds the
splitter's spans inside the layout's segments), the stages are fed the raw text here, so a
deliberate change of the layout moves nothing in this file; a deliberate change of a stage
does: regenerate with `--write` and say so in the commit.

Per input: the splitter on the whole text, on each blank-line block, on each line and on the
text less its first 3 and last 2 characters (a block that starts inside a token); the
readability counts of its lines (counts_each, and counts one by one); the language of its
prefixes (30 to 3,000 characters), of the whole and of each blank-line block.

Inputs: ../shared/news_corpus (txt/, md/, crude/ as files on disk), the seeds, samples/, the
English Golden Rules, generated articles (benchmarks/corpus.py) and hostile strings: seeded
random strings over the characters the splitter decides on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.ingest import language, readability  # noqa: E402
from annotator.ingest.sentences import split_sentences  # noqa: E402
from benchmarks.corpus import articles  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "news_corpus"
STORED = ROOT / "tests" / "data" / "text_fingerprint.json"
GENERATED = 100
HOSTILE = 2000
CHUNK = 100  # hostile strings are hashed in chunks of this many
PREFIXES = (30, 60, 100, 150, 200, 300, 500, 1000, 1500, 3000)
_HOSTILE_ALPHABET = (
    ".!?…‽ \u00a0\n\t\x1e" + ")]}\"'”’»›" + "•◦-([“‘«aZ3é中。！？AbcMrU.S.Inc.a.m.p.m. 'sthe"
)


def answers(text: str) -> list[object]:
    """Everything the three stages answer on one text, as plain lists."""
    blocks = text.split("\n\n")
    lines = [line for line in text.split("\n") if line.strip()]
    return [
        split_sentences(text),
        [split_sentences(b) for b in blocks],
        [split_sentences(line) for line in lines],
        split_sentences(text, 3, -2),
        [[c.words, c.syllables, c.sentences] for c in readability.counts_each(lines)],
        [[c.words, c.syllables, c.sentences] for c in map(readability.counts, lines[:50])],
        [language.detect(text[:n], hint="hint") for n in PREFIXES if n < len(text)],
        language.detect(text),
        [language.detect(b) for b in blocks[:40]],
    ]


def digest(values: object) -> str:
    data = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def inputs() -> Iterator[tuple[str, list[str]]]:
    """(name, texts): files one text each, hostile strings in chunks."""
    paths: list[Path] = []
    if CORPUS.is_dir():
        for folder in ("txt", "md", "crude"):
            paths += sorted((CORPUS / folder).iterdir())
    if (SHARED / "seeds").is_dir():
        paths += sorted((SHARED / "seeds").iterdir())
    paths += sorted((ROOT / "samples").glob("*.txt"))
    for path in paths:
        yield path.relative_to(path.parent.parent).as_posix(), [path.read_text("utf-8")]
    rules = SHARED / "golden_rules_en.json"
    if rules.is_file():
        for rule in json.loads(rules.read_text(encoding="utf-8")):
            yield f"golden#{rule['id']}", [rule["text"]]
    for name, text in articles(GENERATED):
        yield f"generated#{name}", [text]
    rng = random.Random(29)
    hostile = [
        "".join(rng.choice(_HOSTILE_ALPHABET) for _ in range(rng.randint(0, 80)))
        for _ in range(HOSTILE)
    ]
    for i in range(0, HOSTILE, CHUNK):
        yield f"hostile#{i // CHUNK}", hostile[i : i + CHUNK]


def fingerprints() -> dict[str, str]:
    return {name: digest([answers(t) for t in texts]) for name, texts in inputs()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="regenerate the stored file")
    args = ap.parse_args()
    now = fingerprints()
    if args.write:
        STORED.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {len(now)} fingerprints to {STORED}")
        return
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    differ = sorted(k for k in stored.keys() | now.keys() if stored.get(k) != now.get(k))
    print(f"{len(now)} inputs, {len(differ)} differ from {STORED.name}: {differ[:20]}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
