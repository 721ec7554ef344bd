"""Reading annotations from other tools' files: jsonl (ours), Prodigy, Label Studio, doccano.

Every problem is a LabelFileError naming FILE:LINE; the caller imports nothing from a file
with one (the store writes in a single transaction that a raised error rolls back).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.schema import LabelSchema
from annotator.store.label_import import Incoming, IncomingField

READ_FORMATS = ("jsonl", "prodigy", "label-studio", "doccano")


class LabelFileError(ValueError):
    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


class _Checker:
    def __init__(self, path: Path, schema: LabelSchema) -> None:
        self.path = path
        self.schema = schema

    def labels(self, value: Any, line: int) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise LabelFileError(self.path, line, "labels must be a list of label names")
        unknown = [x for x in value if x not in self.schema.label_names]
        if unknown:
            raise LabelFileError(
                self.path,
                line,
                f"unknown label {unknown[0]!r} (the schema "
                f"has {', '.join(self.schema.label_names)})",
            )
        if not value and self.schema.info.empty_label:
            value = [self.schema.info.empty_label]  # confirmed with nothing: NONE, as stored
        return self.schema.normalise_labels(value)

    def fields(self, value: Any, labels: tuple[str, ...], line: int) -> tuple[tuple[str, str], ...]:
        if value in (None, {}):
            return ()
        if not isinstance(value, dict):
            raise LabelFileError(self.path, line, "fields must be an object")
        out = []
        for name, v in value.items():
            try:
                sf = self.schema.sentence_field(name)
            except StopIteration:
                raise LabelFileError(self.path, line, f"unknown field {name!r}") from None
            if sf.choice(v) is None:
                raise LabelFileError(self.path, line, f"{name}: no value {v!r}")
            if sf.label not in labels:
                raise LabelFileError(self.path, line, f"{name} is set without {sf.label}")
            out.append((name, str(v)))
        return tuple(sorted(out))

    @staticmethod
    def text(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    @staticmethod
    def integer(value: Any) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise LabelFileError(
                    path, lineno, f"invalid JSON: {e.msg} at column {e.colno}"
                ) from None
            if not isinstance(obj, dict):
                raise LabelFileError(path, lineno, "each line must be a JSON object")
            yield lineno, obj


def read_jsonl(path: Path, schema: LabelSchema) -> Iterator[Incoming]:
    """Our export: raw lines (one annotator each) or gold/majority lines (annotations[])."""
    c = _Checker(path, schema)
    for lineno, obj in _json_lines(path):
        if "annotator" in obj and "labels" in obj:
            versions = [obj]
        elif isinstance(obj.get("annotations"), list):
            versions = obj["annotations"]
        else:
            raise LabelFileError(
                path, lineno, "expected 'annotator' and 'labels', or an 'annotations' list"
            )
        for v in versions:
            if not isinstance(v, dict) or not isinstance(v.get("annotator"), str):
                raise LabelFileError(path, lineno, "an annotation without 'annotator'")
            labels = c.labels(v.get("labels"), lineno)
            yield Incoming(
                lineno,
                v["annotator"],
                labels,
                c.fields(v.get("fields"), labels, lineno),
                c.text(v.get("comment")),
                c.text(v.get("confirmed_at")),
                c.text(v.get("updated_at")),
                c.text(obj.get("text")),
                c.text(obj.get("article_id")),
                c.integer(obj.get("start")),
                c.integer(obj.get("end")),
                c.integer(obj.get("position")),
            )


def read_prodigy(
    path: Path, schema: LabelSchema, *, annotator: str | None = None, name: str = "annotator"
) -> Iterator[Incoming]:
    c = _Checker(path, schema)
    for lineno, obj in _json_lines(path):
        if obj.get("answer", "accept") != "accept":
            continue  # rejected and ignored tasks carry no labels
        if "text" not in obj or "accept" not in obj:
            raise LabelFileError(path, lineno, "a Prodigy task needs 'text' and 'accept'")
        who = annotator or obj.get("_annotator_id") or obj.get("_session_id")
        if not isinstance(who, str) or not who:
            raise LabelFileError(path, lineno, "no _annotator_id: give --annotator NAME")
        if not annotator and who.startswith(f"{name}-"):
            who = who[len(name) + 1 :]
        if who in ("gold", "majority"):
            continue  # our own gold/majority export: not one annotator's work
        labels = c.labels(obj["accept"], lineno)
        given = obj.get("meta")
        meta: dict[str, Any] = given if isinstance(given, dict) else {}
        yield Incoming(
            lineno,
            who,
            labels,
            c.fields(obj.get("fields"), labels, lineno),
            c.text(obj.get("comment")),
            c.text(obj.get("_timestamp")),
            None,
            c.text(obj["text"]),
            c.text(meta.get("article")),
            c.integer(meta.get("start")),
            c.integer(meta.get("end")),
            c.integer(meta.get("position")),
        )


def read_doccano(
    path: Path, schema: LabelSchema, *, annotator: str | None = None
) -> Iterator[Incoming]:
    c = _Checker(path, schema)
    for lineno, obj in _json_lines(path):
        if "text" not in obj or "label" not in obj:
            raise LabelFileError(path, lineno, "a doccano line needs 'text' and 'label'")
        who = annotator or obj.get("annotator") or obj.get("user")
        if not isinstance(who, str) or not who:
            raise LabelFileError(path, lineno, "no annotator in the file: give --annotator NAME")
        labels = c.labels(obj["label"], lineno)
        yield Incoming(
            lineno,
            who,
            labels,
            c.fields(obj.get("fields"), labels, lineno),
            None,
            None,
            None,
            c.text(obj["text"]),
            c.text(obj.get("article_id")),
            c.integer(obj.get("start")),
            c.integer(obj.get("end")),
            c.integer(obj.get("position")),
        )


def read_label_studio(
    path: Path, schema: LabelSchema, *, annotator: str | None = None
) -> Iterator[Incoming]:
    """A Label Studio JSON export (a list of tasks). The position of a task in the list
    stands in for the line number in messages."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            tasks = json.load(fh)
    except json.JSONDecodeError as e:
        raise LabelFileError(path, e.lineno, f"invalid JSON: {e.msg}") from None
    if not isinstance(tasks, list):
        raise LabelFileError(path, 1, "a Label Studio export is a JSON list of tasks")
    c = _Checker(path, schema)
    field_names = {sf.name for sf in schema.sentence_fields}
    for n, task in enumerate(tasks, 1):
        where = f"task {n}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise LabelFileError(path, n, f"{where}: no data.text")
        for a in task.get("annotations") or []:
            if not isinstance(a, dict) or a.get("was_cancelled") or a.get("ground_truth"):
                continue
            who = (
                annotator
                or a.get("created_username")
                or (f"user-{a['completed_by']}" if a.get("completed_by") is not None else None)
            )
            if isinstance(who, dict):
                who = who.get("email") or who.get("id")
            if not who:
                raise LabelFileError(path, n, f"{where}: an annotation without completed_by")
            labels: list[str] = []
            fields: dict[str, str] = {}
            for r in a.get("result") or []:
                choices = (r.get("value") or {}).get("choices") or []
                if r.get("from_name") == "labels":
                    labels.extend(choices)
                elif r.get("from_name") in field_names and choices:
                    fields[r["from_name"]] = choices[0]
            checked = c.labels(labels, n)
            yield Incoming(
                n,
                str(who),
                checked,
                c.fields(fields, checked, n),
                c.text(a.get("comment")),
                c.text(a.get("created_at")),
                c.text(a.get("updated_at")),
                data["text"],
                c.text(data.get("article_id")),
                c.integer(data.get("start")),
                c.integer(data.get("end")),
                c.integer(data.get("position")),
            )


