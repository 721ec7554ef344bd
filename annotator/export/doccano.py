"""doccano's text classification JSONL (its documented import: `text`, `label` a list; every
other key lands in the example's metadata)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import IO
from urllib.parse import quote

from annotator.export.records import Job, answers, dumps, stream


def write_doccano(
    job: Job,
    out: IO[str],
    *,
    annotator: str | None = None,
) -> int:
    """doccano credits every label of a file to the member who uploads it, so `raw` is
    written one annotator at a time (`annotator`). A sentence without a majority label is
    left out: doccano would show it as not yet labelled. Every line has the same keys (null
    when unset): doccano reads a file into a DataFrame, and a key missing from some lines
    became NaN, which its database refuses as metadata (CHECK JSON_VALID)."""
    schema, view = job.schema, job.view
    field_names = [sf.name for sf in schema.sentence_fields]
    n = 0
    for rec in stream(job):
        s = rec.sentence
        base = {k: s[k] for k in ("text", "article_id", "position", "start", "end")}
        for ans in answers(rec, view, schema):
            if view == "raw":
                if ans.source["annotator"] != annotator:
                    continue
                line = {**base, "label": ans.labels, "annotator": annotator}
                line.update({f: ans.fields.get(f) for f in field_names})
                line["comment"] = ans.source["comment"]
                line["origins"] = ans.source["origins"]  # beside `label`, in its order
            else:
                if not ans.labels:
                    continue
                line = {**base, "label": ans.labels}
                line.update({f: ans.fields.get(f) for f in field_names})
            out.write(dumps(line) + "\n")
            n += 1
    return n


def raw_path(out: Path, annotator: str) -> Path:
    """One file per annotator: PATH's stem, the (quoted) name, PATH's suffix."""
    stem, dot, suffix = out.name.rpartition(".")
    if not dot:
        stem, suffix = out.name, "jsonl"
    name = quote(annotator, safe="")
    if len(name) > _MAX_NAME_PART:
        # a long non-ASCII name quotes to nine bytes a letter, past the 255 a file name may
        # have: its start (never half an escape) and a digest of it, unique and stable
        head = re.sub(r"%[0-9A-F]?$", "", name[: _MAX_NAME_PART - 12])
        name = f"{head}~{hashlib.sha256(annotator.encode()).hexdigest()[:10]}"
    if name.casefold() == SIDECAR_PART:
        # audit9b F11: an annotator called "articles" had the articles file's path, which,
        # written last, took the place of that annotator's file; "%61rticles" never does
        name = f"%{ord(name[0]):02X}{name[1:]}"
    return out.with_name(f"{stem}.{name}.{suffix}")


_MAX_NAME_PART = 160  # with the stem and suffix, under the 255 bytes of a file name
SIDECAR_PART = "articles"  # the articles file is PATH-stem.articles.jsonl (formats.sidecar_path)
