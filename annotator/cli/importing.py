"""`annotator import` and `annotator segment`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import click

from annotator.cli.main import cli, err, project
from annotator.cli.output import data_stdout, say
from annotator.ingest import readability
from annotator.ingest.articles import read_articles
from annotator.ingest.reading import SUFFIXES, InputError, iter_paths
from annotator.safetext import printable
from annotator.store.imports import import_file

_DETAIL_LIMIT = 20  # above this many files, per-file lines give way to a progress bar


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--encoding",
    metavar="NAME",
    help="Decode .txt/.md files with this encoding (e.g. cp1252) instead of UTF-8.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the summary.")
@click.pass_context
def import_cmd(
    ctx: click.Context, paths: tuple[Path, ...], encoding: str | None, quiet: bool
) -> None:
    """Import articles from .txt/.md files (one article each, optional front matter with
    title, outlet, author, published, url), .jsonl files (one article per line: id, text,
    and optionally title, outlet, author, published, url, meta) and folders of them.

    Each file is imported in one transaction: a file with an error imports nothing and is
    reported as FILE:LINE; the other files still go in. Importing the same article again
    changes nothing.

    \b
    Example:
      annotator import samples/
      annotator --db project.sqlite import scraped/*.jsonl --encoding cp1252
    """
    readability.check_offline()
    store, _g = project(ctx).open()
    files: list[Path] = []
    failed = 0
    for p in paths:
        if not p.exists():
            err(f"{p}: no such file or folder")
            failed += 1
            continue
        found = list(iter_paths([p]))
        if p.is_dir() and not found:
            err(f"{p}: no {', '.join(SUFFIXES)} files in this folder")
        files.extend(found)

    added = unchanged = sentences = 0
    detail = len(files) <= _DETAIL_LIMIT and not quiet
    with click.progressbar(
        files,
        label="importing",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda p: printable(p.name) if p else "",
        hidden=detail or quiet or not sys.stderr.isatty(),
    ) as bar:
        for path in bar:
            r = import_file(store, path, encoding=encoding)
            if r.error:
                failed += 1
                err(f"{r.error}")
                continue
            added += r.added
            unchanged += r.unchanged
            sentences += r.sentences
            if detail:
                parts = []
                if r.added:
                    parts.append(f"{r.added} article{'s' * (r.added != 1)}, {r.sentences} segments")
                if r.unchanged:
                    parts.append(
                        f"{r.unchanged} unchanged (already imported: "
                        f"{', '.join(r.unchanged_ids[:3])}"
                        f"{' ...' if len(r.unchanged_ids) > 3 else ''})"
                    )
                note = f" ({'; '.join(r.notes)})" if r.notes else ""
                say(f"{path}: {', '.join(parts) or 'nothing to import'}{note}")
    store.close()
    summary = f"imported {added} article{'s' * (added != 1)} ({sentences} segments)"
    summary += f" from {len(files) - failed if failed <= len(files) else 0} of {len(files)} "
    summary += f"file{'s' * (len(files) != 1)}"
    if unchanged:
        summary += f"; {unchanged} already imported, unchanged"
    if failed:
        summary += f"; {failed} failed (nothing imported from them)"
    say(summary, err=bool(failed))
    if failed:
        ctx.exit(1)


@cli.command("segment")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True
)
@click.option("--encoding", metavar="NAME", help="Decode with this encoding instead of UTF-8.")
def segment_cmd(file: Path, fmt: str, encoding: str | None) -> None:
    """Print the segments that import would create from FILE, without touching the
    database, so you can check the segmentation first.

    jsonl prints one object per segment: article, index, start, end, kind, paragraph,
    text, links (offsets are into the article's cleaned text).

    \b
    Example:
      annotator segment samples/004_2bd55176b4b53eb1.txt
      annotator segment corpus.jsonl --format jsonl | head
    """
    try:
        with data_stdout("json" if fmt == "jsonl" else "text") as out:
            _print_segments(file, fmt, encoding, out)
    except InputError as e:
        raise click.ClickException(str(e)) from None


def _print_segments(file: Path, fmt: str, encoding: str | None, out: TextIO) -> None:
    for n, art in enumerate(read_articles(file, encoding=encoding, with_readability=False)):
        if fmt == "jsonl":
            for s in art.sentences:
                out.write(
                    json.dumps(
                        {
                            "article": art.external_id,
                            "index": s.position,
                            "start": s.start,
                            "end": s.end,
                            "kind": s.kind,
                            "paragraph": s.paragraph,
                            "text": s.text,
                            "links": s.links_json(),
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
            continue
        if n:
            out.write("\n")
        head = f"# {art.external_id}"
        if art.title:
            head += f": {art.title}"
        out.write(printable(head) + "\n")
        for note in art.notes:
            out.write(f"# {printable(note)}\n")
        for s in art.sentences:
            out.write(
                f"{s.position:4d} {s.kind:<10} {s.start:6d}-{s.end:<6d} {printable(s.text)}\n"
            )
