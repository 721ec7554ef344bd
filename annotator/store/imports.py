"""Importing files into the database without holding the write lock while reading them.

A file is imported in two phases:

1. Read, validate and parse (clean, segment, score) every article of the file OUTSIDE any
   transaction. A file with an error stops here, having written nothing. Parsed articles
   stay in memory up to SPOOL_MEMORY characters (or bytes, packed: ready to write and
   pickled); past that they go, packed, to an unnamed temporary file, so memory is bounded
   by the budget or the article being parsed, never by the file: a 1,000,000-line JSONL
   costs disk, not RAM. Articles already in the database are only counted. One article is
   at most MAX_ARTICLE_CHARS long (ingest/reading.py), which bounds both.
2. Write the spooled articles in short `BEGIN IMMEDIATE` transactions: as many articles as
   fit in BATCH_SECONDS, then commit and pause, so an annotator's key waits at most one
   batch (or one very large article) for the lock, never for the reading of a file. A slow
   disk can stall phase 1 without anyone else noticing; FIFOs are refused by name.

Phase 1 runs in worker processes when there is enough to parse (PARALLEL_BYTES): files, or
chunks of a JSON Lines file, are parsed on the other cores while this process reads the next
lines and writes the files already parsed. Results come back in file order, so what is
written, and every error, is what parsing them one by one here gives (tests compare both).

Validating the whole file before writing any of it keeps "a file with an error imports
nothing". What phase 2 can still meet is rare and said as it is: the disk filling up, or
another process importing, in between, the same article id with different text.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import signal
import struct
import tempfile
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import IO

from annotator.ingest import language, readability
from annotator.ingest.articles import (
    ParsedArticle,
    parse_source,
    read_articles,
    read_sources,
)
from annotator.ingest.reading import InputError, SourceArticle
from annotator.store import records
from annotator.store.articles import (
    DuplicateArticle,
    PreparedArticle,
    add_article,
    prepare_article,
)
from annotator.store.database import Store, StoreError

# How long one import transaction may run before it commits and lets others write, and how
# long it then leaves the lock free. The pause matters as much as the batch: a writer that
# finds the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15, 20, 25 ms ...) and
# would keep missing an importer that takes the lock again at once after each commit.
BATCH_SECONDS = 0.01
PAUSE_SECONDS = 0.01
# How much of a file's parsed articles may wait in memory before they go to disk: this many
# characters of text, or this many articles (each costs a few KB of objects beside its text).
SPOOL_MEMORY = 16_000_000
SPOOL_ARTICLES = 1_000
# An article with more sentences than this is prepared for writing (hashed, its rows
# built) before its transaction begins rather than inside one.
PREPARE_INSIDE = 500
# Parse in worker processes (one per core) when the files to import hold at least this
# many bytes: below it, starting workers costs more than it saves.
PARALLEL_BYTES = 1_000_000
# A JSON Lines file goes to the workers in chunks of this many characters (or articles),
# and at most AHEAD_PER_WORKER chunks or files per worker are out at once: memory stays
# bounded whatever the file's size, and the workers need not wait for the reader.
CHUNK_CHARS = 200_000
CHUNK_ARTICLES = 64
AHEAD_PER_WORKER = 3


@dataclass
class FileResult:
    path: Path
    added: int = 0
    unchanged: int = 0
    sentences: int = 0
    error: InputError | None = None
    notes: list[str] = field(default_factory=list)
    unchanged_ids: list[str] = field(default_factory=list)


def import_file(store: Store, path: Path, *, encoding: str | None = None) -> FileResult:
    """Import every article of one file; on an error in the file, none of them."""
    return next(import_files(store, [path], encoding=encoding))


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    encoding: str | None = None,
    workers: int | None = None,
) -> Generator[FileResult, None, None]:
    """Import the files in order, one result per file as each is done, while the next
    files are parsed in worker processes (`workers`: how many; by default one per core
    when the files hold at least PARALLEL_BYTES, else none; 0: parse here)."""
    if workers is None:
        workers = _default_workers(paths)
    ahead = _Ahead(paths, encoding, workers) if workers > 0 else None
    try:
        for i, path in enumerate(paths):
            parsed = ahead.articles(i) if ahead is not None else _serial(path, encoding)
            yield _import_parsed(store, path, parsed)
            if ahead is not None:
                ahead.skip(i)  # what is left of a file that stopped at an error
    finally:
        if ahead is not None:
            ahead.close()


def _import_parsed(store: Store, path: Path, parsed: Iterable[_Parsed]) -> FileResult:
    result = FileResult(path)
    with _Spool() as spool:
        try:
            unchanged = _parse_all(store, path, None, spool, parsed)
        except InputError as e:
            result.error = e
            return result
        except DuplicateArticle as e:
            result.error = InputError(path, spool.last_line, str(e))
            return result
        result.unchanged, result.unchanged_ids = len(unchanged), unchanged
        _write_all(store, path, spool, result)
    return result


def _default_workers(paths: Sequence[Path]) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if not cores or cores < 2:
        return 0
    size = 0
    for p in paths:
        try:
            size += p.stat().st_size
        except OSError:
            continue  # the import itself says what is wrong with it
        if size >= PARALLEL_BYTES:
            return cores
    return 0


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A parsed article and what phase 1 checks of it in this process. `article` is packed
    (bytes, see _pack) when a worker parsed it."""

    external_id: str
    line: int
    sha: str
    chars: int
    article: ParsedArticle | bytes

    def unpacked(self) -> ParsedArticle | PreparedArticle:
        return _unpack(self.article) if isinstance(self.article, bytes) else self.article


