"""`annotator assign`: give each article K annotators, balanced, each queue in its own order."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli.main import cli, project
from annotator.cli.output import say
from annotator.models.assignment import (
    FILTER_HELP,
    ArticleFilter,
    AssignmentError,
    Rebalance,
    ids_from_lines,
    parse_filter,
)
from annotator.models.team import check_name
from annotator.store import assignments, team


@cli.command("assign")
@click.option("--per-article", "k", type=int, metavar="K", help="Annotators per article.")
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
@click.option(
    "--articles", "filters", metavar="FILTER", multiple=True, help=FILTER_HELP.replace("\n", " ")
)
@click.option(
    "--rebalance",
    is_flag=True,
    help="Move the articles not yet begun by annotators who left (off the team, or not in "
    "--annotators) to those who remain; begun work stays. Each article keeps its number of "
    "annotators; newcomers also get the calibration set.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; store nothing.")
@click.pass_context
def assign_cmd(
    ctx: click.Context,
    k: int | None,
    n: int,
    seed: int,
    names: str | None,
    filters: tuple[str, ...],
    rebalance: bool,
    dry_run: bool,
) -> None:
    """Assign the articles nobody has yet: each to exactly K annotators (the N calibration
    articles, chosen at random with the seed, to all), loads balanced by segments to within
    one article's length, each annotator's order shuffled with the seed. Work already
    assigned never moves; re-run after importing more articles to assign the new ones.

    With --rebalance, move the unstarted articles of whoever left the team (or is not in
    --annotators) to the others, the least loaded first; nothing begun moves.

    \b
    Example:
      annotator assign --per-article 2 --calibration 5 --seed 7 --dry-run
      annotator assign --per-article 2 --annotators alice,bob,carol
      annotator assign --per-article 2 --articles 'reuters-*' --articles @batch2.txt
      annotator team remove bob && annotator assign --rebalance
    """
    if rebalance and (k is not None or n):
        raise click.UsageError(
            "--rebalance keeps each article's number of annotators and the calibration set: "
            "leave out --per-article and --calibration"
        )
    if not rebalance and k is None:
        raise click.UsageError("--per-article K is required (or --rebalance)")
    try:
        chosen = [_filter(f) for f in filters]
    except AssignmentError as e:
        raise click.ClickException(str(e)) from None
    with project(ctx).store() as store:
        if names is not None:
            who = [check_name(x) for x in names.split(",")]
            roles = {x: team.role_of(store, x) for x in who}
            if team.setting(store, "team") == "closed":
                strangers = [x for x in who if roles[x] is None]
                if strangers:
                    raise click.ClickException(
                        f"not on the team, and the team is closed: {', '.join(strangers)}"
                    )
            # adjudicators and managers are never assigned (audit7 F6: named here, an
            # adjudicator got a queue, and her labels counted as an annotator's)
            staff = [
                f"{x} is {_article(r)} {r}"
                for x, r in roles.items()
                if r not in (None, "annotator")
            ]
            if staff:
                first = next(x for x, r in roles.items() if r not in (None, "annotator"))
                raise click.ClickException(
                    f"{'; '.join(staff)}, not an annotator: only annotators are assigned "
                    f"(`annotator team role {first} annotator` makes one)"
                )
        else:
            who = [m.name for m in team.members(store) if m.role == "annotator"]
        try:
            if rebalance:
                moved = assignments.rebalance(
                    store, who, seed=seed, dry_run=dry_run, filters=chosen
                )
            else:
                assert k is not None
                result = assignments.assign(
                    store,
                    who,
                    per_article=k,
                    calibration=n,
                    seed=seed,
                    dry_run=dry_run,
                    filters=chosen,
                )
        except AssignmentError as e:
            raise click.ClickException(str(e)) from None
    if rebalance:
        _say_rebalance(moved, dry_run)
        return
    chosen_now = set(result.calibration)
    handed = [s for s in result.slots if s.calibration and s.article not in chosen_now]
    articles = {s.article for s in result.slots} - {s.article for s in handed}
    verb = "would assign" if dry_run else "assigned"
    newcomers = sorted({s.annotator for s in handed})
    said = (
        f"; the calibration set to {', '.join(newcomers)}, who joined since it was chosen "
        f"({len(handed)} article{'s' * (len(handed) != 1)})"
        if handed
        else ""
    )
    say(
        f"{verb} {_n(len(articles), 'article')} ({len(result.calibration)} calibration) "
        f"to {_n(len(result.loads), 'annotator')}{said}"
    )
    if result.calibration_short and result.calibration:
        # audit7 F19: "(59 calibration)" and nothing more, when every article had become one
        say(
            f"note: --calibration {n} asks for more articles than there were new ones: "
            f"{'all ' if len(result.calibration) == len(articles) else ''}"
            f"{_n(len(result.calibration), 'article')} joined the calibration set, each "
            "labelled by every annotator"
        )
    _say_queues(result.queues(), result.loads)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _filter(text: str) -> ArticleFilter:
    if not text.startswith("@"):
        return parse_filter(text)
    path = Path(text[1:])
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "not UTF-8 text"
        raise AssignmentError(f"{path}: {reason}") from None
    return ids_from_lines(str(path), lines)


def _say_rebalance(r: Rebalance, dry_run: bool) -> None:
    verb = "would move" if dry_run else "moved"
    leavers = sorted({name for _, name in r.dropped} | set(r.kept))
    say(
        f"{verb} {r.moved()} article assignments away from "
        f"{', '.join(leavers) or 'nobody'} ({len(r.dropped)} unstarted taken off them); "
        f"{sum(s.calibration for s in r.slots)} calibration articles to newcomers"
    )
    for name in sorted(r.kept):
        say(f"  {name} keeps {len(r.kept[name])} begun articles (begun work never moves)")
    queues: dict[str, list[str]] = {}
    for s in sorted(r.slots, key=lambda s: (s.annotator, s.position)):
        queues.setdefault(s.annotator, []).append(s.article)
    _say_queues(queues, r.loads)


def _say_queues(queues: dict[str, list[str]], loads: dict[str, int]) -> None:
    for name in sorted(loads):
        q = queues.get(name, [])
        head = ", ".join(q[:5]) + (", ..." if len(q) > 5 else "")
        say(f"  {name}: +{_n(len(q), 'article')}, {_n(loads[name], 'segment')} in all  {head}")
