"""The export formats. Each streams records to a file object; `export()` picks the format,
writes atomically, adds the article-level sidecar, and reports what it wrote."""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.export import parallel, splice
from annotator.export import records as rec_mod
from annotator.export.atomic import clean_stale, staged
from annotator.export.parallel import Helper
from annotator.export.target import OutputError, check_file, check_folder
from annotator.guidelines import Guidelines
from annotator.schema import LabelSchema
from annotator.store import exporting
from annotator.store.database import Store

FORMATS = ("jsonl", "csv", "hf", "prodigy", "label-studio", "doccano")
Progress = Callable[[int], None]


@dataclass
class ExportResult:
    records: int = 0
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _hash32(text: str) -> int:
    """A stable signed 32-bit hash (Prodigy's hashes are 32-bit ints)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big", signed=True)


def sentence_stream(
    store: Store, everything: bool, progress: Progress
) -> Iterator[tuple[Any, str]]:
    """The sentences to export with their article's JSON; progress counts sentences."""
    arts = {k: v.decode() for k, v in exporting.article_json(store).items()}
    for i, r in enumerate(exporting.sentences(store, everything=everything)):
        if not i % 5000:
            progress(i)
        yield r, arts[r.article_id]


# --- jsonl ----------------------------------------------------------------------------------


def write_jsonl(
    store: Store,
    schema: LabelSchema,
    view: str,
    out: IO[str],
    *,
    everything: bool,
    progress: Progress,
    helper: Helper | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> int:
    """JSON Lines. The gold and raw views splice the UTF-8 bytes the database keeps
    straight into the output (export/splice.py); with a helper process, it writes the
    second half (export/parallel.py), and `meanwhile` runs while it does."""
    n = 0
    buffer = out.buffer if hasattr(out, "buffer") else None
    if buffer is None or view == "majority":
        for r, art in sentence_stream(store, everything, progress):
            if view == "raw":
                for line in rec_mod.raw_lines(r, art):
                    out.write(line + "\n")
                    n += 1
            else:
                out.write(
                    (
                        rec_mod.gold_line(r, art)
                        if view == "gold"
                        else rec_mod.majority_line(r, art, schema)
                    )
                    + "\n"
                )
                n += 1
        return n
    out.flush()
    arts = exporting.article_json(store)
    if helper is None:
        return splice.write_lines(
            store, view, buffer, everything=everything, arts=arts, progress=progress
        )
    n = splice.write_lines(
        store,
        view,
        buffer,
        everything=everything,
        arts=arts,
        hi=helper.lo,
        progress=lambda i: progress(i + helper.progress()),
    )
    meanwhile()
    done = helper.finish()
    if done is None:  # the helper failed: its half is written here, from the same snapshot
        return n + splice.write_lines(
            store,
            view,
            buffer,
            everything=everything,
            arts=arts,
            lo=helper.lo,
            progress=lambda i: progress(n + i),
        )
    helper.append_to(buffer)
    return n + done


# --- csv ------------------------------------------------------------------------------------


def _csv_header(schema: LabelSchema, view: str) -> list[str]:
    cols = [
        "id",
        "article_id",
        "article_title",
        "outlet",
        "position",
        "paragraph",
        "kind",
        "start",
        "end",
        "text",
    ]
    if view == "raw":
        cols += ["annotator", "comment", "confirmed_at"]
    cols += list(schema.label_names) + [sf.name for sf in schema.sentence_fields]
    if view == "gold":
        cols += ["gold_method", "adjudicator", "agrees_with", "gold_note"]
    cols += ["n_annotators", "annotators", "flesch_kincaid_grade"]
    return cols


def write_csv(
    store: Store,
    schema: LabelSchema,
    view: str,
    out: IO[str],
    *,
    everything: bool,
    progress: Progress,
) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_csv_header(schema, view))
    n = 0
    for r, art_json in sentence_stream(store, everything, progress):
        s = rec_mod.decoded(r)
        art = json.loads(art_json)
        base = [
            s["id"],
            s["article_id"],
            art["title"],
            art["outlet"],
            s["position"],
            s["paragraph"],
            s["kind"],
            s["start"],
            s["end"],
            s["text"],
        ]
        anns = [json.loads(a) for a in r.annotations]
        names = " ".join(a["annotator"] for a in anns)
        tail = [len(anns), names, s["flesch_kincaid_grade"]]
        if view == "raw":
            for a in anns:
                writer.writerow(
                    base
                    + [a["annotator"], a["comment"], a["confirmed_at"]]
                    + [int(lab in a["labels"]) for lab in schema.label_names]
                    + [a["fields"].get(sf.name, "") for sf in schema.sentence_fields]
                    + tail
                )
                n += 1
        else:
            c = rec_mod.chosen(r, view, schema)
            labels = c["labels"] if c else None
            row = base + [
                ("" if labels is None else int(lab in labels)) for lab in schema.label_names
            ]
            row += [(c["fields"].get(sf.name, "") if c else "") for sf in schema.sentence_fields]
            if view == "gold":
                row += (
                    [
                        c["method"],
                        c["adjudicator"] or "",
                        " ".join(c["agrees_with"]),
                        c["note"] or "",
                    ]
                    if c
                    else ["", "", "", ""]
                )
            writer.writerow(row + tail)
            n += 1
    return n


