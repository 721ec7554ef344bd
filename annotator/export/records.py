"""The export record as every format but jsonl reads it: a stream of sentence records (the
JSON the database keeps, decoded once) and, per view, the answers a sentence has.

jsonl writes the same groups as bytes (export/splice.py, where the line is defined); every
other format is a function of a `Record` and its `answers(record, view)`:
- raw: one answer per confirmed annotation (its annotator's labels);
- gold: the gold decision, if there is one;
- majority: the labels more than half of the confirming annotators chose, if anyone
  confirmed the sentence and some label has such a majority.
A format decides only what to do with a sentence that has no answer (leave it out, or
write it with empty cells) and how to lay an answer out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.export.cells import CellGuard
from annotator.labeling import is_majority
from annotator.models.suggestions import TYPED
from annotator.schema import LabelSchema
from annotator.store import exporting, origins
from annotator.store.database import Store

Progress = Callable[[int], None]
VIEWS = ("gold", "majority", "raw")


class ExportRefused(Exception):
    """An export that cannot be written as asked; the message says why, in one line."""


@dataclass
class ExportResult:
    records: int = 0
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def dumps(obj: object) -> str:
    """Compact JSON, non-ASCII kept: the one encoder of the export formats."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Record:
    """One sentence to export: its stored JSON decoded. `sentence` has the members of the
    stored sentence record (id, article_id, position, ..., text, links); `article` the
    article's metadata; `annotations` every confirmed annotation in annotator-name order
    (annotator, labels, fields, comment, confirmed_at, updated_at, origins: see
    `origins_of`); `gold` the gold decision (labels, fields, method, adjudicator,
    agrees_with, note, decided_at)."""

    sentence: dict[str, Any]
    article: dict[str, Any]
    annotations: list[dict[str, Any]]
    gold: dict[str, Any] | None
    # the annotators who confirmed the sentence, staff aside (an annotation whose labels
    # were all dropped is one: `without`)
    voters: int = 0
    # the annotations the majority counts: `annotations` but the staff's (exporting.staff_names)
    voting: list[dict[str, Any]] | None = None
    # per label added since some voters confirmed: how many of the `voters` never rated it
    # (None: as their annotations' `unrated` members say; audit12 F6)
    unrated: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """The labels a view gives a sentence, and where they come from: `source` is the
    annotation (raw), the gold decision (gold) or the majority (majority_of)."""

    labels: list[str]
    fields: dict[str, str]
    source: dict[str, Any]
    # labels this answer never rated (added to the guidelines after it was confirmed, or no
    # voter of the majority had them): missing, not absent; formats that can say "missing"
    # write it so (an empty csv cell, no spaCy cat), the others say so in their note
    unrated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """What every format's writer is given: the records of which database, read with which
    schema, in which view; `everything`: all sentences, not only annotated ones; `progress`
    counts sentences read; `name`: the dataset's name (Prodigy's _annotator_id prefix)."""

    store: Store
    schema: LabelSchema
    view: str
    everything: bool = False
    progress: Progress = field(default=lambda n: None)
    name: str = "annotator"
    # csv: the cells a spreadsheet would run as formulas, counted or neutralised (cells.py)
    cells: CellGuard = field(default_factory=CellGuard)
    # labels the adopted guidelines dropped, left out (store/exporting.labels_outside, read
    # once by the export that also notes them); None: read when the records are
    drop: frozenset[str] | None = None
    # adjudicators and managers, whose confirmations the majority leaves out (None: read
    # for the majority view; the gold and raw views count no votes, and do not read them)
    staff: frozenset[str] | None = None
    # per stored schema hash, the labels it lacked (store/exporting.labels_unrated; None:
    # read when the records are)
    unrated: dict[str, list[str]] | None = None


def origins_of(labels: list[str], known: dict[str, str] | None) -> list[str]:
    """Where each of an annotation's labels came from, in the order of its `labels`:
    `typed`, or `suggestion:SOURCE@VERSION` when the annotator accepted it from a suggestion
    (store/origins.py). `known`: the annotation's accepted labels (None: all typed). Every
    export that carries an annotator's labels carries this list beside them."""
    if not known:
        return [TYPED] * len(labels)
    return [known.get(lab, TYPED) for lab in labels]


