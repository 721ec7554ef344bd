"""A JSON Lines file written while the workers parse it (store/imports.py).

A file with an error imports nothing. Most errors of a JSON Lines file are found by reading
it (JSON, the fields, an id twice in the file, an id stored with other text): `check_jsonl`
reads the whole file for them first, in this process, while the workers parse its first
chunks (about 0.1-0.2 s of CPU per 20 MB, a tenth of the importer's share). A file that
passes is written chunk by chunk as the workers hand the chunks back, in file order
(`Stream`); what only parsing finds (an article with no text after cleaning, the file
changed since it was read) stops it, and store/import_undo.py takes back what was written.
A file that does not pass is parsed whole before any of it is written, as every file was
before, so its error is the one parsing it in order finds (an earlier article may have no
text after cleaning), said the same way.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.ingest.articles import ParsedArticle, article_id, read_sources
from annotator.ingest.reading import InputError
from annotator.store.articles import DuplicateArticle, PreparedArticle, same_source
from annotator.store.database import Store
from annotator.store.import_spool import Parsed, storable
from annotator.store.import_workers import Ahead

# ids looked up in the database together while checking a file
_IDS_PER_QUERY = 500


def check_jsonl(store: Store, path: Path, encoding: str | None) -> bool:
    """Can the file be written as it is parsed? False when reading it finds an error, an id
    repeats, or an id is stored with text from other bytes (an error, or an article already
    stored under another id: only its parsed text can tell)."""
    seen: set[str] = set()
    batch: dict[str, str] = {}
    try:
        for src in read_sources(path, encoding=encoding):
            ext = storable(article_id(src))  # as make_parsed stores it
            if ext in seen:
                return False
            seen.add(ext)
            batch[ext] = hashlib.sha256(src.original).hexdigest()
            if len(batch) >= _IDS_PER_QUERY:
                if not _ids_free(store, batch):
                    return False
                batch.clear()
    except InputError:
        return False
    return _ids_free(store, batch)


def _ids_free(store: Store, batch: dict[str, str]) -> bool:
    """None of these ids is stored, or each was made from the same bytes (unchanged)."""
    if not batch:
        return True
    marks = ",".join("?" * len(batch))
    taken = store.all(
        f"SELECT external_id, original FROM articles WHERE external_id IN ({marks})", list(batch)
    )
    return all(same_source(original, batch[str(ext)]) for ext, original in taken)


def already_imported(
    store: Store, art: Parsed, known: Known | None = None, path: Path | None = None
) -> str | None:
    """The id of the stored article with this text, None when there is none. An id taken by
    different text is refused now, before it is written (add_article checks both again
    under the lock), unless it was made from the very same bytes: a file imported before
    the cleaning rules changed is unchanged, and keeps the segments its labels are on.
    `known`: the database's answers for a group of articles this one is in, looked up
    together (two queries a group, not two an article: audit5 F10). `path`: the article's
    file, for the refusal's advice."""
    if known is None:
        known = Known(store, (art,))
    row = known.by_sha.get(art.sha)
    if row is not None and row == art.external_id:
        return art.external_id
    # the id is checked before the text found under another id: a file that gives a stored
    # id another article's text disagrees with the database on what the id is (audit5 F1)
    if art.external_id in known.by_id:
        if same_source(known.by_id[art.external_id], art.original_sha):
            return art.external_id
        raise DuplicateArticle.taken(art.external_id, None if path is None else str(path))
    return row


class Known:
    """What already_imported asks the database about each of a group of articles, asked
    for all of them at once: the stored id of each text (by its SHA-256), the stored bytes
    of each id. Two queries for a chunk of short items cost what two for one article did
    (a quarter of the importer's own work per item was these look-ups). Valid while the
    database does not change: phase 1 writes nothing, and a JSON Lines file written as it
    is parsed looks a chunk up when it comes back, so an article of its own written since
    (the same text twice in one file) is found by add_article under the lock instead, as a
    file parsed whole finds it."""

    __slots__ = ("by_id", "by_sha")

    def __init__(self, store: Store, arts: Sequence[Parsed]) -> None:
        self.by_sha: dict[str, str] = {}
        self.by_id: dict[str, object] = {}
        for i in range(0, len(arts), _IDS_PER_QUERY):
            group = arts[i : i + _IDS_PER_QUERY]
            marks = ",".join("?" * len(group))
            for sha, ext in store.all(
                f"SELECT text_sha256, external_id FROM articles WHERE text_sha256 IN ({marks})",
                [a.sha for a in group],
            ):
                self.by_sha[str(sha)] = str(ext)
            for ext, original in store.all(
                f"SELECT external_id, original FROM articles WHERE external_id IN ({marks})",
                [a.external_id for a in group],
            ):
                self.by_id[str(ext)] = original


class Stream:
    """The articles of a checked file as the workers hand them back, in file order, less
    those already stored (counted in `unchanged_ids`). `ready()`: is the next one (or the
    end) here without waiting for a worker? The writer asks before taking one inside a
    transaction, so the lock is never held while a worker parses."""

    def __init__(self, store: Store, path: Path, ahead: Ahead, index: int) -> None:
        self._store = store
        self._path = path
        self._ahead = ahead
        self._index = index
        self._chunks = ahead.chunks(index)
        self._waiting: deque[Parsed] = deque()
        self._known: Known | None = None  # the database's answers for the waiting chunk
        self._next: Parsed | None = None  # checked: to be written
        self._ended = False
        self.unchanged_ids: list[str] = []

    def ready(self) -> bool:
        return self._advance(wait=False)

    def next(self) -> ParsedArticle | PreparedArticle | None:
        self._advance(wait=True)
        art, self._next = self._next, None
        return None if art is None else art.unpacked()

    def __iter__(self) -> Iterator[ParsedArticle | PreparedArticle]:
        return iter(self.next, None)

    def _advance(self, *, wait: bool) -> bool:
        """Check articles until one is to be written or the file ends (True), or the next
        chunk is still with a worker and `wait` is False."""
        while self._next is None and not self._ended:
            if not self._waiting:
                if not wait and self._ahead.waiting(self._index):
                    return False
                chunk = next(self._chunks, None)  # a worker's error is raised here
                if chunk is None:
                    self._ended = True
                else:
                    self._waiting.extend(chunk)
                    self._known = Known(self._store, chunk)
                continue
            art = self._waiting.popleft()
            try:
                stored = already_imported(self._store, art, self._known)
            except DuplicateArticle as e:  # stored meanwhile by another import
                raise InputError(self._path, art.line if art.line > 1 else None, str(e)) from None
            if stored is None:
                self._next = art
            else:
                self.unchanged_ids.append(stored)
        return True