def read_labels(
    fmt: str,
    path: Path,
    schema: LabelSchema,
    *,
    annotator: str | None = None,
    name: str = "annotator",
) -> Iterator[Incoming]:
    if fmt == "jsonl":
        return read_jsonl(path, schema)
    if fmt == "prodigy":
        return read_prodigy(path, schema, annotator=annotator, name=name)
    if fmt == "doccano":
        return read_doccano(path, schema, annotator=annotator)
    return read_label_studio(path, schema, annotator=annotator)


def read_article_sidecar(path: Path, schema: LabelSchema) -> Iterator[IncomingField]:
    """The articles file an export writes next to its output: each annotator's article
    fields, and the outlet fields with who entered them."""
    for lineno, obj in _json_lines(path):
        article = obj.get("id")
        if not isinstance(article, str):
            raise LabelFileError(path, lineno, "an article record without 'id'")
        annotations = obj.get("annotations") or {}
        if not isinstance(annotations, dict):
            raise LabelFileError(path, lineno, "'annotations' must be an object")
        for who, values in annotations.items():
            for name, value in (values or {}).items():
                try:
                    spec = schema.article_field(name)
                except StopIteration:
                    raise LabelFileError(path, lineno, f"unknown article field {name!r}") from None
                if not spec.accepts(value):
                    raise LabelFileError(path, lineno, f"{name}: no value {value!r}")
                yield IncomingField(lineno, article, who, name, value)
        for name, entry in (obj.get("outlet_fields") or {}).items():
            try:
                spec = schema.outlet_field(name)
            except StopIteration:
                raise LabelFileError(path, lineno, f"unknown outlet field {name!r}") from None
            value = entry.get("value") if isinstance(entry, dict) else None
            who = entry.get("entered_by") if isinstance(entry, dict) else None
            if not spec.accepts(value) or not isinstance(who, str):
                raise LabelFileError(path, lineno, f"outlet field {name}: bad value or entered_by")
            yield IncomingField(lineno, article, who, name, value, scope="outlet")
