"""Speed of the adjudication screen on a big database: key to committed, key to screen.

    .venv/bin/python benchmarks/adjudicate.py            # 1,000,000 sentences, 3,000,000 events
    .venv/bin/python benchmarks/adjudicate.py --quick    # 100,000 / 300,000
    .venv/bin/python benchmarks/adjudicate.py --smoke    # 5,000 / 15,000, a few keys: it runs

The database comes from benchmarks/bigdb.py (five annotators, built once and cached in
benchmarks/.data/); each run works on a fresh copy, so the cache never changes. Printed as
n (samples), median, p99 and max in ms, with ok / MISS against the issue's targets:

(a) opening: `AdjudicationSession()` on the copy (it makes the unanimous sentences gold,
    then reads the queue and its gold once), and again once that is done.
(b) key to committed, target p99 <= 2 ms: the session's methods behind the keys (1-9 pick a
    version, a label key toggles, t sets the source type, z undoes, Enter accepts and moves
    on), called directly, as an adjudicator works through the queue; each must return only
    after COMMIT, which a second connection checks by seeing the new event.
(c) refresh: the timer's look when nobody else wrote (PRAGMA data_version), and after
    another connection confirmed an annotation (the changed items computed again).
(d) key to screen, target p99 within one frame (1000 / TEXTUAL_FPS ms): the real `annotator
    adjudicate` in a 120x40 pseudo-terminal (tests/ptyterm.py via benchmarks/common.py, read with
    pyte); 1 and 2 pressed in turn on one item, timed from the key written to the chunk
    that made the Gold line show that version; the commit polled from another connection.

(b) and (d) also measure the annotation path at the same moments, in the same process and
the same harness (benchmarks/annotate.py's drive_keys): on a shared machine the figures
mean something only beside a control.

--smoke runs every part on a small database with few samples and checks that each key
committed and showed; its figures mean nothing. Options and working copies:
benchmarks/common.py (the annotation control in (d) runs on the copy left as built).
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

# Standalone: import the project from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.adjudication import AdjudicationSession
from annotator.session import AnnotationSession
from annotator.store.database import Store, open_store
from annotator.store.schemas import use_guidelines
from benchmarks.common import (
    COLS,
    COMMIT_P99_MS,
    FPS,
    FRAME_MS,
    ROWS,
    Mode,
    Section,
    annotate_argv,
    give_required_fields,
    row,
    run,
    terminal,
)
from benchmarks.common import WHO as ANNOTATE_WHO
from benchmarks.screen import drive_keys

WHO = "judge"


class Committed:
    """Times calls that must return only after COMMIT, and checks they did."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reader = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        self.checkpoints: list[float] = []

    def last_event(self) -> int:
        return int(self.reader.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    def time(self, call: Callable[[], Any]) -> float:
        before = self.last_event()
        mtime = os.stat(self.store.path).st_mtime_ns  # in WAL mode only a checkpoint writes it
        t = time.perf_counter()
        call()
        dt = (time.perf_counter() - t) * 1000
        assert not self.store.conn.in_transaction
        assert self.last_event() > before, "the key was not committed"
        if os.stat(self.store.path).st_mtime_ns != mtime:
            self.checkpoints.append(dt)
        return dt

    def close(self) -> None:
        self.reader.close()


def open_session(path: Path) -> tuple[AdjudicationSession, float]:
    t = time.perf_counter()
    store = open_store(path)
    g, _ = use_guidelines(store)
    s = AdjudicationSession(store, g, WHO)
    return s, time.perf_counter() - t


def opening(path: Path) -> AdjudicationSession:
    s, first = open_session(path)
    sentences = sum(1 for it in s.items if it.kind == "sentence")
    print(
        f"  first open: {first:.2f} s ({s.auto_added:,} unanimous items became gold; queue: "
        f"{len(s.items):,} items, {sentences:,} sentences)"
    )
    s.store.close()
    s, again = open_session(path)
    print(f"  open again: {again:.2f} s (nothing left to make gold)")
    return s


def key_to_committed(s: AdjudicationSession, n: int) -> list[bool]:
    print(f"  [{len(s.items):,} items in the queue]")
    c = Committed(s.store)
    rng = random.Random(7)
    times: dict[str, list[float]] = {
        k: [] for k in ("pick", "toggle", "source type", "undo", "accept")
    }
    notes: dict[str, list[float]] = {k: [] for k in times}
    sf = s.schema.sentence_fields[0]
    labels = [lab.name for lab in s.schema.labels if not lab.exclusive]
    # the same conditions for the annotation path (this machine is shared): a toggle of the
    # annotation screen's session and a bare write transaction, interleaved with ours
    a = AnnotationSession(s.store, s.guidelines, "bob")  # alice is (d)'s control, as built
    control: dict[str, list[float]] = {"annotation toggle": [], "bare write": []}

    def bare_write() -> None:
        with s.store.write() as conn:
            conn.execute("UPDATE annotators SET cursor_sentence_id = cursor_sentence_id")

    try:
        for _ in range(n):
            control["annotation toggle"].append(c.time(lambda: a.toggle(labels[0])))
            c.checkpoints = []
            t = time.perf_counter()
            bare_write()
            control["bare write"].append((time.perf_counter() - t) * 1000)
            item = s.current
            assert item is not None
            if item.kind != "sentence":
                break
            version = rng.randint(1, len(item.versions))
            times["pick"].append(c.time(partial(s.pick, version)))
            notes["pick"] += c.checkpoints
            c.checkpoints = []
            label = rng.choice(labels)
            times["toggle"].append(c.time(partial(s.toggle, label)))
            notes["toggle"] += c.checkpoints
            c.checkpoints = []
            gold = s.gold()
            if gold is not None and sf.label in gold.labels:
                value = str(rng.choice(sf.values).value)
                if gold.field(sf.name) != value:
                    times["source type"].append(c.time(partial(s.set_field, sf.name, value)))
                    notes["source type"] += c.checkpoints
                    c.checkpoints = []
            times["undo"].append(c.time(s.undo))
            notes["undo"] += c.checkpoints
            c.checkpoints = []
            if s.gold() is None:
                s.pick(1)
            # accept moves on without writing: timed as a move, checked to have moved
            t = time.perf_counter()
            before = s.index
            s.accept()
            times["accept"].append((time.perf_counter() - t) * 1000)
            assert s.index != before or s.decided == len(s.items)
    finally:
        c.close()
    ok = [
        row(
            f"{name} (the session's method, returns after COMMIT)"
            if name != "accept"
            else "accept: on to the next undecided item (no write)",
            ms,
            COMMIT_P99_MS,
            f"{len(notes[name])} checkpointed the WAL"
            + (f" (median {statistics.median(notes[name]):.1f} ms)" if notes[name] else "")
            if name != "accept"
            else "",
        )
        for name, ms in times.items()
        if ms
    ]
    writes = [x for k, ms in times.items() if k != "accept" for x in ms]
    ok.append(row("every key that writes", writes, COMMIT_P99_MS))
    print("  the same moments, for comparison:")
    row("  annotation screen: toggle (AnnotationSession.toggle)", control["annotation toggle"])
    row("  a bare write transaction (1-row UPDATE, no event)", control["bare write"])
    return ok


def refresh_costs(s: AdjudicationSession, path: Path, n: int) -> list[bool]:
    idle = []
    for _ in range(max(50, n)):
        t = time.perf_counter()
        assert s.refresh() is None
        idle.append((time.perf_counter() - t) * 1000)
    row("nobody else wrote: PRAGMA data_version", idle)
    other = open_store(path)
    g, _ = use_guidelines(other)
    a = AnnotationSession(other, g, "bob")
    labels = [lab.name for lab in g.schema.labels if not lab.exclusive]
    rng = random.Random(11)
    busy = []
    try:
        for _ in range(max(5, n // 4)):
            a.move(1)
            a.toggle(rng.choice(labels))
            give_required_fields(a)
            a.confirm(advance=False)
            t = time.perf_counter()
            out = s.refresh()
            busy.append((time.perf_counter() - t) * 1000)
            assert out is not None
    finally:
        other.close()
    row("an annotator confirmed a sentence: what changed recomputed", busy)
    return []


def gold_line(lines: list[str]) -> str:
    """The item pane's Gold line (left of the side panel and of any notification)."""
    for line in lines:
        left = line.split("│")[0].split("▌")[0].strip()
        if left.startswith("Gold "):
            return left
    return ""


def key_to_screen(path: Path, built: Path, n: int) -> list[bool]:
    argv = [sys.executable, "-m", "annotator", "--db", str(path), "adjudicate"]
    argv += ["--adjudicator", WHO]
    term = terminal(argv)
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    committed, shown = [], []

    def last_event() -> int:
        return int(reader.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])

    try:
        # the queue of a million sentences takes a while to read: wait for it
        term.when(lambda lines: "Versions" in "\n".join(lines), term.started, timeout=300)
        # steady state: the startup notification ("... became gold") gone
        term.when(lambda lines: "item(s) became gold" not in "\n".join(lines), term.started)
        term.settle(0.3)
        term.catch_up()
        lines: dict[bytes, str] = {}
        for key in (b"1", b"2"):  # what the Gold line says for each version
            t0 = term.send(key)
            term.settle(0.3)
            term.catch_up()
            lines[key] = gold_line(term.lines())
        assert lines[b"1"] != lines[b"2"], lines
        rng = random.Random(3)
        for i in range(n):
            key = b"1" if i % 2 == 0 else b"2"
            term.settle(0.03)
            term.catch_up()
            time.sleep(rng.uniform(0, FRAME_MS / 1000))  # anywhere in the frame cycle
            before = last_event()
            t0 = term.send(key)
            while last_event() == before:
                time.sleep(0.0002)
                assert time.perf_counter() - t0 < 5, "the key was never committed"
            committed.append((time.perf_counter() - t0) * 1000)
            want = lines[key]

            def decided(ls: list[str], want: str = want) -> bool:
                return gold_line(ls) == want

            t = term.when(decided, t0)
            shown.append((t - t0) * 1000)
    finally:
        term.stop()
        reader.close()
    ok = [
        row("key written -> committed (seen by a 2nd connection)", committed, COMMIT_P99_MS),
        row("key written -> the Gold line shows it", shown, FRAME_MS, f"one frame = 1000/{FPS}"),
    ]
    print("  the same harness, now, on the annotation screen (a label key), for comparison:")
    samples = drive_keys(built, annotate_argv(built, ANNOTATE_WHO), n, poll_commit=True)
    row(
        "  annotation: key written -> committed",
        [(c - t0) * 1000 for t0, c, _, _ in samples if c is not None],
    )
    row(
        "  annotation: key written -> chip shown / gone",
        [(v - t0) * 1000 for t0, _, _, v in samples],
    )
    return ok


def sections(mode: Mode, edits: Path, path: Path, work: Path) -> list[Section]:
    n_keys, n_pty = {"full": (400, 100), "quick": (100, 30), "smoke": (6, 4)}[mode]
    opened: list[AdjudicationSession] = []

    def open_it() -> list[bool]:
        opened.append(opening(edits))
        return []

    def refresh() -> list[bool]:
        refresh_costs(opened[0], edits, max(4, n_keys // 16))
        opened[0].store.close()
        return []

    return [
        ("(a) opening the queue (s)", open_it),
        ("(b) key to committed", lambda: key_to_committed(opened[0], n_keys)),
        ("(c) the queue's refresh (the screen's timer, and r)", refresh),
        (
            f"(d) key to screen: `annotator adjudicate` in a {COLS}x{ROWS} pty, {FPS} fps",
            lambda: key_to_screen(edits, path, n_pty),
        ),
    ]


if __name__ == "__main__":
    os.environ.pop("ANNOTATOR_SYNC", None)
    run(__doc__ or "", sections, pty=True)
