"""What the annotation-screen benchmarks share: the figures they print, the real app on a
pty (tests/ptyterm.py, the tests' harness), and one runner with its options:

    --quick    100,000 sentences / 300,000 events, fewer samples (~1 min)
    --smoke    5,000 / 15,000 and a handful of samples: checks the benchmark still runs
               (`make test` runs it); its figures mean nothing
    --rebuild  rebuild the cached database first
    --keep     keep the working copies

The database comes from benchmarks/bigdb.py (built once, cached in benchmarks/.data/). Each
run works on two fresh copies on the same disk, synced before use: `edits` is written to,
`path` is used as built, so the cache never changes. Child processes keep compiled bytecode
under benchmarks/.data/pycache, as an installed package would have it. Pilot.press is never
used (it sleeps about 63 ms a key). Every figure is printed as n (samples), median, p99 and
max in ms, with ok / MISS against the issue's targets.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from benchmarks import bigdb
from tests.ptyterm import PtyApp

ROOT = Path(__file__).resolve().parents[1]
FPS = int(os.environ.get("TEXTUAL_FPS", "60") or 60)
FRAME_MS = 1000 / FPS
COMMIT_P99_MS = 2.0
WHO = "alice"  # the long prefix: deep into the corpus
LABEL, KEY = "HEDGED", "h"
COLS, ROWS = 120, 40
PYCACHE = bigdb.DATA / "pycache"
SMOKE = (5_000, 15_000)

Mode = Literal["full", "quick", "smoke"]
Section = tuple[str, Callable[[], list[bool]]]


# --- figures ------------------------------------------------------------------------------


def pct(xs: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(xs)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def row(
    name: str,
    ms: list[float],
    target: float | None = None,
    note: str = "",
    unit: str = "ms",
    stat: str = "p99",
) -> bool:
    med, p99 = statistics.median(ms), pct(ms, 99)
    ok = True
    verdict = ""
    if target is not None:
        ok = (p99 if stat == "p99" else med) <= target
        verdict = f"{'ok  ' if ok else 'MISS'} {stat} <= {target:.3g} {unit}"
    print(
        f"  {name:58s} {len(ms):6d} {med:9.3f} {p99:9.3f} {max(ms):9.3f}  {verdict}"
        + (f"  {note}" if note else "")
    )
    return ok


def header(title: str, unit: str = "ms") -> None:
    print(f"\n{title}")
    print(f"  {'':58s} {'n':>6s} {'median':>9s} {'p99':>9s} {'max':>9s}  ({unit})")


# --- processes and the pty ----------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of the processes we start: this checkout first, and compiled bytecode
    kept (under benchmarks/.data/pycache) even if PYTHONDONTWRITEBYTECODE is set, as an
    installed package has it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for var in ("TEXTUAL", "ANNOTATOR_DB", "ANNOTATOR_USER", "ANNOTATOR_SYNC"):
        env.pop(var, None)
    return env


def terminal(argv: list[str]) -> PtyApp:
    """The command on a COLS x ROWS pty; the screen is fed later, chunk by chunk (`when`)."""
    # an empty PYTHONDONTWRITEBYTECODE is unset for Python: bytecode is kept, as installed
    env = {"PYTHONPYCACHEPREFIX": str(PYCACHE), "PYTHONDONTWRITEBYTECODE": ""}
    return PtyApp([], argv=argv, cols=COLS, rows=ROWS, env=env, live=False)


def left_pane(lines: list[str]) -> list[str]:
    """The sentence list: left of the side panel's border."""
    return [line.split("│")[0] for line in lines]


def on_screen(lines: list[str], *snippets: str) -> bool:
    """One of these sentence starts is in the sentence list (below header and progress)."""
    pane = left_pane(lines)[3:]
    return any(snip in line for line in pane for snip in snippets)


def snippet_of(text: str, width: int = 30) -> str:
    """The start of a sentence, short enough to be on its first screen line."""
    words = text.split()
    out = words[0]
    for w in words[1:]:
        if len(out) + 1 + len(w) > width:
            break
        out += " " + w
    return out


