"""Reading annotations from other tools' files: jsonl (ours), Prodigy, Label Studio, doccano.

Every problem is a LabelFileError naming FILE:LINE; the caller imports nothing from a file
with one (the store writes in a single transaction that a raised error rolls back).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel, ConfigDict, ValidationError

from annotator.export.label_studio import name_of
from annotator.ingest.reading import InputError, open_regular
from annotator.ingest.strictjson import JsonRefused, describe_decode_error, loads
from annotator.schema import LabelSchema
from annotator.store.label_import import Incoming, IncomingField

READ_FORMATS = ("jsonl", "prodigy", "label-studio", "doccano")

# Offsets and positions index sentences; anything past SQLite's 64-bit integers raised
# OverflowError deep in the import ("Python int too large to convert to SQLite INTEGER").
MAX_POSITION = 2**62


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

    def text(self, value: Any, line: int, name: str) -> str | None:
        """An optional string: absent or null is None; any other type is an error, not a
        value silently dropped."""
        if value is None or isinstance(value, str):
            return value
        raise LabelFileError(self.path, line, f"{name} must be a string")

    def integer(self, value: Any, line: int, name: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise LabelFileError(self.path, line, f"{name} must be a whole number")
        if not 0 <= value < MAX_POSITION:
            shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}..."
            raise LabelFileError(self.path, line, f"{name} {shown} is out of range")
        return value

    def annotator(self, value: Any, line: int) -> str:
        if not isinstance(value, str) or not value.strip():
            raise LabelFileError(
                self.path, line, "the annotator's name is missing or empty: give --annotator NAME"
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise LabelFileError(
                self.path, line, "the annotator's name is not valid Unicode"
            ) from None
        return value


def _open(path: Path) -> BinaryIO:
    """Open for reading, refusing FIFOs, devices and sockets by name."""
    try:
        return open_regular(path)
    except InputError as e:
        raise LabelFileError(path, None, e.reason) from None


def _parse(path: Path, line: int | None, text: str) -> Any:
    try:
        return loads(text)
    except json.JSONDecodeError as e:
        raise LabelFileError(path, line or e.lineno, describe_decode_error(e)) from None
    except JsonRefused as e:
        raise LabelFileError(path, line, str(e)) from None


def _decode(path: Path, line: int | None, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LabelFileError(
            path, line, f"not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})"
        ) from None


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            obj = _parse(path, lineno, _decode(path, lineno, raw))
            if not isinstance(obj, dict):
                raise LabelFileError(path, lineno, "each line must be a JSON object")
            yield lineno, obj


def _object(path: Path, line: int, value: Any, name: str) -> dict[str, Any]:
    """An optional JSON object: absent or null is empty; anything else is an error."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LabelFileError(path, line, f"{name} must be an object")
    return value


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
            if not isinstance(v, dict) or "annotator" not in v:
                raise LabelFileError(path, lineno, "an annotation without 'annotator'")
            who = c.annotator(v["annotator"], lineno)
            labels = c.labels(v.get("labels"), lineno)
            yield Incoming(
                lineno,
                who,
                labels,
                c.fields(v.get("fields"), labels, lineno),
                c.text(v.get("comment"), lineno, "comment"),
                c.text(v.get("confirmed_at"), lineno, "confirmed_at"),
                c.text(v.get("updated_at"), lineno, "updated_at"),
                c.text(obj.get("text"), lineno, "text"),
                c.text(obj.get("article_id"), lineno, "article_id"),
                c.integer(obj.get("start"), lineno, "start"),
                c.integer(obj.get("end"), lineno, "end"),
                c.integer(obj.get("position"), lineno, "position"),
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
        raw_who = annotator or obj.get("_annotator_id") or obj.get("_session_id")
        if raw_who is None:
            raise LabelFileError(path, lineno, "no _annotator_id: give --annotator NAME")
        who = c.annotator(raw_who, lineno)
        if not annotator and who.startswith(f"{name}-"):
            who = c.annotator(who[len(name) + 1 :], lineno)
        if who in ("gold", "majority"):
            continue  # our own gold/majority export: not one annotator's work
        labels = c.labels(obj["accept"], lineno)
        meta = _object(path, lineno, obj.get("meta"), "meta")
        # our tasks carry the sentence fields, the comment and the exact times in meta
        # (export/prodigy.py); older ones had a top-level "fields"
        names = {sf.name for sf in schema.sentence_fields}
        fields = obj.get("fields") or {k: v for k, v in meta.items() if k in names}
        stamp = obj.get("_timestamp")
        when = c.text(meta.get("confirmed_at"), lineno, "meta.confirmed_at") or (
            datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if isinstance(stamp, int) and not isinstance(stamp, bool) and 0 <= stamp < 2**34
            else c.text(stamp, lineno, "_timestamp")
        )
        yield Incoming(
            lineno,
            who,
            labels,
            c.fields(fields, labels, lineno),
            c.text(obj.get("comment") or meta.get("comment"), lineno, "comment"),
            when,
            c.text(meta.get("updated_at"), lineno, "meta.updated_at"),
            c.text(obj["text"], lineno, "text"),
            c.text(meta.get("article_id") or meta.get("article"), lineno, "meta.article_id"),
            c.integer(meta.get("start"), lineno, "meta.start"),
            c.integer(meta.get("end"), lineno, "meta.end"),
            c.integer(meta.get("position"), lineno, "meta.position"),
        )


def read_doccano(
    path: Path, schema: LabelSchema, *, annotator: str | None = None
) -> Iterator[Incoming]:
    c = _Checker(path, schema)
    for lineno, obj in _json_lines(path):
        if "text" not in obj or "label" not in obj:
            raise LabelFileError(path, lineno, "a doccano line needs 'text' and 'label'")
        raw_who = annotator or obj.get("annotator") or obj.get("user")
        if raw_who is None:
            raise LabelFileError(path, lineno, "no annotator in the file: give --annotator NAME")
        who = c.annotator(raw_who, lineno)
        labels = c.labels(obj["label"], lineno)
        # our export spreads the sentence fields into the line (doccano keeps them as
        # the example's metadata); older files had them under "fields"
        names = {sf.name for sf in schema.sentence_fields}
        fields = obj.get("fields") or {k: v for k, v in obj.items() if k in names and v is not None}
        yield Incoming(
            lineno,
            who,
            labels,
            c.fields(fields, labels, lineno),
            c.text(obj.get("comment"), lineno, "comment"),
            None,
            None,
            c.text(obj["text"], lineno, "text"),
            c.text(obj.get("article_id"), lineno, "article_id"),
            c.integer(obj.get("start"), lineno, "start"),
            c.integer(obj.get("end"), lineno, "end"),
            c.integer(obj.get("position"), lineno, "position"),
        )


class _LsModel(BaseModel):
    # strict: a number where a list of choices belongs is an error, never coerced; Label
    # Studio exports carry many more keys than we read, so extra keys are allowed
    model_config = ConfigDict(strict=True, extra="allow")


class LsValue(_LsModel):
    choices: list[str] = []


class LsResult(_LsModel):
    from_name: str | None = None
    value: LsValue = LsValue()


class LsAnnotation(_LsModel):
    result: list[LsResult] | None = None
    completed_by: int | str | dict[str, Any] | None = None
    created_username: str | None = None
    was_cancelled: bool | None = None
    ground_truth: bool | None = None
    comment: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class LsTask(_LsModel):
    data: dict[str, Any]
    annotations: list[LsAnnotation] | None = None
    meta: dict[str, Any] | None = None


def _describe(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:3]:
        loc = ".".join(str(p) for p in e["loc"])
        parts.append(f"{loc}: {e['msg']}" if loc else str(e["msg"]))
    return "; ".join(parts)


def read_label_studio(
    path: Path, schema: LabelSchema, *, annotator: str | None = None
) -> Iterator[Incoming]:
    """A Label Studio JSON export (a list of tasks). The position of a task in the list
    stands in for the line number in messages."""
    with _open(path) as fh:
        raw = fh.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    tasks = _parse(path, None, _decode(path, None, raw))
    if not isinstance(tasks, list):
        raise LabelFileError(path, 1, "a Label Studio export is a JSON list of tasks")
    c = _Checker(path, schema)
    field_names = {sf.name for sf in schema.sentence_fields}
    for n, obj in enumerate(tasks, 1):
        where = f"task {n}"
        if not isinstance(obj, dict) or not isinstance(obj.get("data"), dict):
            raise LabelFileError(path, n, f"{where}: no data.text")
        try:
            task = LsTask.model_validate(obj)
        except ValidationError as e:
            raise LabelFileError(path, n, f"{where}: {_describe(e)}") from None
        data = task.data
        if not isinstance(data.get("text"), str):
            raise LabelFileError(path, n, f"{where}: no data.text")
        comments = (task.meta or {}).get("comments") or {}
        for a in task.annotations or []:
            if a.was_cancelled:
                continue
            who, role = _ls_author(a, annotator)
            if who is None or who == "":
                raise LabelFileError(path, n, f"{where}: an annotation without completed_by")
            gold = bool(a.ground_truth)
            if gold and role == "gold" and who != "unanimous":
                continue  # the majority view's ground truth: derived, not anyone's decision
            labels: list[str] = []
            fields: dict[str, str] = {}
            for r in a.result or []:
                if r.from_name == "labels":
                    labels.extend(r.value.choices)
                elif r.from_name in field_names and r.value.choices:
                    if len(r.value.choices) > 1:
                        raise LabelFileError(
                            path, n, f"{where}: {r.from_name} takes one choice, not several"
                        )
                    fields[r.from_name] = r.value.choices[0]
            checked = c.labels(labels, n)
            yield Incoming(
                n,
                c.annotator(str(who), n),
                checked,
                c.fields(fields, checked, n),
                a.comment or c.text(comments.get(who), n, "meta.comments")
                if isinstance(comments, dict)
                else a.comment,
                a.created_at,
                a.updated_at,
                data["text"],
                c.text(data.get("article_id"), n, "data.article_id"),
                c.integer(data.get("start"), n, "data.start"),
                c.integer(data.get("end"), n, "data.end"),
                c.integer(data.get("position"), n, "data.position"),
                gold=("unanimous" if role == "gold" else "adjudicated") if gold else None,
            )


def _ls_author(a: LsAnnotation, annotator: str | None) -> tuple[str | None, str | None]:
    """Who made a Label Studio annotation: (name, "gold" for our gold accounts or None).
    Its snapshot export with user details has completed_by {"id", "email", ...}: the
    e-mail gives back the name we exported (label_studio.name_of); the plain export has
    only the user's id, kept as `user-ID`."""
    if annotator:
        return annotator, None
    by = a.completed_by
    if isinstance(by, dict) and isinstance(by.get("email"), str) and by["email"]:
        return name_of(by["email"])
    if isinstance(by, dict):
        by = by.get("id")
    name = a.created_username
    if name and name.strip():
        # Label Studio writes "EMAIL, ID" (or "username, ID")
        head = name.rsplit(",", 1)[0].strip()
        return name_of(head) if "@" in head else (head, None)
    if isinstance(by, int | str) and str(by):
        return f"user-{by}", None
    return None, None


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
    c = _Checker(path, schema)
    for lineno, obj in _json_lines(path):
        article = obj.get("id")
        if not isinstance(article, str):
            raise LabelFileError(path, lineno, "an article record without 'id'")
        annotations = _object(path, lineno, obj.get("annotations"), "'annotations'")
        for who, values in annotations.items():
            who = c.annotator(who, lineno)
            for name, value in _object(path, lineno, values, f"annotations.{who}").items():
                try:
                    spec = schema.article_field(name)
                except StopIteration:
                    raise LabelFileError(path, lineno, f"unknown article field {name!r}") from None
                if not spec.accepts(value):
                    raise LabelFileError(path, lineno, f"{name}: no value {value!r}")
                yield IncomingField(lineno, article, who, name, value)
        outlet = _object(path, lineno, obj.get("outlet_fields"), "'outlet_fields'")
        for name, entry in outlet.items():
            try:
                spec = schema.outlet_field(name)
            except StopIteration:
                raise LabelFileError(path, lineno, f"unknown outlet field {name!r}") from None
            value = entry.get("value") if isinstance(entry, dict) else None
            entered_by = entry.get("entered_by") if isinstance(entry, dict) else None
            if not spec.accepts(value) or not isinstance(entered_by, str) or not entered_by.strip():
                raise LabelFileError(path, lineno, f"outlet field {name}: bad value or entered_by")
            yield IncomingField(lineno, article, entered_by, name, value, scope="outlet")
