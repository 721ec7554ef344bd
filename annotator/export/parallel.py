"""A second process for big jsonl exports (the gold and raw views).

It writes the records from the middle sentence on into a part file while this process
writes the first half; both read one snapshot of the database (exporting.snapshot holds
writers off while the helper begins), and the part is appended in the kernel
(copy_file_range). Threads do not help here: the sqlite3 module takes the GIL back after
every row, and two threads measured slower than one. A process and not a fork: SQLite must
not be used across fork() by a process that has connections open.

If the helper cannot start, cannot join the snapshot, or fails, this process writes the
second half itself from the same snapshot: the file is the same either way.

A helper pays only with a CPU to run on. Measured on 1M sentences (README, Known limits):
on an idle 2-CPU machine two processes took 2.03 s and one 2.93 s (the previous release);
on the same machine busy (load average 5-10), two processes were slower than one in 19 of
20 runs by turns (gold: 10.5-15.2 s against 8.2-11.5 s) and used 15-26% more CPU. So the
default starts one only when the load average leaves a CPU idle (`worth_a_helper`);
`--jobs 2` always does.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from annotator.export.atomic import PART_PREFIX, lock
from annotator.store import exporting
from annotator.store.database import Store, open_store

# Below this many sentences to export the helper's start (~0.1 s) costs more than it saves.
MIN_SENTENCES = 50_000
# This process writes the articles sidecar (0.3 s at 1M sentences) while the helper works,
# so it takes a little less than half of the records.
SHARE = 0.45
START_TIMEOUT_S = 10.0
BEGIN_TIMEOUT_S = 2.0


class Helper:
    """The parent's handle on the helper process."""

    def __init__(self, store: Store, view: str, everything: bool, lo: int, folder: Path):
        self.lo = lo
        folder.mkdir(parents=True, exist_ok=True)  # as atomic_text will for the output
        fd, part = tempfile.mkstemp(prefix=PART_PREFIX, suffix=".partial", dir=folder)
        # held open and locked until close(): the part of a killed export is unlocked, and
        # the next export to this folder removes it (atomic.clean_stale)
        lock(fd)
        self._part_fd = fd
        self.part = Path(part)
        self._buf = b""
        self._seen = 0
        self.records: int | None = None  # what the helper wrote, once it has finished
        self._said: set[str] = set()
        try:
            # no stderr pipe: one nobody reads could fill and stall the helper; a helper
            # that fails is replaced by this process, which is what the user needs to know
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "annotator.export.parallel"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.part.unlink(missing_ok=True)
            os.close(fd)
            raise
        assert self.proc.stdout is not None
        self._poll = select.poll()
        self._poll.register(self.proc.stdout.fileno(), select.POLLIN)
        self._send(
            {"db": str(store.path), "view": view, "everything": everything, "lo": lo, "part": part}
        )

    def _send(self, message: Any) -> bool:
        """False when the helper is gone (its pipe broken)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            return False
        return True

    def _pump(self, timeout: float | None) -> bool:
        """Read what the helper wrote, waiting up to `timeout` (None: until it exits) for at
        least one line, and note every line. False once nothing more will come."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self._poll.poll(None if left is None else left * 1000):
                return True  # nothing yet
            chunk = os.read(fd, 65536)
            if not chunk:
                return False
            self._buf += chunk
        *lines, self._buf = self._buf.split(b"\n")
        # every line is noted whoever reads it: a small export's helper can say "began",
        # its progress and "done" before the first read
        for line in (x.decode() for x in lines):
            if line.isdigit():
                self._seen = int(line)
            elif line.startswith("done "):
                self.records = int(line.split()[1])
            else:
                self._said.add(line)
        return True

    def _wait_for(self, word: str, timeout: float = START_TIMEOUT_S) -> bool:
        deadline = time.monotonic() + timeout
        while word not in self._said:
            left = deadline - time.monotonic()
            if left <= 0 or not self._pump(left):
                return False
        return True

    def ready(self) -> bool:
        """Wait until the helper has started and connected."""
        return self._wait_for("ready")

    def begin(self) -> bool:
        """Called while writers are held off: the helper takes its snapshot (milliseconds:
        it is connected already; writers wait at most BEGIN_TIMEOUT_S)."""
        return self._send("begin") and self._wait_for("began", BEGIN_TIMEOUT_S)

    def progress(self) -> int:
        """Sentences the helper has read so far (without waiting)."""
        self._pump(0)
        return self._seen

    def finish(self) -> int | None:
        """Wait for the helper; the number of records it wrote, or None if it failed."""
        while self._pump(None):
            pass
        if self.proc.wait() != 0:
            self.records = None
        return self.records

    def append_to(self, out: IO[bytes]) -> None:
        """Append the part to `out` in the kernel (copy_file_range), without a trip through
        Python; whatever it did not copy (not Linux, a file system without it) is written
        from where it stopped, and the total is checked."""
        out.flush()
        dst = out.fileno()
        with open(self.part, "rb") as src:
            size = os.fstat(src.fileno()).st_size
            copied = 0
            with contextlib.suppress(AttributeError, OSError):
                while copied < size:
                    k = os.copy_file_range(src.fileno(), dst, size - copied)
                    if not k:
                        break
                    copied += k
            src.seek(copied)
            while chunk := src.read(1 << 20):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst, view) :]
                copied += len(chunk)
        if copied != size:
            raise OSError(f"{self.part}: appended {copied} of {size} bytes")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self.part.unlink(missing_ok=True)
        if self._part_fd >= 0:
            os.close(self._part_fd)
            self._part_fd = -1


def worth_a_helper(load: float, cpus: int) -> bool:
    """Whether a second process would find a CPU to itself: one for this process, one for
    the helper, beyond what the load average (runnable processes, one minute) occupies."""
    return cpus >= 2 and load <= cpus - 1.5


def start(
    store: Store, view: str, everything: bool, folder: Path, *, force: bool = False
) -> Helper | None:
    """A helper for an export worth splitting (or any, with `force`), ready to begin."""
    if view not in ("gold", "raw"):
        return None
    if not force and not worth_a_helper(os.getloadavg()[0], os.cpu_count() or 1):
        return None
    if store.read_only:  # the helper could not open it as a second reader reliably
        return None
    lo = exporting.split_point(
        store, least=0 if force else MIN_SENTENCES, share=SHARE, everything=everything
    )
    if lo is None:
        return None
    try:
        helper = Helper(store, view, everything, lo, folder)
    except OSError:  # no process, or no part file: this process writes everything
        return None
    if not helper.ready():
        helper.close()
        return None
    return helper


def main() -> int:
    """The helper: the records of sentences [lo, end) into the part file."""
    from annotator.export.splice import write_lines

    params = json.loads(sys.stdin.readline())
    # open_store's checks; the parent has migrated the file, so nothing is written
    with open_store(params["db"], create=False) as store:
        print("ready", flush=True)
        if sys.stdin.readline().strip() != '"begin"':
            return 1
        with exporting.joined_snapshot(store):
            print("began", flush=True)
            arts = exporting.article_json(store)
            with open(params["part"], "wb") as fh:
                n = write_lines(
                    store,
                    params["view"],
                    fh,
                    everything=params["everything"],
                    arts=arts,
                    lo=params["lo"],
                    progress=lambda i: print(i, flush=True),
                )
    print(f"done {n}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
