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

from annotator.export import records as rec_mod
from annotator.export.records import Progress, sentence_stream
from annotator.schema import LabelSchema
from annotator.store.database import Store

ANSWERS = ("accept", "reject", "ignore")


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


def write_prodigy(
    store: Store,
    schema: LabelSchema,
    view: str,
    out: IO[str],
    *,
    everything: bool,
    progress: Progress,
    name: str = "annotator",
) -> int:
    opts = options(schema)
    n = 0
    for r, _art in sentence_stream(store, everything, progress):
        s = rec_mod.decoded(r)
        meta = {k: s[k] for k in ("article_id", "position", "kind", "start", "end")}
        anns = [json.loads(a) for a in r.annotations]
        if view == "raw":
            for a in anns:
                extra = {**a["fields"], "annotator": a["annotator"]}
                extra.update(confirmed_at=a["confirmed_at"], updated_at=a["updated_at"])
                if a["comment"]:
                    extra["comment"] = a["comment"]
                t = task(
                    s["text"],
                    opts,
                    a["labels"],
                    f"{name}-{a['annotator']}",
                    a["confirmed_at"],
                    {**meta, **extra},
                )
                out.write(rec_mod.dumps(t) + "\n")
                n += 1
            continue
        c = rec_mod.chosen(r, view, schema)
        if c is None or (not anns and view == "majority"):
            continue
        if view == "gold":
            extra = {k: c[k] for k in ("method", "adjudicator", "agrees_with", "note")}
            at = c.get("decided_at")
            accept: list[str] | None = c["labels"]
        else:
            extra = {"votes": c["votes"], "annotators": c["annotators"]}
            at = max(a["updated_at"] or a["confirmed_at"] for a in anns)
            accept = c["labels"] or None
        t = task(s["text"], opts, accept, f"{name}-{view}", at, {**meta, **c["fields"], **extra})
        out.write(rec_mod.dumps(t) + "\n")
        n += 1
    return n
