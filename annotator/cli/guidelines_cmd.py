"""`annotator guidelines`: the labels, keys and fields in use."""

from __future__ import annotations

import sys

import click

from annotator.cli.main import cli, project, say_missing_sections
from annotator.cli.output import data_stdout, say
from annotator.guidelines import Guidelines, load_guidelines
from annotator.store.database import NoDatabase


@cli.command("guidelines")
@click.option(
    "--label", "section", metavar="NAME", help="Print the guideline section of one label or field."
)
@click.option("--markdown", is_flag=True, help="Print the full guidelines (Markdown).")
@click.pass_context
def guidelines_cmd(ctx: click.Context, section: str | None, markdown: bool) -> None:
    """Print the label schema of this database: labels and their keys, the source type,
    article and outlet fields with their levels.

    \b
    Example:
      annotator guidelines
      annotator guidelines --label HEDGED
      annotator --guidelines my_project/guidelines guidelines
    """
    proj = project(ctx)
    try:
        store, g = proj.open()
        store.close()
    except NoDatabase:
        # nothing to read the project's guidelines from: show those a first import would
        # adopt, and make no database (a mistyped --db must not leave one behind)
        g = load_guidelines(proj.guidelines_dir)  # (its cues.toml checked by proj.store)
        say_missing_sections(g)
        say(f"note: no database at {proj.db_path}: showing those of {g.source}", err=True)
    if markdown:
        # the Markdown source: exact into a file or pipe (to recover the stored guidelines),
        # with visible placeholders for control characters on a terminal
        with data_stdout("text") as out:
            # exactly the stored text: an added newline changed the prose hash (the
            # guidelines version) of a round trip through --guidelines (audit12 F17)
            out.write(g.markdown)
            if not g.markdown.endswith("\n") and sys.stdout.isatty():
                out.write("\n")  # the prompt on a line of its own
        return
    if section:
        text = g.section(section)
        if text is None:
            raise click.ClickException(_no_section(g, section))
        say(text)
        return
    s = g.schema
    say(f"{s.info.name} {s.info.version} (schema {s.hash}; from {g.source})")
    say("\nSentence labels:")
    for lab in s.labels:
        flag = " (exclusive)" if lab.exclusive else ""
        say(f"  {lab.key}  {lab.name:<12} {lab.description}{flag}")
    for sf in s.sentence_fields:
        say(f"\n{sf.title} (after {s.label(sf.label).key}, {sf.level}):")
        for c in sf.values:
            say(f"  {c.key}  {c.title}")
    for title, fields in (("Article fields", s.article_fields), ("Outlet fields", s.outlet_fields)):
        if not fields:
            continue
        say(f"\n{title}:")
        for f in fields:
            scale = " | ".join(str(c.title) for c in f.values) if f.values else "free text"
            say(f"  {f.name:<26} {f.level:<8} {scale}")
    if s.info.empty_label:
        say(f"\nConfirming a sentence with nothing marked records {s.info.empty_label}.")


def _no_section(g: Guidelines, name: str) -> str:
    """Why `guidelines --label NAME` has nothing to print: no such label or field (it said
    "no guideline section" for a typo too), or a label whose Markdown has no section for it
    (audit12 F17)."""
    s = g.schema
    fields = [f.name for f in (*s.sentence_fields, *s.article_fields, *s.outlet_fields)]
    if name not in s.label_names and name not in fields:
        return (
            f"no label or field {name!r} in the schema {s.info.name} {s.info.version} (labels: "
            f"{', '.join(s.label_names)}" + (f"; fields: {', '.join(fields)})" if fields else ")")
        )
    where = "stored in the database" if g.source == "database" else f"of {g.source}"
    return (
        f"the {s.info.guidelines} {where} has no section for {name!r}: its section is the "
        f"one whose heading starts with the name, as `## {name}`"
    )
