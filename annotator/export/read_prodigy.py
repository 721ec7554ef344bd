"""Reading Prodigy tasks for `import-labels --format prodigy`: each annotator's accepted
labels, and the gold of our own `--view gold` export (export/prodigy.py writes them).

Every problem is a LabelFileError naming FILE:LINE."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.export.dropped_labels import DroppedLabels
from annotator.export.labelfile import Checker, LabelFileError, json_lines, json_object
from annotator.schema import LabelSchema
from annotator.store.label_import import Incoming


def read_prodigy(
    path: Path,
    schema: LabelSchema,
    *,
    annotator: str | None = None,
    name: str = "annotator",
    skipped: Counter[str] | None = None,
    dropped: DroppedLabels | None = None,
) -> Iterator[Incoming]:
    """Prodigy tasks: each annotator's accepted labels, and the gold of our own `--view
    gold` export. What carries no one's labels is counted in `skipped` by reason."""
    c = Checker(path, schema, dropped)
    left_out = skipped if skipped is not None else Counter[str]()
    for lineno, obj in json_lines(path):
        if obj.get("answer", "accept") != "accept":
            answer = obj.get("answer")
            left_out[
                "task{s} answered " + (answer if answer in ("reject", "ignore") else "other")
            ] += 1
            continue  # rejected and ignored tasks carry no labels
        if "text" not in obj or "accept" not in obj:
            raise LabelFileError(path, lineno, "a Prodigy task needs 'text' and 'accept'")
        raw_who = annotator or obj.get("_annotator_id") or obj.get("_session_id")
        if raw_who is None:
            raise LabelFileError(path, lineno, "no _annotator_id: give --annotator NAME")
        meta = json_object(path, lineno, obj.get("meta"), "meta")
        # our own gold and majority tasks, told by their id and what their meta holds: an
        # annotator may be called "gold" (audit9b F2: such a person's work vanished)
        ours = obj.get("_annotator_id")
        if ours == f"{name}-majority" and "votes" in meta and "annotators" in meta:
            left_out["majority task{s} (the majority is no one's labels)"] += 1
            continue
        if ours == f"{name}-gold" and meta.get("method") in ("adjudicated", "unanimous"):
            yield _prodigy_gold(c, obj, meta, lineno, annotator)
            continue
        who = c.annotator(raw_who, lineno)
        if not annotator and who.startswith(f"{name}-"):
            who = c.annotator(who[len(name) + 1 :], lineno)
        confirmed = c.time(meta.get("confirmed_at"), lineno, "meta.confirmed_at")
        updated = c.time(meta.get("updated_at"), lineno, "meta.updated_at")
        stamp = _stamp(c, obj, lineno)
        # our task's `_timestamp` is its answer's confirmation (export/prodigy.py); a later
        # one is Prodigy's: answered again there, what the meta says of the answer is the
        # old one's (audit15b F9: the correction took the exported time and lost, as
        # "older", to any change made here since)
        again = bool(confirmed and stamp and stamp[:19] > confirmed[:19])
        if "confirmed_at" not in meta and "updated_at" not in meta:
            # a task Prodigy wrote itself (no times of ours): `_timestamp` is when it was
            # answered, its change time too, so the later change wins, as in merge (audit15c
            # F9: it became the first confirmation only, the answer was stamped as changed
            # at the import, and a 2025 answer replaced one changed here this month)
            updated = stamp
        # `accept: []` is the empty label, NONE, unless our task marks it as an answer whose
        # every label the adopted guidelines dropped (export/prodigy.py; audit15b F1), in
        # a project that dropped some (audit15c F1)
        emptied = c.no_label(obj["accept"] == [] and meta.get("no_label") is True and not again)
        labels = c.labels(obj["accept"], lineno, as_exported=emptied)
        # our tasks carry the sentence fields, the comment and the exact times in meta
        # (export/prodigy.py); older ones had a top-level "fields"
        fields = obj.get("fields") or _meta_fields(c, meta, labels, left_out)
        yield Incoming(
            lineno,
            who,
            labels,
            c.fields(fields, labels, lineno),
            c.text(obj.get("comment") or meta.get("comment"), lineno, "comment"),
            confirmed or stamp,
            stamp if again else updated,
            c.text(obj["text"], lineno, "text"),
            c.text(meta.get("article_id") or meta.get("article"), lineno, "meta.article_id"),
            c.integer(meta.get("start"), lineno, "meta.start"),
            c.integer(meta.get("end"), lineno, "meta.end"),
            c.integer(meta.get("position"), lineno, "meta.position"),
            # the meta's origins are the old answer's labels': answered again, the labels
            # are the annotator's in Prodigy (imported)
            origins=() if again else c.origins(meta.get("origins"), obj["accept"], lineno),
        )


_UNTICKED = "sentence field value{s} in meta whose label was not accepted (unticked in Prodigy)"


def _meta_fields(
    c: Checker, meta: dict[str, Any], labels: tuple[str, ...], left_out: Counter[str]
) -> dict[str, Any]:
    """The sentence fields our task's meta carries, those whose label is accepted: Prodigy's
    choice interface shows the meta but cannot change it, so a label unticked there leaves
    its field's value behind (audit15b F9: `source_type is set without ATTRIBUTED` refused
    the whole file); such a value is counted and left out, as the adopted reading does."""
    owners = {sf.name: sf.label for sf in c.schema.sentence_fields}
    out = {}
    for k, v in meta.items():
        if k not in owners:
            continue
        if owners[k] in labels:
            out[k] = v
        else:
            left_out[_UNTICKED] += 1
    return out


def _stamp(c: Checker, task: dict[str, Any], lineno: int) -> str | None:
    """A Prodigy task's `_timestamp` (seconds since 1970) as a time."""
    stamp = task.get("_timestamp")
    if isinstance(stamp, int) and not isinstance(stamp, bool) and 0 <= stamp < 2**34:
        stamp = datetime.fromtimestamp(stamp, UTC).isoformat()
    return c.time(stamp, lineno, "_timestamp")


def _prodigy_gold(
    c: Checker, task: dict[str, Any], meta: dict[str, Any], lineno: int, annotator: str | None
) -> Incoming:
    """A task of our `--view gold` Prodigy export: the gold decision, as a jsonl line's
    (its provenance and time are in meta; `_timestamp` for files written before the time
    was). A `_timestamp` later than the meta's decision (ours is the decision's time) is a
    correction made in Prodigy: a new decision at that time, adjudicated by `--annotator`
    when given (audit15c F10: it kept the old decision's time and lost, as "older", to any
    change made here since)."""
    decided = c.time(meta.get("decided_at"), lineno, "meta.decided_at")
    stamp = _stamp(c, task, lineno)
    if decided and stamp and stamp[:19] > decided[:19]:
        meta = {**meta, "method": "adjudicated", "decided_at": stamp}
        if annotator:
            meta["adjudicator"] = annotator
    unanimous = meta["method"] == "unanimous"
    who = meta.get("adjudicator")
    if who is None and not unanimous:
        raise LabelFileError(c.path, lineno, "adjudicated gold without its 'adjudicator'")
    labels = c.labels(task["accept"], lineno, gold=True)
    names = {sf.name for sf in c.schema.sentence_fields}
    return Incoming(
        lineno,
        c.annotator(who, lineno) if who is not None else "unanimous",
        labels,
        c.fields({k: v for k, v in meta.items() if k in names}, labels, lineno),
        c.text(meta.get("note"), lineno, "meta.note"),
        text=c.text(task["text"], lineno, "text"),
        article=c.text(meta.get("article_id"), lineno, "meta.article_id"),
        start=c.integer(meta.get("start"), lineno, "meta.start"),
        end=c.integer(meta.get("end"), lineno, "meta.end"),
        position=c.integer(meta.get("position"), lineno, "meta.position"),
        gold=meta["method"],
        updated_at=c.time(meta.get("decided_at"), lineno, "meta.decided_at")
        or _stamp(c, task, lineno),
    )
