"""Speed of the annotation screen on a big database: commit, next unconfirmed, screen, startup.

    .venv/bin/python benchmarks/annotate.py            # 1,000,000 sentences, 3,000,000 events
    .venv/bin/python benchmarks/annotate.py --quick    # 100,000 / 300,000, fewer samples (~1 min)
    .venv/bin/python benchmarks/annotate.py --rebuild  # rebuild the cached database first

The database comes from benchmarks/bigdb.py (built once, cached in benchmarks/.data/). Each
run works on two fresh copies on the same disk, synced before use: (a) edits one, (b)-(d) use
the other as built, so the cache never changes. Child processes keep compiled bytecode under
benchmarks/.data/pycache, as an installed package would have it. Pilot.press is never used
(it sleeps about 63 ms a key). Every figure is printed as n (samples), median, p99 and max in
ms, with ok / MISS against the issue's targets:

(a) key to committed, target p99 <= 2 ms: `AnnotationSession.toggle`, `.undo`, `.confirm`
    (Enter: confirms, moves on, opens the next article at the end of one), `.move` (j/k)
    for "alice" (one confirmed prefix, ~48% into the corpus) and `.next_unconfirmed` (g) for
    "carol" (20,000 ranges), called directly; each returns only after COMMIT, which a second
    connection checks. A bare write transaction shows the raw commit cost, with
    ANNOTATOR_SYNC unset (synchronous NORMAL) and FULL; samples during which SQLite
    checkpointed the WAL into the database are counted. Then, in a headless app, the screen's
    handler `AnnotateScreen.action_toggle_slot` awaited directly, with the commit inside it
    and the frame that follows (`Screen._on_timer_update`, run by the screen's update timer).
(b) next unconfirmed, target p99 < 1 ms: `annotator.store.ranges.next_unconfirmed` from
    random positions for each of the five annotators (one range ... 74,000 ranges), each
    answer checked against one computed from `annotations` alone; its EXPLAIN QUERY PLAN.
(c) key to visible, target p99 within one frame (1000 / TEXTUAL_FPS ms: 16.7 at 60): the
    real `annotator annotate` in a 120x40 pseudo-terminal read with pyte (as tests/ptyterm.py
    does). The label key h is written; a reader thread timestamps every chunk of output and
    the chunks are replayed into pyte afterwards, so the change is dated by the chunk that
    made the HEDGED chip appear (or disappear) in the left pane, without the emulator's cost.
    Also: key to committed through the terminal (the event polled from another connection),
    and ] / [ (another article). Then the same label key through a launcher that timestamps
    inside the app (handler, commit, frame, garbage collections), once as is and once with
    the fixes this benchmark's report proposes patched into that process ("what if").
(d) startup, target median <= 0.5 s: process start to the first sentence of the article on
    the pty screen, for `annotator annotate` on the big database and on the two sample
    articles, for a bare Textual app (one Static) started the same way, and "what if" with
    the proposed startup fixes; the ratio ours / bare; whether the current sentence is on
    screen; then where the time goes (imports, `AnnotationSession()` and its queries).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import importlib.metadata
import math
import os
import platform
import pty
import random
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyte

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.session import AnnotationSession
from annotator.store import annotations as ann
from annotator.store import ranges
from annotator.store.database import Store, open_store
from annotator.store.progress import label_counts
from annotator.store.schemas import use_guidelines
from benchmarks import bigdb

ROOT = Path(__file__).resolve().parents[1]
FPS = int(os.environ.get("TEXTUAL_FPS", "60") or 60)
FRAME_MS = 1000 / FPS
COMMIT_P99_MS = 2.0
NEXT_P99_MS = 1.0
STARTUP_MEDIAN_S = 0.5
WHO = "alice"  # the long prefix: deep into the corpus
LABEL, KEY = "HEDGED", "h"
COLS, ROWS = 120, 40
PYCACHE = bigdb.DATA / "pycache"
NEXT_QUERY = (
    "SELECT hi FROM confirmed_ranges WHERE annotator_id = ? AND lo <= ? "
    "ORDER BY lo DESC LIMIT 1"
)  # annotator.store.ranges.next_unconfirmed
BARE_APP = """\
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("The first sentence of a bare Textual app.")


