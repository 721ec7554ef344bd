"""`annotator import-labels`: annotations made elsewhere, into this database."""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotator.cli.main import cli, err, project
from annotator.cli.output import moving, say
from annotator.cli.stop_signals import exit_code, stop_as_interrupt, stopped_by
from annotator.store import team

if TYPE_CHECKING:
    from annotator.export.dropped_labels import DroppedLabels
    from annotator.store.database import Store
    from annotator.store.label_import import Incoming, IncomingField


@cli.command("import-labels")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "prodigy", "label-studio", "doccano"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--annotator",
    metavar="NAME",
    help="Whose annotations these are (required when the file does not say, as in "
    "plain doccano exports; overrides the file otherwise, in every format; a record of "
    "several annotators' work is then refused).",
)
@click.option(
    "--name",
    default="annotator",
    show_default=True,
    help="Prodigy dataset prefix to strip from _annotator_id.",
)
@click.option(
    "--articles/--no-articles",
    default=True,
    show_default=True,
    help="Also import the article-level and outlet fields from the articles file "
    "an export wrote next to FILE (FILE.articles.jsonl), if there is one.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat an annotation that matches no sentence as an error (import nothing).",
)
@click.option(
    "--drop-labels",
    is_flag=True,
    help="Import work done before the project's guidelines dropped some labels, as the "
    "project reads its own: without them (an annotation with no other label stays, with no "
    "label; a gold decision with no other label is left out), counted in the summary.",
)
@click.pass_context
def import_labels_cmd(
    ctx: click.Context,
    file: Path,
    fmt: str,
    annotator: str | None,
    name: str,
    articles: bool,
    strict: bool,
    drop_labels: bool,
) -> None:
    """Import annotations made in another tool or on another machine. They are matched to
    sentences by article id and offsets, else position, else exact text; what cannot be
    matched is reported with its line. Each annotation is recorded as a confirmed
    annotation (an event, like any other change), keeping its original times. Importing the
    same file twice changes nothing. A malformed file is refused with FILE:LINE and nothing
    from it is imported.

    \b
    Example:
      annotator import-labels alice_laptop.jsonl
      annotator import-labels tasks.json --format label-studio
      annotator import-labels doccano.jsonl --format doccano --annotator dana
    """
    from annotator.export.dropped_labels import DroppedLabels
    from annotator.export.formats import sidecar_path
    from annotator.export.readers import LabelFileError, read_article_sidecar, read_labels
    from annotator.store.label_import import UnmatchedError, import_annotations
    from annotator.store.paced_writes import ImportInterrupted
    from annotator.store.schema_names import dropped_names, ever_dropped
    from annotator.store.undo import IMPORTED_SESSION

    stop_as_interrupt()  # SIGTERM and SIGHUP as Ctrl-C

    side = sidecar_path(file, fmt)
    use_side = articles and side.is_file() and side != file

    try:
        store, g = project(ctx).open()  # may wait for the lock to store new guidelines
    except KeyboardInterrupt:
        err(f"{file}: interrupted by {stopped_by()} before anything was imported")
        ctx.exit(exit_code())
    with store:
        try:
            # read and validate the whole file before taking the write lock: reading a big
            # or slow file must not hold up the annotators' keys
            skipped: Counter[str] = Counter()
            notes: list[str] = []
            dropped = DroppedLabels(*dropped_names(store), ever=ever_dropped(store))
            read = read_labels(
                fmt,
                file,
                g.schema,
                annotator=annotator,
                name=name,
                skipped=skipped,
                notes=notes,
                dropped=dropped,
            )
            items = list(read)
            empty = g.schema.info.empty_label
            if dropped.marks_unmeant and empty:
                notes.append(_unmeant(dropped.marks_unmeant, empty))
            if dropped.given():
                _dropped_given(file, dropped, drop_labels)
                # a gold decision whose every label was dropped: nothing to be gold (the
                # project's exports leave such gold out the same way)
                items = [i for i in items if not (i.gold and not i.labels)]
            side_items = list(read_article_sidecar(side, g.schema)) if use_side else []
            if not items and not side_items and not skipped:
                # audit9b F16: "imported 0 annotations (nobody)", exit 0, where `import`
                # calls an empty file an error (a wrong file, an export that failed)
                raise click.ClickException(f"{file}: no annotations in it; nothing was imported")
            _only_members(store, file, items, side, side_items)
            # audit7 F24: a big file wrote for minutes without a word; the bar counts what
            # is written (its length is every record read: unmatched ones end it early)
            with click.progressbar(
                length=len(items) + len(side_items),
                label="importing labels",
                file=sys.stderr,
                show_pos=True,
                hidden=not sys.stderr.isatty(),
            ) as bar:
                report = import_annotations(
                    store,
                    items,
                    schema_hash=g.schema.hash,
                    session=f"{IMPORTED_SESSION}{file.name}",
                    strict=strict,
                    article_fields=side_items,
                    progress=moving(bar),
                )
        except LabelFileError as e:
            raise click.ClickException(
                f"{e}; nothing was imported{_format_hint(file, fmt, e)}"
            ) from None
        except ImportInterrupted as e:
            # the records are written in short transactions (annotators save meanwhile):
            # what is in stays, and the same import again adds the rest
            err(
                f"{file}: interrupted by {stopped_by()}: {e.written} of {e.total} records were "
                "written; import the same file again to add the rest"
            )
            ctx.exit(exit_code())
        except KeyboardInterrupt:
            err(
                f"{file}: interrupted by {stopped_by()}; import the same file again to add "
                "whatever is missing (importing twice changes nothing)"
            )
            ctx.exit(exit_code())
        except OSError as e:
            raise click.ClickException(
                f"{e.filename or file}: cannot read ({e.strerror or e}); nothing was imported"
            ) from None
        except UnmatchedError as e:
            raise click.ClickException(
                f"{side if e.side else file}:{e.line}: {e.reason}; nothing was imported (--strict)"
            ) from None
        except UnicodeDecodeError as e:
            raise click.ClickException(
                f"{file}: not UTF-8 ({e.reason}); nothing was imported"
            ) from None
    for path, unmatched in ((file, report.unmatched), (side, report.side_unmatched)):
        for line, reason in unmatched[:20]:
            err(f"{path}:{line}: not matched: {reason}")
        if len(unmatched) > 20:
            err(f"... and {len(unmatched) - 20} more unmatched in {path}")
    who = ", ".join(sorted(report.annotators)) or "nobody"
    older = len(report.older)
    named = ", ".join(name for _line, name in report.older[:3]) + (" ..." if older > 3 else "")
    say(
        f"imported {report.imported} annotations ({who}); {report.unchanged} already "
        f"there, unchanged; {len(report.unmatched) + len(report.side_unmatched)} not matched"
        + (
            f"; {older} older than the database's, the database's kept (the later change "
            f"wins, as in merge): {named}"
            if older
            else ""
        )
        + (f"; {report.gold_imported} gold labels" if report.gold_imported else "")
        + (_duplicates(report.duplicates) if report.duplicates else "")
        # what the file holds that is no one's labels: said, not silently dropped (audit9b F2)
        + "".join(
            f"; {n} {why.format(s='s' * (n != 1))} left out" for why, n in sorted(skipped.items())
        )
        + (
            f"; labels these guidelines dropped left out: {dropped.counts(done=True)}"
            if dropped.given()
            else ""
        )
        + "".join(
            f"; {n} gold label{'s' * (n != 1)} not imported: " + _KEPT_BECAUSE[why]
            for why, n in sorted(report.gold_kept.items())
        )
        + (
            f"; {report.fields_imported} article/outlet field values from {side}"
            + (
                f" ({report.fields_older} older than the database's not imported: the later "
                "change wins)"
                if report.fields_older
                else ""
            )
            + (
                f" and {report.gold_fields_imported} gold article field values"
                if report.gold_fields_imported
                else ""
            )
            + "".join(
                f"; {n} gold article field value{'s' * (n != 1)} not imported: "
                + _KEPT_BECAUSE[why]
                for why, n in sorted(report.gold_fields_kept.items())
            )
            if use_side
            else ""
        )
    )
    for note in notes:  # what the file could not carry (audit15b F5: Label Studio's times)
        err(f"note: {note}")


