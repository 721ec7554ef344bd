"""Key to committed on a big database: the session's calls, the screen's handler, and the
next unconfirmed sentence.

    .venv/bin/python benchmarks/annotate.py            # 1,000,000 sentences, 3,000,000 events
    .venv/bin/python benchmarks/annotate.py --quick    # 100,000 / 300,000, fewer samples
    .venv/bin/python benchmarks/annotate.py --smoke    # a tiny run: it still works (make test)

(a) key to committed, target p99 <= 2 ms: `AnnotationSession.toggle`, `.undo`, `.confirm`
    (Enter: confirms, moves on, opens the next article at the end of one), `.move` (j/k)
    for "alice" (one confirmed prefix, ~48% into the corpus) and `.next_unconfirmed` (g) for
    "carol" (20,000 ranges), called directly; each returns only after COMMIT, which a second
    connection checks. A bare write transaction shows the raw commit cost, with
    ANNOTATOR_SYNC unset (synchronous NORMAL) and FULL; samples during which SQLite
    checkpointed the WAL into the database are counted. Then, in a headless app, the screen's
    handler `AnnotateScreen.action_toggle_slot` awaited directly, with the commit inside it
    and the frame that follows (`Screen._on_timer_update`, run by the screen's update timer).
(s) with --suggestions, instead of (a) and (b), target p99 <= 2 ms: keys with suggestions
    shown (computed beforehand for the sentences ahead of alice), including `y` (accept the
    sentence's suggestions), while the model retrains in a process of its own (as the
    screen's worker starts it), split by the retrain's phase (training, rescoring); the
    session set up as the screen sets it (be_brief: the lock tried every 0.1 ms first;
    checkpoints deferred), and for each series the keys that found the write lock taken
    (their wait); the load average before and after. ~1-2 minutes; run it on a quiet machine:
    .venv/bin/python benchmarks/annotate.py --suggestions
(b) next unconfirmed, target p99 < 1 ms: `annotator.store.ranges.next_unconfirmed` from
    random positions for each of the five annotators (one range ... 74,000 ranges), each
    answer checked against one computed from `annotations` alone; its EXPLAIN QUERY PLAN.

Options and working copies: benchmarks/common.py. The key through a real terminal is
benchmarks/screen.py; startup is benchmarks/startup.py.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import statistics
import sys
import time
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.store import ranges
from annotator.store.database import Store, open_store
from benchmarks.common import (
    COLS,
    COMMIT_P99_MS,
    FRAME_MS,
    KEY,
    LABEL,
    ROWS,
    WHO,
    Mode,
    Options,
    Section,
    give_required_fields,
    open_session,
    row,
    run,
)

NEXT_P99_MS = 1.0
NEXT_QUERY = (
    "SELECT hi FROM confirmed_ranges WHERE annotator_id = ? AND lo <= ? "
    "ORDER BY lo DESC LIMIT 1"
)  # annotator.store.ranges.next_unconfirmed


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


def commit_costs(path: Path, n: int, sync: str | None) -> list[bool]:
    s = open_session(path, WHO, sync)
    sync_now = int(s.store.scalar("PRAGMA synchronous") or 0)
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
    # not ATTRIBUTED: confirming it needs a source type first (a refused key commits nothing)
    owners = {sf.label for sf in s.schema.sentence_fields}
    labels = [lab.name for lab in s.schema.labels if not lab.exclusive and lab.name not in owners]

    home = s.current.id

    def bare_write(cursor: int) -> None:
        # a value that changes: SQLite writes nothing for an UPDATE to the same bytes
        with s.store.write() as conn:
            conn.execute(
                "UPDATE annotators SET cursor_sentence_id = ? WHERE id = ?",
                [cursor, s.annotator_id],
            )

    xs = [
        c.time(partial(bare_write, home + (i + 1) % 2), writes_event=False) for i in range(n)
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
    # confirm: a label (not timed), then Enter, which confirms and moves on. Enter on the
    # last sentence stays on the finished article (its form is the next piece of work), so
    # there `g` (not timed) goes on to the next unconfirmed sentence, as an annotator would
    xs, finished = [], 0
    for _ in range(max(1, n // 2)):
        s.toggle(rng.choice(labels))
        give_required_fields(s)
        xs.append(c.time(s.confirm))
        if all(s.state_of(x.id).confirmed for x in s.sentences):
            finished += 1
            s.next_unconfirmed()
    note = c.note() + (f"; {finished} finished an article" if finished else "")
    results.append(row("confirm (Enter, moves on)", xs, COMMIT_P99_MS, note))
    # move: j / k, which saves the cursor
    if s.index + 1 >= len(s.sentences):
        s.move(-1)
    xs = [c.time(partial(s.move, 1 if i % 2 == 0 else -1), writes_event=False) for i in range(n)]
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
    setattr(AnnotateScreen, "_on_timer_update", timed_frame)  # noqa: B010 (mypy: a method)
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


# --- (s) with suggestions shown, while the model retrains -----------------------------------

# the keys go on until the retrain has been rescoring this long (or ended), at most SECONDS
RESCORING = {"full": 30.0, "quick": 20.0, "smoke": 2.0}
PACE = 0.02  # seconds between keys
SECONDS = {"full": 100.0, "quick": 60.0, "smoke": 6.0}


def suggestion_costs(path: Path, mode: Mode) -> list[bool]:
    """Keys with suggestions shown (`--suggestions`), while `annotator.suggesting`'s retrain
    runs in its own process on the same database, as the screen's worker starts it: reading
    the examples and training (CPU: two cores shared with the keys), then rescoring (short
    write transactions the keys may wait behind). Each series is split by the retrain's
    phase: training (no model writes yet) and rescoring (the model's rows being written);
    keys go on until the retrain has rescored for RESCORING seconds or ended (at most
    SECONDS); none are taken without a retrain running."""
    from annotator import suggesting
    from annotator.tui.screens.annotate import AnnotateScreen

    s = open_session(path, WHO)
    assert s.suggesting, "suggestions are not shown: run with --suggestions"
    s.be_brief(AnnotateScreen.WRITE_WAIT_S)  # as the screen does when it opens
    s.defer_checkpoints()  # idem: the screen checkpoints when idle, which keys never are here
    c = Committed(s.store)
    # how long each key waited for the write lock (the retrain's transactions hold it): a
    # write whose first try failed; not timed in the product
    begin, try_begin = s.store._begin_immediate, s.store._try_begin
    lock_wait: list[float] = []
    tries: list[bool] = []

    def counted_try() -> bool:
        tries.append(try_begin())
        return tries[-1]

    def timed_begin() -> None:
        tries.clear()
        t = time.perf_counter()
        begin()
        if not tries[0]:
            lock_wait.append((time.perf_counter() - t) * 1000)

    s.store._begin_immediate = timed_begin  # type: ignore[method-assign]
    s.store._try_begin = counted_try  # type: ignore[method-assign]
    waits: dict[tuple[str, str], list[float]] = {}
    rng = random.Random(11)
    owners = {sf.label for sf in s.schema.sentence_fields}
    labels = [lab.name for lab in s.schema.labels if not lab.exclusive and lab.name not in owners]
    phase_sql = "SELECT count(*) FROM suggestions WHERE source = 'model'"
    series: dict[tuple[str, str], list[float]] = {}
    accepted = 0

    def phase() -> str:
        written = int(c.reader.execute(phase_sql).fetchone()[0])
        return "rescoring" if written else "training"

    def timed(name: str, call: Callable[[], Any], *, writes_event: bool = True) -> None:
        p = phase()
        lock_wait.clear()
        series.setdefault((name, p), []).append(c.time(call, writes_event=writes_event))
        if lock_wait:
            waits.setdefault((name, p), []).append(sum(lock_wait))
        time.sleep(PACE)  # a fast annotator's pace, not a loop's: the retrain gets its turns

    load_before = os.getloadavg()[0]
    child = suggesting.start_retraining(path)
    started = time.perf_counter()
    deadline = started + SECONDS[mode]
    rescoring_since: float | None = None
    try:
        while child.poll() is None and time.perf_counter() < deadline:
            if rescoring_since is None and phase() == "rescoring":
                rescoring_since = time.perf_counter()
                deadline = min(deadline, rescoring_since + RESCORING[mode])
            timed("toggle (on/off)", lambda: s.toggle(rng.choice(labels)))
            timed("undo (of a toggle)", s.undo)
            pending = suggesting.best_per_label(s.suggested.get(s.current.id, ()))
            if pending and not s.current_state.labels:
                timed("y: accept the sentence's suggestions", lambda: suggesting.accept_current(s))
                accepted += 1
            else:
                s.toggle(rng.choice(labels))
            give_required_fields(s)
            timed("confirm (Enter, moves on)", s.confirm)
            timed(
                "move (j/k, saves the cursor)",
                lambda: s.move(-1 if s.index + 1 >= len(s.sentences) else 1),
                writes_event=False,
            )
            if all(s.state_of(x.id).confirmed for x in s.sentences):
                s.next_unconfirmed()  # the next article (its suggestions read with it)
        ran = time.perf_counter() - started
        ended = child.poll()
    finally:
        if child.poll() is None:
            child.terminate()  # ours: cut at the time budget
            child.wait()
    results = [
        row(f"{name}, {p}", xs, COMMIT_P99_MS, _waited(waits.get((name, p), [])))
        for (name, p), xs in sorted(series.items(), key=lambda kv: (kv[0][1] != "training", kv[0]))
    ]
    state = (
        f"the retrain ended (exit {ended}) after {ran:.0f} s"
        if ended is not None
        else f"the retrain was still running after {ran:.0f} s (stopped)"
    )
    print(
        f"  [{accepted} acceptances; {c.note()} (while rescoring, the retrain's own PASSIVE "
        f"checkpoints count too); {state}; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after]"
    )
    s.store.close()
    c.close()
    return results


def _waited(ms: list[float]) -> str:
    """How many keys found the write lock taken, and how long the longest wait was."""
    if not ms:
        return ""
    return (
        f"{len(ms)} waited for the lock (median {statistics.median(ms):.2f}, max {max(ms):.1f} ms)"
    )


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
        nranges = int(
            store.scalar("SELECT count(*) FROM confirmed_ranges WHERE annotator_id = ?", [aid]) or 0
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
                f"{name}: {int(confirmed or 0):,} confirmed in {nranges:,} ranges",
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


def sections(mode: Mode, edits: Path, path: Path, work: Path) -> list[Section]:
    n_commit, n_next, n_handler = {
        "full": (2000, 20000, 300),
        "quick": (300, 2000, 100),
        "smoke": (10, 50, 4),
    }[mode]
    if Options.suggestions:  # issue 16: only the keys with suggestions, ~1-2 minutes
        return [
            (
                "(s) key to committed with suggestions shown, while the model retrains",
                lambda: suggestion_costs(edits, mode),
            )
        ]
    # (a) moves alice on in `edits`; (b) reads the database as built
    return [
        (
            "(a) key to committed: AnnotationSession methods, each returns after COMMIT",
            lambda: commit_costs(edits, n_commit, None),
        ),
        (
            "  with ANNOTATOR_SYNC=FULL (every commit waits for the disk):",
            lambda: commit_costs(edits, max(4, n_commit // 4), "FULL"),
        ),
        (
            "  the screen's handler, awaited directly in a headless app:",
            lambda: handler_costs(edits, n_handler),
        ),
        (
            "(b) next unconfirmed: annotator.store.ranges.next_unconfirmed, random positions",
            lambda: next_unconfirmed_costs(path, n_next),
        ),
    ]


if __name__ == "__main__":
    run(__doc__ or "", sections)