Bare().run()
"""
BARE_TEXT = "The first sentence of a bare Textual app."


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


# --- (a) key to committed -----------------------------------------------------------------


class Committed:
    """Times calls that must return only after COMMIT, and checks they did."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.path
        self.reader = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        self.checkpoints = 0
        self.checkpoint_ms: list[float] = []

    def last_event(self) -> int:
        return int(self.reader.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    def time(self, call: Callable[[], Any], *, writes_event: bool = True) -> float:
        before_event = self.last_event() if writes_event else 0
        mtime = os.stat(self.path).st_mtime_ns  # in WAL mode only a checkpoint writes it
        t = time.perf_counter()
        call()
        dt = (time.perf_counter() - t) * 1000
        assert not self.store.conn.in_transaction
        if writes_event:  # another connection sees the change: it was committed
            assert self.last_event() > before_event
        if os.stat(self.path).st_mtime_ns != mtime:
            self.checkpoints += 1
            self.checkpoint_ms.append(dt)
        return dt

    def note(self) -> str:
        """How many samples checkpointed the WAL into the database (and their cost)."""
        n, ms = self.checkpoints, self.checkpoint_ms
        self.checkpoints, self.checkpoint_ms = 0, []
        if not n:
            return "no checkpoint"
        return f"{n} checkpoint{'s' if n > 1 else ''} (median {statistics.median(ms):.1f} ms)"

    def close(self) -> None:
        self.reader.close()


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


def commit_costs(path: Path, n: int, sync: str | None) -> list[bool]:
    s = open_session(path, WHO, sync)
    sync_now = s.store.scalar("PRAGMA synchronous")
    where = (
        f"sentence {s.current.id:,} of {s.last_id:,}, article {s.article_rank:,}/"
        f"{s.article_total:,}, {s.confirmed_total:,} confirmed"
    )
    print(
        f"  [{WHO} at {where}; PRAGMA synchronous = {sync_now} "
        f"({'FULL' if sync == 'FULL' else 'NORMAL'})]"
    )
    c = Committed(s.store)
    rng = random.Random(5)
    results = []
    labels = [lab.name for lab in s.schema.labels if not lab.exclusive]

    home = s.current.id

    def bare_write(cursor: int) -> None:
        # a value that changes: SQLite writes nothing for an UPDATE to the same bytes
        with s.store.write() as conn:
            conn.execute(
                "UPDATE annotators SET cursor_sentence_id = ? WHERE id = ?",
                [cursor, s.annotator_id],
            )

    xs = [
        c.time(lambda i=i: bare_write(home + (i + 1) % 2), writes_event=False) for i in range(n)
    ]  # ends where it started (n is even)
    results.append(row("bare write transaction (1-row UPDATE)", xs, note=c.note()))
    # a label key: on, off, on, ... on the current (unconfirmed) sentence
    xs = [c.time(lambda: s.toggle(LABEL)) for _ in range(n)]
    results.append(row(f"toggle {LABEL} (on/off)", xs, COMMIT_P99_MS, c.note()))
    if sync == "FULL":
        s.store.close()
        c.close()
        return results
    # undo: a label (not timed), then the undo key
    xs = []
    for _ in range(n):
        s.toggle(rng.choice(labels))
        xs.append(c.time(s.undo))
    results.append(row("undo (of a toggle)", xs, COMMIT_P99_MS, c.note()))
    # confirm: a label (not timed), then Enter, which confirms and moves on (to the next
    # article at the end of one: those samples include loading it)
    xs, crossings = [], []
    for _ in range(max(1, n // 2)):
        s.toggle(rng.choice(labels))
        article = s.article.id
        xs.append(c.time(s.confirm))
        if s.article.id != article:
            crossings.append(xs[-1])
    note = c.note() + (
        f"; {len(crossings)} opened the next article (those: median "
        f"{statistics.median(crossings):.2f} ms)"
        if crossings
        else ""
    )
    results.append(row("confirm (Enter, moves on)", xs, COMMIT_P99_MS, note))
    # move: j / k, which saves the cursor
    if s.index + 1 >= len(s.sentences):
        s.move(-1)
    xs = [c.time(lambda i=i: s.move(1 if i % 2 == 0 else -1), writes_event=False) for i in range(n)]
    results.append(row("move (j/k, saves the cursor)", xs, COMMIT_P99_MS, c.note()))
    s.store.close()
    c.close()
    # g for someone who jumps around: next unconfirmed, cursor saved, article loaded if needed
    carol = open_session(path, "carol")
    c = Committed(carol.store)
    moved = 0
    xs = []
    for _ in range(n):
        article = carol.article.id
        xs.append(c.time(carol.next_unconfirmed, writes_event=False))
        moved += carol.article.id != article
    results.append(
        row(
            "g: next unconfirmed (carol, session)",
            xs,
            COMMIT_P99_MS,
            f"{c.note()}; {moved} opened another article",
        )
    )
    carol.store.close()
    c.close()
    return results


def handler_costs(path: Path, n: int) -> list[bool]:
    """The screen's handler and the frame after it, in a headless app (no Pilot.press).

    `AnnotateScreen.action_toggle_slot` is awaited directly. The session's `toggle` is
    wrapped to note when it returned (committed), and the screen's frame callback
    (`Screen._on_timer_update`, run by its update timer, at most TEXTUAL_FPS times a second)
    to note when the frame after the key started and ended (layout and compositor; the
    headless driver writes nothing to a terminal).
    """
    from textual.screen import Screen

    from annotator.tui.app import create_app
    from annotator.tui.screens.annotate import AnnotateScreen

    s = open_session(path, WHO)
    committed_at: list[float] = []
    toggle = s.toggle

    def timed_toggle(label: str) -> Any:
        out = toggle(label)
        committed_at.append(time.perf_counter())
        return out

    s.toggle = timed_toggle  # type: ignore[method-assign]
    frames: list[tuple[float, float]] = []
    frame = Screen._on_timer_update

    def timed_frame(screen: Screen[Any]) -> None:
        t = time.perf_counter()
        frame(screen)
        frames.append((t, time.perf_counter()))

    assert "_on_timer_update" not in AnnotateScreen.__dict__
    AnnotateScreen._on_timer_update = timed_frame  # type: ignore[method-assign]
    app = create_app(s)
    slot = [lab.name for lab in s.schema.labels].index(LABEL)
    commit, handler, wait, render, total = [], [], [], [], []
    rng = random.Random(7)

    async def run() -> None:
        async with app.run_test(size=(COLS, ROWS)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()  # the label counts
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AnnotateScreen)
            for _ in range(n):
                await asyncio.sleep(rng.uniform(0.01, 0.03))  # idle between keys
                t0 = time.perf_counter()
                await screen.action_toggle_slot(slot)
                t1 = time.perf_counter()
                while not frames or frames[-1][0] < t1:
                    await asyncio.sleep(0.0005)
                    assert time.perf_counter() - t1 < 2, "no frame after the key"
                start, end = next(f for f in frames if f[0] >= t1)
                commit.append((committed_at[-1] - t0) * 1000)
                handler.append((t1 - t0) * 1000)
                wait.append((start - t1) * 1000)
                render.append((end - start) * 1000)
                total.append((end - t0) * 1000)

    try:
        asyncio.run(run())
    finally:
        del AnnotateScreen._on_timer_update
        s.store.close()
    ok = row("handler entry -> committed", commit, COMMIT_P99_MS, "session.toggle inside it")
    row(
        f"handler: action_toggle_slot ({KEY}), whole",
        handler,
        None,
        "commit + re-rendering the row, legend, progress",
    )
    row("handler end -> frame starts", wait, None, "the update timer")
    row("frame: layout + compositor", render, None, "Screen._on_timer_update")
    row("handler entry -> frame done", total, FRAME_MS, "headless: no terminal write")
    return [ok]


# --- (b) next unconfirmed -----------------------------------------------------------------


def next_unconfirmed_costs(path: Path, n: int) -> list[bool]:
    store = open_store(path)
    first, last = (
        int(store.scalar("SELECT min(id) FROM sentences") or 0),
        int(store.scalar("SELECT max(id) FROM sentences") or 0),
    )
    results = []
    rng = random.Random(11)
    for aid, name, confirmed in store.all("SELECT id, name, confirmed FROM annotators ORDER BY id"):
        nranges = store.scalar(
            "SELECT count(*) FROM confirmed_ranges WHERE annotator_id = ?", [aid]
        )
        # the answer from `annotations` alone: its own runs of confirmed ids
        runs: list[list[int]] = []
        for (sid,) in store.all(
            "SELECT sentence_id FROM annotations WHERE annotator_id = ? "
            "AND confirmed = 1 ORDER BY sentence_id",
            [aid],
        ):
            if runs and runs[-1][1] == sid - 1:
                runs[-1][1] = sid
            else:
                runs.append([sid, sid])
        los = [r[0] for r in runs]

        def expected(after: int, runs: list[list[int]] = runs, los: list[int] = los) -> int:
            cand = after + 1 if first <= after + 1 <= last else first
            i = bisect_right(los, cand) - 1
            if i >= 0 and runs[i][1] >= cand:
                cand = runs[i][1] + 1
            if cand > last:
                cand = first
                if runs and runs[0][0] == first:
                    cand = runs[0][1] + 1
            return cand

        # half uniform, half just after this annotator's confirmed runs (the walk-on case)
        afters = [rng.randint(first - 1, last) for _ in range(n // 2)]
        afters += [
            rng.choice(runs)[1]
            if runs and rng.random() < 0.5
            else rng.choice(runs)[0] - 1
            if runs
            else first
            for _ in range(n - n // 2)
        ]
        xs, wrong = [], 0
        for after in afters:
            t = time.perf_counter()
            got = ranges.next_unconfirmed(store, aid, after, first, last)
            xs.append((time.perf_counter() - t) * 1000)
            wrong += got != expected(after)
        results.append(
            row(
                f"{name}: {confirmed:,} confirmed in {nranges:,} ranges",
                xs,
                NEXT_P99_MS,
                f"{wrong} wrong answers" if wrong else "all correct",
            )
        )
    plan = store.all("EXPLAIN QUERY PLAN " + NEXT_QUERY, [1, 1000])
    print(f"  query: {NEXT_QUERY}")
    for p in plan:
        print(f"  plan:  {p[3]}")
    store.close()
    return results


def child_env() -> dict[str, str]:
    """The environment of the processes we start: this checkout first, and compiled bytecode
    kept (under benchmarks/.data/pycache) even if PYTHONDONTWRITEBYTECODE is set, as an
    installed package has it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# --- a real terminal ----------------------------------------------------------------------


class Terminal:
    """A process on a pty. A reader thread only reads and timestamps; the bytes are fed to a
    pyte screen later, chunk by chunk, so a change is dated by the chunk that made it."""

    def __init__(self, argv: list[str], *, cwd: Path = ROOT) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.chunks: list[tuple[float, bytes]] = []
        self.fed = 0
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = {**child_env(), "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)}
        for var in ("TEXTUAL", "ANNOTATOR_DB", "ANNOTATOR_USER", "ANNOTATOR_SYNC"):
            env.pop(var, None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.chunks.append((time.perf_counter(), data))

    def send(self, data: bytes) -> float:
        t = time.perf_counter()
        os.write(self.master, data)
        return t

    def text(self) -> list[str]:
        return list(self.screen.display)

    def catch_up(self) -> None:
        """Feed everything received so far."""
        while self.fed < len(self.chunks):
            self.stream.feed(self.chunks[self.fed][1])
            self.fed += 1

    def settle(self, quiet: float, timeout: float = 10.0) -> None:
        """Wait until nothing has arrived for `quiet` seconds."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout and self.proc.poll() is None:
            last = max(start, self.chunks[-1][0] if self.chunks else 0.0)
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(0.002)

    def when(
        self,
        check: Callable[[list[str]], bool],
        since: float,
        *,
        quiet: float = 0.05,
        timeout: float = 30.0,
    ) -> float:
        """Arrival time of the first chunk after `since` after which the screen passes.

        The bytes are fed to pyte only when the output pauses, so that the reader thread
        is not competing with the emulator while it timestamps."""
        deadline = time.perf_counter() + timeout
        while True:
            self.settle(quiet, max(0.0, deadline - time.perf_counter()))
            while self.fed < len(self.chunks):
                t, data = self.chunks[self.fed]
                self.stream.feed(data)
                self.fed += 1
                if t >= since and check(self.text()):
                    return t
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                shown = "\n".join(self.text())
                raise RuntimeError(f"the screen never passed the check; it shows:\n{shown}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                os.write(self.master, b"\x11")  # ctrl+q
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        with contextlib.suppress(OSError):
            os.close(self.master)


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
    term = Terminal(argv)
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    samples: list[Sample] = []
    try:
        term.when(lambda lines: "Sentence " in "\n".join(lines), term.started)
        # the label counts are read by a worker after the first frame: wait for them
        term.when(lambda lines: "…" not in "\n".join(lines), term.started, quiet=0.3)
        shown = on_screen(term.text(), current)
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

        base = chips(term.text())
        progress = [line for line in term.text() if "Sentence " in line]
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
            t = term.when(lambda lines, want=want: chips(lines) == want, t0)
            first = next(c[0] for c in term.chunks if c[0] >= t0)
            samples.append((t0, committed, first, t))
            now = [line for line in term.text() if "Sentence " in line]
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
    term = Terminal(annotate_argv(path, WHO))
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
            t = term.when(
                lambda lines, target=target: f"Article {target}/" in "\n".join(lines), t0, quiet=0.1
            )
            xs.append((t - t0) * 1000)
    finally:
        term.stop()
    store = open_store(path)  # where the benchmark found alice, for (d)
    ann.set_cursor(store, aid, cursor)
    store.close()
    return xs


LAUNCHER = """\
\"\"\"`annotator`, optionally timestamping inside the app and with proposed fixes applied.

python launcher.py LOG|- ARGS...: LOG gets `what time` lines (time.perf_counter, which is
CLOCK_MONOTONIC, the benchmark's clock too). ANNOTATOR_BENCH_FIXES=gc,bindings,... patches
this process only, to measure the fixes the benchmark report proposes.
\"\"\"
import gc
import os
import sys
import time

FIXES = set(filter(None, os.environ.get("ANNOTATOR_BENCH_FIXES", "").split(",")))
if "pandas" in FIXES:  # sqlite_utils imports pandas when it is installed; we never use it
    sys.modules["pandas"] = None

from textual.screen import Screen  # noqa: E402
from textual.widgets import Static  # noqa: E402

from annotator.cli import main  # noqa: E402
from annotator.session import AnnotationSession  # noqa: E402
from annotator.store import articles  # noqa: E402
from annotator.store.database import Store  # noqa: E402
from annotator.tui.app import AnnotatorApp  # noqa: E402
from annotator.tui.keymap import field_slot_values  # noqa: E402
from annotator.tui.screens.annotate import AnnotateScreen  # noqa: E402
from annotator.tui.widgets import header, legend  # noqa: E402

path = sys.argv.pop(1)
log = open(path, "a", buffering=1) if path != "-" else None


def stamp(what, t=None):
    log.write(f"{what} {time.perf_counter() if t is None else t:.7f}\\n")


if log:
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

if "queries" in FIXES:  # O(log n) instead of scans of articles and sentences
    one = Store.one

    def fast_one(self, sql, params=()):
        if sql == "SELECT min(id), max(id) FROM sentences":
            sql = "SELECT (SELECT min(id) FROM sentences), (SELECT max(id) FROM sentences)"
        return one(self, sql, params)

    Store.one = fast_one
    articles.sentence_count = lambda store: int(store.scalar(
        "SELECT coalesce((SELECT max(id) FROM sentences) - (SELECT min(id) FROM sentences)"
        " + 1, 0)") or 0)
    articles.article_rank = lambda store, article_id: int(store.scalar(
        "SELECT ? - (SELECT min(id) FROM articles) + 1", [article_id]) or 0)

if "gc" in FIXES:  # startup objects out of the collector's way once the screen is up
    loaded = AnnotateScreen._counts_loaded

    def counts_loaded(self, counts, as_of):
        loaded(self, counts, as_of)
        gc.freeze()

    AnnotateScreen._counts_loaded = counts_loaded

if "bindings" in FIXES:  # label keys bound on the screen: no keymap to apply on every key
    def on_mount(self):
        screen = AnnotateScreen(self.session)
        for i, lab in enumerate(self.session.schema.labels):
            screen._bindings.bind(lab.key, f"toggle_slot({i})", show=False)
        for i, key in enumerate(field_slot_values(self.session.schema)):
            screen._bindings.bind(key, f"field_slot({i})", show=False)
        self.push_screen(screen)

    AnnotatorApp.on_mount = on_mount

if "layout" in FIXES:  # widgets whose size a key cannot change: repaint, no layout
    def update(self, content="", *, layout=True):
        Static.update(self, content, layout=False)

    for cls in (legend.Legend, legend.ArticleFields, legend.LegendLine, header.ProgressLine):
        cls.update = update

sys.argv[0] = "annotator"
main()
"""


def launcher_argv(work: Path, log: Path | None, path: Path) -> list[str]:
    script = work / "launcher.py"
    script.write_text(LAUNCHER)
    return [
        sys.executable,
        str(script),
        str(log) if log else "-",
        "--db",
        str(path),
        "annotate",
        "--annotator",
        WHO,
    ]


def key_to_visible(path: Path, n: int, work: Path) -> list[bool]:
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
        article_switch(path, max(8, n // 8)),
        FRAME_MS,
        "wraps the article, one layout",
    )
    print("  where the time goes: the label key through a launcher that timestamps inside the app")
    breakdown(path, work, max(15, n // 2), "")
    print(
        f"  what if: the same with the proposed fixes ({WHAT_IF_KEYS}) patched in by the launcher"
    )
    breakdown(path, work, max(15, n // 2), WHAT_IF_KEYS)
    return [ok, ok2, ok3]


WHAT_IF_KEYS = "gc,bindings,layout"
WHAT_IF_START = "pandas,queries"


def breakdown(path: Path, work: Path, n: int, fixes: str) -> None:
    log = work / f"stamps-{fixes or 'none'}.log"
    os.environ["ANNOTATOR_BENCH_FIXES"] = fixes
    try:
        samples = drive_keys(path, launcher_argv(work, log, path), n, poll_commit=False)
    finally:
        os.environ.pop("ANNOTATOR_BENCH_FIXES", None)
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


# --- (d) startup --------------------------------------------------------------------------


def opening(path: Path, who: str) -> tuple[list[str], str]:
    """Starts of the sentences of the article the screen opens on, and of the current one."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        texts = [
            str(r[0])
            for r in conn.execute(
                "SELECT text FROM sentences WHERE article_id = (SELECT article_id FROM sentences "
                "WHERE id = coalesce((SELECT cursor_sentence_id FROM annotators WHERE name = ?), "
                "(SELECT min(id) FROM sentences))) ORDER BY position",
                [who],
            )
        ]
    finally:
        conn.close()
    return [snippet_of(t) for t in texts], snippet_of(cursor_text(path, who), 60)


def startup_once(
    argv: list[str], first: Callable[[list[str]], bool], current: Callable[[list[str]], bool] | None
) -> tuple[float, bool | None]:
    """Seconds from process start to the first sentence on screen, and whether the current
    sentence is on screen once the output has settled."""
    term = Terminal(argv)
    try:
        t = term.when(first, term.started, quiet=0.1)
        shown = None
        if current is not None:
            term.settle(0.5)
            term.catch_up()
            shown = current(term.text())
    finally:
        term.stop()
    return t - term.started, shown


def import_seconds(code: str, runs: int) -> float:
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=child_env())
        xs.append(time.perf_counter() - t)
    return statistics.median(xs)


HEAVY = (
    "pandas",
    "numpy",
    "pyarrow",
    "pydantic",
    "sqlite_utils",
    "textual.app",
    "click",
    "markdown_it",
    "rich.console",
    "textstat",
)


def heavy_imports(code: str) -> list[tuple[str, float]]:
    """Top-level imports of the command and the known heavy libraries, by cumulative time."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    ).stderr
    out = []
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        depth = (len(parts[2]) - len(parts[2].lstrip()) - 1) // 2
        name = parts[2].strip()
        if (depth <= 1 and name.startswith("annotator")) or name in HEAVY:
            out.append((name, int(parts[1]) / 1000))
    return sorted(out, key=lambda x: -x[1])[:14]


def startup(big: Path, runs: int, work: Path) -> list[bool]:
    imports = max(3, runs - 2)
    small = work / "samples.sqlite"
    subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(small), "import", str(ROOT / "samples")],
        check=True,
        cwd=ROOT,
        capture_output=True,
        env=child_env(),
    )
    bare = work / "bare_app.py"
    bare.write_text(BARE_APP)
    cases = []
    for name, db in (
        ("annotator annotate, big database", big),
        ("annotator annotate, 2 sample articles", small),
    ):
        snippets, current = opening(db, WHO)
        cases.append(
            (
                name,
                annotate_argv(db, WHO),
                lambda lines, snippets=snippets: on_screen(lines, *snippets),
                lambda lines, current=current: on_screen(lines, current),
            )
        )
    cases.append(
        (
            "bare Textual app (one Static)",
            [sys.executable, str(bare)],
            lambda lines: any(BARE_TEXT in line for line in lines),
            None,
        )
    )
    snippets, current = opening(big, WHO)
    cases.append(
        (
            f"what if: big database, fixes {WHAT_IF_START}",
            launcher_argv(work, None, big),
            lambda lines, snippets=snippets: on_screen(lines, *snippets),
            lambda lines, current=current: on_screen(lines, current),
        )
    )
    times: dict[str, list[float]] = {c[0]: [] for c in cases}
    current_shown: dict[str, int] = {c[0]: 0 for c in cases}
    os.environ["ANNOTATOR_BENCH_FIXES"] = WHAT_IF_START  # only the launcher reads it
    try:
        for _name, argv, first, current in cases:  # a first run, not counted: bytecode
            startup_once(argv, first, current)
        for _ in range(runs):
            for name, argv, first, current in cases:
                seconds, shown = startup_once(argv, first, current)
                times[name].append(seconds * 1000)
                current_shown[name] += bool(shown)
    finally:
        os.environ.pop("ANNOTATOR_BENCH_FIXES", None)
    results = []
    for name, _, _, current in cases:
        target = None if current is None or name.startswith("what if") else STARTUP_MEDIAN_S * 1000
        note = (
            ""
            if current is None
            else (f"current sentence on screen after it settled: {current_shown[name]}/{runs} runs")
        )
        ok = row(name, times[name], target, note, stat="median")
        if target is not None:
            results.append(ok)
    bare_median = statistics.median(times[cases[2][0]])
    for name, _, _, _ in cases[:2]:
        print(
            f"  ratio ours / bare, {name.split(', ')[1]}: "
            f"{statistics.median(times[name]) / bare_median:.2f}x"
        )

    print(f"\n  where the time goes (median of {imports} fresh interpreters, wall time):")
    import_seconds("import annotator.cli, annotator.tui.app", 1)  # bytecode
    for what, code in (
        ("python -c pass", "pass"),
        ("import textual.app", "import textual.app"),
        (
            "import annotator.cli, annotator.tui.app (what the command loads)",
            "import annotator.cli, annotator.tui.app",
        ),
        (
            "  the same with pandas hidden (sqlite_utils imports it when installed)",
            "import sys; sys.modules['pandas'] = None; import annotator.cli, annotator.tui.app",
        ),
    ):
        print(f"  {import_seconds(code, imports) * 1000:8.0f} ms  {what}")
    print("  python -X importtime -c 'import annotator.cli, annotator.tui.app', cumulative:")
    for name, ms in heavy_imports("import annotator.cli, annotator.tui.app"):
        print(f"  {ms:8.0f} ms    {name}")
    store = open_store(big)
    g, _ = use_guidelines(store)
    xs = []
    for _ in range(5):
        t = time.perf_counter()
        AnnotationSession(store, g, WHO)
        xs.append((time.perf_counter() - t) * 1000)
    print(
        f"  {statistics.median(xs):8.0f} ms  AnnotationSession(...) on the big database, "
        "in process; its slowest queries:"
    )
    for sql in (
        "SELECT coalesce(sum(sentence_count), 0) FROM articles",
        "SELECT min(id), max(id) FROM sentences",
        "SELECT count(*) FROM articles WHERE id <= (SELECT max(id) / 2 FROM articles)",
        "SELECT (SELECT min(id) FROM sentences), (SELECT max(id) FROM sentences)",
    ):
        ts = []
        for _ in range(5):
            t = time.perf_counter()
            store.all(sql)
            ts.append((time.perf_counter() - t) * 1000)
        plan = "; ".join(p[3] for p in store.all("EXPLAIN QUERY PLAN " + sql))
        print(f"  {statistics.median(ts):8.2f} ms  {sql}\n{'':14s}plan: {plan}")
    aid = ann.annotator_id(store, WHO, create=False)
    t = time.perf_counter()
    label_counts(store, int(aid or 0))
    print(
        f"  {(time.perf_counter() - t) * 1000:8.0f} ms  label_counts(): the worker the screen "
        "starts after the first frame (off the event loop)"
    )
    store.close()
    return results


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="100,000 sentences / 300,000 events and fewer samples"
    )
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    ap.add_argument("--keep", action="store_true", help="keep the working copy")
    args = ap.parse_args()
    sys.setswitchinterval(0.0005)  # the pty reader thread gets the GIL back quickly
    sentences, events = bigdb.QUICK if args.quick else bigdb.FULL
    n_commit, n_next, n_handler, n_keys, runs = (
        (300, 2000, 100, 30, 3) if args.quick else (2000, 20000, 300, 300, 7)
    )
    cached = bigdb.ensure(sentences, events, rebuild=args.rebuild)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=bigdb.DATA))
    try:
        t = time.perf_counter()
        # (a) moves alice on; (b)-(d) see the database as built
        edits = bigdb.working_copy(cached, work / "a")
        path = bigdb.working_copy(cached, work)
        print(
            f"working copies: {edits.relative_to(ROOT)} for (a), {path.relative_to(ROOT)} "
            f"for (b)-(d) ({path.stat().st_size / 1e6:,.0f} MB each, copied and synced in "
            f"{time.perf_counter() - t:.1f} s)"
        )
        print(
            f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, textual "
            f"{importlib.metadata.version('textual')}, {os.cpu_count()} CPUs, "
            f"TEXTUAL_FPS={FPS} (one frame = {FRAME_MS:.1f} ms), load average "
            f"{os.getloadavg()[0]:.2f}"
        )
        results: list[bool] = []
        sections: list[tuple[str, Callable[[], list[bool]]]] = [
            (
                "(a) key to committed: AnnotationSession methods, each returns after COMMIT",
                lambda: commit_costs(edits, n_commit, None),
            ),
            (
                "  with ANNOTATOR_SYNC=FULL (every commit waits for the disk):",
                lambda: commit_costs(edits, max(100, n_commit // 4), "FULL"),
            ),
            (
                "  the screen's handler, awaited directly in a headless app:",
                lambda: handler_costs(edits, n_handler),
            ),
            (
                "(b) next unconfirmed: annotator.store.ranges.next_unconfirmed, random positions",
                lambda: next_unconfirmed_costs(path, n_next),
            ),
            (
                f"(c) key to visible: `annotator annotate` in a {COLS}x{ROWS} pty, key {KEY} "
                "written -> chip drawn",
                lambda: key_to_visible(path, n_keys, work),
            ),
            (
                f"(d) startup: process start -> first sentence on the pty screen ({runs} runs "
                "each, interleaved)",
                lambda: startup(path, runs, work),
            ),
        ]
        for title, run in sections:
            t = time.perf_counter()
            if title.startswith("("):
                header(title)
            else:
                print(title)
            results += run()
            print(f"  [{time.perf_counter() - t:.0f} s]")

        missed = results.count(False)
        print(
            f"\n{len(results) - missed} of {len(results)} targets met"
            + (f", {missed} missed (MISS above)" if missed else "")
        )
    finally:
        if args.keep:
            print(f"kept {work.relative_to(ROOT)}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
