"""Where an export may go: checked before anything is opened or written.

An export never overwrites the database it reads (the file itself or its -wal, -shm or
-journal sibling, whatever name reaches it), a device, a FIFO, a socket, a folder, or a file
or folder it did not write itself. What is ours:

- a file: one whose first line is the first line of one of our formats (a record of every
  format has its own set of keys; csv its header), or an empty file; `--force` lets an
  export replace any other regular file, never the database or a non-regular file.
- an hf folder: one carrying our manifest (MANIFEST) and nothing it does not list, or an
  empty folder. No `--force` for folders: a dataset repository's .git is not ours to delete.

A symbolic link is followed: the export replaces the file it names, after these checks.
Nothing here writes; stale temporary files are cleaned by atomic.clean_stale.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

MANIFEST = ".annotator-export.json"
DB_SIBLINGS = ("", "-wal", "-shm", "-journal")
# the first line of an export of ours is read up to this many bytes to recognise it
SNIFF_BYTES = 1 << 20

# the keys that open a record of each line format (see formats.py, records.py): a file
# whose first line is a JSON object holding one of these sets is an export of ours
_RECORD_KEYS = (
    {"id", "article_id", "position", "kind", "start", "end", "text", "article"},  # jsonl
    {"text", "options", "meta", "_input_hash", "_task_hash", "_view_id"},  # prodigy
    {"text", "article_id", "position", "start", "end", "label"},  # doccano
    {"id", "title", "outlet", "annotations", "gold", "outlet_fields"},  # articles sidecar
)
_CSV_HEADS = (
    "id,article_id,article_title,outlet,position,paragraph,kind,start,end,text,",
    "article_id,title,outlet,author,published,url,language,meta,who",
    "article_id,title,outlet,author,published,url,language,who",  # before they carried meta
    "article_id,title,outlet,author,published,url,who",  # before exports carried the language
)


class OutputError(Exception):
    """The export cannot go where asked; the message (one line) is for the user."""


def _kind(mode: int) -> str | None:
    """What a non-regular, non-folder file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (a pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _db_files(db: Path) -> list[tuple[Path, str]]:
    """The database and its siblings, by their real paths, with what each is."""
    real = os.path.realpath(db)
    names = {"": "", "-wal": "the WAL of ", "-shm": "the shared memory of ", "-journal": ""}
    return [
        (Path(real + s), f"{names[s]}the database" + (" journal" if s == "-journal" else ""))
        for s in DB_SIBLINGS
    ]


def _is_database(path: Path, db: Path) -> str | None:
    """How `path` reaches the database `db` (None if it does not)."""
    real = Path(os.path.realpath(path))
    for sibling, what in _db_files(db):
        if real == sibling:
            return what
        try:
            if os.path.samefile(path, sibling):  # a hard link, a bind mount, another name
                return what
        except OSError:
            continue
    return None


def _refuse_database(path: Path, db: Path) -> None:
    what = _is_database(path, db)
    if what is not None:
        raise OutputError(
            f"{path}: is {what} {db} this export reads; "
            "an export never overwrites it: give another -o path"
        )


def _looks_like_ours(path: Path) -> bool:
    """Is the regular file at `path` empty or an export of ours (by its first line)?"""
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        return False
    if not head:
        return True
    line = head.split(b"\n", 1)[0]
    if head.startswith((b"<View>\n  <Header", b'[\n {\n  "email": ')):
        return True  # label-studio's config and users files (export/label_studio.py)
    if head in (b"[]\n",):
        return True  # label-studio's users file, with nobody in it
    if head.startswith(b"[\n"):  # label-studio: a JSON list, a task a line
        if head == b"[\n]\n":
            return True
        rest = head[2:].split(b"\n", 1)[0]
        return _record_line(rest, {"data", "annotations"})
    text = line.decode("utf-8", "replace")
    if any(text.startswith(h) or text == h.rstrip(",") for h in _CSV_HEADS):
        return True
    return any(_record_line(line, keys) for keys in _RECORD_KEYS)


def _record_line(line: bytes, keys: set[str]) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and keys <= obj.keys()


def _parent_ok(path: Path) -> None:
    """The folder `path` goes in exists or can be made: no file where a folder must be."""
    for up in [path.parent, *path.parent.parents]:
        if up.exists():
            if not up.is_dir():
                raise OutputError(f"{path}: {up} is not a folder")
            return


def check_file(path: Path, db: Path, *, force: bool = False) -> Path:
    """The path to write a single-file export to (a symlink's target), or OutputError."""
    if path.name in ("", ".", "..") or str(path).endswith(os.sep):
        raise OutputError(f"{path}: is a folder; give a file name (e.g. {path / 'export.jsonl'})")
    _refuse_database(path, db)
    try:
        st = os.stat(path)  # follows a symlink: what would be written is what it names
    except FileNotFoundError:
        if os.path.islink(path):  # writing would create whatever it names, wherever that is
            raise OutputError(
                f"{path}: is a symbolic link to nothing ({os.readlink(path)}); "
                "remove it or give another -o path"
            ) from None
        _parent_ok(path)
        return Path(os.path.realpath(path))
    except OSError as e:
        raise OutputError(f"{path}: cannot be checked ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(
            f"{path}: is a folder; give a file name (e.g. {path / 'export.jsonl'}), "
            "or --format hf to write a dataset folder"
        )
    kind = _kind(st.st_mode)
    if kind is not None:
        raise OutputError(
            f"{path}: is {kind}; exports go to regular files only "
            "(use -o - to write to standard output)"
        )
    real = Path(os.path.realpath(path))
    if not force and not _looks_like_ours(real):
        raise OutputError(
            f"{path}: exists and is not an annotator export; not overwritten "
            "(choose another name, remove it, or add --force to replace it)"
        )
    return real


def _listing(folder: Path) -> set[str]:
    """Every file and folder under `folder`, as paths relative to it (symlinks not followed)."""
    found: set[str] = set()
    for root, dirs, files in os.walk(folder):
        rel = os.path.relpath(root, folder)
        for name in dirs + files:
            found.add(name if rel == "." else f"{rel}/{name}")
    return found


def manifest_lists(folder: Path) -> set[str] | None:
    """What our manifest in `folder` says we wrote there (None: no manifest of ours)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tool") != "annotator":
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def check_folder(path: Path, db: Path) -> Path:
    """The folder to (re)place with an hf export, or OutputError."""
    if str(path) == "-":
        raise OutputError(
            "--format hf writes a folder: it cannot go to standard output (-o -); give a folder"
        )
    real = Path(os.path.realpath(path))
    if real == Path(real.anchor) or real.name in ("", ".", ".."):
        raise OutputError(f"{path}: is {real}; give a folder of its own for the dataset")
    cwd = Path.cwd().resolve()
    if real == cwd or real in cwd.parents:
        raise OutputError(
            f"{path}: holds the current folder; give a new folder for the dataset "
            f"(e.g. {path / 'dataset'})"
        )
    _refuse_database(path, db)
    db_real = Path(os.path.realpath(db))
    if real in db_real.parents:
        raise OutputError(
            f"{path}: holds the database {db}; an export never replaces it: give another folder"
        )
    try:
        st = os.stat(path)
    except FileNotFoundError:
        _parent_ok(path)
        return real
    except OSError as e:
        raise OutputError(f"{path}: cannot be checked ({e.strerror})") from None
    if not stat.S_ISDIR(st.st_mode):
        what = _kind(st.st_mode) or "a file"
        raise OutputError(
            f"{path}: is {what}, not a folder; --format hf writes a folder: give a new one"
        )
    present = _listing(real)
    if not present:
        return real
    ours = manifest_lists(real)
    if ours is None:
        shown = ", ".join(sorted(present, key=lambda n: (n.count("/"), n))[:4])
        raise OutputError(
            f"{path}: a folder annotator did not write (it holds {shown}"
            f"{' ...' if len(present) > 4 else ''}); not replaced: give a new folder"
        )
    foreign = sorted(present - ours - {MANIFEST}, key=lambda n: (n.count("/"), n))
    if foreign:
        raise OutputError(
            f"{path}: an earlier export, but it now holds files annotator did not write "
            f"({', '.join(foreign[:4])}{' ...' if len(foreign) > 4 else ''}); not replaced: "
            "move them out or give a new folder"
        )
    return real


def write_manifest(folder: Path, version: str) -> None:
    """Mark `folder` as ours: the manifest lists everything in it (itself aside)."""
    files = sorted(_listing(folder) - {MANIFEST})
    data = {"tool": "annotator", "format": "hf", "version": version, "files": files}
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
