"""A file's parsed articles on their way from parsing to the write (store/imports.py):
each with what the importer checks of it before writing (`Parsed`), packed (pickled, ready
to write) when a worker parsed it, held in memory up to a budget and past it in an unnamed
temporary file (`Spool`), so memory is bounded by the budget or the largest article."""

from __future__ import annotations

import hashlib
import pickle
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from annotator.ingest.articles import ParsedArticle, read_articles
from annotator.store.articles import PreparedArticle, prepare_article, ship, unship

# How much of a file's parsed articles may wait in memory before they go to disk: this many
# characters of text, or this many articles (each costs a few KB of objects beside its text).
SPOOL_MEMORY = 16_000_000
SPOOL_ARTICLES = 1_000


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed article and what phase 1 checks of it in this process. `article` is packed
    (bytes, see pack) when a worker parsed it."""

    external_id: str
    line: int
    sha: str
    chars: int
    article: ParsedArticle | bytes
    original_sha: str = ""  # of the source bytes: the same file, whatever the cleaning makes

    def __reduce__(self) -> tuple[type[Parsed], tuple[object, ...]]:
        # a worker's answer holds one per article: rebuilt by the constructor, not a frozen
        # slots dataclass's field-by-field __setstate__ (about 5 us an article)
        return (
            Parsed,
            (self.external_id, self.line, self.sha, self.chars, self.article, self.original_sha),
        )

    def unpacked(self) -> ParsedArticle | PreparedArticle:
        return unpack(self.article) if isinstance(self.article, bytes) else self.article


def make_parsed(art: ParsedArticle, *, packed: bool) -> Parsed:
    # a file name that is not UTF-8 (Python keeps its bytes as lone surrogates) cannot
    # be stored as text: keep it readable, with U+FFFD for the bytes
    art.source_path = storable(art.source_path)
    art.external_id = storable(art.external_id)
    return Parsed(
        art.external_id,
        art.source_line,
        art.text_sha256,
        len(art.text),
        pack(art) if packed else art,
        hashlib.sha256(art.original).hexdigest(),
    )


def serial(path: Path, encoding: str | None, name_id: str | None = None) -> Iterator[Parsed]:
    for art in read_articles(path, encoding=encoding, name_id=name_id):
        yield make_parsed(art, packed=False)


def storable(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a surrogate that no file name's byte became
            return text.encode("utf-8", "replace").decode("utf-8")


class Spool:
    """Parsed articles of one file: in memory up to SPOOL_MEMORY characters of text or
    SPOOL_ARTICLES articles, then all of them on disk, so memory is bounded by the budget
    or the largest article."""

    def __init__(self) -> None:
        self._held: list[Parsed] = []
        self._held_chars = 0
        self._file: IO[bytes] | None = None
        self._count = 0
        self.last_line: int | None = None

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()  # an unnamed temporary file: closing frees the disk

    def add(self, art: Parsed) -> None:
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

    def _write(self, art: Parsed) -> None:
        assert self._file is not None
        data = art.article if isinstance(art.article, bytes) else pack(art.article)
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
            yield unpack(self._file.read(size))


def pack(art: ParsedArticle) -> bytes:
    """The article ready to write (its rows built by prepare_article, in the worker that
    parsed the article, not in the one process that writes), pickled as plain values
    (store/articles.py ship: the parsed sentences and offset map left out, which the rows
    and the map's JSON say, and no class for the unpickler to look up)."""
    return pickle.dumps(ship(prepare_article(art)), pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes) -> PreparedArticle:
    # our own bytes, from this process or its own workers: pickle is safe here
    shipped = pickle.loads(data)
    assert isinstance(shipped, tuple)
    return unship(*shipped)
