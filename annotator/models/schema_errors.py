"""What reading a label schema or a guidelines folder can go wrong with, apart from the
schema's models: guidelines.py and the cue lexicon read files and raise these without
importing annotator.schema, whose pydantic costs a one-file `annotator import` ~0.1 s."""

from __future__ import annotations

SCHEMA_FILE = "labels.toml"


class SchemaError(ValueError):
    """A label schema that cannot be used; the message names the file, key and problem."""