# --- prodigy, doccano, label studio ---------------------------------------------------------


def _options(schema: LabelSchema) -> list[dict[str, str]]:
    return [{"id": lab.name, "text": lab.title or lab.name} for lab in schema.labels]


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
    """Prodigy's choice interface: text, options, accept (the chosen ids), answer."""
    options = _options(schema)
    n = 0
    for r, _art in sentence_stream(store, everything, progress):
        s = rec_mod.decoded(r)
        meta = {
            "article": s["article_id"],
            "position": s["position"],
            "kind": s["kind"],
            "start": s["start"],
            "end": s["end"],
        }
        base = {
            "text": s["text"],
            "options": options,
            "meta": meta,
            "config": {"choice_style": "multiple"},
            "_input_hash": _hash32(s["text"]),
        }
        if view == "raw":
            versions = [json.loads(a) for a in r.annotations]
            for a in versions:
                task = {
                    **base,
                    "accept": a["labels"],
                    "answer": "accept",
                    "fields": a["fields"],
                    "comment": a["comment"],
                    "_annotator_id": f"{name}-{a['annotator']}",
                    "_session_id": f"{name}-{a['annotator']}",
                    "_timestamp": a["confirmed_at"],
                }
                task["_task_hash"] = _hash32(f"{s['text']}|{','.join(a['labels'])}")
                out.write(_dumps(task) + "\n")
                n += 1
        else:
            c = rec_mod.chosen(r, view, schema)
            if c is None:
                continue
            task = {
                **base,
                "accept": c["labels"],
                "answer": "accept",
                "fields": c["fields"],
                "_annotator_id": f"{name}-{view}",
                "_session_id": f"{name}-{view}",
            }
            task["_task_hash"] = _hash32(f"{s['text']}|{','.join(c['labels'])}")
            out.write(_dumps(task) + "\n")
            n += 1
    return n


def write_doccano(
    store: Store,
    schema: LabelSchema,
    view: str,
    out: IO[str],
    *,
    everything: bool,
    progress: Progress,
) -> int:
    """doccano's text classification JSONL: text and label (a list)."""
    n = 0
    for r, _art in sentence_stream(store, everything, progress):
        s = rec_mod.decoded(r)
        base = {
            "text": s["text"],
            "article_id": s["article_id"],
            "position": s["position"],
            "start": s["start"],
            "end": s["end"],
        }
        if view == "raw":
            for a in (json.loads(x) for x in r.annotations):
                out.write(
                    _dumps(
                        {
                            **base,
                            "label": a["labels"],
                            "annotator": a["annotator"],
                            "fields": a["fields"],
                        }
                    )
                    + "\n"
                )
                n += 1
        else:
            c = rec_mod.chosen(r, view, schema)
            if c is None:
                continue
            out.write(_dumps({**base, "label": c["labels"], "fields": c["fields"]}) + "\n")
            n += 1
    return n


