"""Reading annotations from other tools' files: jsonl (ours), doccano, Prodigy
(export/read_prodigy.py) and Label Studio (export/read_label_studio.py), and the articles
sidecar of our exports.

Every problem is a LabelFileError naming FILE:LINE; the caller imports nothing from a file
with one (the store writes in a single transaction that a raised error rolls back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.export.dropped_labels import DroppedLabels
from annotator.export.labelfile import (
    Checker,
    LabelFileError,
    json_lines,
    json_object,
    near_miss,
    one_author,
)
from annotator.export.read_label_studio import read_label_studio
from annotator.export.read_prodigy import read_prodigy
from annotator.schema import LabelSchema
from annotator.store.label_import import Incoming, IncomingField

READ_FORMATS = ("jsonl", "prodigy", "label-studio", "doccano")
__all__ = ["READ_FORMATS", "LabelFileError", "read_article_sidecar", "read_labels"]


# what our jsonl export writes (export/splice.py): a key that is not one of these but looks
# like one is a typo, refused (audit9b F18: `updatedAt` let a 2020 record replace today's
# work, and `comments` lost the comment, silently); other keys are the user's own
_ANNOTATION_KEYS = frozenset(
    ("annotator", "labels", "fields", "comment", "confirmed_at", "updated_at", "origins")
)
_JSONL_KEYS = _ANNOTATION_KEYS | frozenset(
    (
        "id", "article_id", "position", "paragraph", "kind", "start", "end", "text", "links",
        "words", "flesch_reading_ease", "flesch_kincaid_grade", "article", "view",
        "annotations", "gold", "majority",
    )
)  # fmt: skip


def read_jsonl(
    path: Path,
    schema: LabelSchema,
    *,
    annotator: str | None = None,
    dropped: DroppedLabels | None = None,
) -> Iterator[Incoming]:
    """Our export: raw lines (one annotator each) or gold/majority lines (annotations[]).
    `annotator`: whose they are, whatever the file says (audit9b F12: it was ignored)."""
    c = Checker(path, schema, dropped)
    for lineno, obj in json_lines(path):
        if "annotator" in obj and "labels" in obj:
            versions = [obj]
        elif isinstance(obj.get("annotations"), list):
            versions = obj["annotations"]
        else:
            raise LabelFileError(
                path, lineno, "expected 'annotator' and 'labels', or an 'annotations' list"
            )
        if annotator is not None:
            names = [v.get("annotator") if isinstance(v, dict) else None for v in versions]
            one_author(c, lineno, annotator, names)
        near_miss(c, lineno, obj, _JSONL_KEYS)
        for v in versions:
            if not isinstance(v, dict) or "annotator" not in v:
                raise LabelFileError(path, lineno, "an annotation without 'annotator'")
            if v is not obj:
                near_miss(c, lineno, v, _ANNOTATION_KEYS)
            who = c.annotator(annotator or v["annotator"], lineno)
            # `view`: a line of our own export, whose [] is not NONE (Checker.labels)
            labels = c.labels(v.get("labels"), lineno, as_exported="view" in obj)
            yield Incoming(
                lineno,
                who,
                labels,
                c.fields(v.get("fields"), labels, lineno),
                c.text(v.get("comment"), lineno, "comment"),
                c.time(v.get("confirmed_at"), lineno, "confirmed_at"),
                c.time(v.get("updated_at"), lineno, "updated_at"),
                c.text(obj.get("text"), lineno, "text"),
                c.text(obj.get("article_id"), lineno, "article_id"),
                c.integer(obj.get("start"), lineno, "start"),
                c.integer(obj.get("end"), lineno, "end"),
                c.integer(obj.get("position"), lineno, "position"),
                origins=c.origins(v.get("origins"), v.get("labels"), lineno),
            )
        gold = obj.get("gold")
        if gold is not None:
            yield _jsonl_gold(c, obj, gold, lineno)


def _jsonl_gold(c: Checker, obj: dict[str, Any], gold: Any, lineno: int) -> Incoming:
    """A gold/majority line's gold decision, as Label Studio's ground truth is read (audit7
    F25: our own export's gold came back from import-labels as nothing, silently): its
    labels, fields, method, adjudicator and note (its time is the import's)."""
    if not isinstance(gold, dict) or gold.get("method") not in ("adjudicated", "unanimous"):
        raise LabelFileError(
            c.path, lineno, "'gold' must be an object with method adjudicated or unanimous"
        )
    unanimous = gold["method"] == "unanimous"
    who = gold.get("adjudicator")
    if who is None and not unanimous:
        raise LabelFileError(c.path, lineno, "adjudicated gold without its 'adjudicator'")
    labels = c.labels(gold.get("labels"), lineno, gold=True)
    return Incoming(
        lineno,
        c.annotator(who, lineno) if who is not None else "unanimous",
        labels,
        c.fields(gold.get("fields"), labels, lineno),
        c.text(gold.get("note"), lineno, "gold.note"),
        text=c.text(obj.get("text"), lineno, "text"),
        article=c.text(obj.get("article_id"), lineno, "article_id"),
        start=c.integer(obj.get("start"), lineno, "start"),
        end=c.integer(obj.get("end"), lineno, "end"),
        position=c.integer(obj.get("position"), lineno, "position"),
        gold=gold["method"],
        updated_at=_decided_at(c, gold.get("decided_at"), lineno),
    )


def _decided_at(c: Checker, value: Any, lineno: int) -> str | None:
    """A gold decision's time (kept, so that a later decision is not replaced by it)."""
    return c.time(value, lineno, "gold.decided_at")


def read_doccano(
    path: Path,
    schema: LabelSchema,
    *,
    annotator: str | None = None,
    dropped: DroppedLabels | None = None,
) -> Iterator[Incoming]:
    c = Checker(path, schema, dropped)
    for lineno, obj in json_lines(path):
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
            origins=c.origins(obj.get("origins"), obj["label"], lineno),
        )


def read_labels(
    fmt: str,
    path: Path,
    schema: LabelSchema,
    *,
    annotator: str | None = None,
    name: str = "annotator",
    skipped: Counter[str] | None = None,
    notes: list[str] | None = None,
    dropped: DroppedLabels | None = None,
) -> Iterator[Incoming]:
    """The file's annotations; what it holds that is no one's labels (a Prodigy majority
    task, a rejected one) is counted in `skipped`, by a reason with `{s}` for a plural;
    `notes` gets a line for what the file could not carry (Label Studio's times); `dropped`
    the labels the project dropped that the file gives (left out of what is read)."""
    if fmt == "jsonl":
        return read_jsonl(path, schema, annotator=annotator, dropped=dropped)
    if fmt == "prodigy":
        return read_prodigy(
            path, schema, annotator=annotator, name=name, skipped=skipped, dropped=dropped
        )
    if fmt == "doccano":
        return read_doccano(path, schema, annotator=annotator, dropped=dropped)
    return read_label_studio(
        path, schema, annotator=annotator, skipped=skipped, notes=notes, dropped=dropped
    )


def read_article_sidecar(path: Path, schema: LabelSchema) -> Iterator[IncomingField]:
    """The articles file an export writes next to its output: each annotator's article
    fields, and the outlet fields with who entered them."""
    c = Checker(path, schema)
    for lineno, obj in json_lines(path):
        article = obj.get("id")
        if not isinstance(article, str):
            raise LabelFileError(path, lineno, "an article record without 'id'")
        annotations = json_object(path, lineno, obj.get("annotations"), "'annotations'")
        # when each value was set (exports since audit9b F8): the later change wins
        times = json_object(path, lineno, obj.get("annotated_at"), "'annotated_at'")
        for raw_who, values in annotations.items():
            who = c.annotator(raw_who, lineno)
            set_at = json_object(path, lineno, times.get(raw_who), f"annotated_at.{who}")
            for name, value in json_object(path, lineno, values, f"annotations.{who}").items():
                try:
                    spec = schema.article_field(name)
                except StopIteration:
                    raise LabelFileError(path, lineno, f"unknown article field {name!r}") from None
                if not spec.accepts(value):
                    raise LabelFileError(path, lineno, f"{name}: no value {value!r}")
                at = c.time(set_at.get(name), lineno, f"annotated_at.{who}.{name}")
                yield IncomingField(lineno, article, who, name, value, updated_at=at)
        gold = json_object(path, lineno, obj.get("gold"), "'gold'")
        for name, entry in gold.items():  # after the annotators' values: see label_import
            yield _gold_field(path, lineno, schema, article, name, entry)
        outlet = json_object(path, lineno, obj.get("outlet_fields"), "'outlet_fields'")
        for name, entry in outlet.items():
            try:
                spec = schema.outlet_field(name)
            except StopIteration:
                raise LabelFileError(path, lineno, f"unknown outlet field {name!r}") from None
            value = entry.get("value") if isinstance(entry, dict) else None
            entered_by = entry.get("entered_by") if isinstance(entry, dict) else None
            if not spec.accepts(value) or not isinstance(entered_by, str) or not entered_by.strip():
                raise LabelFileError(path, lineno, f"outlet field {name}: bad value or entered_by")
            at = c.time(entry.get("entered_at"), lineno, f"outlet field {name}: entered_at")
            yield IncomingField(
                lineno, article, entered_by, name, value, scope="outlet", updated_at=at
            )


def _gold_field(
    path: Path, lineno: int, schema: LabelSchema, article: str, name: str, entry: object
) -> IncomingField:
    """One article field's gold from the articles file: value, method (adjudicated or
    unanimous), adjudicator (none for unanimous gold), note."""
    try:
        spec = schema.article_field(name)
    except StopIteration:
        raise LabelFileError(path, lineno, f"gold: unknown article field {name!r}") from None
    if not isinstance(entry, dict):
        raise LabelFileError(path, lineno, f"gold.{name}: not an object")
    value, method = entry.get("value"), entry.get("method")
    if method not in ("adjudicated", "unanimous"):
        raise LabelFileError(path, lineno, f"gold.{name}: method must be adjudicated or unanimous")
    if not spec.accepts(value):
        raise LabelFileError(path, lineno, f"gold.{name}: no value {value!r}")
    who, note = entry.get("adjudicator"), entry.get("note")
    if method == "adjudicated" and (not isinstance(who, str) or not who.strip()):
        raise LabelFileError(path, lineno, f"gold.{name}: adjudicated gold needs its adjudicator")
    if note is not None and not isinstance(note, str):
        raise LabelFileError(path, lineno, f"gold.{name}: note must be text")
    if method == "adjudicated" and value is None:
        raise LabelFileError(path, lineno, f"gold.{name}: adjudicated gold needs a value")
    at = Checker(path, schema).time(entry.get("decided_at"), lineno, f"gold.{name}.decided_at")
    choice = spec.choice(value)
    if choice is not None:
        value = choice.value  # the scale's own value: 4, not 4.0
    name_of = Checker(path, schema).annotator(who, lineno) if isinstance(who, str) else ""
    return IncomingField(
        lineno,
        article,
        name_of,
        name,
        value,
        scope="gold",
        method=method,
        note=note,
        decided_at=at,
    )
