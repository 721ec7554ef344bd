"""`export()`: checks the target, picks the format's writer, writes atomically, adds the
article-level sidecar, and reports what it wrote. Each writer has a module of its own
(jsonl, csv_table, doccano, prodigy, label_studio, spacy_textcat, hf) and is a function of
the one export record (records.py, splice.py)."""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from annotator.export import doccano, parallel
from annotator.export.atomic import clean_stale, staged
from annotator.export.cells import CellGuard
from annotator.export.csv_table import write_articles_csv, write_csv
from annotator.export.doccano import write_doccano
from annotator.export.jsonl import write_jsonl
from annotator.export.label_studio import (
    accounts_apart,
    write_label_studio,
)
from annotator.export.label_studio_files import label_studio_people, write_label_studio_extras
from annotator.export.parallel import Helper
from annotator.export.prodigy import write_prodigy
from annotator.export.records import ExportRefused, ExportResult, Job, Progress, unrated_note
from annotator.export.records import dumps as _dumps
from annotator.export.spacy_textcat import write_spacy_jsonl
from annotator.export.target import OutputError, check_file, check_folder
from annotator.guidelines import Guidelines
from annotator.store import exporting
from annotator.store.database import Store

FORMATS = ("jsonl", "csv", "hf", "prodigy", "label-studio", "doccano", "spacy-jsonl")
__all__ = ["FORMATS", "ExportResult", "Progress", "export", "write_jsonl"]


WRITERS: dict[str, Callable[[Job, IO[str]], int]] = {
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
    safe_cells: bool = False,
) -> ExportResult:
    """Export to `out` (None: standard output). `out` is checked first (export/target.py):
    never the database, a device, a FIFO, or a file or folder we did not write (`force`:
    any regular file but the database's). Raises OutputError with a line for the user.
    `view` None: gold, except for hf, which then defaults to the best view with rows.
    `safe_cells` (csv): cells a spreadsheet would run as formulas get a leading ' (cells.py)."""
    dest: _Dest | None = None
    made = None
    if out is not None:
        made = _missing_folder(out)
        dest = _Dest.check(out, fmt, store.path, force=force)
    try:
        return _export_checked(
            store,
            guidelines,
            fmt,
            view,
            dest,
            made,
            everything=everything,
            name=name,
            progress=progress,
            jobs=jobs,
            license=license,
            safe_cells=safe_cells,
        )
    except BaseException:
        # audit10 F9: a refused (or failed) export leaves no trace, not even the folders
        # it made for its output on the way to the refusal
        if made is not None and out is not None:
            _remove_made(out, made)
        raise


def _export_checked(
    store: Store,
    guidelines: Guidelines,
    fmt: str,
    view: str | None,
    dest: _Dest | None,
    made: Path | None,
    *,
    everything: bool,
    name: str,
    progress: Progress,
    jobs: int | None,
    license: str | None,
    safe_cells: bool,
) -> ExportResult:
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
            outside = exporting.labels_outside(store)  # read once: noted, and left out
            result = _export(
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
                safe_cells=safe_cells,
                drop=frozenset(outside),
            )
            if outside:
                result.notes.insert(0, _outside_note(outside))
            added = exporting.unrated_counts(
                store, exporting.labels_unrated(store, list(guidelines.schema.label_names))
            )
            if added:
                result.notes.insert(0, unrated_note(fmt, added))
            if made is not None:
                # audit9b F16: a mistyped -o made folders without a word
                result.notes.insert(0, f"made the folder {made}, which did not exist")
            return result
    finally:
        if helper is not None:
            helper.close()


def _remove_made(out: Path, made: Path) -> None:
    """Remove the folders an export made for `out`, from its own folder up to `made` (the
    highest one it had to make), as long as they are empty: whatever another process put
    there meanwhile stays, with the folders that hold it."""
    for up in [out.parent, *out.parent.parents]:
        try:
            up.rmdir()
        except OSError:
            return
        if up == made:
            return


def _missing_folder(out: Path) -> Path | None:
    """The highest folder an export to `out` has to make, or None when its folder exists
    (an hf export's own folder is the output, not a folder made for it)."""
    top = None
    for up in [out.parent, *out.parent.parents]:
        if up.exists():
            break
        top = up
    return top


