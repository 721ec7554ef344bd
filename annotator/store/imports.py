"""Importing files into the database without holding the write lock while reading them.

A file is imported in two phases:

1. Read, validate and parse (clean, segment, score) every article of the file OUTSIDE any
   transaction. A file with an error stops here, having written nothing. Parsed articles are
   spooled, in a compact form (the text once, sentences as offsets into it), to an unnamed
   temporary file, so memory holds the article being parsed, never the whole file: a
   1,000,000-line JSONL costs disk, not RAM. A file of one article (.txt, .md) stays in
   memory, as it is the article being parsed anyway.
2. Write the spooled articles in short `BEGIN IMMEDIATE` transactions: as many articles as
   fit in BATCH_SECONDS, then commit and pause, so an annotator's key waits at most one
   batch (or one very large article) for the lock, never for the reading of a file. A slow
   disk can stall phase 1 without anyone else noticing; FIFOs are refused by name.

Validating the whole file before writing any of it keeps "a file with an error imports
nothing". What phase 2 can still meet is rare and said as it is: the disk filling up, or
another process importing, in between, the same article id with different text.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from annotator.ingest.articles import ParsedArticle, ParsedSentence, read_articles
from annotator.ingest.reading import InputError
from annotator.store.articles import DuplicateArticle, add_article
from annotator.store.database import Store, StoreError

# How long one import transaction may run before it commits and lets others write, and how
# long it then leaves the lock free. The pause matters as much as the batch: a writer that
# finds the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15, 20, 25 ms ...) and
# would keep missing an importer that takes the lock again at once after each commit.
BATCH_SECONDS = 0.01
PAUSE_SECONDS = 0.01


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
    result = FileResult(path)
    with _Spool() as spool:
        try:
            _parse_all(store, path, encoding, spool)
        except InputError as e:
            result.error = e
            return result
        except DuplicateArticle as e:
            result.error = InputError(path, spool.last_line, str(e))
            return result
        _write_all(store, path, spool, result)
    return result


def _parse_all(store: Store, path: Path, encoding: str | None, spool: _Spool) -> None:
    """Phase 1: everything that can be wrong with the file is found here, before writing."""
    seen_ids: dict[str, int] = {}
    for art in read_articles(path, encoding=encoding):
        line = art.source_line
        spool.last_line = line if line > 1 else None
        if art.external_id in seen_ids:
            raise InputError(
                path,
                line,
                f"article id {art.external_id!r} repeats "
                f"(first on line {seen_ids[art.external_id]})",
            )
        seen_ids[art.external_id] = line
        # a file name that is not UTF-8 (Python keeps its bytes as lone surrogates) cannot
        # be stored as text: keep it readable, with U+FFFD for the bytes
        art.source_path = _storable(art.source_path)
        art.external_id = _storable(art.external_id)
        _check_not_taken(store, art)
        spool.add(art)


def _storable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _check_not_taken(store: Store, art: ParsedArticle) -> None:
    """Refuse now, while nothing is written, an id already taken by different text.
    (add_article checks again under the lock.)"""
    if store.one("SELECT 1 FROM articles WHERE text_sha256 = ?", [art.text_sha256]):
        return
    if store.one("SELECT 1 FROM articles WHERE external_id = ?", [art.external_id]):
        raise DuplicateArticle(
            f"article id {art.external_id!r} is already in the database with different text; "
            "give this version another id (front matter or JSON 'id') to import it"
        )


def _write_all(store: Store, path: Path, spool: _Spool, result: FileResult) -> None:
    """Phase 2: short transactions, each committing after BATCH_SECONDS of work."""
    articles = iter(spool)
    pending = next(articles, None)
    try:
        while pending is not None:
            batch = FileResult(path)  # counted into result once committed
            deadline = time.monotonic() + BATCH_SECONDS
            with store.write() as conn:
                while pending is not None:
                    _id, added = add_article(conn, pending)
                    if added:
                        batch.added += 1
                        batch.sentences += len(pending.sentences)
                        batch.notes.extend(pending.notes)
                    else:
                        batch.unchanged += 1
                        batch.unchanged_ids.append(pending.external_id)
                    pending = None
                    if time.monotonic() >= deadline:
                        break
                    pending = next(articles, None)
            result.added += batch.added
            result.sentences += batch.sentences
            result.unchanged += batch.unchanged
            result.notes.extend(batch.notes)
            result.unchanged_ids.extend(batch.unchanged_ids)
            if pending is None:
                pending = next(articles, None)
            if pending is not None:
                time.sleep(PAUSE_SECONDS)
    except StoreError as e:  # DuplicateArticle (a concurrent import) or WriteFailed
        done = (
            f"; {result.added} article(s) of this file before it were already imported"
            if result.added
            else "; nothing from this file was imported"
        )
        where = pending.source_line if pending is not None else None
        result.error = InputError(path, where if where and where > 1 else None, f"{e}{done}")


class _Spool:
    """Parsed articles of one file, in memory while there is one, on disk beyond that."""

    def __init__(self) -> None:
        self._held: ParsedArticle | None = None
        self._file: IO[bytes] | None = None
        self._count = 0
        self.last_line: int | None = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()  # an unnamed temporary file: closing frees the disk

    def add(self, art: ParsedArticle) -> None:
        if self._count == 0:
            self._held = art
        else:
            if self._file is None:
                # closed by __exit__, with the spool
                self._file = tempfile.TemporaryFile(prefix="annotator-import-")  # noqa: SIM115
                assert self._held is not None
                _pack(self._held, self._file)
                self._held = None
            _pack(art, self._file)
        self._count += 1

    def __iter__(self) -> Iterator[ParsedArticle]:
        if self._file is None:
            if self._held is not None:
                yield self._held
            return
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._count):
            yield _unpack(self._file)


def _pack(art: ParsedArticle, out: IO[bytes]) -> None:
    # the sentences' text is a slice of the article's: store the offsets, not the text again
    rows = [
        (s.position, s.paragraph, s.start, s.end, s.kind, s.links, s.counts) for s in art.sentences
    ]
    pickle.dump((replace(art, sentences=[]), rows), out, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(src: IO[bytes]) -> ParsedArticle:
    # our own file, written above in this process: pickle is safe here
    art, rows = pickle.load(src)
    text: str = art.text
    sentences: list[ParsedSentence] = []
    row: Any
    for row in rows:
        pos, para, start, end, kind, links, counts = row
        sentence = ParsedSentence(pos, para, start, end, kind, text[start:end], links, counts)
        sentences.append(sentence)
    art.sentences = sentences
    assert isinstance(art, ParsedArticle)
    return art