def cursor_text(path: Path, who: str) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT s.text FROM sentences s WHERE s.id = coalesce((SELECT cursor_sentence_id "
            "FROM annotators WHERE name = ?), (SELECT min(id) FROM sentences))",
            [who],
        ).fetchone()
        return str(row[0])
    finally:
        conn.close()


def annotate_argv(path: Path, who: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "--db", str(path), "annotate", "--annotator", who]


def give_required_fields(s: AnnotationSession) -> None:
    """Set what confirm requires of the current sentence (ATTRIBUTED's source type: confirm
    refuses it without one), so a benchmark's confirm always commits. Not timed."""
    state = s.current_state
    for sf in s.schema.sentence_fields:
        if sf.label in state.labels and state.field(sf.name) is None:
            key = sf.values[0].key
            assert key is not None, f"{sf.name}'s first value has no key"
            s.set_field_key(key)


def open_session(path: Path, who: str, sync: str | None = None) -> AnnotationSession:
    old = os.environ.pop("ANNOTATOR_SYNC", None)
    if sync:
        os.environ["ANNOTATOR_SYNC"] = sync
    try:
        store = open_store(path)
    finally:
        os.environ.pop("ANNOTATOR_SYNC", None)
        if old is not None:
            os.environ["ANNOTATOR_SYNC"] = old
    g, _ = use_guidelines(store)
    return AnnotationSession(store, g, who)


class Options:
    """What the command line asked for beyond the mode (set by `run`)."""

    suggestions = False


AROUND = 5_000
"""--suggestions: sentences from WHO's cursor whose suggestions are computed beforehand."""


def suggestions_on(path: Path) -> None:
    """Suggestions shown to everyone, computed beforehand as import does, for the sentences
    from WHO's cursor on (AROUND of them: the keys of a run confirm ~1,000; the whole corpus
    would take minutes at 1M sentences): the keys then pay whatever showing them costs."""
    from annotator.models.suggestions import CUES, IMPORTER
    from annotator.store import suggestions, team
    from annotator.store.database import now
    from annotator.suggest import importer
    from annotator.suggest.lexicon import load_cues

    t = time.perf_counter()
    lexicon = load_cues()
    with open_store(path) as store:
        team.set_setting(store, "suggestions", "on")
        cursor = int(
            store.scalar(
                "SELECT coalesce(cursor_sentence_id, 1) FROM annotators WHERE name = ?", [WHO]
            )
            or 1
        )
        # as if every sentence before the cursor's article had been covered at import
        first = int(
            store.scalar(
                "SELECT first_sentence_id FROM articles WHERE first_sentence_id <= ? "
                "ORDER BY first_sentence_id DESC LIMIT 1",
                [cursor],
            )
            or 1
        )
        with store.write() as conn:
            for source, version, config in (
                (IMPORTER, importer.VERSION, ""),
                (CUES, lexicon.version, lexicon.text),
            ):
                conn.execute(
                    "INSERT OR REPLACE INTO suggestion_sources (source, version, "
                    "through_sentence_id, config, updated_at) VALUES (?, ?, ?, ?, ?)",
                    [source, version, first - 1, config, now()],
                )
        made = suggestions.refresh(store, lexicon, until=cursor + AROUND)
    print(
        f"suggestions on: {made:,} computed for sentences {first:,}-{cursor + AROUND:,} "
        f"in {time.perf_counter() - t:.1f} s"
    )


# --- the runner ---------------------------------------------------------------------------


def run(
    doc: str, sections: Callable[[Mode, Path, Path, Path], list[Section]], *, pty: bool = False
) -> None:
    """Parse the options, make the working copies, run the sections (title, function
    returning which targets were met), print the summary. `sections(mode, edits, path, work)`:
    `edits` may be written to, `path` is left as built, `work` is a scratch folder."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="100,000 sentences / 300,000 events, fewer samples"
    )
    ap.add_argument(
        "--smoke", action="store_true", help="a tiny database and run: it still works (make test)"
    )
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    ap.add_argument("--keep", action="store_true", help="keep the working copies")
    ap.add_argument(
        "--suggestions",
        action="store_true",
        help="only keys with suggestions shown, while the model retrains in the background "
        "(issue 16; ~1-2 minutes)",
    )
    args = ap.parse_args()
    mode: Mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    if pty:
        sys.setswitchinterval(0.0005)  # the pty reader thread gets the GIL back quickly
    sentences, events = {"smoke": SMOKE, "quick": bigdb.QUICK, "full": bigdb.FULL}[mode]
    cached = bigdb.ensure(sentences, events, rebuild=args.rebuild)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=bigdb.DATA))
    try:
        t = time.perf_counter()
        edits = bigdb.working_copy(cached, work / "a")
        path = bigdb.working_copy(cached, work)
        print(
            f"working copies: {edits.relative_to(ROOT)} to edit, {path.relative_to(ROOT)} as "
            f"built ({path.stat().st_size / 1e6:,.0f} MB each, copied and synced in "
            f"{time.perf_counter() - t:.1f} s)"
        )
        Options.suggestions = args.suggestions
        if args.suggestions:
            suggestions_on(edits)
        print(
            f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, textual "
            f"{importlib.metadata.version('textual')}, {os.cpu_count()} CPUs, "
            f"TEXTUAL_FPS={FPS} (one frame = {FRAME_MS:.1f} ms), load average "
            f"{os.getloadavg()[0]:.2f}"
        )
        results: list[bool] = []
        for title, section in sections(mode, edits, path, work):
            t = time.perf_counter()
            if title.startswith("("):
                header(title)
            else:
                print(title)
            results += section()
            print(f"  [{time.perf_counter() - t:.0f} s]")
        missed = results.count(False)
        print(
            f"\n{len(results) - missed} of {len(results)} targets met"
            + (f", {missed} missed (MISS above)" if missed else "")
            + ("  (smoke run: the figures mean nothing)" if mode == "smoke" else "")
        )
    finally:
        if args.keep:
            print(f"kept {work.relative_to(ROOT)}")
        else:
            shutil.rmtree(work, ignore_errors=True)
