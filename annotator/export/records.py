"""Records for each view, built by splicing the JSON objects SQLite made (fast, exact)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from annotator.schema import LabelSchema
from annotator.store.exporting import SentenceRecord

VIEWS = ("gold", "majority", "raw")


def _splice(obj: str, **extra: str) -> str:
    """Add JSON-encoded members to a JSON object string."""
    inner = ",".join(f'"{k}":{v}' for k, v in extra.items())
    return obj[:-1] + ("," if obj != "{}" else "") + inner + "}"


def gold_line(rec: SentenceRecord, article: str) -> str:
    # the hot path of the default export: one f-string, no intermediate objects
    anns = ",".join(rec.annotations)
    return (
        f'{rec.json[:-1]},"article":{article},"annotations":[{anns}],"gold":{rec.gold or "null"}}}'
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
    return _splice(
        rec.json,
        article=article,
        annotations="[" + ",".join(rec.annotations) + "]",
        majority=json.dumps(majority(rec, schema), ensure_ascii=False, separators=(",", ":")),
    )


def raw_lines(rec: SentenceRecord, article: str) -> list[str]:
    """One line per (sentence, annotator): the sentence, then the annotator's marks."""
    head = rec.json[:-1] + ',"article":' + article + ","
    return [head + a[1:] for a in rec.annotations]


def decoded(rec: SentenceRecord) -> dict[str, Any]:
    return json.loads(rec.json)  # type: ignore[no-any-return]


def chosen(rec: SentenceRecord, view: str, schema: LabelSchema) -> dict[str, Any] | None:
    """The labels a per-sentence format exports for a view (None: nothing decided)."""
    if view == "gold":
        return json.loads(rec.gold) if rec.gold else None
    return majority(rec, schema)
