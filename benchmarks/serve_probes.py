"""What benchmarks/serve.py measures with: memory of a process (PSS, RSS), percentiles,
when an event became readable by another connection (a poller in a process of its own),
the `at` each event was written with, and when a frame carrying the label chip arrived
after the key's write. Both clocks the poller and the clients compare are CLOCK_MONOTONIC
(perf_counter) or the wall clock, as each function says."""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from tests.served import Client

CHIP = b"QUOTE"


def pss_kb(pid: int) -> int:
    """Proportional set size in kB (shared pages divided among their users)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


# what each run measured, for the table at the end: run -> figure -> value
RESULTS: dict[str, dict[str, str]] = {}


def p99(ms: list[float]) -> str:
    return f"{pct(ms, 99):.1f} ms" if ms else "-"


def record(run: str, **figures: str) -> None:
    RESULTS.setdefault(run, {}).update(figures)


def figures(name: str, ms: list[float]) -> str:
    if not ms:
        return f"  {name:<34} no samples"
    return (
        f"  {name:<34} n={len(ms):<4} median {statistics.median(ms):7.2f} ms   "
        f"p99 {pct(ms, 99):7.2f} ms   max {max(ms):7.2f} ms"
    )


# The poller runs in a process of its own: in the clients' process it would wait for the
# GIL behind 20 websocket streams and date commits late. Both clocks are CLOCK_MONOTONIC.
POLLER = """
import sqlite3, sys, time
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
last = int(sys.argv[2])
out = sys.stdout
while True:
    rows = conn.execute("SELECT id, annotator_id FROM events WHERE id > ? ORDER BY id", [last])
    now = time.perf_counter()
    for eid, aid in rows:
        out.write(f"{aid} {now}\\n")
        last = eid
    out.flush()
    time.sleep(0.0005)
"""


class Commits:
    """When each annotator's events became readable by another connection."""

    def __init__(self, db: Path) -> None:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            last = int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
            self.ids: dict[str, int] = dict(conn.execute("SELECT name, id FROM annotators"))
        finally:
            conn.close()
        self.seen: dict[int, list[float]] = {}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", POLLER, str(db), str(last)],
            stdout=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            aid, at = line.split()
            self.seen.setdefault(int(aid), []).append(float(at))

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def __enter__(self) -> Commits:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait(self, aid: int, done: int, timeout: float = 60) -> float:
        """When annotator `aid`'s event number `done` (from 0) became readable."""
        deadline = time.perf_counter() + timeout
        while len(self.seen.get(aid, [])) <= done:
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                raise TimeoutError(f"annotator {aid}: event {done} never committed")
            time.sleep(0.0005)
        return self.seen[aid][done]


def shown_after(client: Client, ats: list[float], sent: list[float]) -> list[float]:
    """ms from each key's sending to the first frame, arriving after the key's write, that
    carries the chip: output from before the write (a periodic repaint) cannot count."""
    out = []
    for at, t in zip(ats, sent, strict=True):
        start = 0
        for arrived, end in client.arrivals:
            if arrived >= at and CHIP in client.screen[start:end]:
                out.append((arrived - t) * 1000)
                break
            start = end
    return out


def write_stamps(db: Path, aid: int, n: int) -> list[float]:
    """The wall-clock `at` of annotator `aid`'s last `n` events, oldest first."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT at FROM events WHERE annotator_id = ? ORDER BY id DESC LIMIT ?", [aid, n]
        ).fetchall()
    finally:
        conn.close()
    return [datetime.fromisoformat(r[0].replace("Z", "+00:00")).timestamp() for r in rows[::-1]]


def stamped(db: Path, aid: int, sent: list[float]) -> list[float]:
    """ms from each key's sending (wall clock) to the `at` of the event it wrote: the
    timestamp the app takes inside its write transaction. Unlike the poller, no process of
    ours has to be scheduled to see it; it stops short of the COMMIT itself (1 ms steps)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT at FROM events WHERE annotator_id = ? ORDER BY id DESC LIMIT ?",
            [aid, len(sent)],
        ).fetchall()
    finally:
        conn.close()
    ats = [datetime.fromisoformat(r[0].replace("Z", "+00:00")).timestamp() for r in rows[::-1]]
    return [(at - t) * 1000 for at, t in zip(ats, sent, strict=True)]
