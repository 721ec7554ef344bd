"""Key to screen through a real terminal, on a big database.

    .venv/bin/python benchmarks/screen.py            # 1,000,000 sentences, 3,000,000 events
    .venv/bin/python benchmarks/screen.py --quick    # 100,000 / 300,000, fewer samples
    .venv/bin/python benchmarks/screen.py --smoke    # a tiny run: it still works (make test)

(c) key to visible, target p99 within one frame (1000 / TEXTUAL_FPS ms: 16.7 at 60): the
    real `annotator annotate` in a 120x40 pseudo-terminal (tests/ptyterm.py, read with pyte).
    The label key h is written; the harness's reader thread timestamps every chunk of output
    and the chunks are replayed into pyte afterwards, so the change is dated by the chunk
    that made the HEDGED chip appear (or disappear) in the left pane, without the emulator's
    cost. Also: key to committed through the terminal (the event polled from another
    connection), and ] / [ (another article). Then the same label key through a launcher
    that timestamps inside the app: where the time goes (handler, commit, frame, garbage
    collections).

Options and working copies: benchmarks/common.py.
"""

from __future__ import annotations

import math
import random
import sqlite3
import statistics
import sys
import time
from bisect import bisect_left
from pathlib import Path

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.store import annotations as ann
from annotator.store.database import open_store
from benchmarks.common import (
    COLS,
    COMMIT_P99_MS,
    FPS,
    FRAME_MS,
    KEY,
    LABEL,
    ROWS,
    WHO,
    Mode,
    Section,
    annotate_argv,
    cursor_text,
    left_pane,
    on_screen,
    row,
    run,
    snippet_of,
    terminal,
)

# --- (c) key to visible -------------------------------------------------------------------


