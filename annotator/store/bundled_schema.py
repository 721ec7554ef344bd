"""The bundled guidelines stored in a new database without parsing them.

The first import, the one that makes the project, stored the bundled guidelines through the
label schema's pydantic model (0.10-0.15 s of a 0.5-0.7 s start; audit11 F9). What parsing
them gives is kept here as a digest (bundled_schema.json, next to this file) with the
SHA-256 of the labels.toml it came from: when the file is the same, the digest is stored as
it is; when it is not (an edited checkout), the caller parses the file as before.
tests/test_bundled_schema.py fails when the digest is stale (`UPDATE_EXPECTED=1` rewrites it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.guidelines import default_guidelines_dir, read_inside
from annotator.models.schema_errors import SCHEMA_FILE
from annotator.store.database import Store
from annotator.store.schema_rows import LabelRow, StoredSchema, label_rows, save_schema

if TYPE_CHECKING:
    from annotator.guidelines import Guidelines

DIGEST = Path(__file__).with_name("bundled_schema.json")


def digest_of(g: Guidelines) -> dict[str, Any]:
    """What storing `g` writes, as the JSON kept in DIGEST."""
    s = g.schema
    return {
        "labels_toml_sha256": hashlib.sha256(g.toml.encode()).hexdigest(),
        "guidelines": s.info.guidelines,
        "hash": s.hash,
        "name": s.info.name,
        "version": s.info.version,
        "schema_json": s.canonical_json(),
        "labels": [list(row) for row in label_rows(s)],
    }


def store_bundled(store: Store) -> bool:
    """Store the bundled guidelines as the project's from the digest; False (nothing stored)
    when the digest is missing or was made from another labels.toml."""
    try:
        digest = json.loads(DIGEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    folder = default_guidelines_dir()
    where = str(folder / SCHEMA_FILE)
    toml_text = read_inside(folder, SCHEMA_FILE, where, f"no label schema here ({where})")
    if hashlib.sha256(toml_text.encode()).hexdigest() != digest.get("labels_toml_sha256"):
        return False
    name = digest["guidelines"]
    markdown = read_inside(folder, name, f"{where}: schema.guidelines = {name!r}", "missing")
    save_schema(
        store,
        StoredSchema(
            digest["hash"],
            digest["name"],
            digest["version"],
            toml_text,
            markdown,
            digest["schema_json"],
            [LabelRow(*row) for row in digest["labels"]],
        ),
    )
    return True
