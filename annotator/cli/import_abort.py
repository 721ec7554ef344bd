"""An import that brought nothing in: no database left behind that it made.

A new database file exists from SQLite's first write (its 4 KB header); the migrations and
the guidelines follow. A Ctrl-C in the first moments of an import (audit5 F2, audit11 F11),
or an import whose every file failed (audit9b F16), left a file that the next command took
for a project. Here the import notes what was at the database's path before it began; when
nothing went in, the database file that was not there before is removed, with the WAL,
shared-memory and journal files beside it that were not there before either. Nothing that
existed before the import, nothing that is not a regular file, and no database holding an
article, an event or a team member (another run could have made the file at the same
moment) is ever removed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Callable
from pathlib import Path

from annotator.store.database_file import holds_work

# SQLite's files beside a database (WAL mode: -wal and -shm; rollback journal: -journal)
SIBLINGS = ("", "-wal", "-shm", "-journal")


def absent(db: Path) -> frozenset[str]:
    """Which of the database's files do not exist (not even as a dangling link) now."""
    missing = set()
    for suffix in SIBLINGS:
        try:
            os.lstat(f"{db}{suffix}")
        except FileNotFoundError:
            missing.add(suffix)
        except OSError:
            pass  # unknown: treated as existing, so never removed
    return frozenset(missing)


def remove_new_and_unused(db: Path, missing_before: frozenset[str]) -> bool:
    """After an import that brought nothing in (every file failed): remove the database
    this run created, and the files beside it this run made (audit9b F16: a first import
    whose every file failed left an empty database, and the next command found an empty
    project instead of "no such database"). The caller knows nothing was written to it."""
    if "" not in missing_before:
        return False
    gc.collect()  # any connection the import left to the collector closes first
    if holds_work(db):
        return False  # another run's work (it made the file at the same moment), or not ours
    return _remove_made(db, missing_before)


def _remove_made(db: Path, missing_before: frozenset[str]) -> bool:
    """Remove the regular files at the database's paths that were not there before this
    run; True when the database file is gone."""
    for suffix in SIBLINGS:
        if suffix not in missing_before:
            continue
        path = f"{db}{suffix}"
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)
    return not os.path.lexists(db)


def database_files(db: Path) -> Callable[[Path], bool]:
    """Is a path the database (or its -wal, -shm, -journal), by any name: the same file
    (a hard link, a symlink) or the same real path? A folder given to `import` may hold
    the project's database (audit11 F16: it was read as an article file, or listed among
    the folder's other files)."""
    real = {os.path.realpath(f"{db}{suffix}") for suffix in SIBLINGS}
    ids = set()
    for suffix in SIBLINGS:
        with contextlib.suppress(OSError):
            st = os.stat(f"{db}{suffix}")
            ids.add((st.st_dev, st.st_ino))

    def ours(path: Path) -> bool:
        if os.path.realpath(path) in real:
            return True
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) in ids

    return ours
