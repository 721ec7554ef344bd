"""The export formats. Each streams records to a file object; `export()` picks the format,
writes atomically, adds the article-level sidecar, and reports what it wrote."""

from __future__ import annotations

import csv
import errno
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from annotator.export import parallel, splice
from annotator.export import records as rec_mod
from annotator.export.atomic import clean_stale, staged
from annotator.export.label_studio import labelling_config, users, write_label_studio
from annotator.export.parallel import Helper
from annotator.export.prodigy import write_prodigy
from annotator.export.records import ExportRefused, ExportResult, Progress, sentence_stream
from annotator.export.records import dumps as _dumps
from annotator.export.spacy_textcat import write_spacy_jsonl
from annotator.export.target import OutputError, check_file, check_folder
from annotator.guidelines import Guidelines
from annotator.schema import LabelSchema
from annotator.store import exporting
from annotator.store.database import Store

FORMATS = ("jsonl", "csv", "hf", "prodigy", "label-studio", "doccano", "spacy-jsonl")
__all__ = ["FORMATS", "ExportResult", "Progress", "export", "sentence_stream"]


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


# The empty-value policy of the csv export: an empty cell means "no value" (a sentence
# without gold has empty label cells; an unset field is empty), never "NaN" or "null"; a
# label cell is otherwise 0 or 1. pandas reads such a column as nullable integers with
# read_csv(..., dtype_backend="numpy_nullable"), and a column without empty cells (every
# label column of --view raw and majority) as int64 by default.
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
        # a JSON list: any name (spaces, commas) survives, and json.loads reads it back
        names = _dumps([a["annotator"] for a in anns])
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
                        _dumps(c["agrees_with"]),
                        c["note"] or "",
                    ]
                    if c
                    else ["", "", "", ""]
                )
            writer.writerow(row + tail)
            n += 1
    return n


# --- prodigy, doccano, label studio ---------------------------------------------------------


def write_doccano(
    store: Store,
    schema: LabelSchema,
    view: str,
    out: IO[str],
    *,
    everything: bool,
    progress: Progress,
    annotator: str | None = None,
) -> int:
    """doccano's text classification JSONL (its documented import: `text`, `label` a
    list; every other key lands in the example's metadata). doccano credits every label
    of a file to the member who uploads it, so `raw` is written one annotator at a time
    (`annotator`). A sentence without a majority label is left out: doccano would show it
    as not yet labelled. Every line has the same keys (null when unset): doccano reads a
    file into a DataFrame, and a key missing from some lines became NaN, which its
    database refuses as metadata (CHECK JSON_VALID)."""
    field_names = [sf.name for sf in schema.sentence_fields]
    n = 0
    for r, _art in sentence_stream(store, everything, progress):
        s = rec_mod.decoded(r)
        base = {k: s[k] for k in ("text", "article_id", "position", "start", "end")}
        if view == "raw":
            for a in (json.loads(x) for x in r.annotations):
                if a["annotator"] != annotator:
                    continue
                line = {**base, "label": a["labels"], "annotator": a["annotator"]}
                line.update({f: a["fields"].get(f) for f in field_names})
                line["comment"] = a["comment"]
                out.write(_dumps(line) + "\n")
                n += 1
        else:
            c = rec_mod.chosen(r, view, schema)
            if c is None or not c["labels"]:
                continue
            line = {**base, "label": c["labels"]}
            line.update({f: c["fields"].get(f) for f in field_names})
            out.write(_dumps(line) + "\n")
            n += 1
    return n


def doccano_raw_path(out: Path, annotator: str) -> Path:
    """One file per annotator: PATH's stem, the (quoted) name, PATH's suffix."""
    stem, dot, suffix = out.name.rpartition(".")
    if not dot:
        stem, suffix = out.name, "jsonl"
    return out.with_name(f"{stem}.{quote(annotator, safe='')}.{suffix}")


