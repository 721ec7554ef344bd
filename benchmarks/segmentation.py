"""Sentence splitting: accuracy and speed of annotator's splitter against installed peers.

Usage (from the project root):
    .venv/bin/python benchmarks/segmentation.py [--golden PATH] [--mb N] [--runs N]

- Golden Rules: the 48 English cases from pySBD's test suite, read from
  `../shared/golden_rules_en.json` next to the project (not copied into it). A case passes
  when the segmenter returns exactly the expected sentences (surrounding whitespace ignored).
- Speed: a deterministic, generated news-like corpus (about N MB, default 5) cut into
  paragraphs, each segmented separately as the importer does. MB/s is UTF-8 megabytes
  (10^6 bytes) per second, the median of several runs. Slow peers run on a leading slice of
  the corpus and their rate is reported as measured on that slice.
- Corpus agreement: the generator knows where its sentences end, so the share of paragraphs
  each segmenter splits exactly as generated is printed too. The templates were written
  alongside our splitter, so read that column as a sanity check, not as a fair contest.

Peers: pysbd and blingfire (dev extras), and NLTK's Punkt without trained parameters (the
trained model is a data download; we never download). Missing peers are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotator.ingest.sentences import split_sentences  # noqa: E402

DEFAULT_GOLDEN = ROOT.parent / "shared" / "golden_rules_en.json"

# --------------------------------------------------------------------------- corpus

_PEOPLE = [
    ("Sen.", "Elizabeth Warren", "D-Mass."),
    ("Rep.", "Mike Turner", "R-Ohio"),
    ("Gov.", "Gavin Newsom", "D-Calif."),
    ("Sen.", "Marco Rubio", "R-Fla."),
    ("Rep.", "Ro Khanna", "D-Calif."),
    ("Sen.", "Ted Cruz", "R-Texas"),
    ("Rep.", "Nancy Mace", "R-S.C."),
    ("Sen.", "Chuck Schumer", "D-N.Y."),
]
_OFFICIALS = [
    "Gen. Mark Milley",
    "Lt. Col. Sarah Greene",
    "Sgt. Maj. Robert Hale",
    "Dr. Anthony Fauci",
    "Mr. Peskov",
    "Mrs. Alvarez",
    "Ms. Okafor",
    "Col. James Reed",
    "Secretary Lloyd Austin",
    "John F. Kennedy Jr.",
    "J.K. Rowling",
    "Harold W. Smith Sr.",
    "Dmitry Peskov",
    "John Kirby",
    "Volodymyr Zelensky",
    "Kim Jong Un",
    "Valery Gerasimov",
]
_SPEAKERS = ["the spokesman", "the official", "the senator", "a White House aide", "the report"]
_ORGS = [
    "Acme Inc.",
    "Globex Corp.",
    "Initech Co.",
    "Umbrella Ltd.",
    "Stark Industries Inc.",
    "the U.S. Department of Defense",
    "the U.N. Security Council",
    "the U.K. Foreign Office",
    "the E.U. Commission",
    "NATO",
    "the Kremlin",
    "St. Mary's Hospital",
]
_PLACES = [
    "Sacramento, Calif.",
    "Tampa, Fla.",
    "Boston, Mass.",
    "Columbus, Ohio",
    "Washington, D.C.",
    "Kyiv",
    "Vladivostok",
    "Brussels",
    "St. Louis",
    "Mt. Vernon",
]
_MONTHS = ["Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.", "March", "May", "June"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_TOPICS = [
    "the aid package",
    "the troop deployment",
    "the budget deal",
    "the ceasefire talks",
    "the merger",
    "the investigation",
    "the new tariffs",
    "the election results",
]
_CLAUSES = [
    "the situation remained fluid",
    "more talks were needed",
    "the deal would go ahead",
    "nobody had been informed in advance",
    "the figures were preliminary",
    "the agency would respond in due course",
    "it was too early to draw conclusions",
]
_QUOTES = [
    "We will not stand by while this happens",
    "This is a very, very serious issue",
    "What, exactly, they are doing is left to be seen",
    "There is evidence of that",
    "It is certainly a highly concerning probability",
    "We are watching closely",
]
_STARTS = [
    "But",
    "However,",
    "Meanwhile,",
    "In June,",
    "Still,",
    "He said",
    "Officials said",
    "They believe",
]


def _num(rng: random.Random) -> str:
    return f"{rng.randint(1000, 250000):,}"


_BREAK = "\x1f"  # a sentence boundary inside one template, written as a space


def _end(s: str) -> str:
    """Close a sentence with a period, once: "... Acme Inc." stays as it is."""
    return s if s.endswith(".") else s + "."


def _sentence(rng: random.Random) -> str:
    """One sentence of fake news prose; the generator's sentence boundaries are the truth."""
    p = rng.choice(_PEOPLE)
    who = rng.choice(_OFFICIALS)
    org = rng.choice(_ORGS)
    topic = rng.choice(_TOPICS)
    clause = rng.choice(_CLAUSES)
    quote = rng.choice(_QUOTES)
    k = rng.randrange(20)
    if k == 0:
        return f"{p[0]} {p[1]} ({p[2]}) said {clause} and urged {org} to act on {topic}."
    if k == 1:
        return f"“{quote},” {who} said, adding that {clause}."
    if k == 2:
        return f"{who} dismissed reports about {topic} as “disinformation.”"
    if k == 3:
        d = rng.randint(1, 9)
        return (
            f"{org[0].upper() + org[1:]} reported revenue of ${d}.{rng.randint(1, 9)} "
            f"billion, up {rng.randint(1, 19)}.{rng.randint(0, 9)}% from a year earlier."
        )
    if k == 4:
        return _end(
            f"The vote on {topic} is set for {rng.choice(_MONTHS)} {rng.randint(1, 28)} at "
            f"{rng.randint(1, 11)} p.m. {rng.choice(_DAYS)} in {rng.choice(_PLACES)}"
        )
    if k == 5:
        return _end(f"Officials in the U.S. said {clause}, according to {org}")
    if k == 6:
        return f"{rng.choice(_STARTS)} {clause} in the U.S."
    if k == 7:
        return f"{who} said the troops were in Vladivostok and other sites ... and that {clause}."
    if k == 8:
        return _end(f"More than {_num(rng)} people attended the rally in {rng.choice(_PLACES)}")
    if k == 9:
        return f"The team ranked No. {rng.randint(1, 20)} in the poll, e.g. ahead of rivals."
    if k == 10:
        return f"“Is this the end of {topic}?” {who} asked."
    if k == 11:
        return f"“We will [...] respond to {topic},” {rng.choice(_SPEAKERS)} said."
    if k == 12:
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        return (
            f"The statement was posted at https://www.example.gov/news/2024/item-{a}.html "
            f"and shared via pic.twitter.com/Ab{b}x."
        )
    if k == 13:
        return f"The final count on {topic} was {_num(rng)}."
    if k == 14:
        day = rng.choice(_DAYS)
        return f"{rng.choice(_STARTS)} {clause}, {rng.choice(_SPEAKERS)} said on {day}."
    if k == 15:
        return f"Was it worth it?{_BREAK}{who} thinks so."
    if k == 16:
        return f"{who} met {p[0]} {p[1]} at 9 a.m. ET to discuss {topic} (vs. the old plan)."
    if k == 17:
        return f"The U.S. Government and {org} disagreed on {topic}."
    if k == 18:
        return f"Write to press@example.org or visit t.co/x{rng.randint(100, 999)} for updates."
    return f"{rng.choice(_STARTS)} {clause}, while {org} stayed silent on {topic}."


