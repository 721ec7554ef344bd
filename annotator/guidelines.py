"""Guidelines: the label schema plus the human-readable Markdown that explains it.

A guidelines folder holds `labels.toml` and the Markdown file it names. Each label and field
has a section whose heading starts with its name (`## ATTRIBUTED (a)`), so the annotation
screen can show the guideline of one label without a Markdown parser.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.schema import SCHEMA_FILE, LabelSchema, SchemaError, parse_schema

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Guidelines:
    schema: LabelSchema
    markdown: str
    source: str
    """Where they were read from (a folder), or 'database' when restored from one."""

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
    """Read and validate a guidelines folder (the default one if `folder` is None)."""
    folder = folder or default_guidelines_dir()
    toml_path = folder / SCHEMA_FILE
    try:
        text = toml_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(f"{toml_path}: no label schema here (expected {SCHEMA_FILE})") from None
    except UnicodeDecodeError as e:
        raise SchemaError(f"{toml_path}: not UTF-8 text ({e.reason})") from None
    schema = parse_schema(text, str(toml_path))
    md_path = folder / schema.info.guidelines
    try:
        markdown = md_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(
            f"{toml_path}: schema.guidelines names {md_path.name}, which does not exist in {folder}"
        ) from None
    return Guidelines(schema=schema, markdown=markdown, source=str(folder))