def _outside_note(outside: dict[str, tuple[int, int]]) -> str:
    """What an export left out of a project that dropped labels in use (--drop-labels)."""
    said = "; ".join(
        f"{label} ({n} annotation{'s' * (n != 1)}, {g} gold decision{'s' * (g != 1)})"
        for label, (n, g) in outside.items()
    )
    # audit15b F2: it said such an annotation was "left out whole", while every format
    # writes it (records.without), with no label
    return (
        f"labels the adopted guidelines no longer have are left out, as in every format: "
        f"{said}; an annotation with no other label stays, with no label (its annotator "
        "confirmed the sentence: none of these labels applies); a gold decision with no "
        "other label is left out"
    )


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


def _to_stdout(write: Callable[[], int]) -> int:
    try:
        return write()
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
    safe_cells: bool = False,
    drop: frozenset[str] | None = None,
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
    job = Job(store, schema, view, everything, progress, name, CellGuard(safe_cells), drop)
    writer = WRITERS[fmt]
    if fmt == "label-studio":
        accounts_apart(label_studio_people(store))  # before anything is written
    if fmt == "doccano" and view == "raw":
        return _doccano_raw(job, dest, result)
    if dest is None:
        result.records = _to_stdout(lambda: writer(job, sys.stdout))
        _formula_note(job, "standard output", result)
        result.notes.append(
            "article-level and outlet fields are written next to the output "
            "file: give -o PATH to get them"
        )
        if fmt == "label-studio":
            # what Label Studio needs besides the tasks (audit15b F8: left out, unsaid)
            result.notes.append(
                "label-studio: the labelling config (FILE.config.xml, the adopted guidelines' "
                "labels: a config made before a guidelines change differs) and the accounts "
                "to create (FILE.users.json), which importing into Label Studio needs, are "
                "written next to the output file too: give -o PATH to get them"
            )
        return result
    assert dest.side is not None and dest.side_real is not None
    newline = "" if fmt == "csv" else None
    # label-studio's config and accounts files are checked before anything is written, and
    # staged with the rest: a refusal of one of them left the tasks written (audit10 F9)
    extras = _label_studio_extras(dest) if fmt == "label-studio" else []
    # the files are renamed into place together, once all are complete: a failed
    # export leaves all as they were
    with staged() as files:
        fh = files.text(dest.real, newline=newline)
        side_fh = files.text(dest.side_real, newline=newline)

        def sidecar() -> None:
            if fmt == "csv":
                write_articles_csv(store, schema, side_fh, job.cells)
            else:
                write_articles_jsonl(store, side_fh)

        if helper is not None:  # the sidecar is written while the helper writes its half
            result.records = write_jsonl(job, fh, helper=helper, meanwhile=sidecar)
        else:
            result.records = writer(job, fh)
            sidecar()
        if extras:
            write_label_studio_extras(store, schema, view, extras, files)
    result.files += [dest.out, dest.side]
    _formula_note(job, f"{dest.out} and {dest.side}", result)
    if not result.records:
        result.notes.append(f"{dest.out}: no records, {_why_empty(view)}")
    result.files += [path for path, _real in extras]
    return result


def _formula_note(job: Job, where: str, result: ExportResult) -> None:
    note = job.cells.note(where)
    if note is not None:
        result.notes.append(note)


def _doccano_raw(job: Job, dest: _Dest | None, result: ExportResult) -> ExportResult:
    if dest is None:
        raise ExportRefused(
            "doccano credits every label in a file to the member who uploads it: --view raw "
            "writes one file per annotator (each to be uploaded by that member); give -o PATH"
        )
    assert dest.side is not None and dest.side_real is not None
    with staged() as files:
        for who in (a["annotator"] for a in exporting.annotator_summary(job.store)):
            path, real = dest.beside(doccano.raw_path(dest.out, who).name)
            result.records += write_doccano(job, files.text(real), annotator=who)
            result.files.append(path)
        write_articles_jsonl(job.store, files.text(dest.side_real))
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


def _label_studio_extras(dest: _Dest) -> list[tuple[Path, Path]]:
    """Where the labelling config and the accounts to create go (as named, and checked):
    what importing into Label Studio needs besides the tasks (README: "Label Studio")."""
    stem = dest.out.name.rsplit(".", 1)[0]
    return [dest.beside(stem + ".config.xml"), dest.beside(stem + ".users.json")]