def without(
    obj: dict[str, Any] | None,
    drop: Collection[str],
    owners: Mapping[str, str],
    *,
    answer: bool = True,
) -> dict[str, Any] | None:
    """An annotation or gold decision without the labels in `drop` (labels the adopted
    guidelines no longer have: store/exporting.labels_outside), nor the sentence field
    values whose label (`owners`: field -> label, the adopted schema's) is not among the
    labels kept (audit12 F1: the values given under a dropped CLAIM were exported as the
    field of ASSERTION, on records without ASSERTION). Every format goes through this, so
    they all leave the same labels out.

    An annotation left with no label keeps its place, with `labels: []`: its annotator
    confirmed the sentence, said none of the labels these guidelines have applies, and
    counts so in agreement (all absent) and in the majority (a vote), so the raw export
    carries it too and imports back as such (audit12 F10: the round trip lost it, and
    agreement of the re-imported project differed). A gold decision left with no label
    (`answer` False) is None: no decision under these guidelines."""
    if obj is None or not drop:
        return obj
    labels = [lab for lab in obj["labels"] if lab not in drop]
    if not labels and not answer:
        return None
    fields = {k: v for k, v in obj["fields"].items() if owners.get(k) in labels}
    return {**obj, "labels": labels, "fields": fields}


def stream(job: Job) -> Iterator[Record]:
    """The sentences to export (with `everything`, all of them), in corpus order."""
    store, progress = job.store, job.progress
    arts = {k: json.loads(v) for k, v in exporting.article_json(store).items()}
    accepted = origins.accepted(store)
    drop = job.drop if job.drop is not None else frozenset(exporting.labels_outside(store))
    owners = {sf.name: sf.label for sf in job.schema.sentence_fields}
    staff = job.staff
    if staff is None:
        # gold13b: the gold and raw views read the staff (coders.roles, a scan of an
        # off-team adjudicator's events) for votes they never count
        staff = exporting.staff_names(store) if job.view == "majority" else frozenset()
    unrated = job.unrated
    if unrated is None:
        unrated = exporting.labels_unrated(store, list(job.schema.label_names))
    loads = json.loads
    for i, (sid, aid, sjson, anns, gold) in enumerate(
        exporting.groups(store, everything=job.everything, joiner=b",", unrated=unrated)
    ):
        if not i % 5000:
            progress(i)
        annotations = loads(b"[" + anns + b"]")
        voters = len(annotations)
        if staff:  # per sentence: only a project with staff answers pays for the count
            voters -= sum(a["annotator"] in staff for a in annotations)
        lacking = None
        if drop and unrated:
            # counted before an annotation whose labels were all dropped leaves the list:
            # it still votes (`voters`), and still never rated what its schema lacked
            lacking = unrated_votes(annotations, staff)
        if drop:
            annotations = [k for a in annotations if (k := without(a, drop, owners)) is not None]
        decision = without(loads(gold), drop, owners, answer=False) if gold is not None else None
        if drop and not annotations and decision is None and not job.everything:
            # gold only, and every label on it dropped: no longer a sentence with an answer
            # (audit9b F3: jsonl and csv kept it, empty, where hf left it out)
            continue
        mine = accepted.get(sid, {})
        for a in annotations:
            a["origins"] = origins_of(a["labels"], mine.get(a["annotator"]))
        voting = [a for a in annotations if a["annotator"] not in staff] if staff else None
        yield Record(loads(sjson), arts[aid], annotations, decision, voters, voting, lacking)


def unrated_votes(annotations: list[dict[str, Any]], staff: Collection[str]) -> dict[str, int]:
    """Per label, how many of the voters (staff aside) never rated it."""
    return dict(
        Counter(
            lab for a in annotations if a["annotator"] not in staff for lab in a.get("unrated", ())
        )
    )


def electors(rec: Record) -> list[dict[str, Any]]:
    """The annotations the majority counts (staff aside)."""
    return rec.annotations if rec.voting is None else rec.voting


