"""Importing files into the database without holding the write lock while reading them.

A file is imported in two phases:

1. Read, validate and parse (clean, segment, score) every article of the file OUTSIDE any
   transaction. A file with an error stops here, having written nothing. Parsed articles
   stay in memory up to SPOOL_MEMORY characters (or bytes, packed: ready to write and
   pickled); past that they go, packed, to an unnamed temporary file, so memory is bounded
   by the budget or the article being parsed, never by the file: a 1,000,000-line JSONL
   costs disk, not RAM (store/import_spool.py). Articles already in the database are only
   counted. One article is at most MAX_ARTICLE_CHARS long (ingest/reading.py), which
   bounds both.
2. Write the spooled articles in short `BEGIN IMMEDIATE` transactions (store/import_writes.py):
   as many articles as fit in BATCH_SECONDS, then commit and pause, so an annotator's key
   waits at most one batch (or one very large article) for the lock, never for the reading
   of a file. A slow disk can stall phase 1 without anyone else noticing; FIFOs are refused
   by name. Small files the workers have parsed already are written several to a
   transaction (`_Group`).

Phase 1 runs in worker processes (store/import_workers.py) when there is enough to parse
(PARALLEL_BYTES): files, or chunks of a JSON Lines file, are parsed on the other cores while
this process reads the next lines and writes the files already parsed. Results come back in
file order, so what is written, and every error, is what parsing them one by one here gives
(tests compare both).

A JSON Lines file the workers parse in chunks is the exception to "phase 1, then phase 2":
waiting for all of it would leave the workers idle while it is written (the import's serial
part). It is read whole first, for every error reading can find, then each chunk is written
as it comes back while the next are parsed (store/import_stream.py); an error only parsing
finds takes back what was written (store/import_undo.py), so it too imports nothing.

What the writes can still meet is rare and said as it is: the disk filling up, or another
process importing, in between, the same article id with different text.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

from annotator.ingest.reading import InputError
from annotator.store import import_writes as writes
from annotator.store.articles import (
    DuplicateArticle,
    add_article,
)
from annotator.store.database import Store, StoreError
from annotator.store.import_spool import Parsed, Spool, serial
from annotator.store.import_stream import Known, Stream, already_imported
from annotator.store.import_stream import check_jsonl as check_jsonl  # timed and watched
from annotator.store.import_undo import outlets_now
from annotator.store.import_undo import undo_import as undo_import  # tests watch it
from annotator.store.import_workers import Ahead, default_workers
from annotator.store.import_writes import FileResult as FileResult
from annotator.store.import_writes import Stopped, ToWrite, prepared
from annotator.store.signals_held import held

# Small files already parsed by the workers are written several to a transaction, up to
# this many characters of text (about BATCH_SECONDS of writing) or files.
GROUP_CHARS = 100_000
GROUP_FILES = 64


def import_file(store: Store, path: Path, *, encoding: str | None = None) -> FileResult:
    """Import every article of one file; on an error in the file, none of them."""
    return next(import_files(store, [path], encoding=encoding))


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    encoding: str | None = None,
    workers: int | None = None,
    name_ids: Sequence[str | None] | None = None,
) -> Generator[FileResult, None, None]:
    """Import the files in order, one result per file as each is done, while the next
    files are parsed in worker processes (`workers`: how many; by default one per core
    when the files hold at least PARALLEL_BYTES, else none; 0: parse here). `name_ids`:
    the id each file's name gives in this import (ingest/file_ids.py); by default the
    name without its extension."""
    if workers is None:
        workers = default_workers(paths)
    if name_ids is None:
        name_ids = [None] * len(paths)
    ahead = Ahead(paths, encoding, workers, name_ids) if workers > 0 else None
    group = _Group(store)
    try:
        for i, path in enumerate(paths):
            if ahead is not None and ahead.ready(i):
                yield from group.add(path, ahead.articles(i))
            else:
                yield from group.flush()  # before waiting for a worker, or reading a file
                if ahead is None:
                    yield _import_parsed(store, path, serial(path, encoding, name_ids[i]))
                elif path.suffix.lower() == ".jsonl":
                    yield _import_streamed(store, path, ahead, i)
                else:
                    yield _import_parsed(store, path, ahead.articles(i))
            if ahead is not None:
                ahead.skip(i)  # what is left of a file that stopped at an error
        yield from group.flush()
    finally:
        group.close()
        if ahead is not None:
            ahead.close()


def _import_parsed(store: Store, path: Path, parsed: Iterable[Parsed]) -> FileResult:
    result = FileResult(path)
    with Spool() as spool:
        if _check(store, path, parsed, spool, result):
            _write_all(store, path, spool, result)
    return result


def _check(
    store: Store, path: Path, parsed: Iterable[Parsed], spool: Spool, result: FileResult
) -> bool:
    """Phase 1 into `spool`; False (and the error in `result`) when the file has one."""
    try:
        unchanged = _parse_all(store, path, None, spool, parsed)
    except InputError as e:
        result.error = e
        return False
    except DuplicateArticle as e:
        result.error = InputError(path, spool.last_line, str(e))
        return False
    result.unchanged, result.unchanged_ids = len(unchanged), unchanged
    return True


class _Group:
    """Small files the workers have parsed already, written together in one transaction
    (one BEGIN, one COMMIT: a commit per file was about a quarter of the importer's write,
    each rewriting the last pages of every table and index it touched). Each file is
    checked (phase 1) alone, as it would be on its own; a file that meets an article of
    the group (same text or id) has the group written first, so it is checked against the
    database as it would be. Results come back in file order once their transaction has
    committed. If the group's write fails (another process took an id meanwhile, a full
    disk), nothing of it is written and its files are written one by one instead, each
    saying its own error as it would alone."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._files: list[tuple[FileResult, Spool | None]] = []  # None: failed in phase 1
        self._chars = 0
        self._shas: set[str] = set()
        self._ids: set[str] = set()
        self._free_until = 0.0

    def add(self, path: Path, articles: Iterable[Parsed]) -> Iterator[FileResult]:
        """Check a file parsed already (its articles wait for nothing) into the group."""
        try:
            parsed = list(articles)
        except InputError as e:  # a worker's: the file has no articles
            self._files.append((FileResult(path, error=e), None))
            return
        chars = sum(a.chars for a in parsed)
        if self._files and (
            self._chars + chars > GROUP_CHARS
            or len(self._files) >= GROUP_FILES
            or any(a.sha in self._shas or a.external_id in self._ids for a in parsed)
        ):
            yield from self.flush()
        if chars > GROUP_CHARS:  # a long file: written alone, in batches
            yield _import_parsed(self._store, path, parsed)
            return
        result = FileResult(path)
        spool = Spool()
        if not _check(self._store, path, parsed, spool, result):
            spool.__exit__()
            self._files.append((result, None))
            return
        self._files.append((result, spool))
        self._chars += chars
        self._shas.update(a.sha for a in parsed)
        self._ids.update(a.external_id for a in parsed)

    def flush(self) -> Iterator[FileResult]:
        files, self._files = self._files, []
        self._chars = 0
        self._shas.clear()
        self._ids.clear()
        writing = [(r, s) for r, s in files if s is not None]
        try:
            if writing:
                # the lock is left free after a group (see below)
                rest = self._free_until - time.monotonic()
                if rest > 0:
                    time.sleep(rest)
                started = time.monotonic()
                try:
                    self._write_together(writing)
                except StoreError:
                    for result, spool in writing:
                        _write_all(self._store, result.path, spool, result)
                # half as long as it was held (at most half a pause): a key tries the lock
                # every 0.1 ms, and this process, which writes and no one else, would
                # otherwise fall behind the workers on a quiet machine
                ended = time.monotonic()
                self._free_until = ended + min(writes.PAUSE_SECONDS, ended - started) / 2
        finally:
            for _r, spool in writing:
                spool.__exit__()
        for result, _s in files:
            yield result

    def _write_together(self, writing: list[tuple[FileResult, Spool]]) -> None:
        parts = [FileResult(r.path) for r, _s in writing]
        # the files' results are set with the commit, whatever signal comes between (held
        # from the end of the writes: not while BEGIN waits for the lock)
        with ExitStack() as hold:
            with self._store.write(foreign_keys=False) as conn:
                for (_r, spool), part in zip(writing, parts, strict=True):
                    for art in spool:
                        ready = prepared(art)
                        row_id, added = add_article(conn, ready)
                        if added:
                            part.added += 1
                            part.sentences += len(ready.sentence_rows)
                            part.notes.extend(ready.article.notes)
                        else:  # the same text as an article stored meanwhile: its id
                            part.unchanged += 1
                            stored = conn.execute(
                                "SELECT external_id FROM articles WHERE id = ?", [row_id]
                            ).fetchone()
                            part.unchanged_ids.append(str(stored[0]))
                hold.enter_context(held())
            for (result, _s), part in zip(writing, parts, strict=True):
                result.added += part.added
                result.sentences += part.sentences
                result.unchanged += part.unchanged
                result.notes.extend(part.notes)
                result.unchanged_ids.extend(part.unchanged_ids)

    def close(self) -> None:
        """Drop what was never written (the import was stopped)."""
        for _r, spool in self._files:
            if spool is not None:
                spool.__exit__()
        self._files = []


