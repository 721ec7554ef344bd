"""Guidelines: the label schema plus the human-readable Markdown that explains it.

A guidelines folder holds `labels.toml` and the Markdown file it names. Each label and field
has a section whose heading starts with its name (`## ATTRIBUTED (a)`), so the annotation
screen can show the guideline of one label without a Markdown parser.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from annotator.models.schema_errors import SCHEMA_FILE, SchemaError

if TYPE_CHECKING:  # the schema's pydantic is imported only to parse one (load_guidelines)
    from annotator.schema import LabelSchema

# a guidelines file is prose for people: anything bigger is a mistake (or an attack)
MAX_FILE_BYTES = 10 * 1024 * 1024
# labels.toml is read again by every command (the stored copy): an 8.9 MB schema was
# adopted, and then `status` took 4 s and `agreement` 186 MB (audit12 F17); the bundled
# one is 6 KB (schema.py bounds its labels, fields and values)
MAX_SCHEMA_BYTES = 1024 * 1024

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Guidelines:
    schema: LabelSchema
    markdown: str
    source: str
    """Where they were read from (a folder), or 'database' when restored from one."""
    toml: str = ""
    """The text of labels.toml as read (stored with the guidelines)."""

    @property
    def version(self) -> str:
        """Schema version plus a hash of the prose, so a dataset names exactly what was used."""
        prose = hashlib.sha256(self.markdown.encode()).hexdigest()[:8]
        return f"{self.schema.info.version}+{prose}"

    def section(self, name: str) -> str | None:
        """The Markdown section whose heading starts with `name` (a label or field name)."""
        return markdown_section(self.markdown, name)


def markdown_section(markdown: str, name: str) -> str | None:
    lines = markdown.splitlines()
    start = level = None
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if not m:
            continue
        depth = len(m.group(1))
        if start is None:
            words = m.group(2).split()
            if words and words[0].strip("`*_:") == name:
                start, level = i, depth
        elif level is not None and depth <= level:
            return "\n".join(lines[start:i]).strip()
    return "\n".join(lines[start:]).strip() if start is not None else None


def default_guidelines_dir() -> Path:
    """The guidelines that ship with annotator.

    In a wheel they are package data (`annotator/_guidelines`); in a source checkout they are
    the top-level `guidelines/` folder that people read and edit.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "_guidelines"
    if (packaged / SCHEMA_FILE).is_file():
        return packaged
    return here.parent / "guidelines"


def load_guidelines(folder: Path | None = None) -> Guidelines:
    """Read and validate a guidelines folder (the default one if `folder` is None).

    The folder is a boundary: `labels.toml` and the Markdown file it names must be regular
    files inside it (no absolute path, no `..` or symbolic link leading out), because what is
    read here is stored in the shared database and shown to every annotator of the project.
    """
    from annotator.schema import parse_schema

    folder = folder or default_guidelines_dir()
    toml_path = folder / SCHEMA_FILE
    text = read_inside(
        folder,
        SCHEMA_FILE,
        str(toml_path),
        f"no label schema here (expected {SCHEMA_FILE})",
        MAX_SCHEMA_BYTES,
    )
    schema = parse_schema(text, str(toml_path))
    name = schema.info.guidelines
    where = f"{toml_path}: schema.guidelines = {name!r}"
    problem = _name_problem(name)
    if problem:
        raise SchemaError(f"{where} {problem}")
    markdown = read_inside(folder, name, where, f"no such file in {folder}")
    return Guidelines(schema=schema, markdown=markdown, source=str(folder), toml=text)


def _name_problem(name: str) -> str | None:
    """Why a file name from labels.toml cannot name a file of the folder, or None."""
    if not name:
        return "is empty: name the Markdown file of the folder"
    if "\x00" in name:
        return "holds a NUL character"
    if PurePosixPath(name).is_absolute() or name.startswith("~"):
        return "is an absolute path: name a file inside the guidelines folder"
    return None


def read_inside(
    folder: Path, name: str, where: str, missing: str, limit: int = MAX_FILE_BYTES
) -> str:
    """The UTF-8 text of the regular file `name` inside `folder`, or a SchemaError that
    starts with `where` (the file, or the key of labels.toml that named it).

    The file type is checked before the file is opened, and it is opened without blocking
    and checked again, so a FIFO or a device in place of the file is refused, not waited on.
    """
    root = os.path.realpath(folder)
    real = os.path.realpath(folder / name)
    if real == root or os.path.commonpath([root, real]) != root:
        raise SchemaError(
            f"{where}: leads outside the guidelines folder {folder} (through '..', an "
            "absolute path or a symbolic link); keep the file inside the folder"
        )
    try:
        _check_type(os.stat(real).st_mode, where)
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise SchemaError(f"{where}: {missing}") from None
    except OSError as e:
        raise SchemaError(f"{where}: cannot be read ({e.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        _check_type(os.fstat(fd).st_mode, where)
        try:
            data = fh.read(limit + 1)
        except OSError as e:
            raise SchemaError(f"{where}: cannot be read ({e.strerror})") from None
    if len(data) > limit:
        raise SchemaError(f"{where}: more than {limit:,} bytes, too big for a guidelines file")
    try:
        # a byte order mark (Windows Notepad saves one) is no part of the text: TOML read it
        # as "labels.toml:1: Invalid statement", with no hint of why (audit12 F17)
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SchemaError(f"{where}: line {line}: not UTF-8 text ({e.reason})") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SchemaError(f"{where}: line {line}: a NUL byte; this is not a text file")
    return text


def _check_type(mode: int, where: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a FIFO (named pipe)"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    else:
        kind = "not a regular file"
    raise SchemaError(f"{where}: is {kind}, not a regular file")