def majority_of(
    annotations: list[dict[str, Any]],
    schema: LabelSchema,
    voters: int = 0,
    unrated: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Labels chosen by more than half of the annotators who confirmed the sentence; a
    sentence field's value chosen by more than half of those who set its label. `voters`:
    how many confirmed it, when an annotation whose labels were all dropped is not among
    `annotations` (audit9b F3: left out of the count, it made one annotator's label "the
    majority" of one, where agreement still counted the other's "no").

    A label added to the guidelines after some of them confirmed is voted on only by those
    who confirmed under a schema that had it (`unrated`: per label, how many voters never
    rated it; None: the annotations' own `unrated` members say): as in agreement (audit12
    F6). A label none of them rated is listed in `"unrated"` (present only then): the
    majority says nothing of it, neither yes nor no. `"raters"` (present only when some
    label was not rated by every voter) gives, per such label, how many did rate it: its
    votes are out of that many, not out of `"annotators"` (audit15b F7: a majority of one
    of three, with nothing in the file to check it by)."""
    n = voters or len(annotations)
    votes: Counter[str] = Counter(lab for a in annotations for lab in a["labels"])
    lacking = unrated if unrated is not None else unrated_votes(annotations, ())
    raters = {lab: n - lacking.get(lab, 0) for lab in schema.label_names}
    labels = [lab for lab in schema.label_names if is_majority(votes[lab], raters[lab])]
    missing = [lab for lab in schema.label_names if raters[lab] <= 0]
    fields: dict[str, str] = {}
    for sf in schema.sentence_fields:
        owners = [a for a in annotations if sf.label in a["labels"]]
        values = Counter(a["fields"].get(sf.name) for a in owners if a["fields"].get(sf.name))
        if values and sf.label in labels:
            value, k = values.most_common(1)[0]
            if is_majority(k, len(owners)):
                fields[sf.name] = value
    out: dict[str, Any] = {
        "labels": labels,
        "fields": fields,
        "votes": dict(sorted(votes.items())),
        "annotators": n,
    }
    fewer = {lab: max(r, 0) for lab, r in raters.items() if r < n}
    if fewer:
        out["raters"] = fewer
    if missing:
        out["unrated"] = missing
    return out


def answers(rec: Record, view: str, schema: LabelSchema) -> list[Answer]:
    """The per-view transform: what `view` says about this sentence (see the module's
    docstring); empty when it says nothing."""
    if view == "raw":
        return [
            Answer(a["labels"], a["fields"], a, tuple(a.get("unrated", ())))
            for a in rec.annotations
        ]
    if view == "gold":
        g = rec.gold
        if g is None:
            return []
        return [Answer(g["labels"], g["fields"], g, tuple(g.get("unrated", ())))]
    if not rec.annotations:
        return []
    m = majority_of(electors(rec), schema, rec.voters, rec.unrated)
    # split, no label with a majority: the majority says nothing of this sentence (audit9b
    # F1: hf and csv wrote it as "none of the labels", an answer no annotator gave)
    return [Answer(m["labels"], m["fields"], m, tuple(m.get("unrated", ())))] if m["labels"] else []


# the formats that can write "never rated" per answer; the others list the labels given
_SAYS_MISSING = {
    "csv": "their cells for it are empty (missing, not 0)",
    "spacy-jsonl": "their records have no cat for it (textcat_multilabel reads that as "
    "missing, not 0.0)",
}


def unrated_note(fmt: str, counts: dict[str, int]) -> str:
    """What an export says of labels added to the guidelines after some answers were
    confirmed (audit12 F6): those answers never rated them; `counts`: per label, how many
    confirmed annotations predate it (store/exporting.unrated_counts)."""
    said = "; ".join(f"{label} ({n} before it)" for label, n in counts.items())
    how = _SAYS_MISSING.get(
        fmt,
        f"{fmt} lists the labels given and cannot mark one as never rated: for those "
        'answers, read the label\'s absence as unknown, not as "no" (csv and spacy-jsonl '
        "mark it per answer)",
    )
    return (
        f"labels added to the guidelines after some confirmations: {said}; those answers "
        f"never rated them: {how}; the majority counts only the voters who had the label "
        "(`annotator agreement --by schema` scores each schema version apart)"
    )
