"""Records for each view, built by splicing the JSON objects SQLite made (fast, exact)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.schema import LabelSchema
from annotator.store import exporting
from annotator.store.database import Store
from annotator.store.exporting import SentenceRecord

Progress = Callable[[int], None]


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


def sentence_stream(
    store: Store, everything: bool, progress: Progress
) -> Iterator[tuple[SentenceRecord, str]]:
    """The sentences to export with their article's JSON; progress counts sentences."""
    arts = {k: v.decode() for k, v in exporting.article_json(store).items()}
    for i, r in enumerate(exporting.sentences(store, everything=everything)):
        if not i % 5000:
            progress(i)
        yield r, arts[r.article_id]


VIEWS = ("gold", "majority", "raw")


def _splice(obj: str, **extra: str) -> str:
    """Add JSON-encoded members to a JSON object string."""
    inner = ",".join(f'"{k}":{v}' for k, v in extra.items())
    return obj[:-1] + ("," if obj != "{}" else "") + inner + "}"


def gold_labels(gold: str | None) -> str:
    """The gold record's labels as JSON text ("null": no gold). The stored record starts
    `{"labels":[...]` and label names are UPPER_SNAKE_CASE, so the list ends at the
    first `]`."""
    return gold[10 : gold.index("]") + 1] if gold else "null"


# "The labels of this record" are the top-level `labels` of every jsonl view, and `view`
# says whose they are: raw, the annotator's; gold, the gold (null: none yet); majority,
# the majority's. The annotations and the gold or majority details stay beside them.
def gold_line(rec: SentenceRecord, article: str) -> str:
    # the hot path of the default export: one f-string, no intermediate objects
    anns = ",".join(rec.annotations)
    return (
        f'{rec.json[:-1]},"article":{article},"annotations":[{anns}],"gold":{rec.gold or "null"}'
        f',"view":"gold","labels":{gold_labels(rec.gold)}}}'
    )


def majority(rec: SentenceRecord, schema: LabelSchema) -> dict[str, Any]:
    """Labels chosen by more than half of the annotators who confirmed the sentence; a
    sentence field's value chosen by more than half of those who set its label."""
    anns = [json.loads(a) for a in rec.annotations]
    n = len(anns)
    votes: Counter[str] = Counter(lab for a in anns for lab in a["labels"])
    labels = [lab for lab in schema.label_names if votes[lab] * 2 > n]
    fields: dict[str, str] = {}
    for sf in schema.sentence_fields:
        owners = [a for a in anns if sf.label in a["labels"]]
        values = Counter(a["fields"].get(sf.name) for a in owners if a["fields"].get(sf.name))
        if values and sf.label in labels:
            value, k = values.most_common(1)[0]
            if k * 2 > len(owners):
                fields[sf.name] = value
    return {
        "labels": labels,
        "fields": fields,
        "votes": dict(sorted(votes.items())),
        "annotators": n,
    }


def majority_line(rec: SentenceRecord, article: str, schema: LabelSchema) -> str:
    m = majority(rec, schema)
    return _splice(
        rec.json,
        article=article,
        annotations="[" + ",".join(rec.annotations) + "]",
        majority=dumps(m),
        view='"majority"',
        labels=dumps(m["labels"]),
    )


def raw_lines(rec: SentenceRecord, article: str) -> list[str]:
    """One line per (sentence, annotator): the sentence, then the annotator's marks."""
    head = rec.json[:-1] + ',"article":' + article + ',"view":"raw",'
    return [head + a[1:] for a in rec.annotations]


def decoded(rec: SentenceRecord) -> dict[str, Any]:
    return json.loads(rec.json)  # type: ignore[no-any-return]


def chosen(rec: SentenceRecord, view: str, schema: LabelSchema) -> dict[str, Any] | None:
    """The labels a per-sentence format exports for a view (None: nothing decided)."""
    if view == "gold":
        return json.loads(rec.gold) if rec.gold else None
    return majority(rec, schema)