def _parse_all(
    store: Store,
    path: Path,
    encoding: str | None,
    spool: Spool,
    parsed: Iterable[Parsed] | None = None,
) -> list[str]:
    """Phase 1: everything that can be wrong with the file is found here, before writing.
    Returns the ids of the articles already imported (they need no write at all)."""
    seen_ids: dict[str, int] = {}
    unchanged: list[str] = []
    for group in _groups(parsed if parsed is not None else serial(path, encoding)):
        known = Known(store, group)  # the database asked about the group at once
        for art in group:
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
            stored = already_imported(store, art, known, path)
            if stored is not None:
                # the id it is stored under: this file's own id may exist nowhere
                unchanged.append(stored)
            else:
                spool.add(art)
    return unchanged


# articles checked against the database together in phase 1 (store/import_stream.py Known)
CHECK_GROUP = 64


def _groups(parsed: Iterable[Parsed]) -> Iterator[list[Parsed]]:
    """The articles CHECK_GROUP at a time. An error parsing one (it has no text) is raised
    after the articles before it have been checked, as checking them one by one does: an
    earlier article's error is the one said."""
    group: list[Parsed] = []
    it = iter(parsed)
    while True:
        try:
            art = next(it, None)
        except InputError:
            if group:
                yield group
            raise
        if art is None:
            break
        group.append(art)
        if len(group) >= CHECK_GROUP:
            yield group
            group = []
    if group:
        yield group


