"""`annotator import` (`annotator segment` shows what it would make: cli/segment.py)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from annotator.cli.import_abort import absent, database_files, remove_new_and_unused
from annotator.cli.import_summary import SAME_SAID, grouped, held_line, passed_over, refusal
from annotator.cli.main import Project, cli, err, project
from annotator.cli.output import say, say_line
from annotator.cli.stop_signals import exit_code, stop_as_interrupt, stopped_by
from annotator.ingest import html_ahead
from annotator.safetext import printable

# The parser and the store's import (0.15 s of modules) are imported in the commands, after
# `import` has forked the extraction of its HTML pages (ingest/html_ahead.py), which they
# then overlap with.
if TYPE_CHECKING:
    from annotator.models.suggestions import CueLexicon
    from annotator.store.database import Store

_DETAIL_LIMIT = 20  # above this many files, per-file lines give way to a progress bar


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--encoding",
    metavar="NAME",
    callback=lambda _ctx, _param, value: _known_encoding(value),
    help="Decode the files with this encoding (e.g. cp1252) instead of UTF-8; an HTML page, "
    "instead of the charset it declares. A file that is valid UTF-8 beyond ASCII is still "
    "read as UTF-8, and said so.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say every refused file: without it, past three files refused for the same "
    "reason the others are named in one line.",
)
@click.pass_context
def import_cmd(
    ctx: click.Context,
    paths: tuple[Path, ...],
    encoding: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Import articles from .html/.htm pages (main text and metadata extracted with
    trafilatura, the original bytes kept), .txt/.md files (one article each, optional YAML
    front matter with title, outlet, author, published, url), .jsonl files (one article
    per line: id, text, and optionally title, outlet, author, published, url, meta) and
    folders of them.

    A file is read and validated completely before any of it is written: a file with an
    error imports nothing and is reported as FILE:LINE; the other files still go in, and
    the exit code says some failed. FIFOs, sockets and devices are refused by name.
    Articles are written in short transactions, so annotators can save meanwhile.
    Importing the same article again changes nothing.

    An article's id is its own (JSON `id`, front matter `id:`), else its file's name
    without the extension; HTML pages of one import that share that name (a mirror's
    many index.html, article.php?id=3 and ?id=4) take their path in the folder given.

    \b
    Example:
      annotator import samples/
      annotator import scraped/page.html
      annotator --db project.sqlite import scraped/*.jsonl --encoding cp1252
    """
    # a few HTML pages: trafilatura extracts them in a child process meanwhile
    if html_ahead.start(paths, meanwhile=_ready_for_a_page, encoding=encoding):
        ctx.call_on_close(html_ahead.stop)  # the child reaped when the command ends
    stop_as_interrupt()  # SIGTERM and SIGHUP as Ctrl-C (after the fork: not the child's)
    proj = project(ctx)
    # what was at the database's path: a Ctrl-C before the first article removes only what
    # this run made there (a new file without a schema yet: audit5 F2)
    missing = absent(proj.db_path)
    try:
        from annotator.ingest import readability
        from annotator.ingest.file_ids import name_ids
        from annotator.ingest.reading import SUFFIXES, InputError, iter_paths
        from annotator.store.imports import Interrupted, import_files

        readability.check_offline()
        store, lexicon = _open(proj)
    except KeyboardInterrupt:
        _interrupted_early(ctx, proj.db_path, missing)
    files: list[Path] = []
    roots: list[Path | None] = []  # the folder given each file was found in (None: named)
    failures: list[str] = []  # the paths that failed, named again in the summary

    said_like: dict[str, int] = {}  # a refusal (its reason, ids left out): files said so
    held: dict[str, list[str]] = {}  # ... and the files past SAME_SAID, said in one line

    def fail(error: InputError) -> None:
        failures.append(error.path)
        like = refusal(error.reason)
        if verbose or said_like.get(like, 0) < SAME_SAID:
            said_like[like] = said_like.get(like, 0) + 1
            err(str(error))
        else:
            held.setdefault(like, []).append(error.path)

    others: list[Path] = []  # files of other types in the folders: skipped, and said so
    is_ours = database_files(proj.db_path)
    passed: list[tuple[Path, str]] = []  # links to folders, hidden article files: said too
    try:
        for p in paths:
            if not p.exists() and not p.is_symlink():
                fail(InputError(p, None, "no such file or folder"))
                continue
            found = list(iter_paths([p], others, passed))
            if p.is_dir() and not found:
                err(f"{p}: no {', '.join(SUFFIXES)} files in this folder")
            for item in found:
                if isinstance(item, InputError):
                    fail(item)  # an unreadable folder, a FIFO: said now, never skipped silently
                elif is_ours(item):
                    # the database this import writes to, or a file beside it (audit11 F16):
                    # left out of a folder, refused when named
                    if not p.is_dir():
                        fail(InputError(item, None, "the project's database (--db): not articles"))
                else:
                    files.append(item)
                    roots.append(p if p.is_dir() else None)
        others[:] = [o for o in others if not is_ours(o)]
    except KeyboardInterrupt:  # reading folders: nothing written yet
        store.close()
        _interrupted_early(ctx, proj.db_path, missing)

    added = unchanged = sentences = 0
    done = 0  # files whose import ended, in order (an interrupt stops the rest)
    kept_from = 0  # failed files that kept what they wrote before the error (said there)
    interrupted: str | None = None
    detail = len(files) <= _DETAIL_LIMIT and not quiet
    noted: list[str] = []  # notes (a language the rules miss) said after the progress bar
    # the next files are parsed in worker processes while each one is written
    try:
        with (
            contextlib.closing(
                import_files(
                    store,
                    files,
                    encoding=encoding,
                    name_ids=name_ids(list(zip(files, roots, strict=True))),
                )
            ) as results,
            click.progressbar(
                files,
                label="importing",
                file=sys.stderr,
                show_pos=True,
                item_show_func=lambda p: printable(p.name) if p else "",
                hidden=detail or quiet or not sys.stderr.isatty(),
            ) as bar,
        ):
            for path, r in zip(bar, results, strict=True):
                done += 1
                # a write that failed half-way (disk full) still counts what it committed
                added += r.added
                unchanged += r.unchanged
                sentences += r.sentences
                if r.error:
                    fail(r.error)
                    kept_from += r.added > 0
                    continue
                if detail:
                    parts = []
                    if r.added:
                        parts.append(
                            f"{r.added} article{'s' * (r.added != 1)}, "
                            f"{r.sentences} segment{'s' * (r.sentences != 1)}"
                        )
                    if r.unchanged:
                        parts.append(
                            f"{r.unchanged} unchanged (already imported: "
                            f"{', '.join(r.unchanged_ids[:3])}"
                            f"{' ...' if len(r.unchanged_ids) > 3 else ''})"
                        )
                    note = f" ({grouped(r.notes)})" if r.notes else ""
                    say_line(f"{path}: {', '.join(parts) or 'nothing to import'}{note}")
                elif r.notes and not quiet:
                    noted.append(f"{path}: {grouped(r.notes)}")
    except KeyboardInterrupt as e:
        # Ctrl-C: the file being written was taken back (store/imports.py `Interrupted`);
        # the files before it are in, and said so below, without the suggestions pass
        interrupted = str(e) if isinstance(e, Interrupted) else "interrupted"
        if isinstance(e, Interrupted):
            failures.append(str(e.path))
    for like, held_paths in held.items():
        err(held_line(like, held_paths))
    for line in noted[:_DETAIL_LIMIT]:
        say_line(line)
    if len(noted) > _DETAIL_LIMIT:
        say(f"... and {len(noted) - _DETAIL_LIMIT} more files with notes like these")
    suggesting_stopped = False
    if interrupted is not None:
        err(interrupted)
    else:
        # suggestions (the importer's kinds, the cue lexicons) for what was imported, before
        # anyone opens it; a source whose version changed recomputes its own; and what an
        # interrupted pass left (audit11 F6: the next import, even of nothing new, ends it)
        from annotator.store.suggestions import behind, refresh_project

        if added or lexicon is not None or behind(store):
            try:
                suggested = refresh_project(store, lexicon)
            except KeyboardInterrupt:
                # the articles are in: the batch being written was rolled back, the
                # suggestions before it stay, and the next import or a refresh goes on
                suggesting_stopped = True
                err(
                    "suggestions stopped part-way: `annotator suggestions refresh` "
                    "(or the next import) completes them"
                )
            else:
                if suggested and not quiet:
                    say(
                        f"suggested {suggested} label{'s' * (suggested != 1)} "
                        "(annotator suggestions list)"
                    )
    store.close()
    failed = len(failures)
    failed_set = set(failures)
    ended = files if interrupted is None else files[:done]
    ok = sum(1 for f in ended if str(f) not in failed_set)
    # every file found, and each path that failed before it was one (a missing file, a
    # FIFO); with an interrupt, the files not reached count too, neither ok nor failed
    given = {str(f) for f in files}
    total = len(files) + sum(1 for f in failures if f not in given)
    summary = f"imported {added} article{'s' * (added != 1)}"
    summary += f" ({sentences} segment{'s' * (sentences != 1)})"
    summary += f" from {ok} of {total} file{'s' * (total != 1)}"
    if unchanged:
        summary += f"; {unchanged} already imported, unchanged"
    if failed:
        named = ", ".join(failures[:5]) + (f" and {failed - 5} more" if failed > 5 else "")
        if kept_from:  # a late error with someone's work on what was written: said above
            summary += f"; {failed} failed ({kept_from} kept what they wrote first): {named}"
        else:
            summary += f"; {failed} failed, nothing imported from them: {named}"
    if others:
        # a folder's .csv or .pdf: not read, but not passed over without a word either
        shown = ", ".join(p.name for p in others[:3]) + (" ..." if len(others) > 3 else "")
        summary += (
            f"; {len(others)} other file{'s' * (len(others) != 1)} in the folders skipped"
            f" (not {'/'.join(SUFFIXES)}): {shown}"
        )
    summary += passed_over(passed)
    if interrupted is not None or suggesting_stopped:
        if interrupted is not None:
            summary += f"; stopped by {stopped_by()}: import the same files again to add the rest"
        else:
            summary += f"; stopped by {stopped_by()} while suggesting labels"
        if not added and not unchanged and remove_new_and_unused(proj.db_path, missing):
            summary += f"; {proj.db_path}, which this import created, removed: nothing is in it"
        say(summary, err=True)
        ctx.exit(exit_code())
    if not added and not unchanged and remove_new_and_unused(proj.db_path, missing):
        summary += f"; {proj.db_path}, which this import created, removed: nothing is in it"
    say(summary, err=bool(failed))
    if failed:
        ctx.exit(1)


