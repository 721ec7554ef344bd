"""The input files themselves: which ones an import reads (by suffix, folders walked in a
stable order), and refusing by name, before any open() could block, whatever is not a
regular file (a FIFO, a socket, a device). `InputError` is the one error of a file that
cannot be imported, `FILE:LINE: reason`; ingest/reading.py reads the files' contents.
What the bytes are also decides: an HTML page under any name, valid UTF-8 despite an
--encoding, a feed saved as text (refused).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# the suffixes a text file is read by: a file named otherwise that opens as an HTML page is
# one (a mirror made by wget or HTTrack names pages by their address: article.php,
# story.aspx, page.shtml, index.html?id=3, or no suffix at all; audit6 F20)
_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SUFFIXES = _TEXT_SUFFIXES + HTML_SUFFIXES
_SNIFF_BYTES = 1024


class InputError(ValueError):
    """A file that cannot be imported; str() is `FILE:LINE: reason`."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, int | None, str]]:
        # raised in an import worker process and re-raised in the importer: pickled by its
        # three parts (the default would call InputError(message))
        return (InputError, (self.path, self.line, self.reason))


def file_kind(mode: int) -> str | None:
    """What a non-regular file is, for a message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_regular(path: Path | str) -> None:
    """Refuse, by name and before any open(), whatever is not a regular file.

    Opening a FIFO blocks until a writer comes (forever, in an import that used to hold the
    database's write lock meanwhile); a device or socket is never an article file.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except OSError as e:
        raise InputError(path, None, f"cannot read: {e.strerror or e}") from None
    kind = file_kind(mode)
    if kind:
        raise InputError(path, None, f"{kind}, not a regular file: refused")


def open_regular(path: Path | str) -> BinaryIO:
    """Open a regular file for reading, checking again on the open descriptor: the name
    could have been swapped for a FIFO between the check and the open (O_NONBLOCK keeps even
    that open from waiting for a writer)."""
    check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise InputError(path, None, f"cannot read: {e.strerror or e}") from None
    kind = file_kind(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise InputError(path, None, f"{kind}, not a regular file: refused")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def is_html_page(path: Path | str) -> bool:
    """Is this file an HTML page: named .html/.htm/.xhtml, or named otherwise (not as text
    is) and opening, after a byte order mark, an XML declaration, spaces and comments, with
    `<!doctype html` or `<html`? Reads at most its first KB; False for what cannot be read."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in _TEXT_SUFFIXES:
        return False
    try:
        with open_regular(path) as fh:
            head = fh.read(_SNIFF_BYTES)
    except (OSError, ValueError):
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith(b"<?xml"):
        # XHTML as sites of the 2000s served it: an XML declaration first (audit11 F22)
        end = head.find(b"?>")
        if end < 0:
            return False
        head = head[end + 2 :].lstrip()
    while head.startswith(b"<!--"):  # a comment before the doctype (a mirror's stamp)
        end = head.find(b"-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return head.startswith((b"<!doctype html", b"<html"))


def iter_paths(
    paths: list[Path],
    others: list[Path] | None = None,
    passed: list[tuple[Path, str]] | None = None,
) -> Iterator[Path | InputError]:
    """Files to import, in a stable order: named files as given, folders walked sorted.

    What cannot be walked (an unreadable subfolder) or is not a regular file (a FIFO, a
    socket, a device named like an article file) comes out as an InputError to report, never
    skipped without a word; nothing here opens a file. Files of other types are skipped
    (added to `others`, if given, for the caller to say). A link to a folder is not followed
    (no loops, nothing outside the folder given), and hidden files and folders are skipped;
    both are added to `passed` with the reason ("a link to a folder", "hidden"), a hidden
    one only when it is an article file or a folder holding one (not .git, .DS_Store), for
    the caller to say (audit11 F5).
    """
    for p in paths:
        if p.is_dir():
            yield from _walk(p, others, passed)
        else:
            yield p


def _holds_articles(folder: str) -> bool:
    """Does this folder hold an article file, directly? (Read for a hidden folder only.)"""
    try:
        with os.scandir(folder) as it:
            return any(Path(e.name).suffix.lower() in SUFFIXES for e in it)
    except OSError:
        return False


def _walk(
    root: Path, others: list[Path] | None, passed: list[tuple[Path, str]] | None
) -> Iterator[Path | InputError]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as e:
        yield InputError(root, None, f"cannot read folder: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            if passed is not None and (
                Path(entry.name).suffix.lower() in SUFFIXES
                or (entry.is_dir(follow_symlinks=False) and _holds_articles(entry.path))
            ):
                passed.append((Path(entry.path), "hidden"))
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            mode = None if is_dir else entry.stat().st_mode
        except OSError as e:
            if Path(entry.name).suffix.lower() in SUFFIXES:
                yield InputError(path, None, f"cannot read: {e.strerror or e}")
            continue
        if is_dir:
            yield from _walk(path, others, passed)
            continue
        if mode is not None and stat.S_ISDIR(mode):
            # a link to a folder: not followed (no loops, nothing outside), but said
            if passed is not None:
                passed.append((path, "a link to a folder"))
            continue
        if Path(entry.name).suffix.lower() not in SUFFIXES or mode is None:
            if mode is not None and stat.S_ISREG(mode) and is_html_page(path):
                yield path  # a page saved under its address's name
                continue
            if others is not None and mode is not None and stat.S_ISREG(mode):
                others.append(path)
            continue
        kind = file_kind(mode)
        if kind:
            yield InputError(path, None, f"{kind}, not a regular file: refused")
        else:
            yield path


def utf8_after_all(data: bytes, encoding: str) -> bool:
    """Is a file given an --encoding valid UTF-8 holding more than ASCII, while the encoding
    is an 8-bit one (not UTF-8 itself, nor UTF-16/32, whose bytes can pass as UTF-8)?"""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if name.startswith(("utf-8", "utf-16", "utf-32", "utf_16", "utf_32")) or b"\x00" in data:
        return False
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_FEED = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)


def refuse_feed(text: str, path: Path) -> None:
    """An RSS or Atom feed saved as text is many articles in markup, not one article: it
    was imported as one or two "sentences" of tags (audit6 F18)."""
    m = _FEED.match(text[:4096])
    if m is not None:
        kind = "an Atom feed" if m.group(1) == "feed" else "an RSS feed"
        raise InputError(
            path,
            None,
            f"{kind}, not an article: write its items as JSON Lines (one item per line, "
            "with its id and text) and import that",
        )
