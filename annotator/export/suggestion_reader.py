"""Reading outside predictions (`annotator import-suggestions`): per-sentence label scores
from a model run elsewhere (a transformer, an LLM), one JSON object per line.

    {"article": "004_2bd55176b4b53eb1", "position": 14, "label": "QUOTE", "score": 0.93,
     "source": "roberta-babe", "version": "2024-06"}

The sentence is named like `import-labels` names it: `article` (or `article_id`) with
`start` and `end` (offsets into the article's cleaned text) or `position`, else the exact
`text`. Every problem is a LabelFileError naming FILE:LINE, found before anything is
written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.export.labelfile import Checker as _Checker
from annotator.export.labelfile import LabelFileError
from annotator.export.labelfile import json_lines as _json_lines
from annotator.models.suggestions import BUILTIN_SOURCES
from annotator.schema import LabelSchema
from annotator.store.label_import import Incoming

_KEYS = {
    "article",
    "article_id",
    "position",
    "start",
    "end",
    "text",
    "label",
    "score",
    "source",
    "version",
}
MAX_NAME = 100


@dataclass(frozen=True)
class IncomingSuggestion:
    where: Incoming  # what names the sentence (matched like an imported annotation)
    label: str
    score: float
    source: str
    version: str


def read_suggestions(path: Path, schema: LabelSchema) -> Iterator[IncomingSuggestion]:
    c = _Checker(path, schema)
    for line, obj in _json_lines(path):
        unknown = set(obj) - _KEYS
        if unknown:
            raise LabelFileError(path, line, f"unknown key(s) {', '.join(sorted(unknown))}")
        label = obj.get("label")
        if not isinstance(label, str) or label not in schema.label_names:
            raise LabelFileError(
                path,
                line,
                f"label must be one of {', '.join(schema.label_names)}, not {label!r}"[:200],
            )
        score = obj.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            raise LabelFileError(path, line, "score must be a number from 0 to 1")
        source = _name(path, line, obj.get("source"), "source")
        if source in BUILTIN_SOURCES:
            raise LabelFileError(
                path, line, f"source {source!r} is annotator's own: name your model otherwise"
            )
        version = _name(path, line, obj.get("version", "1"), "version")
        article = c.text(obj.get("article", obj.get("article_id")), line, "article")
        where = Incoming(
            line,
            "",
            (),
            text=c.text(obj.get("text"), line, "text"),
            article=article,
            start=c.integer(obj.get("start"), line, "start"),
            end=c.integer(obj.get("end"), line, "end"),
            position=c.integer(obj.get("position"), line, "position"),
        )
        if where.article is None and where.text is None:
            raise LabelFileError(path, line, "name the sentence: article and position, or text")
        yield IncomingSuggestion(where, label, float(score), source, version)


_SEPARATORS = {"source": "@:", "version": "@"}


def _name(path: Path, line: int, value: object, what: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and what == "version":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise LabelFileError(path, line, f"{what} must be a non-empty name")
    if len(value) > MAX_NAME or any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise LabelFileError(path, line, f"{what}: at most {MAX_NAME} printable characters")
    value = value.strip()
    # an accepted suggestion's event records origin `suggestion:SOURCE@VERSION`: a separator
    # inside a name would make that origin split two ways (`a@b@1`, `suggestion:x:y@1`)
    bad = sorted({ch for ch in value if ch in _SEPARATORS[what]})
    if bad:
        raise LabelFileError(
            path,
            line,
            f"{what} {value!r}"[:120]
            + f" may not contain {' or '.join(repr(ch) for ch in bad)}: accepted suggestions "
            "record their origin as suggestion:SOURCE@VERSION",
        )
    return value
