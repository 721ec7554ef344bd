"""Writing a file's parsed articles in short transactions (store/imports.py's phase 2):
as many articles as fit in BATCH_SECONDS, then commit and pause, so an annotator's key
waits at most one batch (or one very large article) for the lock, never for the reading or
the parsing of a file."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator, MutableSequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from annotator.ingest.articles import ParsedArticle
from annotator.ingest.reading import InputError
from annotator.store.articles import PreparedArticle, add_article, prepare_article
from annotator.store.database import Store, StoreError
from annotator.store.signals_held import held

# How long one import transaction may run before it commits and lets others write, and how
# long it then leaves the lock free. The pause matters as much as the batch: a writer that
# finds the lock taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15, 20, 25 ms ...) and
# would keep missing an importer that takes the lock again at once after each commit.
BATCH_SECONDS = 0.01
PAUSE_SECONDS = 0.01
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


class Stopped(Exception):
    """A write refused (a full disk, an id another import took meanwhile) at `line`."""

    def __init__(self, error: StoreError, line: int | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.line = line


def write_batches(
    store: Store,
    path: Path,
    articles: ToWrite,
    result: FileResult,
    added_ids: MutableSequence[int] | None = None,
) -> None:
    """Phase 2: short transactions, each committing after BATCH_SECONDS of work. Each batch
    starts with an article prepared before BEGIN; a long article met inside a batch ends it,
    to be prepared outside the next one, and so does an article still with a worker (a JSON
    Lines file written as it is parsed): the lock is never held waiting. The pause after a
    batch leaves the lock free for others; this process spends it taking the next batch's
    articles out (unpickled, read back from disk, prepared), so that the lock is held for
    SQLite's work and the pause is not also this process's idle time. Raises Stopped when
    a write is refused (what was committed before it is counted in `result`)."""
    waiting = articles.next()  # parsed, perhaps not yet prepared
    pending: PreparedArticle | None = None
    try:
        while waiting is not None:
            pending = prepared(waiting)
            waiting = None
            batch = FileResult(path)  # counted into result once committed
            ids: list[int] = []
            written = 0
            deadline = time.monotonic() + BATCH_SECONDS
            # the commit and the count of what it wrote go together: a Ctrl-C between
            # them would leave a batch in that the file's take-back does not know of. Held
            # from the end of the batch's work only: not while BEGIN waits for the lock
            # (audit8 F9: a Ctrl-C waited out the busy timeout)
            # (foreign_keys=False: the rows are the import's own, see Store.write)
            with ExitStack() as hold:
                with store.write(foreign_keys=False) as conn:
                    while pending is not None:
                        art = pending.article
                        row_id, added = add_article(conn, pending)
                        written += 1
                        if added:
                            ids.append(row_id)
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
                        if time.monotonic() >= deadline or not articles.ready():
                            break
                        waiting = articles.next()
                        if waiting is not None and small(waiting):
                            pending, waiting = prepared(waiting), None
                    hold.enter_context(held())
                result.added += batch.added
                result.sentences += batch.sentences
                result.unchanged += batch.unchanged
                result.notes.extend(batch.notes)
                result.unchanged_ids.extend(batch.unchanged_ids)
                if added_ids is not None:
                    added_ids.extend(ids)
            if waiting is None and articles.ended:
                break
            articles.fill(time.monotonic() + PAUSE_SECONDS, written)
            if waiting is None:
                waiting = articles.next()  # may wait for a worker: no lock is held
    except StoreError as e:  # DuplicateArticle (a concurrent import) or WriteFailed
        where = pending.article.source_line if pending is not None else None
        raise Stopped(e, where if where and where > 1 else None) from e


def small(art: ParsedArticle | PreparedArticle) -> bool:
    """Prepared inside a transaction without holding it long (or prepared already)."""
    return isinstance(art, PreparedArticle) or len(art.sentences) <= PREPARE_INSIDE


class ToWrite:
    """The articles to write, some taken out ahead during a pause (at most as many as the
    last batch wrote: memory stays bounded as the spool, or the workers' queue, bounds it).
    `more_ready`: can the next one be taken without waiting (None: always)."""

    def __init__(
        self,
        articles: Iterator[ParsedArticle | PreparedArticle],
        more_ready: Callable[[], bool] | None = None,
    ) -> None:
        self._articles = articles
        self._more_ready = more_ready
        self._ready: deque[ParsedArticle | PreparedArticle] = deque()
        self._exhausted = False

    @property
    def ended(self) -> bool:
        """Has every article been handed out?"""
        return self._exhausted and not self._ready

    def ready(self) -> bool:
        return bool(self._ready) or self._more_ready is None or self._more_ready()

    def next(self) -> ParsedArticle | PreparedArticle | None:
        if self._ready:
            return self._ready.popleft()
        art = next(self._articles, None)
        self._exhausted = art is None
        return art

    def fill(self, until: float, most: int) -> None:
        """Take up to `most` articles out (prepared, when small) until `until`, while they
        are there without waiting, then sleep for what is left of it (not after the last)."""
        while len(self._ready) < most and time.monotonic() < until:
            if self._more_ready is not None and not self._more_ready():
                break
            art = next(self._articles, None)
            if art is None:
                self._exhausted = True
                if not self._ready:
                    return  # no pause after the last write
                break
            self._ready.append(prepared(art) if small(art) else art)
        rest = until - time.monotonic()
        if rest > 0:
            time.sleep(rest)


def prepared(art: ParsedArticle | PreparedArticle) -> PreparedArticle:
    return art if isinstance(art, PreparedArticle) else prepare_article(art)