def _known_encoding(name: str | None) -> str | None:
    """An --encoding Python knows, or one usage error before any file is read (audit11
    F13: "unknown encoding" was said once per file of the folder)."""
    if name is None:
        return None
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {printable(name)!r}") from None
    return name


def _ready_for_a_page() -> None:
    """What the import needs after a page whatever the page, done while the child that
    extracts it is still at work (html_ahead)."""
    import annotator.store.suggestions  # noqa: F401 (the pass after the import)
    from annotator.ingest import readability

    readability.prepare()


def _interrupted_early(ctx: click.Context, db: Path, missing: frozenset[str]) -> NoReturn:
    """Stopped before anything was imported: a database this run made goes, initialised or
    not (audit11 F11), and the message says so."""
    removed = remove_new_and_unused(db, missing)
    by = stopped_by()
    say(
        f"interrupted{'' if by == 'Ctrl-C' else ' by ' + by} before anything was imported"
        + (f"; {db}, which this import had just begun, removed" if removed else ""),
        err=True,
    )
    ctx.exit(exit_code())


def _open(proj: Project) -> tuple[Store, CueLexicon | None]:
    """The database, made when missing (the one command that makes one), and the cue
    lexicon of a folder given with --guidelines: a broken cues.toml is said before anything
    is imported (the stored or bundled one was checked when it was stored). Closed again on
    Ctrl-C."""
    store = proj.store(create=True)
    try:
        if store.created:
            proj.adopt_new(store)
        elif proj.guidelines_dir is not None:
            proj.adopt(store)
        # else importing needs no guidelines: an existing project's are adopted by the first
        # command that uses them, and the label schema (pydantic) stays unloaded
        if proj.guidelines_dir is None:
            return store, None
        return store, _lexicon(store, proj.guidelines_dir)
    except KeyboardInterrupt:
        store.close()
        raise


def _lexicon(store: Store, folder: Path | None) -> CueLexicon:
    """The project's cue lexicon (imported here: it loads the label schema's pydantic,
    which an import that adds nothing never needs)."""
    from annotator.store.suggestions import project_lexicon

    try:
        return project_lexicon(store, folder)
    except BaseException:
        store.close()
        raise
