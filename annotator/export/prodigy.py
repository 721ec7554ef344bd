"""Prodigy: tasks of its `choice` interface, with the keys Prodigy itself writes.

Every key follows Prodigy's documentation:
- https://prodi.gy/docs/api-interfaces#choice : `text`, `options` (each `id` and `text`),
  `accept` (the ids of the chosen options), `_view_id` "choice" (`review` needs it to
  render a task); several choices need `"choice_style": "multiple"` in prodigy.json or the
  recipe's config.
- https://prodi.gy/docs/api-loaders#hashing : `_input_hash` identifies the input (here the
  text), `_task_hash` the question asked about it (the input plus the options), so two
  annotators' answers to one question share both hashes; neither depends on the answer.
- https://prodi.gy/docs/api-database : `answer` is "accept", "reject" or "ignore";
  `_timestamp` the integer Unix time of the answer; `_annotator_id` and `_session_id` name
  who answered (`DATASET-NAME`); anything else about the task goes under `meta`, which
  Prodigy shows in the corner of the card.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import IO, Any

from annotator.export.records import Answer, Job, answers, dumps, electors, majority_of, stream
from annotator.schema import LabelSchema

ANSWERS = ("accept", "reject", "ignore")
KEPT_OF_GOLD = ("method", "adjudicator", "agrees_with", "note")


def hash32(text: str) -> int:
    """A stable signed 32-bit hash (Prodigy's hashes are 32-bit ints)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big", signed=True)


def options(schema: LabelSchema) -> list[dict[str, str]]:
    return [{"id": lab.name, "text": lab.title or lab.name} for lab in schema.labels]


def unix_seconds(iso: str | None) -> int | None:
    if not iso:
        return None
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def task(
    text: str,
    opts: list[dict[str, str]],
    accept: list[str] | None,
    who: str,
    at: str | None,
    meta: dict[str, Any],
) -> dict[str, Any]:
    """One answered task. `accept` None: no answer to give (a sentence without a majority
    label): "ignore", Prodigy's answer for a question skipped."""
    input_hash = hash32(text)
    question = json.dumps([input_hash, [o["id"] for o in opts]], separators=(",", ":"))
    out: dict[str, Any] = {
        "text": text,
        "options": opts,
        "accept": accept or [],
        "answer": "accept" if accept is not None else "ignore",
        "meta": meta,
        "_input_hash": input_hash,
        "_task_hash": hash32(question),
        "_view_id": "choice",
        "_annotator_id": who,
        "_session_id": who,
    }
    stamp = unix_seconds(at)
    if stamp is not None:
        out["_timestamp"] = stamp
    return out


def write_prodigy(job: Job, out: IO[str]) -> int:
    schema, view, name = job.schema, job.view, job.name
    opts = options(schema)
    n = 0
    for rec in stream(job):
        s = rec.sentence
        meta = {k: s[k] for k in ("article_id", "position", "kind", "start", "end")}
        found = answers(rec, view, schema)
        if view == "majority" and not found and rec.annotations:
            # split, no label with a majority: Prodigy's "ignore", with the votes
            m = majority_of(electors(rec), schema, rec.voters, rec.unrated)
            found = [Answer(m["labels"], m["fields"], m)]
        for ans in found:
            c = ans.source
            accept: list[str] | None = ans.labels
            if view == "raw":
                who, at = f"{name}-{c['annotator']}", c["confirmed_at"]
                extra = {**ans.fields, "annotator": c["annotator"]}
                extra.update(confirmed_at=c["confirmed_at"], updated_at=c["updated_at"])
                extra["origins"] = c["origins"]  # beside `accept`'s labels, in their order
                if c["comment"]:
                    extra["comment"] = c["comment"]
                if not ans.labels:
                    # every label of it dropped by the adopted guidelines: `accept: []` is
                    # "none of these labels applies", not the NONE it means elsewhere
                    # (audit15b F1: the round trip made it NONE and flipped majorities)
                    extra["no_label"] = True
            elif view == "gold":
                who, at = f"{name}-{view}", c.get("decided_at")
                extra = {**ans.fields, **{k: c[k] for k in KEPT_OF_GOLD}}
                extra["decided_at"] = at  # exact, as the raw tasks' times (import-labels)
            else:
                who = f"{name}-{view}"
                at = max(a["updated_at"] or a["confirmed_at"] for a in rec.annotations)
                extra = {**ans.fields, "votes": c["votes"], "annotators": c["annotators"]}
                if "raters" in c:  # a label added since some voted: out of how many
                    extra["raters"] = c["raters"]
                accept = ans.labels or None
            t = task(s["text"], opts, accept, who, at, {**meta, **extra})
            out.write(dumps(t) + "\n")
            n += 1
    return n