def make_corpus(
    megabytes: float, seed: int = 20240426
) -> tuple[str, list[tuple[int, int]], list[list[str]]]:
    """Paragraphs separated by blank lines: (text, paragraph spans, true sentences)."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    truth: list[list[str]] = []
    pos = size = 0
    while size < target:
        sents = [x for _ in range(rng.randint(1, 7)) for x in _sentence(rng).split(_BREAK)]
        # a line break inside a paragraph is whitespace, as in wrapped scraped text
        seps = ["\n" if rng.random() < 0.05 else " " for _ in sents[1:]]
        para = sents[0] + "".join(s + t for s, t in zip(seps, sents[1:], strict=True))
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(para)
        spans.append((pos, pos + len(para)))
        truth.append(sents)
        pos += len(para)
        size += len(para.encode()) + 2
    return "".join(parts), spans, truth


# --------------------------------------------------------------------------- segmenters

Segmenter = Callable[[str], list[str]]


@dataclass
class Peer:
    name: str
    segment: Segmenter  # whole-string segmenter, for the Golden Rules and the corpus
    bench: Callable[[str, list[tuple[int, int]]], None] | None = None  # corpus + paragraphs
    slice_mb: float | None = None  # run the speed test on this much of the corpus only
    note: str = ""


def _ours() -> Peer:
    def segment(text: str) -> list[str]:
        return [text[s:e] for s, e in split_sentences(text)]

    def bench(text: str, paras: list[tuple[int, int]]) -> None:
        for s, e in paras:
            split_sentences(text, s, e)

    return Peer("annotator", segment, bench)


def _peers() -> tuple[list[Peer], list[str]]:
    peers = [_ours()]
    notes: list[str] = []
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        peers.append(
            Peer("pysbd 0.3", lambda t: [s.strip() for s in seg.segment(t)], slice_mb=0.25)
        )
    except ImportError:
        notes.append("pysbd: not installed, skipped")
    try:
        import blingfire

        peers.append(Peer("blingfire", lambda t: blingfire.text_to_sentences(t).split("\n")))
    except ImportError:
        notes.append("blingfire: not installed, skipped")
    try:
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        punkt = PunktSentenceTokenizer()  # untrained: no abbreviation list from a model
        peers.append(
            Peer(
                "nltk punkt*",
                lambda t: punkt.tokenize(t),
                slice_mb=1.0,
                note="untrained Punkt (NLTK's trained model is a data download)",
            )
        )
    except ImportError:
        notes.append("nltk: not installed, skipped")
    for p in peers:
        if p.bench is None:
            p.bench = _paragraph_bench(p.segment)
    return peers, notes


def _paragraph_bench(segment: Segmenter) -> Callable[[str, list[tuple[int, int]]], None]:
    def bench(text: str, paras: list[tuple[int, int]]) -> None:
        for s, e in paras:
            segment(text[s:e])

    return bench


# --------------------------------------------------------------------------- measures


def golden(segment: Segmenter, cases: list[dict]) -> tuple[int, list[int]]:
    failed = []
    for case in cases:
        got = [s.strip() for s in segment(case["text"]) if s.strip()]
        if got != case["expected"]:
            failed.append(case["id"])
    return len(cases) - len(failed), failed


def agreement(
    segment: Segmenter, text: str, paras: list[tuple[int, int]], truth: list[list[str]], limit: int
) -> float:
    """Share of the first `limit` paragraphs split exactly as generated."""
    ok = 0
    n = min(limit, len(paras))
    for (s, e), want in zip(paras[:n], truth[:n], strict=True):
        got = [" ".join(x.split()) for x in segment(text[s:e]) if x.strip()]
        ok += got == [" ".join(x.split()) for x in want]
    return ok / n if n else 0.0


def speed(peer: Peer, text: str, paras: list[tuple[int, int]], runs: int) -> tuple[float, float]:
    """(MB/s median over runs, MB measured)."""
    assert peer.bench is not None
    if peer.slice_mb is not None:
        limit = int(peer.slice_mb * 1_000_000)
        sub, size = [], 0
        for s, e in paras:
            if size >= limit:
                break
            sub.append((s, e))
            size += len(text[s:e].encode())
        paras = sub
    mb = sum(len(text[s:e].encode()) for s, e in paras) / 1_000_000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        peer.bench(text, paras)
        times.append(time.perf_counter() - t0)
    return mb / statistics.median(times), mb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--golden",
        type=Path,
        default=DEFAULT_GOLDEN,
        help=f"Golden Rules JSON (default: {DEFAULT_GOLDEN})",
    )
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per segmenter (median)")
    ap.add_argument("--seed", type=int, default=20240426)
    ap.add_argument(
        "--smoke", action="store_true", help="0.05 MB, one run: it still works (make test)"
    )
    ap.add_argument(
        "--audit",
        action="store_true",
        help="only count the suspect body segments of the whole news corpus (--list: show them)",
    )
    ap.add_argument("--list", action="store_true", help="with --audit: print every suspect")
    ap.add_argument(
        "--draw",
        type=int,
        metavar="SEED",
        help="print a new sample of windows to judge (JSON, today's segments as the draft)",
    )
    args = ap.parse_args(argv)
    if args.audit:
        return audit(show=args.list)
    if args.draw is not None:
        print(json.dumps(draw(args.draw), ensure_ascii=False, indent=1))
        return 0
    if args.smoke:
        args.mb, args.runs = 0.05, 1

    cases: list[dict] | None = None
    if args.golden.is_file():
        cases = json.loads(args.golden.read_text(encoding="utf-8"))
    else:
        print(
            f"note: Golden Rules file not found at {args.golden}; pass --golden PATH. "
            "Skipping the accuracy column.",
            file=sys.stderr,
        )

    t0 = time.perf_counter()
    text, paras, truth = make_corpus(args.mb, args.seed)
    total_mb = len(text.encode()) / 1_000_000
    print(
        f"corpus: {total_mb:.2f} MB, {len(paras):,} paragraphs, "
        f"{sum(map(len, truth)):,} sentences, seed {args.seed} "
        f"(generated in {time.perf_counter() - t0:.1f} s)"
    )

    peers, notes = _peers()
    rows = []
    for peer in peers:
        runs = args.runs if peer.slice_mb is None else max(1, min(args.runs, 3))
        mbs, measured = speed(peer, text, paras, runs)
        g = golden(peer.segment, cases) if cases else None
        agree = agreement(peer.segment, text, paras, truth, 2000)
        rows.append((peer, g, mbs, measured, runs, agree))

    n = len(cases) if cases else 0
    cols = ("segmenter", "golden", "MB/s", "measured on", "corpus", "failed")
    head = "{:<14} {:>7}  {:>7}  {:>14}  {:>7}  {}".format(*cols)
    print(head)
    print("-" * len(head))
    for peer, g, mbs, measured, runs, agree in rows:
        gtxt = f"{g[0]}/{n}" if g else "n/a"
        fail = ", ".join(f"#{i}" for i in g[1]) if g else ""
        on = f"{measured:.2f} MB x{runs}"
        print(f"{peer.name:<14} {gtxt:>7}  {mbs:>7.2f}  {on:>14}  {agree:>7.1%}  {fail or '-'}")
    ours = rows[0][2]
    for peer, _g, mbs, *_ in rows[1:]:
        if peer.name.startswith("pysbd"):
            print(f"\nspeed ratio annotator/pysbd: {ours / mbs:.1f}x")
    print(
        "\ncorpus = paragraphs (first 2,000) split exactly as generated; the templates were "
        "written with our splitter in view."
    )
    if any(p.slice_mb for p, *_ in rows):
        print("slow peers are timed on a leading slice of the corpus (see 'measured on').")
    for p, *_ in rows:
        if p.note:
            print(f"{p.name}: {p.note}")
    for note in notes:
        print(note)
    news_corpus(peers, cases, smoke=args.smoke)
    return 0


NEWS = ROOT.parent / "shared" / "news_corpus"
JUDGED = Path(__file__).resolve().parent / "data" / "news_judged.json"


def news_corpus(peers: list[Peer], cases: list[dict] | None, *, smoke: bool = False) -> None:
    """Real pages (../shared/news_corpus): the whole importer's segmentation (cleaning,
    furniture, kinds) and the bare splitters, on judged samples and for speed. `smoke`: the
    slow peers (timed on a slice) are not judged: pysbd on the judged pages was 4-11 s of
    the smoke run, and no change of ours moves its figures."""
    if not NEWS.is_dir():
        print(f"\nnews corpus: {NEWS} not present, skipped")
        return
    import tempfile
    from collections import Counter

    from annotator.ingest.articles import read_articles
    from annotator.ingest.layout import layout

    if cases:
        # the Golden Rules through `annotator segment` (cleaning and kinds included)
        ok = 0
        with tempfile.TemporaryDirectory() as d:
            for c in cases:
                f = Path(d) / f"{c['id']}.txt"
                f.write_text(c["text"], encoding="utf-8")
                (art,) = read_articles(f, with_readability=False)
                ok += [x.text for x in art.sentences] == c["expected"]
        print(f"\nGolden Rules through the importer (annotator segment): {ok}/{len(cases)}")

    judged = json.loads(JUDGED.read_text(encoding="utf-8"))
    print("\njudged samples of the news corpus (benchmarks/data/news_judged.json):")
    print(f"{'segmenter':<14} {'sample':<8} {'spans right':>12} {'kinds right':>12}")
    for name, sample in judged["samples"].items():
        windows = sample["windows"]
        total = sum(len(w["segments"]) for w in windows)
        for peer in peers:
            if peer.name.startswith("nltk") or (smoke and peer.slice_mb is not None):
                continue
            spans = kinds = 0
            for w in windows:
                (art,) = read_articles(NEWS / w["file"], with_readability=False)
                if peer.name == "annotator":
                    got = Counter(x.text for x in art.sentences)
                    got_kind = {x.text: x.kind for x in art.sentences}
                else:
                    # the bare splitter on the importer's cleaned text, paragraph by paragraph
                    got = Counter(
                        t.strip()
                        for para in art.text.split("\n\n")
                        for t in peer.segment(para)
                        if t.strip()
                    )
                    got_kind = {}
                for kind, text in w["segments"]:
                    if got[text] > 0:
                        got[text] -= 1
                        spans += 1
                        kinds += got_kind.get(text) == kind
            ktxt = f"{kinds}/{total}" if peer.name == "annotator" else "-"
            print(f"{peer.name:<14} {name:<8} {f'{spans}/{total}':>12} {ktxt:>12}")
    if smoke:
        print("(smoke run: the peers timed on a slice are not judged)")

    files = [p for d in ("txt", "md", "crude") for p in sorted((NEWS / d).iterdir())]
    texts = [p.read_text(encoding="utf-8") for p in files]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    layout(texts[0])
    t = time.perf_counter()
    for text in texts:
        layout(text)
    dt = time.perf_counter() - t
    print(
        f"\nspeed on the news corpus ({len(files)} files, {mb:.2f} MB): annotator cleaning + "
        f"segmentation (layout) {mb / dt:.2f} MB/s"
    )
    for peer in peers[1:]:
        if peer.slice_mb is not None and peer.slice_mb < 0.5:
            continue  # pysbd would take minutes on the whole corpus
        t = time.perf_counter()
        for text in texts:
            for para in text.split("\n\n"):
                peer.segment(para)
        pdt = time.perf_counter() - t
        print(f"  {peer.name}: bare splitter on the raw text {mb / pdt:.2f} MB/s")


# What an annotator should not meet as a body sentence, found without our own classifier:
# a body segment without sentence punctuation at its end (a heading, caption, credit, menu
# entry or fragment shown as prose), one that speaks a page's furniture vocabulary, one too
# long to judge. The listing is read by hand; the counts say whether a change helped.
_UNPUNCTUATED = re.compile(r"[.!?…:;。！？][\"'”’)\]»」』）]*$")
_FURNITURE_WORDS = re.compile(
    r"\b(?:subscri\w+|newsletters?|sign (?:up|in)|log ?in|log ?out|comments?|commenting|"
    r"share|shares|follow us|read more|related|click here|cookies?|advertis\w*|copyright|"
    r"all rights reserved|email us|contact us|app|premium|menu|view all|show all)\b|©",
    re.IGNORECASE,
)


def draw(seed: int, per: tuple[int, int, int] = (4, 2, 2), size: int = 12) -> dict:
    """A sample to judge: `per` files from txt/, md/ and crude/ (drawn with
    random.Random(seed)), a window of `size` consecutive segments in each, today's segments
    as the draft that the judge corrects."""
    from annotator.ingest.articles import read_articles

    rng = random.Random(seed)
    windows = []
    for folder, n in zip(("txt", "md", "crude"), per, strict=True):
        for path in rng.sample(sorted((NEWS / folder).iterdir()), n):
            (art,) = read_articles(path, with_readability=False)
            start = rng.randrange(max(1, len(art.sentences) - size))
            segs = [[x.kind, x.text] for x in art.sentences[start : start + size]]
            windows.append({"file": f"{folder}/{path.name}", "segments": segs})
    return {"seed": seed, "windows": windows}


def audit(show: bool) -> int:
    """Suspect body segments over the whole news corpus, by folder and by class."""
    if not NEWS.is_dir():
        print(f"news corpus: {NEWS} not present")
        return 1
    from annotator.ingest.articles import read_articles
    from annotator.ingest.reading import InputError

    total: dict[str, int] = {}
    head = ("folder", "segments", "body", "unpunct.", "furn.words", ">600")
    print("{:<7} {:>8} {:>6} {:>8} {:>10} {:>5}".format(*head))
    for folder in ("txt", "md", "crude", "html"):
        counts = {"segments": 0, "body": 0, "unpunctuated": 0, "furniture words": 0, "long": 0}
        for path in sorted((NEWS / folder).iterdir()):
            try:
                arts = list(read_articles(path, with_readability=False))
            except InputError:
                continue  # the page without article text
            for art in arts:
                for seg in art.sentences:
                    counts["segments"] += 1
                    if seg.kind != "body":
                        continue
                    counts["body"] += 1
                    t = seg.text
                    found = []
                    if not _UNPUNCTUATED.search(t):
                        found.append("unpunctuated")
                    if len(t) <= 200 and _FURNITURE_WORDS.search(t):
                        found.append("furniture words")
                    if len(t) > 600:
                        found.append("long")
                    for f in found:
                        counts[f] += 1
                    if found and show:
                        print(f"  {folder}/{path.name} [{', '.join(found)}] {t[:160]!r}")
        print(
            f"{folder:<7} {counts['segments']:>8} {counts['body']:>6} "
            f"{counts['unpunctuated']:>8} {counts['furniture words']:>10} {counts['long']:>5}"
        )
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    print(
        f"{'all':<7} {total['segments']:>8} {total['body']:>6} {total['unpunctuated']:>8} "
        f"{total['furniture words']:>10} {total['long']:>5}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
