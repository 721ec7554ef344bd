"""A few HTML pages extracted ahead, in a forked process, while this one loads the rest.

Importing one page spends about 0.3 s in trafilatura (0.2 s importing it and the courlan,
urllib3, htmldate and dateutil it brings; 0.1 s extracting, of which 0.06 s is tld's table
of domain suffixes), and as long again loading our own parser and store (audit5 F5). The
two do not depend on each other: `annotator import page.html` forks at once, before it has
loaded anything else or opened the database; the child imports trafilatura and extracts the
pages while the parent gets ready, then hands each page's result back through a pipe as
JSON. On two cores the page is ready about when the parent asks for it.

The result is what `html.extract` gives in-process: the child runs the same function on the
same bytes (decompressed and decoded as the importer does it, with the import's --encoding)
but for the last step, writing the figures' captions into the text, which needs
the layout's rules (0.09 s to import; the parent has them loaded by then and does it). Each
answer carries the SHA-256 of the bytes it was extracted from, and the parent takes it
only for the bytes it read itself. Anything else -- a page the child did not extract, a
child that failed, was killed or interrupted, a result JSON cannot carry exactly -- and the
parent extracts the page itself, as it did before. Only for imports the workers do not
parse (MAX_PAGES pages, under MAX_BYTES in all), only on Linux and from a process with one
thread (fork is safe there before anything but the command line is loaded), and only in the
process that started it (a forked worker's copy is never read).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import select
import signal
import stat
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from annotator.ingest.input_files import HTML_SUFFIXES

if TYPE_CHECKING:
    from annotator.ingest.html import Extracted
    from annotator.ingest.html_figures import Figure

MAX_PAGES = 8
# more than this in all and the import's worker processes parse the pages
# (store/import_workers.py PARALLEL_BYTES): no need to fork for them here
MAX_BYTES = 1_000_000
# a page read by the child: the import refuses bigger ones (reading.py MAX_HTML_BYTES)
_READ_LIMIT = 64_000_000


class _Ahead:
    def __init__(self, pid: int, pipe: IO[bytes], meanwhile: Callable[[], None] | None) -> None:
        self.pid = pid
        self.owner = os.getpid()
        self.pipe: IO[bytes] | None = pipe
        self.ready: dict[str, dict[str, object]] = {}
        self.meanwhile = meanwhile

    def take(self, data: bytes) -> dict[str, object] | None:
        """The child's answer for these bytes; None: extract them here."""
        if os.getpid() != self.owner:
            return None  # a forked worker's copy: the pipe is not its to read
        key = hashlib.sha256(data).hexdigest()
        if self.meanwhile is not None and key not in self.ready and self.pipe is not None:
            # the child is still at work: this process would only wait, so it does now what
            # it needs after the page anyway (the readability tables, the suggestions'
            # modules: 0.1 s of a one-page import that came after the wait)
            job, self.meanwhile = self.meanwhile, None
            if not select.select([self.pipe], [], [], 0)[0]:
                job()
        while key not in self.ready and self.pipe is not None:
            line = self.pipe.readline()
            if not line:
                self.stop()
                break
            try:
                answer = json.loads(line)
                self.ready[str(answer["sha256"])] = answer
            except (ValueError, KeyError, TypeError):
                self.stop()
        return self.ready.pop(key, None)

    def stop(self) -> None:
        """Close the pipe, end the child if it is still at work, and reap it."""
        if self.pipe is None:
            return
        self.pipe.close()
        self.pipe = None
        with contextlib.suppress(OSError):
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done == 0:
                os.kill(self.pid, signal.SIGKILL)  # ours, not reaped: the pid is still its
                os.waitpid(self.pid, 0)


_ahead: _Ahead | None = None


def start(
    paths: Sequence[Path],
    meanwhile: Callable[[], None] | None = None,
    encoding: str | None = None,
) -> bool:
    """Fork a child that extracts these paths' HTML pages, when they are few and small and
    trafilatura is not loaded yet. True if it started. `meanwhile`: what this process does
    if it asks for a page before the child has it (once, instead of only waiting);
    `encoding`: the import's --encoding, which the pages are decoded with."""
    global _ahead
    if _ahead is not None or sys.platform != "linux" or "trafilatura" in sys.modules:
        return False
    if threading.active_count() > 1:
        return False  # a fork copies one thread: another's lock could be held for ever
    pages: list[Path] = []
    size = 0
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            return False  # a folder (its pages are counted by the import), a device
        size += st.st_size
        if p.suffix.lower() in HTML_SUFFIXES:
            pages.append(p)
    if not pages or len(pages) > MAX_PAGES or size > MAX_BYTES:
        return False
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return False
    if pid == 0:  # the child: never returns
        os.close(read)
        _child(pages, write, encoding)
    os.close(write)
    _ahead = _Ahead(pid, os.fdopen(read, "rb"), meanwhile)
    atexit.register(stop)
    return True


def take(data: bytes) -> tuple[Extracted, list[Figure]] | str | None:
    """The page extracted ahead from these bytes, with its figures still to write into the
    text (html.extract_unplaced), or the NoText message; None when there is none
    (html.extract then does it here)."""
    if _ahead is None:
        return None
    answer = _ahead.take(data)
    if answer is None:
        return None
    if "no_text" in answer:
        return str(answer["no_text"])
    page = answer.get("page")
    if not isinstance(page, dict):
        return None
    from annotator.ingest.html import Extracted

    try:
        found = answer["figures"]
        if not isinstance(found, list):
            return None
        figures = [(int(at), str(c), str(cr), str(src)) for at, c, cr, src in found]
        return Extracted(**page), figures
    except (TypeError, ValueError, KeyError):
        return None


def stop() -> None:
    if _ahead is not None:
        _ahead.stop()


def _child(pages: list[Path], write: int, encoding: str | None) -> None:
    code = 0
    try:
        # nothing of the parent's to run or flush here; nothing said twice
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        from dataclasses import asdict

        from annotator.ingest.html import NoText, extract_unplaced
        from annotator.ingest.html_bytes import plain_page
        from annotator.ingest.input_files import InputError

        with os.fdopen(write, "wb") as out:
            for path in pages:
                raw = _read(path)
                if raw is None:
                    continue
                try:
                    # the bytes the importer extracts (reading.read_html_file; a page between
                    # its limit and this one is extracted here for nothing, and refused there)
                    data = plain_page(raw, path, encoding, _READ_LIMIT).data
                except InputError:
                    continue  # refused before extraction: the importer says why
                answer: dict[str, object] = {"sha256": hashlib.sha256(data).hexdigest()}
                try:
                    extracted, figures = extract_unplaced(data)
                    page = asdict(extracted)
                    # only what JSON carries exactly (str, None, lists and dicts of them)
                    if json.loads(json.dumps(page)) == page:
                        answer["page"] = page
                        answer["figures"] = figures
                except NoText as e:
                    answer["no_text"] = str(e)
                except Exception:
                    pass  # the parent extracts it and says what is wrong
                out.write(json.dumps(answer).encode("utf-8") + b"\n")
                out.flush()
    except BaseException:  # Ctrl-C, a closed pipe: the parent does the rest
        code = 1
    finally:
        os._exit(code)


def _read(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file (a FIFO would wait for a writer)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = fh.read(_READ_LIMIT + 1)
    return data if len(data) <= _READ_LIMIT else None