def _dropped_given(file: Path, dropped: DroppedLabels, allowed: bool) -> None:
    """Refuse, unless --drop-labels, a file that gives labels the project dropped: they are
    no unknown labels (audit15b F6: "unknown label 'LOADED'", and no way through), and
    leaving them out is the user's call."""
    if allowed or not dropped.given():
        return
    if dropped.first is not None:
        line, label = dropped.first
        what = f"{file}:{line}: {label} is a label"
    else:  # only a sentence field of a label dropped earlier
        what = f"{file}: {', '.join(sorted(dropped.fields_left))} is a sentence field of a label"
    raise click.ClickException(
        f"{what} this project's guidelines dropped (adopted with --drop-labels), not an "
        f"unknown one; the file gives: {dropped.counts(done=False)}. `import-labels "
        "--drop-labels` imports the file as the project reads its own work since: without "
        "those labels (an annotation with no other label stays, with no label: none of the "
        "labels applies; a gold decision with no other label is left out); or adopt "
        "guidelines that have them first (annotator --guidelines DIR guidelines); nothing "
        "was imported"
    )


def _unmeant(n: int, empty: str) -> str:
    """The note on `meta.no_label` marks read as the empty label (audit15c F1)."""
    return (
        f"{n} empty answer{'s' * (n != 1)} marked meta.no_label (in our exports: every label "
        f"dropped by the guidelines) {'were' if n != 1 else 'was'} read as {empty}: this "
        "project never dropped a label, so no answer here can have none; an empty answer is "
        "confirmed with nothing, as everywhere else"
    )


