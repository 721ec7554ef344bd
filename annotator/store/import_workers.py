"""Parsing in worker processes, ahead of the importer's writes (store/imports.py): whole
files, several small ones to a task, or chunks of a JSON Lines file that the importer reads
and validates meanwhile; answers come back in file order."""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.ingest import language, readability
from annotator.ingest.articles import parse_source, read_articles, read_sources
from annotator.ingest.reading import HTML_SUFFIXES, InputError, SourceArticle
from annotator.store import records
from annotator.store.import_spool import Parsed, make_parsed

if TYPE_CHECKING:  # imported by Ahead: a one-file import has no workers (0.01 s)
    from multiprocessing.pool import AsyncResult, Pool

# Parse in worker processes (one per core) when the files to import hold at least this
# many bytes: below it, starting workers costs more than it saves.
PARALLEL_BYTES = 1_000_000
# An HTML page's share of its bytes counted against PARALLEL_BYTES: the corpus's 60 pages
# (15 MB) cost 0.22 CPU s per MB to extract and parse, text 0.4-0.45.
HTML_WEIGHT = 0.5
# A JSON Lines file goes to the workers in chunks of this many characters (or articles),
# and at most AHEAD_PER_WORKER chunks or files per worker are out at once: memory stays
# bounded whatever the file's size, and the workers need not wait for the reader.
CHUNK_CHARS = 200_000
CHUNK_ARTICLES = 64
AHEAD_PER_WORKER = 3


def default_workers(paths: Sequence[Path]) -> int:
    """One worker per core when the files hold at least PARALLEL_BYTES to parse and more than
    one task: a file that is not JSON Lines is one task, parsed by one worker, so alone it
    would only pay for the pool (the warm-up, the fork: a 1.4 MB page took 1.4 s with
    workers, 0.6 s without; audit5 F0b). An HTML page counts for HTML_WEIGHT of its bytes:
    most of them are markup, which the extractor reads far faster than we parse text."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cores or cores < 2:
        return 0
    size = 0.0
    tasks = 0
    for p in paths:
        try:
            bytes_ = p.stat().st_size
        except OSError:
            continue  # the import itself says what is wrong with it
        suffix = p.suffix.lower()
        size += bytes_ * HTML_WEIGHT if suffix in HTML_SUFFIXES else bytes_
        # a JSON Lines file goes to the workers in chunks of about CHUNK_CHARS
        tasks += max(1, int(bytes_ // CHUNK_CHARS)) if suffix == ".jsonl" else 1
        if size >= PARALLEL_BYTES and tasks > 1:
            return cores
    return 0


_END = "end of file"
# prctl(2): the signal a process gets when the thread that forked it ends
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class _Files:
    """Whole files for one worker: several small ones go together (up to CHUNK_CHARS bytes
    or CHUNK_ARTICLES files), as one task and one answer instead of one per file."""

    paths: tuple[Path, ...]
    encoding: str | None
    name_ids: tuple[str | None, ...]  # the id each file's name gives (ingest/file_ids.py)


_Task = _Files | list[SourceArticle]
# a file's articles, or the error that stopped it
_Outcome = list[Parsed] | InputError


@dataclass(frozen=True, slots=True)
class _Slot:
    """One file's part of a task's answer; `last`: the task's last file."""

    result: AsyncResult[list[_Outcome]]
    index: int
    last: bool

    def get(self) -> list[Parsed]:
        outcome = self.result.get()[self.index]  # re-raises what no file's error explains
        if isinstance(outcome, InputError):
            raise outcome
        return outcome


_Entry = _Slot | InputError | str


def _work(task: _Task) -> list[_Outcome]:
    """In a worker: parse whole files, or a chunk of a JSON Lines file read by the importer
    (one outcome for the chunk: its articles, or the error that stops its file)."""
    if isinstance(task, list):
        try:
            return [[make_parsed(parse_source(src), packed=True) for src in task]]
        except InputError as e:
            return [e]
    out: list[_Outcome] = []
    for path, name_id in zip(task.paths, task.name_ids, strict=True):
        try:
            out.append(
                [
                    make_parsed(art, packed=True)
                    for art in read_articles(path, encoding=task.encoding, name_id=name_id)
                ]
            )
        except InputError as e:
            out.append(e)
    return out


def _quiet_worker(importer: int) -> None:
    # Ctrl-C is the importer's to handle (it stops the pool): a worker would print a
    # traceback of its own. SIGTERM and SIGHUP end a worker at once, as by default (the
    # importer may have made them raise KeyboardInterrupt for itself: cli/stop_signals.py)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, signal.SIG_DFL)
    _die_with(importer)


def _die_with(importer: int) -> None:
    """End this worker when the importer is killed outright (kill -9, the OOM killer): it
    would finish its task and print a BrokenPipeError traceback on the user's terminal,
    sending the result to nobody (audit7 F3). Linux's parent-death signal does it."""
    if sys.platform != "linux":
        return
    import ctypes  # here: only a worker process needs it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != importer:  # the importer died before the signal was asked for
        os._exit(1)