def _parsed(art: ParsedArticle, *, packed: bool) -> _Parsed:
    # a file name that is not UTF-8 (Python keeps its bytes as lone surrogates) cannot
    # be stored as text: keep it readable, with U+FFFD for the bytes
    art.source_path = _storable(art.source_path)
    art.external_id = _storable(art.external_id)
    return _Parsed(
        art.external_id,
        art.source_line,
        art.text_sha256,
        len(art.text),
        _pack(art) if packed else art,
    )


def _serial(path: Path, encoding: str | None) -> Iterator[_Parsed]:
    for art in read_articles(path, encoding=encoding):
        yield _parsed(art, packed=False)


def _parse_all(
    store: Store,
    path: Path,
    encoding: str | None,
    spool: _Spool,
    parsed: Iterable[_Parsed] | None = None,
) -> list[str]:
    """Phase 1: everything that can be wrong with the file is found here, before writing.
    Returns the ids of the articles already imported (they need no write at all)."""
    seen_ids: dict[str, int] = {}
    unchanged: list[str] = []
    for art in parsed if parsed is not None else _serial(path, encoding):
        line = art.line
        spool.last_line = line if line > 1 else None
        if art.external_id in seen_ids:
            raise InputError(
                path,
                line,
                f"article id {art.external_id!r} repeats "
                f"(first on line {seen_ids[art.external_id]})",
            )
        seen_ids[art.external_id] = line
        stored = _already_imported(store, art)
        if stored is not None:
            # the id it is stored under: this file's own id may exist nowhere
            unchanged.append(stored)
        else:
            spool.add(art)
    return unchanged


# --- parsing in worker processes ---------------------------------------------------------

_END = "end of file"


@dataclass(frozen=True, slots=True)
class _Files:
    """Whole files for one worker: several small ones go together (up to CHUNK_CHARS bytes
    or CHUNK_ARTICLES files), as one task and one answer instead of one per file."""

    paths: tuple[Path, ...]
    encoding: str | None


_Task = _Files | list[SourceArticle]
# a file's articles, or the error that stopped it
_Outcome = list[_Parsed] | InputError


@dataclass(frozen=True, slots=True)
class _Slot:
    """One file's part of a task's answer; `last`: the task's last file."""

    result: AsyncResult[list[_Outcome]]
    index: int
    last: bool

    def get(self) -> list[_Parsed]:
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
            return [[_parsed(parse_source(src), packed=True) for src in task]]
        except InputError as e:
            return [e]
    out: list[_Outcome] = []
    for path in task.paths:
        try:
            out.append(
                [_parsed(art, packed=True) for art in read_articles(path, encoding=task.encoding)]
            )
        except InputError as e:
            out.append(e)
    return out


def _quiet_worker() -> None:
    # Ctrl-C is the importer's to handle (it stops the pool): a worker would print a
    # traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Ahead:
    """Files parsed ahead of the writer by a pool of worker processes, handed back in file
    order. At most AHEAD_PER_WORKER tasks per worker are out at once: whole files, or
    chunks of a JSON Lines file that this process reads and validates meanwhile."""

    def __init__(self, paths: Sequence[Path], encoding: str | None, workers: int) -> None:
        # built once here, the syllable table and the language model are shared with the
        # forked workers
        readability.warm()
        language.warm()
        records.python_records_agree()
        self._pool: Pool = multiprocessing.get_context("fork").Pool(
            workers, initializer=_quiet_worker
        )
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
                    yield batch, _Files(tuple(paths[j] for j in batch), encoding)
                    batch, size = [], 0
                continue
            if batch:
                yield batch, _Files(tuple(paths[j] for j in batch), encoding)
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
            yield batch, _Files(tuple(paths[j] for j in batch), encoding)

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

    def articles(self, index: int) -> Iterator[_Parsed]:
        while (entry := self._next_of(index)) is not None:
            if isinstance(entry, str):  # _END
                self._queue.appendleft((index, _END))  # for skip()
                return
            if isinstance(entry, InputError):
                raise entry
            yield from entry.get()  # re-raises a worker's InputError

    def skip(self, index: int) -> None:
        """Drop what is left of file `index` (all of it when it stopped at an error)."""
        while (entry := self._next_of(index)) is not None and entry != _END:
            pass

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


def _storable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a surrogate that no file name's byte became
            return text.encode("utf-8", "replace").decode("utf-8")


