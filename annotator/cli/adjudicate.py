"""`annotator adjudicate`: settle disagreements into gold labels."""

from __future__ import annotations

import click

from annotator.cli.blindwork import may_show_others
from annotator.cli.main import annotator_name, cli, need_terminal, project


@cli.command("adjudicate")
@click.option(
    "--adjudicator",
    "name",
    metavar="NAME",
    help="Who adjudicates [default: $ANNOTATOR_USER, else your login name].",
)
@click.option("--label", metavar="LABEL", help="Only sentences where this label is disputed.")
@click.option(
    "--all",
    "review_all",
    is_flag=True,
    help="Review every item, unanimous ones too (nothing becomes gold by itself).",
)
@click.option("--blind", is_flag=True, help="Hide the annotators' names.")
@click.option("--annotators", metavar="A,B,...", help="Only these annotators' versions.")
@click.option(
    "--min-annotators",
    type=click.IntRange(min=2),
    default=2,
    show_default=True,
    help="Confirmed annotations a sentence needs before it is adjudicated.",
)
@click.pass_context
def adjudicate_cmd(
    ctx: click.Context,
    name: str | None,
    label: str | None,
    review_all: bool,
    blind: bool,
    annotators: str | None,
    min_annotators: int,
) -> None:
    """Open the adjudication queue: the sentences (and article fields) whose confirmed
    annotations differ, most disputed first, each annotator's version side by side. A digit
    takes that version as gold, label keys edit it, c adds a note, d defers, z undoes.
    Unanimous sentences become gold automatically (recorded as "unanimous") unless --all.

    \b
    Example:
      annotator adjudicate --adjudicator carol
      annotator adjudicate --label HEDGED --blind
    """
    from annotator.adjudication import AdjudicationSession
    from annotator.store import reliability, team

    name = annotator_name(name)
    store, g = project(ctx).open()
    names = [a.strip() for a in annotators.split(",") if a.strip()] if annotators else None
    if label and label not in g.schema.label_names:
        store.close()
        raise click.ClickException(f"no label {label!r} in the schema")
    if not team.may_annotate(store, name):
        # audit9b F17: annotate refused a non-member of a closed team, adjudicate wrote their
        # gold (a typo of --adjudicator, or a login name nobody added)
        store.close()
        raise click.ClickException(
            f"{name!r} is not on the team, and the team is closed: a manager adds them with "
            f"`annotator team add NAME --role adjudicator` (or `annotator project set team open`)"
        )
    known = reliability.known_annotators(store)
    unknown = [n for n in names or [] if n not in known]
    if unknown:
        store.close()
        raise click.ClickException(
            f"no annotator {', '.join(unknown)} (known: {', '.join(known) or 'none'})"
        )
    try:
        # an annotator of a blind project who adjudicates sees everyone's labels: ask, record
        may_show_others(
            store, g, name, None, False, via="annotator adjudicate", screen="adjudicate"
        )
        need_terminal("adjudicate")  # before the session makes unanimous sentences gold
        session = AdjudicationSession(
            store,
            g,
            name,
            label=label,
            review_all=review_all,
            blind=blind,
            annotators=names,
            min_annotators=min_annotators,
        )
        from annotator.tui.adjudicate_app import create_adjudicate_app

        create_adjudicate_app(session).run()
    finally:
        store.close()