def _format_hint(file: Path, fmt: str, e: Exception) -> str:
    """A file read as the wrong format fails as bad JSON at its first lines; say which
    --format its shape suggests (audit9b F16: "invalid JSON at column 1" for a Label Studio
    export read as jsonl, "Extra data" for JSON Lines read as Label Studio)."""
    if "JSON" not in str(e) and "Extra data" not in str(e):
        return ""
    try:
        with open(file, "rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return ""
    if fmt != "label-studio" and head.startswith(b"["):
        return " (it looks like a Label Studio export: add --format label-studio)"
    if fmt == "label-studio" and head.startswith(b"{"):
        return " (it looks like JSON Lines: --format jsonl, prodigy or doccano)"
    return ""


def _duplicates(pairs: list[tuple[int, int]]) -> str:
    n = len(pairs)
    shown = ", ".join(f"line {kept} over {gone}" for gone, kept in pairs[:3])
    return (
        f"; {n} record{'s' * (n != 1)} of a sentence and annotator the file has again left "
        f"out, the latest kept ({shown}{' ...' if n > 3 else ''})"
    )


# why the gold of an article field in the file was not imported (label_import_gold.py)
_KEPT_BECAUSE = {
    "older": "the database's gold is later (or adjudicated where the file's is unanimous)",
    "not unanimous": "unanimous in the file, but the annotators here do not all give it",
}


def _only_members(
    store: Store,
    file: Path,
    items: list[Incoming],
    side: Path,
    side_items: list[IncomingField],
) -> None:
    """In a closed team, a name that is not a member's is refused with its line (audit7
    F28: a misspelt name in a laptop's file became an annotator of its own, splitting one
    person's work in two, and agreement paired alice with her typo). Gold counts too: its
    adjudicator's decisions matter most (audit9b F17: a non-member's gold came in, and
    they with it, silently); unanimous gold is nobody's."""
    if team.setting(store, "team") != "closed":
        return
    members = {m.name for m in team.members(store)}
    names = [
        (file, item.line, item.annotator)
        for item in items
        if not (item.gold and item.annotator == "unanimous")
    ]
    names += [(side, f.line, f.annotator) for f in side_items if f.annotator]
    for path, line, name in names:
        if name not in members:
            close = difflib.get_close_matches(name, sorted(members), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise click.ClickException(
                f"{path}:{line}: {name!r} is not on the team, and the team is "
                f"closed: {hint}a manager adds them with `annotator team add NAME` (or "
                "`annotator project set team open`); nothing was imported"
            )