def _already_imported(store: Store, art: _Parsed) -> str | None:
    """The id of the stored article with this text, None when there is none. An id taken by
    different text is refused now, while nothing is written (add_article checks both again
    under the lock)."""
    row = store.one("SELECT external_id FROM articles WHERE text_sha256 = ?", [art.sha])
    if row:
        return str(row[0])
    if store.one("SELECT 1 FROM articles WHERE external_id = ?", [art.external_id]):
        raise DuplicateArticle(
            f"article id {art.external_id!r} is already in the database with different text; "
            "give this version another id (front matter or JSON 'id') to import it"
        )
    return None


def _write_all(store: Store, path: Path, spool: _Spool, result: FileResult) -> None:
    """Phase 2: short transactions, each committing after BATCH_SECONDS of work. Each batch
    starts with an article prepared before BEGIN; a long article met inside a batch ends it,
    to be prepared outside the next one."""
    articles = iter(spool)
    waiting = next(articles, None)  # parsed, perhaps not yet prepared
    pending: PreparedArticle | None = None
    try:
        while waiting is not None:
            pending = _prepared(waiting)
            waiting = None
            batch = FileResult(path)  # counted into result once committed
            deadline = time.monotonic() + BATCH_SECONDS
            with store.write() as conn:
                while pending is not None:
                    art = pending.article
                    row_id, added = add_article(conn, pending)
                    if added:
                        batch.added += 1
                        batch.sentences += len(pending.sentence_rows)
                        batch.notes.extend(art.notes)
                    else:  # same text stored meanwhile (or earlier in this file): its id
                        batch.unchanged += 1
                        stored = conn.execute(
                            "SELECT external_id FROM articles WHERE id = ?", [row_id]
                        ).fetchone()
                        batch.unchanged_ids.append(str(stored[0]))
                    pending = None
                    waiting = next(articles, None)
                    if waiting is None or time.monotonic() >= deadline:
                        break
                    if isinstance(waiting, PreparedArticle) or (
                        len(waiting.sentences) <= PREPARE_INSIDE
                    ):
                        pending, waiting = _prepared(waiting), None
            result.added += batch.added
            result.sentences += batch.sentences
            result.unchanged += batch.unchanged
            result.notes.extend(batch.notes)
            result.unchanged_ids.extend(batch.unchanged_ids)
            if waiting is not None:
                time.sleep(PAUSE_SECONDS)
    except StoreError as e:  # DuplicateArticle (a concurrent import) or WriteFailed
        done = (
            f"; {result.added} article(s) of this file before it were already imported"
            if result.added
            else "; nothing from this file was imported"
        )
        where = pending.article.source_line if pending is not None else None
        result.error = InputError(path, where if where and where > 1 else None, f"{e}{done}")


def _prepared(art: ParsedArticle | PreparedArticle) -> PreparedArticle:
    return art if isinstance(art, PreparedArticle) else prepare_article(art)


class _Spool:
    """Parsed articles of one file: in memory up to SPOOL_MEMORY characters of text or
    SPOOL_ARTICLES articles, then all of them on disk, so memory is bounded by the budget
    or the largest article."""

    def __init__(self) -> None:
        self._held: list[_Parsed] = []
        self._held_chars = 0
        self._file: IO[bytes] | None = None
        self._count = 0
        self.last_line: int | None = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()  # an unnamed temporary file: closing frees the disk

    def add(self, art: _Parsed) -> None:
        self._count += 1
        if self._file is None:
            self._held.append(art)
            packed = art.article
            self._held_chars += len(packed) if isinstance(packed, bytes) else art.chars
            held = len(self._held)
            if held == 1 or (self._held_chars <= SPOOL_MEMORY and held <= SPOOL_ARTICLES):
                return
            # closed by __exit__, with the spool
            self._file = tempfile.TemporaryFile(prefix="annotator-import-")  # noqa: SIM115
            for waiting in self._held:
                self._write(waiting)
            self._held = []
            return
        self._write(art)

    def _write(self, art: _Parsed) -> None:
        assert self._file is not None
        data = art.article if isinstance(art.article, bytes) else _pack(art.article)
        self._file.write(struct.pack("<Q", len(data)))
        self._file.write(data)

    def __iter__(self) -> Iterator[ParsedArticle | PreparedArticle]:
        if self._file is None:
            for art in self._held:
                yield art.unpacked()
            return
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._count):
            (size,) = struct.unpack("<Q", self._file.read(8))
            yield _unpack(self._file.read(size))


def _pack(art: ParsedArticle) -> bytes:
    """The article ready to write (its rows built by prepare_article, in the worker that
    parsed it, not in the one process that writes), pickled; the sentences' text is in the
    rows, so the parsed sentences are left out."""
    prepared = prepare_article(art)
    bare = dataclasses.replace(art, sentences=[])
    return pickle.dumps(dataclasses.replace(prepared, article=bare), pickle.HIGHEST_PROTOCOL)


def _unpack(data: bytes) -> PreparedArticle:
    # our own bytes, from this process or its own workers: pickle is safe here
    prepared = pickle.loads(data)
    assert isinstance(prepared, PreparedArticle)
    return prepared