def where(path: Path, who: str) -> tuple[int, int]:
    """(index of the cursor sentence in its article, sentences in the article)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT s.position, a.sentence_count FROM annotators an JOIN sentences s ON s.id = "
            "an.cursor_sentence_id JOIN articles a ON a.id = s.article_id WHERE an.name = ?",
            [who],
        ).fetchone()
        return int(row[0]), int(row[1])
    finally:
        conn.close()


Sample = tuple[float, float | None, float, float]  # key written, committed, first byte, chip


def drive_keys(path: Path, argv: list[str], n: int, *, poll_commit: bool) -> list[Sample]:
    """Open the screen in a pty, then press the label key `n` times (on, off, on, ...)."""
    current = snippet_of(cursor_text(path, WHO), 60)
    index, count = where(path, WHO)
    term = terminal(argv)
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    samples: list[Sample] = []
    try:
        term.when(lambda lines: "Sentence " in "\n".join(lines), term.started)
        # the label counts are read by a worker after the first frame: wait for them
        term.when(lambda lines: "…" not in "\n".join(lines), term.started, quiet=0.3)
        shown = on_screen(term.lines(), current)
        if not shown:
            # the cursor sentence was not scrolled into view at startup before 90566fc:
            # j then k (k then j on the last sentence) scrolls to it and leaves it current
            for key in b"kj" if index + 1 >= count else b"jk":
                term.send(bytes([key]))
                time.sleep(0.2)
            term.when(lambda lines: on_screen(lines, current), term.started)
        term.settle(0.3)
        term.catch_up()
        print(
            f"  [{WHO}, sentence {index + 1}/{count} of its article; current sentence on "
            f"screen at startup: {'yes' if shown else 'NO, pressed j k first'}]"
        )

        def chips(lines: list[str]) -> int:
            return sum(line.count(LABEL) for line in left_pane(lines))

        def last_event() -> int:
            return int(reader.execute("SELECT max(id) FROM events").fetchone()[0])

        base = chips(term.lines())
        progress = [line for line in term.lines() if "Sentence " in line]
        rng = random.Random(3)
        for i in range(n):
            want = base + 1 if i % 2 == 0 else base
            term.settle(0.03)
            term.catch_up()
            time.sleep(rng.uniform(0, FRAME_MS / 1000))  # land anywhere in the frame cycle
            before = last_event() if poll_commit else 0
            t0 = term.send(KEY.encode())
            committed = None
            if poll_commit:
                while last_event() == before:  # committed: another connection sees it
                    time.sleep(0.0002)
                    assert time.perf_counter() - t0 < 5, "the key was never committed"
                committed = time.perf_counter()

            def marked(lines: list[str], want: int = want) -> bool:
                return chips(lines) == want

            t = term.when(marked, t0)
            first = next(c[0] for c in term.chunks if c[0] >= t0)
            samples.append((t0, committed, first, t))
            now = [line for line in term.lines() if "Sentence " in line]
            assert now == progress, (now, progress)  # the same sentence, nothing else moved
        if n % 2:
            term.send(KEY.encode())  # leave the sentence as it was
            term.settle(0.1)
    finally:
        term.stop()
        reader.close()
    return samples


def article_switch(path: Path, n: int) -> list[float]:
    """] and [ in turn: from the key to the other article's progress line on screen, which
    the screen updates after mounting the article's rows. The cursor is put back after."""
    conn = sqlite3.connect(path)
    aid, cursor = conn.execute(
        "SELECT id, cursor_sentence_id FROM annotators WHERE name = ?", [WHO]
    ).fetchone()
    rank = conn.execute(
        "SELECT count(*) FROM articles WHERE id <= (SELECT article_id FROM sentences WHERE id = ?)",
        [cursor],
    ).fetchone()[0]
    conn.close()
    term = terminal(annotate_argv(path, WHO))
    xs = []
    try:
        term.when(lambda lines: f"Article {rank}/" in "\n".join(lines), term.started)
        term.when(lambda lines: "…" not in "\n".join(lines), term.started, quiet=0.3)
        rng = random.Random(4)
        for i in range(n):
            key, target = (b"]", rank + 1) if i % 2 == 0 else (b"[", rank)
            term.settle(0.05)
            term.catch_up()
            time.sleep(rng.uniform(0, FRAME_MS / 1000))
            t0 = term.send(key)

            def arrived(lines: list[str], target: int = target) -> bool:
                return f"Article {target}/" in "\n".join(lines)

            t = term.when(arrived, t0, quiet=0.1)
            xs.append((t - t0) * 1000)
    finally:
        term.stop()
    store = open_store(path)  # where the benchmark found alice, for (d)
    ann.set_cursor(store, aid, cursor)
    store.close()
    return xs


LAUNCHER = """\
\"\"\"`annotator`, timestamping inside the app.

python launcher.py LOG ARGS...: LOG gets `what time` lines (time.perf_counter, which is
CLOCK_MONOTONIC, the benchmark's clock too).
\"\"\"
import gc
import sys
import time

from textual.screen import Screen

from annotator.cli import main
from annotator.session import AnnotationSession
from annotator.tui.screens.annotate import AnnotateScreen

log = open(sys.argv.pop(1), "a", buffering=1)


def stamp(what, t=None):
    log.write(f"{what} {time.perf_counter() if t is None else t:.7f}\\n")


action = AnnotateScreen.action_toggle_slot


async def action_toggle_slot(self, slot):
    stamp("handler")
    await action(self, slot)
    stamp("handled")


toggle = AnnotationSession.toggle


def timed_toggle(self, label):
    out = toggle(self, label)
    stamp("committed")
    return out


frame = Screen._on_timer_update


def timed_frame(self):
    t = time.perf_counter()
    frame(self)
    stamp("frame", t)
    stamp("framed")


def collected(phase, info):
    if info["generation"] == 2:
        stamp("gc2" + phase)


AnnotateScreen.action_toggle_slot = action_toggle_slot
AnnotationSession.toggle = timed_toggle
Screen._on_timer_update = timed_frame
gc.callbacks.append(collected)
sys.argv[0] = "annotator"
main()
"""


def launcher_argv(work: Path, log: Path, path: Path) -> list[str]:
    script = work / "launcher.py"
    script.write_text(LAUNCHER)
    return [
        sys.executable,
        str(script),
        str(log),
        "--db",
        str(path),
        "annotate",
        "--annotator",
        WHO,
    ]


def key_to_visible(path: Path, n: int, n_switch: int, work: Path) -> list[bool]:
    samples = drive_keys(path, annotate_argv(path, WHO), n, poll_commit=True)
    ok = row(
        "key written -> committed (seen by a 2nd connection)",
        [(c - t0) * 1000 for t0, c, _, _ in samples if c is not None],
        COMMIT_P99_MS,
        "polled every 0.2 ms",
    )
    row("key written -> first output byte", [(f - t0) * 1000 for t0, _, f, _ in samples])
    ok2 = row(
        f"key written -> {LABEL} chip shown / gone (left pane)",
        [(v - t0) * 1000 for t0, _, _, v in samples],
        FRAME_MS,
        f"one frame = 1000/{FPS}",
    )
    ok3 = row(
        "] / [ key -> the other article on screen",
        article_switch(path, n_switch),
        FRAME_MS,
        "wraps the article, one layout",
    )
    print("  where the time goes: the label key through a launcher that timestamps inside the app")
    breakdown(path, work, max(2, n // 2))
    return [ok, ok2, ok3]


def breakdown(path: Path, work: Path, n: int) -> None:
    log = work / "stamps.log"
    samples = drive_keys(path, launcher_argv(work, log, path), n, poll_commit=False)
    stamps: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        what, t = line.split()
        stamps.setdefault(what, []).append(float(t))

    def after(what: str, t: float) -> float:
        xs = stamps.get(what, [])
        i = bisect_left(xs, t)
        return xs[i] if i < len(xs) else math.inf

    parts: dict[str, list[float]] = {
        k: []
        for k in (
            "key written -> handler entry (tty, Textual input, dispatch)",
            "handler entry -> committed (session.toggle)",
            "committed -> handler end (re-render row, legend, progress)",
            "handler end -> frame starts (update timer)",
            "frame: layout + compositor (Screen._on_timer_update)",
            "frame end -> chip arrives (< 0: sent before it returned)",
            "key written -> chip visible",
        )
    }
    names = list(parts)
    gc_hit: list[float] = []
    gc_pauses = list(zip(stamps.get("gc2start", []), stamps.get("gc2stop", []), strict=False))
    for t0, _, _, visible_at in samples:
        h = after("handler", t0)
        c = after("committed", h)
        e = after("handled", c)
        i = bisect_left(stamps.get("frame", []), e)
        fs, fe = stamps["frame"][i], stamps["framed"][i]
        for name, dt in zip(
            names,
            (h - t0, c - h, e - c, fs - e, fe - fs, visible_at - fe, visible_at - t0),
            strict=True,
        ):
            parts[name].append(dt * 1000)
        pauses = [b - a for a, b in gc_pauses if t0 <= a <= visible_at]
        if pauses:
            gc_hit.append(sum(pauses) * 1000)
    for name in names:
        row(name, parts[name], FRAME_MS if name.startswith("key written -> chip") else None)
    print(
        f"  keys with a full (generation 2) garbage collection before the chip showed: "
        f"{len(gc_hit)} of {len(samples)}"
        + (f", pause median {statistics.median(gc_hit):.1f} ms" if gc_hit else "")
        + f"; gen-2 collections in the app: {len(gc_pauses)}, median "
        f"{statistics.median([(b - a) * 1000 for a, b in gc_pauses] or [0]):.1f} ms"
    )


def sections(mode: Mode, edits: Path, path: Path, work: Path) -> list[Section]:
    n_keys, n_switch = {"full": (300, 37), "quick": (30, 8), "smoke": (2, 2)}[mode]
    return [
        (
            f"(c) key to visible: `annotator annotate` in a {COLS}x{ROWS} pty, key {KEY} "
            "written -> chip drawn",
            lambda: key_to_visible(path, n_keys, n_switch, work),
        )
    ]


if __name__ == "__main__":
    run(__doc__ or "", sections, pty=True)