def write_label_studio(
    store: Store,
    schema: LabelSchema,
    view: str,
    out: IO[str],
    *,
    everything: bool,
    progress: Progress,
) -> int:
    """Label Studio's JSON export: a list of tasks, one annotations[] entry per annotator
    (completed_by a user id, created_username the name); gold as ground_truth."""
    user_ids = {a["annotator"]: i for i, a in enumerate(exporting.annotator_summary(store), 1)}

    def result(labels: list[str], fields: dict[str, str]) -> list[dict[str, Any]]:
        out_ = [
            {
                "id": "labels",
                "from_name": "labels",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": labels},
            }
        ]
        for k, v in fields.items():
            out_.append(
                {
                    "id": k,
                    "from_name": k,
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [v]},
                }
            )
        return out_

    out.write("[\n")
    n = 0
    ann_id = 0
    for r, _art in sentence_stream(store, everything, progress):
        s = rec_mod.decoded(r)
        anns = []
        for a in (json.loads(x) for x in r.annotations):
            ann_id += 1
            uid = user_ids.setdefault(a["annotator"], len(user_ids) + 1)
            anns.append(
                {
                    "id": ann_id,
                    "completed_by": uid,
                    "created_username": a["annotator"],
                    "result": result(a["labels"], a["fields"]),
                    "created_at": a["confirmed_at"],
                    "updated_at": a["updated_at"],
                    "ground_truth": False,
                    "was_cancelled": False,
                    "comment": a["comment"],
                }
            )
        if view != "raw":
            c = rec_mod.chosen(r, view, schema)
            if c is not None:
                ann_id += 1
                who = c.get("adjudicator") or view
                anns.append(
                    {
                        "id": ann_id,
                        "completed_by": user_ids.get(who, 0),
                        "created_username": who,
                        "result": result(c["labels"], c["fields"]),
                        "created_at": c.get("decided_at"),
                        "ground_truth": True,
                        "was_cancelled": False,
                    }
                )
        task = {
            "id": r.sentence_id,
            "data": {
                "text": s["text"],
                "article_id": s["article_id"],
                "position": s["position"],
                "kind": s["kind"],
                "start": s["start"],
                "end": s["end"],
            },
            "annotations": anns,
            "predictions": [],
        }
        out.write(("," if n else "") + _dumps(task) + "\n")
        n += 1
    out.write("]\n")
    return n


WRITERS: dict[str, Callable[..., int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "prodigy": write_prodigy,
    "doccano": write_doccano,
    "label-studio": write_label_studio,
}


# --- articles sidecar -----------------------------------------------------------------------


def write_articles_jsonl(store: Store, out: IO[str]) -> int:
    n = 0
    for a in exporting.articles(store):
        out.write(_dumps(a) + "\n")
        n += 1
    return n


def write_articles_csv(store: Store, schema: LabelSchema, out: IO[str]) -> int:
    """One row per (article, annotator) plus one per article for gold; outlet fields too."""
    names = [f.name for f in schema.article_fields]
    onames = [f.name for f in schema.outlet_fields]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "article_id",
            "title",
            "outlet",
            "author",
            "published",
            "url",
            "who",
            *names,
            *[f"outlet_{o}" for o in onames],
        ]
    )
    n = 0
    for a in exporting.articles(store):
        head = [a["id"], a["title"], a["outlet"], a["author"], a["published"], a["url"]]
        outlet = [a["outlet_fields"].get(o, {}).get("value", "") for o in onames]
        for who, values in a["annotations"].items():
            writer.writerow(head + [who] + [values.get(f, "") for f in names] + outlet)
            n += 1
        if a["gold"]:
            writer.writerow(
                head + ["(gold)"] + [a["gold"].get(f, {}).get("value", "") for f in names] + outlet
            )
            n += 1
        if not a["annotations"] and not a["gold"]:
            writer.writerow(head + [""] + [""] * len(names) + outlet)
            n += 1
    return n


