"""Write to temporary names and rename into place, so an interrupted export never leaves a
half-written file (or folder) under the name the user asked for.

Every temporary name is `.NAME.XXXXXXXX.partial` (an old folder on its way out:
`.NAME.XXXXXXXX.old`) beside NAME, and its writer holds an flock on it while it lives. An
export killed midway leaves its temporary behind, unlocked: the next export to the same
place removes it (clean_stale), and only names of exactly that pattern whose lock it can
take, so a running export's files and anything of the user's are left alone.

A full disk (or quota) ends the export with one line and nothing renamed into place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.export.target import OutputError

_RANDOM = r"[A-Za-z0-9_]{8}"  # what mkstemp/mkdtemp put between prefix and suffix
PART_PREFIX = ".export-part."  # parallel.py's helper writes its half there
_PART = re.compile(re.escape(PART_PREFIX) + _RANDOM + r"\.partial")
_FULL = (errno.ENOSPC, errno.EDQUOT)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stale_name(name: str) -> re.Pattern[str]:
    # `.old-PID`: what earlier versions left when killed while replacing a folder
    return re.compile(rf"\.{re.escape(name)}\.(?:{_RANDOM}\.(?:partial|old)|old-\d+)")


def lock(fd: int) -> None:
    """Mark a temporary as in use for as long as `fd` is open (clean_stale leaves it)."""
    fcntl.flock(fd, fcntl.LOCK_EX)


def clean_stale(folder: Path, name: str) -> list[Path]:
    """Remove what interrupted exports to `folder/name` left: temporaries of our name pattern
    (and the helper's part files) that nobody holds. The paths removed."""
    pattern = _stale_name(name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (pattern.fullmatch(entry.name) or _PART.fullmatch(entry.name)):
            continue
        if entry.is_symlink():
            continue
        is_dir = entry.is_dir(follow_symlinks=False)
        if not (is_dir or entry.is_file(follow_symlinks=False)):
            continue
        flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_DIRECTORY if is_dir else 0)
        try:
            fd = os.open(entry.path, flags)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a running export's: not stale
            if is_dir:
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            removed.append(Path(entry.path))
        finally:
            os.close(fd)
    return removed


def mount_point(path: Path) -> Path:
    """The mount point of the file system `path` (or its nearest existing folder) is on."""
    p = Path(os.path.realpath(path))
    while not p.exists():
        p = p.parent
    while not os.path.ismount(p):
        p = p.parent
    return p


def no_space(path: Path) -> OutputError:
    return OutputError(
        f"no space left on {mount_point(path.parent)} while writing {path}; nothing written"
    )


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        if e.errno in _FULL:
            raise no_space(path) from None
        raise OutputError(f"{path}: cannot make its folder {path.parent} ({e.strerror})") from None


class Staging:
    """Text files written under temporary names and renamed into place together, once every
    one is complete (and on disk): a failure in any leaves all the targets as they were."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path, IO[str]]] = []

    def text(self, path: Path, newline: str | None = None) -> IO[str]:
        _make_parent(path)
        clean_stale(path.parent, path.name)
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        except OSError as e:
            if e.errno in _FULL:
                raise no_space(path) from None
            raise OutputError(f"{path}: cannot write in {path.parent} ({e.strerror})") from None
        lock(fd)
        # mkstemp makes the file private (0600); the export should have the usual permissions
        os.chmod(tmp, 0o666 & ~_umask())
        fh = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        self._files.append((Path(tmp), path, fh))
        return fh

    def commit(self) -> None:
        for _tmp, _path, fh in self._files:
            fh.flush()
            os.fsync(fh.fileno())
        for tmp, path, _fh in self._files:
            os.replace(tmp, path)
        for _tmp, _path, fh in self._files:  # the locks go last: after the renames
            fh.close()
        self._files.clear()

    def abort(self) -> None:
        for tmp, _path, fh in self._files:
            with contextlib.suppress(OSError):
                fh.close()  # its last flush may fail again on a full disk
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._files.clear()

    def first(self) -> Path | None:
        return self._files[0][1] if self._files else None


@contextlib.contextmanager
def staged() -> Iterator[Staging]:
    s = Staging()
    try:
        yield s
        s.commit()
    except BaseException as e:
        target = s.first()
        s.abort()
        if isinstance(e, OSError) and e.errno in _FULL and target is not None:
            raise no_space(target) from None
        raise


@contextlib.contextmanager
def atomic_text(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    with staged() as s:
        yield s.text(path, newline)


@contextlib.contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """A fresh folder to fill; it replaces `path` only once it is complete (the caller has
    checked that `path` may be replaced: target.check_folder)."""
    _make_parent(path)
    clean_stale(path.parent, path.name)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    except OSError as e:
        if e.errno in _FULL:
            raise no_space(path) from None
        raise OutputError(f"{path}: cannot write in {path.parent} ({e.strerror})") from None
    tmp_fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY)
    lock(tmp_fd)
    os.chmod(tmp, 0o777 & ~_umask())
    try:
        yield tmp
        if os.path.lexists(path):
            # the old folder goes to a temporary name of ours (locked, so a concurrent
            # export leaves it), then the new one takes its place
            old_fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            try:
                lock(old_fd)
                trash = Path(
                    tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent)
                )
                os.replace(path, trash)  # onto the empty folder mkdtemp made
                os.replace(tmp, path)
                shutil.rmtree(trash, ignore_errors=True)
            finally:
                os.close(old_fd)
        else:
            os.replace(tmp, path)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError) and e.errno in _FULL:
            raise no_space(path) from None
        raise
    finally:
        os.close(tmp_fd)
