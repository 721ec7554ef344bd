"""`annotator suggestions`: the suggested labels of the project (issue 16)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from annotator.cli.main import cli, default_annotator, err, project
from annotator.cli.output import data_stdout, say
from annotator.cli.stop_signals import exit_code, stop_as_interrupt, stopped_by
from annotator.safetext import printable
from annotator.store import suggestion_reading
from annotator.store import suggestions as suggestion_store
from annotator.store.articles import find_article


@cli.group("suggestions", invoke_without_command=True)
@click.option(
    "--evaluate",
    is_flag=True,
    help="Each source's precision and recall per label against gold (else the majority; "
    "the model only on sentences it was not trained on).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="With --evaluate in a blind project, answer yes when it shows an annotator figures "
    "judged against others' labels (it is still recorded).",
)
@click.pass_context
def suggestions_group(ctx: click.Context, evaluate: bool, fmt: str, assume_yes: bool) -> None:
    """Suggested labels: from the importer's segment kinds (BOILERPLATE), the cue lexicons
    of the guidelines (guidelines/cues.toml: ATTRIBUTED, QUOTE, HEDGED) and outside
    predictions (`annotator import-suggestions`). They are shown apart on the annotation
    screen (with `annotator project set suggestions on`) and become labels only when an
    annotator accepts them.

    \b
    Example:
      annotator suggestions list --format json --article 004_2bd55176b4b53eb1
      annotator suggestions refresh
      annotator suggestions --evaluate --format json
    """
    if evaluate:
        if ctx.invoked_subcommand is not None:
            raise click.UsageError("--evaluate goes without a subcommand")
        from annotator.cli.anchoring import show_evaluation
        from annotator.cli.blindwork import may_judge_against_others

        store, g = project(ctx).open()
        with store:
            # judged against the majority of a sentence's annotators: in a blind project,
            # a colleague's labels, read back row by row with a probe file (audit15a F4)
            may_judge_against_others(
                store, g, default_annotator(), assume_yes, via="annotator suggestions --evaluate"
            )
        show_evaluation(ctx, fmt)
    elif ctx.invoked_subcommand is None:
        say(ctx.get_help())


@suggestions_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--article", metavar="ID", help="Only this article (its external id, or its database id)."
)
@click.pass_context
def list_cmd(ctx: click.Context, fmt: str, article: str | None) -> None:
    """Every suggestion, one per sentence, source and label. `--format json` prints one JSON
    object per line: sentence_id, article, position, label, source, version, score, cue,
    cue_start, cue_end (offsets into the sentence), source_type.

    \b
    Example:
      annotator suggestions list --format json | jq 'select(.label == "QUOTE")'
    """
    with project(ctx).store() as store:
        if article is not None:
            # a mistyped id must not read as "no suggestions": name it, like export does
            art = find_article(store, article)
            if art is None:
                raise click.ClickException(f"no article {article!r}")
            article = art.external_id  # a database id is accepted too, as elsewhere
        with data_stdout("json" if fmt == "json" else "text") as out:
            n = _write_listing(out, suggestion_reading.listing(store, article), fmt)
        if not n:  # said apart from the data, which stays empty (audit7 F4: silence)
            err("no suggestions" + (f" in article {article}" if article else "") + " yet")


def _write_listing(out: TextIO, items: Iterable[suggestion_reading.Listed], fmt: str) -> int:
    n = 0
    for item in items:
        n += 1
        s = item.suggestion
        if fmt == "json":
            record = {
                "sentence_id": s.sentence_id,
                "article": item.article,
                "position": item.position,
                "label": s.label,
                "source": s.source,
                "version": s.version,
                "score": s.score,
                "cue": s.cue,
                "cue_start": s.cue_start,
                "cue_end": s.cue_end,
                "source_type": s.source_type,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            # a listing for people, like `segment`: the article id, the cue's text and an
            # outside source's name are data, shown with placeholders even into a pipe
            # (`| head` and `| less -R` hand the bytes on to a terminal); json is exact
            why = f"  ({s.cue})" if s.cue else ""
            kind = f" {s.source_type}" if s.source_type else ""
            line = (
                f"{item.article}:{item.position}  {s.label}{kind}  {s.source}@{s.version}"
                f"  {s.score:.2f}{why}"
            )
            out.write(printable(line) + "\n")
    return n


@suggestions_group.command("refresh")
@click.pass_context
def refresh_cmd(ctx: click.Context) -> None:
    """Compute the importer's and the cue lexicons' suggestions for whatever they have not
    covered yet (import does this by itself); with `--guidelines DIR`, DIR's cues.toml
    becomes the project's lexicon and its suggestions are recomputed.

    \b
    Example:
      annotator --guidelines my-guidelines/ suggestions refresh
    """
    store, _g = project(ctx).open()  # adopts --guidelines: the lexicon checks its labels
    with store:
        lexicon = suggestion_store.project_lexicon(store, project(ctx).guidelines_dir)
        n = suggestion_store.refresh_project(store, lexicon)
    say(f"suggested {n} label{'s' * (n != 1)}")


@contextmanager
def _released(fd: int) -> Iterator[None]:
    """Hold a claim (suggesting.claim) until the block ends."""
    try:
        yield
    finally:
        if fd >= 0:
            os.close(fd)


@cli.command("import-suggestions")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--strict", is_flag=True, help="A line that matches no sentence is an error (import nothing)."
)
@click.pass_context
def import_suggestions_cmd(ctx: click.Context, file: Path, strict: bool) -> None:
    """Import outside predictions: per-sentence label scores from a model run elsewhere, one
    JSON object per line with `label`, `score` (0-1), `source` (your model's name) and
    optionally `version`, the sentence named like `import-labels` names it (`article` with
    `start`/`end` or `position`, else the exact `text`). They become suggestions of that
    source, shown apart and never labels until accepted. A malformed line is refused with
    FILE:LINE and nothing is imported; importing the same file again changes nothing.

    \b
    Example:
      annotator import-suggestions predictions.jsonl
    """
    from annotator.export.labelfile import LabelFileError
    from annotator.export.suggestion_reader import read_suggestions
    from annotator.models.suggestions import Suggestion
    from annotator.store import suggestion_import
    from annotator.store.label_import import UnmatchedError
    from annotator.store.paced_writes import ImportInterrupted
    from annotator.suggesting import claim

    stop_as_interrupt()  # SIGTERM and SIGHUP as Ctrl-C: a batch is whole or not in
    store, g = project(ctx).open()
    try:
        held: int | None = claim(store.path, "import-suggestions")
    except OSError:
        held = -1  # no file can be made beside it: its own writes will say what is wrong
    if held is None:
        # two imports at once, of two versions of a source, each replacing the other's
        # rows batch by batch, left a mixture both called imported (audit15c F8)
        store.close()
        raise click.ClickException(
            f"{printable(str(store.path))}: another import-suggestions is writing to this "
            "database; run this one when it has finished (nothing was imported)"
        )
    with store, _released(held):
        try:
            items = (
                (x.where, Suggestion(0, x.label, x.source, x.version, x.score))
                for x in read_suggestions(file, g.schema)
            )
            report = suggestion_import.import_outside(store, items, strict=strict)
        except ImportInterrupted as e:
            # written in short transactions (annotators save meanwhile): what is in stays
            err(
                f"{file}: interrupted by {stopped_by()}: {e.written} of {e.total} suggestions "
                "were written; import the same file again to add the rest"
            )
            ctx.exit(exit_code())
        except KeyboardInterrupt:
            err(f"{file}: interrupted by {stopped_by()}; nothing was imported")
            ctx.exit(exit_code())
        except LabelFileError as e:
            raise click.ClickException(f"{e}; nothing was imported") from None
        except UnmatchedError as e:
            raise click.ClickException(
                f"{file}:{e.line}: {e.reason}; nothing was imported (--strict)"
            ) from None
        except suggestion_import.RefusedLine as e:
            raise click.ClickException(
                printable(f"{file}:{e.line}: {e.reason}; nothing was imported")
            ) from None
        except OSError as e:
            raise click.ClickException(
                f"{e.filename or file}: cannot read ({e.strerror or e}); nothing was imported"
            ) from None
    unmatched = report.unmatched or []
    for line, reason in unmatched[:20]:
        err(f"{file}:{line}: not matched: {reason}")
    if len(unmatched) > 20:
        err(f"... and {len(unmatched) - 20} more unmatched")
    say(
        f"imported {_counted(report.written, 'suggestion')}; {report.unchanged} already there, "
        f"unchanged; {len(unmatched)} not matched"
    )
    for source, old, gone in report.replaced[:20]:
        # a new version replaces the source: the old one's predictions are not shown beside it
        say(
            printable(
                f"{source}: replaced version {', '.join(old)}; {_counted(gone, 'suggestion')} "
                "the new version does not make removed"
            )
        )
    if len(report.replaced) > 20:
        more = report.replaced[20:]
        say(
            f"... and {len(more)} more sources replaced; "
            f"{_counted(sum(g for _s, _o, g in more), 'suggestion')} of theirs removed"
        )


@suggestions_group.command("remove")
@click.argument("source")
@click.pass_context
def remove_cmd(ctx: click.Context, source: str) -> None:
    """Remove an outside source (`import-suggestions`): all its suggestions, whatever their
    version. What annotators accepted from it stays theirs, with its origin. The importer's,
    the cues' and the model's are the project's own (`project set suggestions off` hides
    them all).

    \b
    Example:
      annotator suggestions remove roberta-babe
    """
    from annotator.models.suggestions import BUILTIN_SOURCES
    from annotator.store import suggestion_import
    from annotator.store.paced_writes import ImportInterrupted

    if source in BUILTIN_SOURCES:
        raise click.ClickException(
            f"{source!r} is annotator's own source, not an imported one "
            "(`annotator project set suggestions off` hides suggestions)"
        )
    stop_as_interrupt()  # SIGTERM and SIGHUP as Ctrl-C: a batch is whole or not in
    with project(ctx).store() as store:
        known = dict(suggestion_import.outside_sources(store))
        if source not in known:
            names = ", ".join(known) or "none"
            raise click.ClickException(printable(f"no source {source!r} (imported: {names})"))
        try:
            n = suggestion_import.remove_source(store, source)
        except (ImportInterrupted, KeyboardInterrupt):
            err(f"interrupted by {stopped_by()}: run the same command again to finish")
            ctx.exit(exit_code())
    say(printable(f"removed {source}@{known[source]}: {_counted(n, 'suggestion')}"))


@suggestions_group.command("train")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def train_cmd(ctx: click.Context, fmt: str) -> None:
    """Train the model on the project's confirmed annotations (and gold) now, replace its
    suggestions and print its cross-validated precision and recall per label. The
    annotation screen retrains by itself in the background as annotations accumulate; a
    label needs 20 examples (and 20 without it) and a cross-validated precision of 0.5
    before the model suggests it.

    \b
    Example:
      annotator suggestions train --format json
    """
    import os

    from annotator.suggesting import retrain, retrain_claim

    store, _g = project(ctx).open()  # checks the database and stores the guidelines
    path = store.path
    store.close()
    try:
        claim = retrain_claim(path)
        if claim is None:
            say("note: an annotation screen is retraining the model; waiting for it", err=True)
            claim = retrain_claim(path, wait=True)
    except OSError as e:
        raise click.ClickException(f"{path}: cannot claim the model's retraining ({e})") from None
    assert claim is not None
    try:
        report = retrain(path)
    finally:
        os.close(claim)
    if fmt == "json":
        with data_stdout("json") as out:
            out.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    say(f"model {report['version']}: {_examples(report['examples'])}")
    rows = report["labels"]
    assert isinstance(rows, list)
    for r in rows:
        if r["trained"]:
            say(
                f"  {r['label']:<12} {_examples(r['positives'], 6)}  precision "
                f"{r['precision']:.2f}  recall {r['recall']:.2f} (cross-validated)"
            )
        elif r["precision"] is not None:
            say(
                f"  {r['label']:<12} {_examples(r['positives'], 6)}  precision "
                f"{r['precision']:.2f}  recall {r['recall']:.2f}: below 0.5, not suggested"
            )
        else:
            say(f"  {r['label']:<12} {_examples(r['positives'], 6)}  (too few: not suggested)")
    done = report.get("rescored")
    if isinstance(done, dict):
        say(
            f"rescored {_counted(done['sentences'], 'sentence')} for the labels whose model "
            "changed "
            f"({done['skipped_confirmed_by_everyone']} confirmed by every annotator: skipped); "
            f"{_counted(done['written'], 'suggestion')} written, {done['deleted']} of dropped "
            "labels deleted"
        )


def _examples(n: object, width: int = 0) -> str:
    """`1 example`, `2 examples`, the count right-aligned in `width` (the word's plural
    padded so that the columns after it stay in line)."""
    word = "example " if n == 1 and width else "example" if n == 1 else "examples"
    return f"{n:>{width}} {word}" if width else f"{n} {word}"


def _counted(n: object, word: str) -> str:
    """`1 suggestion`, `0 suggestions`, `2 suggestions`."""
    return f"{n} {word}{'' if n == 1 else 's'}"
