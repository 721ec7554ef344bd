"""Ctrl-C before an import has written anything: no half-made database left behind.

A new database file exists from SQLite's first write (its 4 KB header) to the end of the
migrations, which run in one transaction: a Ctrl-C in between (the first half second of an
import) left a 4 KB file that is not an annotator database, and click printed "Aborted!"
(audit5 F2). Here the import notes what was at the database's path before it began; on an
interrupt before its first article, a file that was not there before and holds no schema is
removed, with the WAL, shared-memory and journal files beside it that were not there
before either. Nothing that existed before the import, nothing that is not a regular file,
and no file with a schema (ours or anyone's) is ever removed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from pathlib import Path

from annotator.store.database import StoreError
from annotator.store.database_file import check_existing

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


def remove_if_new_and_empty(db: Path, missing_before: frozenset[str]) -> bool:
    """Remove the database file made by this run when it holds no schema yet, and its
    sibling files made by this run; True when the database file was removed."""
    if "" not in missing_before:
        return False
    # the interrupted open's connection is only referenced by the frames of the
    # KeyboardInterrupt just handled: collected here, it closes before its files go
    gc.collect()
    try:
        if not stat.S_ISREG(os.lstat(db).st_mode):
            return False
        if check_existing(db):
            return False  # initialised: an empty annotator database, kept
    except FileNotFoundError:
        return False
    except (OSError, StoreError):
        return False  # unreadable, or someone else's SQLite file: not ours to remove
    return _remove_made(db, missing_before)


def remove_new_and_unused(db: Path, missing_before: frozenset[str]) -> bool:
    """After an import that brought nothing in (every file failed): remove the database
    this run created, and the files beside it this run made (audit9b F16: a first import
    whose every file failed left an empty database, and the next command found an empty
    project instead of "no such database"). The caller knows nothing was written to it."""
    if "" not in missing_before:
        return False
    gc.collect()  # any connection the import left to the collector closes first
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