class Interrupted(KeyboardInterrupt):
    """Ctrl-C while a file was being written: what of it was written has been taken back
    (store/import_undo.py), or kept when someone's work is on it; str() says which."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def _interrupted(store: Store, path: Path, added: Sequence[int], outlets: int) -> Interrupted:
    """Ctrl-C during a file's writes: a file goes in whole or not at all, so what it wrote
    is taken back (audit5 F8: a JSONL file was left 80% in, with only "Aborted!")."""
    kept = undo_import(store, added, outlets)
    if kept is None:
        return Interrupted(path, "interrupted; nothing from this file was imported")
    return Interrupted(
        path,
        f"interrupted; {len(added)} article(s) of this file were written and are kept: {kept}; "
        "import it again to add the rest",
    )


def _write_all(store: Store, path: Path, spool: Spool, result: FileResult) -> None:
    """Phase 2 of a file parsed whole (phase 1 found nothing wrong with it): what can still
    go wrong (the disk, another import taking an id meanwhile) stops it where it is."""
    added = array("q")
    outlets = outlets_now(store)
    try:
        writes.write_batches(store, path, ToWrite(iter(spool)), result, added)
    except KeyboardInterrupt:
        raise _interrupted(store, path, added, outlets) from None
    except Stopped as e:
        done = (
            f"; {result.added} article(s) of this file before it were already imported"
            if result.added
            else "; nothing from this file was imported"
        )
        result.error = InputError(path, e.line, f"{e.error}{done}")


def _import_streamed(store: Store, path: Path, ahead: Ahead, index: int) -> FileResult:
    """A JSON Lines file the workers parse in chunks: checked whole first (reading it, in
    this process, while the workers parse its first chunks), then each chunk written as it
    comes back while the next ones are parsed. What only parsing finds (an article with no
    text after cleaning) stops it, and what was written is taken back: a file with an error
    imports nothing (store/import_stream.py, store/import_undo.py)."""
    if not check_jsonl(store, path, ahead.encoding):
        return _import_parsed(store, path, ahead.articles(index))  # parsed whole, as before
    result = FileResult(path)
    stream = Stream(store, path, ahead, index)
    added = array("q")  # the article ids written: 8 bytes each, whatever the file
    outlets = outlets_now(store)
    try:
        writes.write_batches(store, path, ToWrite(iter(stream), stream.ready), result, added)
    except KeyboardInterrupt:
        raise _interrupted(store, path, added, outlets) from None
    except (InputError, Stopped) as e:
        error = e if isinstance(e, InputError) else InputError(path, e.line, str(e.error))
        kept = undo_import(store, added, outlets)
        if kept is None:
            if isinstance(e, Stopped):  # as a write that stops says it
                error = InputError(
                    path, error.line, f"{error.reason}; nothing from this file was imported"
                )
            return FileResult(path, error=error)
        result.error = InputError(
            path,
            error.line,
            f"{error.reason}; {result.added} article(s) of this file before it were already "
            f"imported and are kept: {kept}",
        )
    result.unchanged += len(stream.unchanged_ids)
    result.unchanged_ids[:0] = stream.unchanged_ids  # as phase 1 would have listed them first
    return result
