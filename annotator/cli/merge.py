"""`annotator merge OTHER.sqlite`: bring a copy made offline back into this database."""

from __future__ import annotations

import dataclasses
import json

import click

from annotator.cli.main import cli, project
from annotator.cli.output import data_stdout, say, say_line
from annotator.models.merge import MergeReport
from annotator.store.merge import merge


@cli.command("merge")
@click.argument("other", type=click.Path(path_type=str))
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def merge_cmd(ctx: click.Context, other: str, dry_run: bool, fmt: str) -> None:
    """Bring the work done in OTHER (a copy of this project's database made for working
    offline) into this database: events, sentence labels, article fields and comments,
    outlet fields, gold, team members and assignments. Articles are matched by their text,
    sentences by their offsets, annotators by name. OTHER is only read.

    Where an annotator changed the same thing in both copies, the later change wins and
    the summary lists it. Merging the same copy again changes nothing.

    \b
    Example:
      annotator merge laptop-copy.sqlite --dry-run
      annotator merge laptop-copy.sqlite
    """
    with project(ctx).store() as store:
        report = merge(store, other, dry_run=dry_run)
        if report.articles_added and not dry_run:
            # the same refresh as `annotator import` (imported here: it loads the schema)
            from annotator.store.suggestions import refresh_project

            report.suggested = refresh_project(store)
    if fmt == "json":
        with data_stdout("json") as out:
            json.dump(dataclasses.asdict(report), out, ensure_ascii=False, indent=2)
            out.write("\n")
        return
    _show(report)


def _show(r: MergeReport) -> None:
    verb = "would merge" if r.dry_run else "merged"
    if not r.changed and not r.conflicts:
        kept = (
            f"; kept off the team (taken off here after the copy was made): "
            f"{', '.join(r.members_kept_off)}"
            if r.members_kept_off
            else ""
        )
        say_line(f"{r.other}: nothing new to merge ({r.events_known} events already here){kept}")
        return
    say_line(f"{verb} {r.other}:")
    say(f"  events: {r.events_added} new, {r.events_known} already here")
    if r.events_unmatched:
        say(
            f"  {r.events_unmatched} events left out: their sentences are segmented "
            "differently here (another annotator version)"
        )
    say(f"  articles: {r.articles_matched} matched by text, {len(r.articles_added)} added")
    if r.suggested:
        say(f"  suggested {r.suggested} labels for the added articles (annotator suggestions list)")
    for ext in r.articles_skipped:
        say_line(f"  skipped article {ext}: this database has another text under that id")
    taken = ", ".join(
        f"{n} {what}{'s' * (n != 1)}" for what, n in sorted(r.states_taken.items()) if n
    )
    if taken:
        say(f"  taken from the copy: {taken}")
    if r.annotators_added:
        say_line(f"  new annotators: {', '.join(r.annotators_added)}")
    if r.members_added:
        say_line(f"  new team members: {', '.join(r.members_added)}")
    if r.members_kept_off:
        say_line(
            f"  kept off the team (taken off here after the copy was made): "
            f"{', '.join(r.members_kept_off)}"
        )
    for line in r.roles_differ:
        say_line(f"  role kept from this database: {line}")
    if r.assignments_added:
        say(f"  assignments added: {r.assignments_added}")
    if r.conditions_added:
        say(f"  suggestion conditions recorded on the copy: {r.conditions_added}")
    if r.schemas_added:
        say(f"  guideline versions added: {r.schemas_added}")
    if r.conflicts:
        say(f"  conflicts (changed in both copies; the later change won): {len(r.conflicts)}")
        for c in r.conflicts:
            won = "the copy's" if c.winner == "there" else "this database's"
            # a sentence's `where` is its id, which names the article already
            sentence = c.what in ("sentence", "gold sentence")
            place = c.where if sentence else f"{c.article} {c.where}".strip()
            if c.here_who:  # two people (adjudicators): name each side's
                say_line(
                    f"    {c.what} {place}: here {c.here_who} {c.here_at}, there {c.who} "
                    f"{c.there_at}: {won} kept"
                )
            else:
                say_line(
                    f"    {c.what} {place} by {c.who}: here {c.here_at}, there {c.there_at}: "
                    f"{won} kept"
                )
