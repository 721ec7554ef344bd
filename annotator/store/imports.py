"""Importing files into the database without holding the write lock while reading them.

A file is imported in two phases:

1. Read, validate and parse (clean, segment, score) every article of the file OUTSIDE any
   transaction. A file with an error stops here, having written nothing. Parsed articles
   stay in memory up to SPOOL_MEMORY characters; past that they go, in a compact form (the
   text once, sentences as offsets into it), to an unnamed temporary file, so memory is
   bounded by the budget or the article being parsed, never by the file: a 1,000,000-line
   JSONL costs disk, not RAM. Articles already in the database are only counted.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.ingest import readability
from annotator.ingest.articles import ParsedArticle, ParsedSentence, read_articles
from annotator.ingest.layout import Link
from annotator.ingest.reading import InputError
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
            unchanged = _parse_all(store, path, encoding, spool)
        except InputError as e:
            result.error = e
            return result
        except DuplicateArticle as e:
            result.error = InputError(path, spool.last_line, str(e))
            return result
        result.unchanged, result.unchanged_ids = len(unchanged), unchanged
        _write_all(store, path, spool, result)
    return result


def _parse_all(store: Store, path: Path, encoding: str | None, spool: _Spool) -> list[str]:
    """Phase 1: everything that can be wrong with the file is found here, before writing.
    Returns the ids of the articles already imported (they need no write at all)."""
    seen_ids: dict[str, int] = {}
    unchanged: list[str] = []
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
        if _already_imported(store, art):
            unchanged.append(art.external_id)
        else:
            spool.add(art)
    return unchanged


def _storable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a surrogate that no file name's byte became
            return text.encode("utf-8", "replace").decode("utf-8")


def _already_imported(store: Store, art: ParsedArticle) -> bool:
    """Is this text in the database already? An id taken by different text is refused now,
    while nothing is written (add_article checks both again under the lock)."""
    if store.one("SELECT 1 FROM articles WHERE text_sha256 = ?", [art.text_sha256]):
        return True
    if store.one("SELECT 1 FROM articles WHERE external_id = ?", [art.external_id]):
        raise DuplicateArticle(
            f"article id {art.external_id!r} is already in the database with different text; "
            "give this version another id (front matter or JSON 'id') to import it"
        )
    return False


def _write_all(store: Store, path: Path, spool: _Spool, result: FileResult) -> None:
    """Phase 2: short transactions, each committing after BATCH_SECONDS of work. Each batch
    starts with an article prepared before BEGIN; a long article met inside a batch ends it,
    to be prepared outside the next one."""
    articles = iter(spool)
    waiting = next(articles, None)  # parsed, not yet prepared
    pending: PreparedArticle | None = None
    try:
        while waiting is not None:
            pending = prepare_article(waiting)
            waiting = None
            batch = FileResult(path)  # counted into result once committed
            deadline = time.monotonic() + BATCH_SECONDS
            with store.write() as conn:
                while pending is not None:
                    art = pending.article
                    _id, added = add_article(conn, pending)
                    if added:
                        batch.added += 1
                        batch.sentences += len(art.sentences)
                        batch.notes.extend(art.notes)
                    else:
                        batch.unchanged += 1
                        batch.unchanged_ids.append(art.external_id)
                    pending = None
                    waiting = next(articles, None)
                    if waiting is None or time.monotonic() >= deadline:
                        break
                    if len(waiting.sentences) <= PREPARE_INSIDE:
                        pending, waiting = prepare_article(waiting), None
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


class _Spool:
    """Parsed articles of one file: in memory up to SPOOL_MEMORY characters of text or
    SPOOL_ARTICLES articles, then all of them on disk, so memory is bounded by the budget
    or the largest article."""

    def __init__(self) -> None:
        self._held: list[ParsedArticle] = []
        self._held_chars = 0
        self._file: IO[bytes] | None = None
        self._count = 0
        self.last_line: int | None = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()  # an unnamed temporary file: closing frees the disk

    def add(self, art: ParsedArticle) -> None:
        self._count += 1
        if self._file is None:
            self._held.append(art)
            self._held_chars += len(art.text)
            held = len(self._held)
            if held == 1 or (self._held_chars <= SPOOL_MEMORY and held <= SPOOL_ARTICLES):
                return
            # closed by __exit__, with the spool
            self._file = tempfile.TemporaryFile(prefix="annotator-import-")  # noqa: SIM115
            for waiting in self._held:
                _pack(waiting, self._file)
            self._held = []
            return
        _pack(art, self._file)

    def __iter__(self) -> Iterator[ParsedArticle]:
        if self._file is None:
            yield from self._held
            return
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._count):
            yield _unpack(self._file)


def _pack(art: ParsedArticle, out: IO[bytes]) -> None:
    # plain tuples pickle several times faster than dataclasses, and the sentences' text
    # is a slice of the article's: store their offsets, not the text again
    sentences = [
        (
            s.position,
            s.paragraph,
            s.start,
            s.end,
            s.kind,
            [(lk.start, lk.end, lk.url) for lk in s.links] if s.links else None,
            s.counts.words,
            s.counts.syllables,
            s.counts.sentences,
        )
        for s in art.sentences
    ]
    fields = {k: v for k, v in vars(art).items() if k != "sentences"}
    pickle.dump((fields, sentences), out, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(src: IO[bytes]) -> ParsedArticle:
    # our own file, written above in this process: pickle is safe here
    fields, rows = pickle.load(src)
    text: str = fields["text"]
    sentences: list[ParsedSentence] = []
    row: Any
    for row in rows:
        pos, para, start, end, kind, links, words, syllables, n = row
        sentence = ParsedSentence(
            pos,
            para,
            start,
            end,
            kind,
            text[start:end],
            tuple(Link(*lk) for lk in links) if links else (),
            readability.Counts(words, syllables, n),
        )
        sentences.append(sentence)
    return ParsedArticle(sentences=sentences, **fields)
