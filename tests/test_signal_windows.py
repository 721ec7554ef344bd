"""A Ctrl-C (or SIGTERM) at every line of the importers' batch writes.

CI at stop 24: a SIGTERM that came after a batch's COMMIT and before the importer counted
what the batch wrote left 25 articles in the database while the file said "nothing from
this file was imported" (test_import_signals, once in a few hundred runs). Here the signal
is sent at each line the write runs in turn, in this process (a trace function sends it),
so every window is met on every run; what is in the database must be what was said."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import pytest

from annotator.store import import_writes, paced_writes
from annotator.store.database import Store, open_store
from annotator.store.imports import Interrupted, import_file
from annotator.store.label_import import Incoming, import_annotations
from annotator.store.paced_writes import ImportInterrupted
from annotator.store.schemas import use_guidelines
from tests.conftest import write

ARTICLES = 4


def _codes() -> set[CodeType]:
    """The write transaction itself (Store.write's body: COMMIT, the pragma after it)."""
    return {Store.write.__wrapped__.__code__}  # type: ignore[attr-defined]


@contextmanager
def signal_at(codes: set[CodeType], hit: int | None) -> Iterator[list[int]]:
    """SIGINT sent to this process at the `hit`-th line run in any of `codes` (None: never);
    yields a list that ends up holding how many lines ran."""
    ran = [0]

    def local(frame: FrameType, event: str, _arg: Any) -> Callable[..., Any]:
        if event == "line":
            ran[0] += 1
            if ran[0] == hit:
                os.kill(os.getpid(), signal.SIGINT)
        return local

    def calls(frame: FrameType, _event: str, _arg: Any) -> Callable[..., Any] | None:
        return local if frame.f_code in codes else None

    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.settrace(calls)
    try:
        yield ran
    finally:
        sys.settrace(None)
        signal.signal(signal.SIGINT, before)


def _corpus(tmp_path: Path) -> Path:
    return write(
        tmp_path / "c.jsonl",
        "".join(
            json.dumps({"id": f"a{i}", "text": f"Official {i} said the minister met them."}) + "\n"
            for i in range(ARTICLES)
        ),
    )


def _articles(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()


def _lines_run(codes: set[CodeType], run: Callable[[], object]) -> int:
    with signal_at(codes, None) as ran:
        run()
    return ran[0]


def test_a_signal_anywhere_in_an_import_batch_leaves_what_the_import_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an article per batch, without pauses: a signal after the second batch's commit is
    # one the first batch's count does not cover
    monkeypatch.setattr(import_writes, "BATCH_SECONDS", 0.0)
    monkeypatch.setattr(import_writes, "PAUSE_SECONDS", 0.0)
    corpus = _corpus(tmp_path)
    codes = _codes() | {import_writes.write_batches.__code__}
    empty = tmp_path / "empty.sqlite"
    open_store(empty).close()  # its schema made before the lines are traced

    def fresh(n: int) -> tuple[Path, Callable[[], object]]:
        db = tmp_path / f"p{n}.sqlite"
        db.write_bytes(empty.read_bytes())

        def run() -> object:
            with open_store(db) as store:
                return import_file(store, corpus)

        return db, run

    total = _lines_run(codes, fresh(0)[1])
    assert total > 20  # the batch's lines were traced
    outcomes: set[str] = set()
    for hit in range(1, total + 1):
        db, run = fresh(hit)
        with signal_at(codes, hit), pytest.raises(KeyboardInterrupt) as stopped:
            run()
        said = str(stopped.value)
        stored = _articles(db)
        if isinstance(stopped.value, Interrupted):
            assert "nothing from this file was imported" in said, said
            assert stored == 0, f"line {hit} of {total}: {stored} articles in; said {said!r}"
            outcomes.add("taken back")
        else:  # after the file was written and counted: it is in whole
            assert stored == ARTICLES, f"line {hit} of {total}: {stored} in"
            outcomes.add("in whole")
    assert "taken back" in outcomes


def test_a_signal_anywhere_in_a_label_import_batch_leaves_what_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paced_writes, "BATCH_SECONDS", 0.0)  # a record per batch
    monkeypatch.setattr(paced_writes, "PAUSE_SECONDS", 0.0)
    corpus = _corpus(tmp_path)
    base = tmp_path / "base.sqlite"
    with open_store(base) as store:
        import_file(store, corpus)
    items = [
        Incoming(
            line=i + 1, annotator=who, labels=("NONE",), article=f"a{i % ARTICLES}", position=0
        )
        for i, who in enumerate(["ann1"] * ARTICLES + ["ann2"] * ARTICLES)
    ]
    codes = _codes() | {paced_writes.in_batches.__code__}

    def fresh(n: int) -> tuple[Path, Callable[[], object]]:
        db = tmp_path / f"l{n}.sqlite"
        db.write_bytes(base.read_bytes())

        def run() -> object:
            with open_store(db) as store:
                return import_annotations(store, items, schema_hash="h", session="s")

        return db, run

    total = _lines_run(codes, fresh(0)[1])
    assert total > 10
    counted = 0
    for hit in range(1, total + 1):
        db, run = fresh(hit)
        with signal_at(codes, hit), pytest.raises(KeyboardInterrupt) as stopped:
            run()
        conn = sqlite3.connect(db)
        stored = int(conn.execute("SELECT count(*) FROM annotations").fetchone()[0])
        conn.close()
        if isinstance(stopped.value, ImportInterrupted):  # "N of M records were written"
            assert stored == stopped.value.written, f"line {hit} of {total}"
            counted += 1
        # else the command says only "import the same file again to add whatever is missing"
    assert counted > total // 2


def test_a_label_import_reports_its_progress_batch_by_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """audit7 F24: a big file wrote for minutes without a word; `import-labels` shows a bar
    fed by this count (records written so far, after each commit)."""
    monkeypatch.setattr(paced_writes, "BATCH_SECONDS", 0.0)
    monkeypatch.setattr(paced_writes, "PAUSE_SECONDS", 0.0)
    db = tmp_path / "p.sqlite"
    with open_store(db) as store:
        import_file(store, _corpus(tmp_path))
        seen: list[int] = []
        items = [
            Incoming(line=i + 1, annotator="ann", labels=("NONE",), article=f"a{i}", position=0)
            for i in range(ARTICLES)
        ]
        report = import_annotations(
            store, items, schema_hash="h", session="s", progress=seen.append
        )
    assert report.imported == ARTICLES
    assert seen == list(range(1, ARTICLES + 1))  # one record per batch here, in order


def test_a_signal_is_not_held_while_the_write_waits_for_the_lock(tmp_path: Path) -> None:
    """audit8 F9: the batches held signals from before BEGIN, so a SIGTERM sent while
    `import-labels` waited for another process's lock was answered only once the wait ran
    out (15 s). Held from the end of a batch's writes, the signal stops it at once."""
    import subprocess
    import time

    from tests.conftest import ROOT

    db = tmp_path / "p.sqlite"
    with open_store(db) as store:
        import_file(store, _corpus(tmp_path))
        use_guidelines(store)  # adopted now: the command's only write is its batches
    labels = tmp_path / "l.jsonl"
    labels.write_text(
        "".join(
            json.dumps({"article_id": f"a{i}", "position": 0, "annotator": "x", "labels": ["NONE"]})
            + "\n"
            for i in range(ARTICLES)
        )
    )
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write, for the whole test
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import-labels", str(labels)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert proc.stderr is not None
        said = b""
        while b"waiting up to" not in said:  # it reads, matches, then waits for the lock
            line = proc.stderr.readline()
            assert line, "it ended without waiting for the lock"
            said += line
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        out, errs = proc.communicate(timeout=60)
        waited = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 128 + signal.SIGTERM, (out + errs).decode()
    assert b"interrupted by SIGTERM" in said + errs
    # not the lock wait's 15 s (3 attempts of 5): the signal was answered, not deferred
    assert waited < 10, waited