def sidecar_path(out: Path, fmt: str) -> Path:
    suffix = ".csv" if fmt == "csv" else ".jsonl"
    stem = out.name
    for ext in (".jsonl", ".json", ".csv", ".ndjson"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    return out.with_name(f"{stem}.articles{suffix}")


def export(
    store: Store,
    guidelines: Guidelines,
    fmt: str,
    view: str,
    out: Path | None,
    *,
    everything: bool = False,
    name: str = "annotator",
    progress: Progress = lambda n: None,
    jobs: int | None = None,
    force: bool = False,
) -> ExportResult:
    """Export to `out` (None: standard output). `out` is checked first (export/target.py):
    never the database, a device, a FIFO, or a file or folder we did not write (`force`:
    any regular file but the database's). Raises OutputError with a line for the user."""
    dest: _Dest | None = None
    if out is not None:
        dest = _Dest.check(out, fmt, store.path, force=force)
    # one read transaction: the records and the articles sidecar show one moment, even while
    # annotators go on working (no record whose article the sidecar lacks, or the reverse)
    # `jobs`: None decides (a helper process for a big jsonl export), 1 never, 2 always
    helper = None
    if fmt == "jsonl" and dest is not None and jobs != 1:
        clean_stale(dest.real.parent, dest.real.name)
        helper = parallel.start(store, view, everything, dest.real.parent, force=jobs == 2)
    try:
        with exporting.snapshot(store, helper.begin if helper else None) as joined:
            if helper is not None and not joined:
                helper.close()
                helper = None
            return _export(
                store,
                guidelines,
                fmt,
                view,
                dest,
                everything=everything,
                name=name,
                progress=progress,
                helper=helper,
            )
    finally:
        if helper is not None:
            helper.close()


@dataclass
class _Dest:
    """Where an export goes: the paths as the user named them and the checked ones to write."""

    out: Path
    real: Path
    side: Path | None = None
    side_real: Path | None = None

    @classmethod
    def check(cls, out: Path, fmt: str, db: Path, *, force: bool) -> _Dest:
        if fmt == "hf":
            return cls(out, check_folder(out, db))
        real = check_file(out, db, force=force)
        side = sidecar_path(out, fmt)
        return cls(out, real, side, check_file(side, db, force=force))


def _to_stdout(writer: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    try:
        return writer(*args, **kwargs)
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            raise OutputError(
                "no space left on the device standard output goes to; the output is incomplete"
            ) from None
        raise


def _export(
    store: Store,
    guidelines: Guidelines,
    fmt: str,
    view: str,
    dest: _Dest | None,
    *,
    everything: bool,
    name: str,
    progress: Progress,
    helper: Helper | None,
) -> ExportResult:
    schema = guidelines.schema
    result = ExportResult()
    if fmt == "hf":
        from annotator.export.hf import write_hf

        assert dest is not None
        result = write_hf(store, guidelines, dest.real, everything=everything, progress=progress)
        result.files = [dest.out]
        return result
    writer = WRITERS[fmt]
    kwargs: dict[str, Any] = {"everything": everything, "progress": progress}
    if fmt == "prodigy":
        kwargs["name"] = name
    if helper is not None:
        kwargs["helper"] = helper
    if dest is None:
        result.records = _to_stdout(writer, store, schema, view, sys.stdout, **kwargs)
        result.notes.append(
            "article-level and outlet fields are written next to the output "
            "file: give -o PATH to get them"
        )
        return result
    assert dest.side is not None and dest.side_real is not None
    newline = "" if fmt == "csv" else None
    # both files are renamed into place together, once both are complete: a failed
    # export leaves both as they were
    with staged() as files:
        fh = files.text(dest.real, newline=newline)
        side_fh = files.text(dest.side_real, newline=newline)

        def sidecar() -> None:
            if fmt == "csv":
                write_articles_csv(store, schema, side_fh)
            else:
                write_articles_jsonl(store, side_fh)

        if helper is not None:
            kwargs["meanwhile"] = sidecar  # written while the helper writes its half
        result.records = writer(store, schema, view, fh, **kwargs)
        if helper is None:
            sidecar()
    result.files += [dest.out, dest.side]
    return result
