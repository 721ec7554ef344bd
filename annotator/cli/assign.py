"""`annotator assign`: give each article K annotators, balanced, each queue in its own order."""

from __future__ import annotations

import click

from annotator.cli.main import cli, project
from annotator.cli.output import say
from annotator.models.assignment import AssignmentError
from annotator.models.team import check_name
from annotator.store import assignments, team


@cli.command("assign")
@click.option(
    "--per-article", "k", type=int, required=True, metavar="K", help="Annotators per article."
)
@click.option(
    "--calibration",
    "n",
    type=int,
    default=0,
    show_default=True,
    metavar="N",
    help="Size of the calibration set in total (articles every annotator does first); "
    "a re-run adds only what is missing.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--annotators",
    "names",
    metavar="A,B,...",
    help="Who to assign to [default: the team's annotators].",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; store nothing.")
@click.pass_context
def assign_cmd(
    ctx: click.Context, k: int, n: int, seed: int, names: str | None, dry_run: bool
) -> None:
    """Assign the articles nobody has yet: each to exactly K annotators (the N calibration
    articles, chosen at random with the seed, to all), loads balanced by segments to within
    one article's length, each annotator's order shuffled with the seed. Work already
    assigned never moves; re-run after importing more articles to assign the new ones.

    \b
    Example:
      annotator assign --per-article 2 --calibration 5 --seed 7 --dry-run
      annotator assign --per-article 2 --annotators alice,bob,carol
    """
    with project(ctx).store() as store:
        if names is not None:
            who = [check_name(x) for x in names.split(",")]
            if team.setting(store, "team") == "closed":
                strangers = [x for x in who if team.role_of(store, x) is None]
                if strangers:
                    raise click.ClickException(
                        f"not on the team, and the team is closed: {', '.join(strangers)}"
                    )
        else:
            who = [m.name for m in team.members(store) if m.role == "annotator"]
        try:
            result = assignments.assign(
                store, who, per_article=k, calibration=n, seed=seed, dry_run=dry_run
            )
        except AssignmentError as e:
            raise click.ClickException(str(e)) from None
    articles = {s.article for s in result.slots}
    verb = "would assign" if dry_run else "assigned"
    say(
        f"{verb} {len(articles)} articles ({len(result.calibration)} calibration) "
        f"to {len(result.loads)} annotators"
    )
    queues = result.queues()
    for name in sorted(result.loads):
        q = queues.get(name, [])
        head = ", ".join(q[:5]) + (", ..." if len(q) > 5 else "")
        say(f"  {name}: +{len(q)} articles, {result.loads[name]} segments in all  {head}")
