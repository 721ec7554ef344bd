"""Reading a Label Studio JSON export back (a list of tasks): each annotation's author by
the account our export named (export/label_studio.py's `name_of`), ground truth as gold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from annotator.export.dropped_labels import DroppedLabels
from annotator.export.label_studio import name_of
from annotator.export.labelfile import (
    Checker,
    LabelFileError,
    decode,
    json_object,
    one_author,
    open_label_file,
    parse,
)
from annotator.schema import LabelSchema
from annotator.store.label_import import Incoming


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
    # who last saved it in Label Studio (its snapshot has it; null for what its import made)
    updated_by: Any = None


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


_MAJORITY = "majority ground truth annotation{s} (the majority is no one's labels)"


def read_label_studio(
    path: Path,
    schema: LabelSchema,
    *,
    annotator: str | None = None,
    skipped: Counter[str] | None = None,
    notes: list[str] | None = None,
    dropped: DroppedLabels | None = None,
) -> Iterator[Incoming]:
    """A Label Studio JSON export (a list of tasks). The position of a task in the list
    stands in for the line number in messages. What carries no one's labels (a cancelled
    annotation, our majority's ground truth) is counted in `skipped` by reason; `notes`
    gets a line when some times are Label Studio's import time, not ours (`_times`)."""
    left_out = skipped if skipped is not None else Counter[str]()
    untimed = Counter[str]()
    with open_label_file(path) as fh:
        raw = fh.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    tasks = parse(path, None, decode(path, None, raw))
    if not isinstance(tasks, list):
        raise LabelFileError(path, 1, "a Label Studio export is a JSON list of tasks")
    c = Checker(path, schema, dropped)
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
        meta = task.meta or {}
        comments = meta.get("comments") or {}
        origins = meta.get("origins") or {}  # annotator -> label -> origin
        # what our export adds (export/label_studio.py): each annotator's times, the gold's,
        # and who answered with no label (every label dropped by the adopted guidelines)
        times = json_object(path, n, meta.get("times"), f"{where}: meta.times")
        emptied = meta.get("no_label") or []
        if not isinstance(emptied, list):
            raise LabelFileError(path, n, f"{where}: meta.no_label must be a list of names")
        if annotator is not None:
            authors = [_ls_author(a, None) for a in task.annotations or [] if not a.was_cancelled]
            one_author(c, n, annotator, [who for who, role in authors if role != "gold"])
        for a in task.annotations or []:
            if a.was_cancelled:
                left_out["cancelled annotation{s}"] += 1
                continue
            who, role = _ls_author(a, annotator)
            if who is None or who == "":
                raise LabelFileError(path, n, f"{where}: an annotation without completed_by")
            gold = bool(a.ground_truth)
            if gold and role == "gold" and who != "unanimous":
                # the majority view's ground truth: derived, not anyone's decision
                left_out[_MAJORITY] += 1
                continue
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
            # the author our meta names (--annotator renames the annotations, not the meta)
            named = _ls_author(a, None)[0] if annotator else who
            ours = json_object(path, n, times.get(str(named)), f"{where}: each of meta.times")
            if gold:
                ours = {"updated_at": meta.get("gold_decided_at")}
            confirmed, updated, whose = _times(c, n, a, ours, gold)
            if whose == "import":
                untimed["gold label{s}" if gold else "annotation{s}"] += 1
            # `choices: []` is the empty label, NONE, unless our meta says this annotation
            # had every label dropped and Label Studio has not changed it (audit15b F1), in
            # a project that dropped some (audit15c F1)
            emptied_here = c.no_label(
                not labels and not gold and whose == "ours" and named in emptied
            )
            checked = c.labels(labels, n, as_exported=emptied_here, gold=gold)
            yield Incoming(
                n,
                c.annotator(str(who), n),
                checked,
                c.fields(fields, checked, n),
                _comment(c, n, a, who, comments, meta, gold),
                confirmed,
                updated,
                data["text"],
                c.text(data.get("article_id"), n, "data.article_id"),
                c.integer(data.get("start"), n, "data.start"),
                c.integer(data.get("end"), n, "data.end"),
                c.integer(data.get("position"), n, "data.position"),
                gold=("unanimous" if role == "gold" else "adjudicated") if gold else None,
                origins=c.origins(
                    origins.get(str(who)) if isinstance(origins, dict) else None, labels, n
                ),
            )
    if untimed and notes is not None:
        said = " and ".join(f"{k} {why.format(s='s' * (k != 1))}" for why, k in untimed.items())
        notes.append(
            f"{said} carry the moment Label Studio imported them, not when they were "
            "confirmed or decided: their tasks lack the times our export keeps in the meta "
            "(meta.times, meta.gold_decided_at); they count as changed at that moment, so "
            "each replaces a different answer stored here before then"
        )


def _times(
    c: Checker, n: int, a: LsAnnotation, ours: dict[str, Any], gold: bool
) -> tuple[str | None, str | None, str]:
    """(confirmed_at, updated_at, whose) of an annotation. Label Studio stamps the moment
    of its import on every annotation it imports and returns that (audit15b F5: the
    snapshot dated every answer and gold decision at the import, and an answer nobody
    touched there reverted a newer one made here meanwhile). Our export carries the times
    in the task's meta (`ours`); they are taken while Label Studio's annotation is as its
    import made it: `updated_by` null (Label Studio sets it on every save) and updated
    within a second of its creation (its import writes the two microseconds apart).
    `whose`: "ours" (the meta's, or a file that is no Label Studio snapshot: no
    `updated_by`, its own times), "saved" (saved in Label Studio since: its update time,
    and our first confirmation), "import" (as imported, but the meta has no time for it:
    Label Studio's moment is all there is)."""
    created = c.time(a.created_at, n, "created_at")
    # a ground truth's decision time is when it was made: our export writes it as created_at
    # alone (audit9b F16: gold came back dated at the import)
    updated = c.time(a.updated_at or (a.created_at if gold else None), n, "updated_at")
    last = c.time(ours.get("updated_at"), n, "meta.times.updated_at")
    first = last if gold else c.time(ours.get("confirmed_at"), n, "meta.times.confirmed_at")
    if "updated_by" not in a.model_fields_set:
        return created, updated, "ours"
    if a.updated_by is not None or not _together(created, updated):
        return first or created, updated, "saved"
    if last is None:
        return created, updated, "import"
    return first, last, "ours"


def _together(created: str | None, updated: str | None) -> bool:
    """Created and last updated in the same save (within a second; Label Studio's import
    writes them microseconds apart), or one of them unknown."""
    if created is None or updated is None:
        return True
    gap = datetime.fromisoformat(updated) - datetime.fromisoformat(created)
    return abs(gap) < timedelta(seconds=1)


def _comment(
    c: Checker,
    n: int,
    a: LsAnnotation,
    who: str,
    comments: Any,
    meta: dict[str, Any],
    gold: bool,
) -> str | None:
    """An annotation's comment, or a ground truth's note: our export keeps them in the
    task's meta (`comments` by annotator; `gold_note`)."""
    if a.comment:
        return a.comment
    if gold:
        return c.text(meta.get("gold_note"), n, "meta.gold_note")
    return c.text(comments.get(who), n, "meta.comments") if isinstance(comments, dict) else None


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
