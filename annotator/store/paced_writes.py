"""Bulk writes that annotators can save beside: short transactions with a pause between
(`import-labels`, `import-suggestions`), as the article import writes (import_writes.py)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import ExitStack

from annotator.store.database import Store, WriteFailed
from annotator.store.import_writes import BATCH_SECONDS, PAUSE_SECONDS
from annotator.store.signals_held import held


def in_batches(
    store: Store,
    count: int,
    step: Callable[[sqlite3.Connection, int], None],
    progress: Callable[[int], None] = lambda n: None,
) -> None:
    """step(conn, 0 .. count-1) in transactions of BATCH_SECONDS, with a pause between, as
    the article import writes; `progress(done)` after each commit. A write that fails (disk
    full) says how far it got."""
    n = done = 0
    try:
        while n < count:
            if n:
                time.sleep(PAUSE_SECONDS)
            deadline = time.monotonic() + BATCH_SECONDS
            try:
                # the commit and `done` together, whatever signal comes: held from the end of
                # the batch's writes (not while BEGIN waits for the lock: audit8 F9)
                with ExitStack() as hold:
                    with store.write() as conn:
                        while n < count:
                            step(conn, n)
                            n += 1
                            if time.monotonic() >= deadline:
                                break
                        hold.enter_context(held())
                    done = n
                progress(done)
            except WriteFailed as e:
                if n:
                    raise WriteFailed(f"{e} (after {n} of {count} were written)") from e
                raise
    except KeyboardInterrupt:
        # the batch being written is rolled back; those before it are in (audit7 F24)
        if done:
            raise ImportInterrupted(done, count) from None
        raise


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) while the records were written: the first `written` of `total`
    are in the database, and importing the same file again adds the rest."""

    def __init__(self, written: int, total: int) -> None:
        super().__init__(f"{written} of {total}")
        self.written = written
        self.total = total