class Ahead:
    """Files parsed ahead of the writer by a pool of worker processes, handed back in file
    order. At most AHEAD_PER_WORKER tasks per worker are out at once: whole files, or
    chunks of a JSON Lines file that this process reads and validates meanwhile."""

    def __init__(
        self,
        paths: Sequence[Path],
        encoding: str | None,
        workers: int,
        name_ids: Sequence[str | None] | None = None,
    ) -> None:
        import multiprocessing  # here, not at the top: a one-file import has no workers

        # built once here, the syllable table and the language model are shared with the
        # forked workers; the model loads in a thread meanwhile (its LZMA releases the GIL)
        loading = language.warm_in_background()
        readability.warm()
        loading.join()
        records.python_records_agree()
        # what exists now (those tables, every module) is left out of the workers' garbage
        # collections: a collection writes to each object it visits, and would copy every
        # page it shares with this process into each worker
        gc.freeze()
        try:
            self._pool: Pool = multiprocessing.get_context("fork").Pool(
                workers, initializer=_quiet_worker, initargs=(os.getpid(),)
            )
        finally:
            gc.unfreeze()  # this process goes on collecting as before
        self.encoding = encoding
        self._name_ids = list(name_ids) if name_ids is not None else [None] * len(paths)
        self._tasks = self._all_tasks(paths, encoding)
        self._queue: deque[tuple[int, _Entry]] = deque()
        self._out = 0
        self._limit = workers * AHEAD_PER_WORKER

    def _all_tasks(
        self, paths: Sequence[Path], encoding: str | None
    ) -> Iterator[tuple[list[int], _Task | InputError | str]]:
        """(the files a task holds, the task), or an error or _END of one file."""
        batch: list[int] = []
        size = 0
        for i, path in enumerate(paths):
            if path.suffix.lower() != ".jsonl":
                batch.append(i)
                try:
                    size += path.stat().st_size
                except OSError:
                    size += CHUNK_CHARS  # the worker says what is wrong with it, alone
                if size >= CHUNK_CHARS or len(batch) >= CHUNK_ARTICLES:
                    yield batch, self._files(paths, batch, encoding)
                    batch, size = [], 0
                continue
            if batch:
                yield batch, self._files(paths, batch, encoding)
                batch, size = [], 0
            chunk: list[SourceArticle] = []
            size = 0
            try:
                for src in read_sources(path, encoding=encoding):
                    chunk.append(src)
                    size += len(src.text)
                    if size >= CHUNK_CHARS or len(chunk) >= CHUNK_ARTICLES:
                        yield [i], chunk
                        chunk, size = [], 0
            except InputError as e:
                if chunk:  # the articles before the error are parsed first, as they would be
                    yield [i], chunk
                yield [i], e
            else:
                if chunk:
                    yield [i], chunk
            yield [i], _END
            size = 0
        if batch:
            yield batch, self._files(paths, batch, encoding)

    def _files(self, paths: Sequence[Path], batch: list[int], encoding: str | None) -> _Files:
        return _Files(
            tuple(paths[j] for j in batch), encoding, tuple(self._name_ids[j] for j in batch)
        )

    def _fill(self) -> None:
        while self._out < self._limit:
            nxt = next(self._tasks, None)
            if nxt is None:
                return
            files, task = nxt
            if isinstance(task, (InputError, str)):
                self._queue.append((files[0], task))
                continue
            result = self._pool.apply_async(_work, (task,))
            self._out += 1
            if isinstance(task, list):  # a chunk of a JSON Lines file
                self._queue.append((files[0], _Slot(result, 0, True)))
                continue
            for k, i in enumerate(files):
                self._queue.append((i, _Slot(result, k, k == len(files) - 1)))
                self._queue.append((i, _END))

    def _next_of(self, index: int) -> _Entry | None:
        """The next entry of file `index`, None when it has none left."""
        if not self._queue:
            self._fill()
        if not self._queue or self._queue[0][0] != index:
            return None
        _i, entry = self._queue.popleft()
        if isinstance(entry, _Slot) and entry.last:
            self._out -= 1
        self._fill()  # keep the workers busy while this entry is used
        return entry

    def ready(self, index: int) -> bool:
        """Is all of file `index` parsed, its answer in, so that taking it waits for nothing?
        (A whole file of a task, or a JSON Lines file of one chunk: nothing left to read.)"""
        if len(self._queue) < 2:
            self._fill()
        if len(self._queue) < 2:
            return False
        (i, first), (j, second) = self._queue[0], self._queue[1]
        return (
            i == j == index and isinstance(first, _Slot) and second == _END and first.result.ready()
        )

    def articles(self, index: int) -> Iterator[Parsed]:
        for chunk in self.chunks(index):
            yield from chunk

    def chunks(self, index: int) -> Iterator[list[Parsed]]:
        """The articles of file `index`, a worker's answer at a time."""
        while (entry := self._next_of(index)) is not None:
            if isinstance(entry, str):  # _END
                self._queue.appendleft((index, _END))  # for skip()
                return
            if isinstance(entry, InputError):
                raise entry
            yield entry.get()  # re-raises a worker's InputError

    def waiting(self, index: int) -> bool:
        """Would taking the next answer of file `index` wait for a worker?"""
        if not self._queue:
            self._fill()
        if not self._queue or self._queue[0][0] != index:
            return False
        entry = self._queue[0][1]
        return isinstance(entry, _Slot) and not entry.result.ready()

    def skip(self, index: int) -> None:
        """Drop what is left of file `index` (all of it when it stopped at an error)."""
        while (entry := self._next_of(index)) is not None and entry != _END:
            pass

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