WRITERS: dict[str, Callable[..., int]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "prodigy": write_prodigy,
    "doccano": write_doccano,
    "label-studio": write_label_studio,
    "spacy-jsonl": write_spacy_jsonl,
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
    view: str | None,
    out: Path | None,
    *,
    everything: bool = False,
    name: str = "annotator",
    progress: Progress = lambda n: None,
    jobs: int | None = None,
    force: bool = False,
    license: str | None = None,
) -> ExportResult:
    """Export to `out` (None: standard output). `out` is checked first (export/target.py):
    never the database, a device, a FIFO, or a file or folder we did not write (`force`:
    any regular file but the database's). Raises OutputError with a line for the user.
    `view` None: gold, except for hf, which then defaults to the best view with rows."""
    dest: _Dest | None = None
    if out is not None:
        dest = _Dest.check(out, fmt, store.path, force=force)
    # one read transaction: the records and the articles sidecar show one moment, even while
    # annotators go on working (no record whose article the sidecar lacks, or the reverse)
    # `jobs`: None decides (a helper process for a big jsonl export), 1 never, 2 always
    helper = None
    if fmt != "hf" and view is None:
        view = "gold"
    if fmt == "jsonl" and dest is not None and jobs != 1:
        assert view is not None
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
                license=license,
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
    db: Path | None = None
    force: bool = False

    @classmethod
    def check(cls, out: Path, fmt: str, db: Path, *, force: bool) -> _Dest:
        if fmt == "hf":
            return cls(out, check_folder(out, db))
        real = check_file(out, db, force=force)
        side = sidecar_path(out, fmt)
        return cls(out, real, side, check_file(side, db, force=force), db, force)

    def beside(self, name: str) -> tuple[Path, Path]:
        """Another file next to the output (as named, and checked like it)."""
        path = self.out.with_name(name)
        assert self.db is not None
        return path, check_file(path, self.db, force=self.force)


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
    view: str | None,
    dest: _Dest | None,
    *,
    everything: bool,
    name: str,
    progress: Progress,
    helper: Helper | None,
    license: str | None,
) -> ExportResult:
    schema = guidelines.schema
    result = ExportResult()
    if fmt == "hf":
        from annotator.export.hf import write_hf

        assert dest is not None
        result = write_hf(
            store,
            guidelines,
            dest.real,
            view=view,
            everything=everything,
            progress=progress,
            license=license,
        )
        result.files = [dest.out]
        return result
    assert view is not None
    writer = WRITERS[fmt]
    kwargs: dict[str, Any] = {"everything": everything, "progress": progress}
    if fmt == "prodigy":
        kwargs["name"] = name
    if helper is not None:
        kwargs["helper"] = helper
    if fmt == "doccano" and view == "raw":
        return _doccano_raw(store, schema, dest, result, kwargs)
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
    if not result.records:
        result.notes.append(f"{dest.out}: no records, {_why_empty(view)}")
    if fmt == "label-studio":
        result.files += _label_studio_extras(store, schema, view, dest)
    return result


def _doccano_raw(
    store: Store, schema: LabelSchema, dest: _Dest | None, result: ExportResult, kwargs: Any
) -> ExportResult:
    if dest is None:
        raise ExportRefused(
            "doccano credits every label in a file to the member who uploads it: --view raw "
            "writes one file per annotator (each to be uploaded by that member); give -o PATH"
        )
    assert dest.side is not None and dest.side_real is not None
    kwargs.pop("helper", None)
    with staged() as files:
        for who in (a["annotator"] for a in exporting.annotator_summary(store)):
            path, real = dest.beside(doccano_raw_path(dest.out, who).name)
            fh = files.text(real)
            result.records += write_doccano(store, schema, "raw", fh, annotator=who, **kwargs)
            result.files.append(path)
        write_articles_jsonl(store, files.text(dest.side_real))
    result.files.append(dest.side)
    result.notes.append(
        "doccano: one file per annotator; each member uploads their own file, since "
        "doccano credits the labels to whoever uploads"
    )
    if not result.records:
        result.notes.append(f"no records: {_why_empty('raw')}")
    return result


def _why_empty(view: str) -> str:
    if view == "gold":
        return (
            "no sentence has gold yet (adjudicate first: annotator adjudicate; "
            "or export --view majority or raw)"
        )
    return "no sentence has a confirmed annotation yet"


def _label_studio_extras(store: Store, schema: LabelSchema, view: str, dest: _Dest) -> list[Path]:
    """What importing into Label Studio needs besides the tasks: the labelling config and
    the accounts to create (README: "Label Studio")."""
    stem = dest.out.name.rsplit(".", 1)[0]
    config, config_real = dest.beside(stem + ".config.xml")
    accounts, accounts_real = dest.beside(stem + ".users.json")
    people = [a["annotator"] for a in exporting.annotator_summary(store)]
    people += [n for n in exporting.adjudicators(store) if n not in people]
    methods = {"gold": ["unanimous"], "majority": ["majority"]}.get(view, [])
    with staged() as files:
        files.text(config_real).write(labelling_config(schema))
        files.text(accounts_real).write(
            json.dumps(users(people, view, methods), ensure_ascii=False, indent=1) + "\n"
        )
    return [config, accounts]
