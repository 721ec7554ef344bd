"""`annotator team ...` (who is on the project, in which role) and `annotator project ...`
(the project's settings)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import click

from annotator.cli.main import cli, created_database, project
from annotator.cli.output import data_stdout, say
from annotator.models.team import (
    DEFAULT_ROLE,
    ROLES,
    SETTINGS,
    check_name,
    check_setting,
    settings_help,
)
from annotator.safetext import printable
from annotator.store import suggestion_reading, tokens
from annotator.store import team as team_store
from annotator.store.database import Store
from annotator.suggest import split

_ROLE = click.Choice(ROLES, case_sensitive=False)


def _store(ctx: click.Context) -> Store:
    """A project may start with its team and settings, before any import: these commands
    create the database; the others need one."""
    store = project(ctx).store(create=True)
    if store.created:
        say(created_database(store), err=True)
    return store


@cli.group("team")
def team_group() -> None:
    """Who is on the project and in which role: annotator (labels sentences), adjudicator
    (decides gold) or manager (runs the project). Adjudicators and managers are not
    counted as annotators in `annotator status`. With `annotator project set team closed`
    only members may annotate.

    \b
    Example:
      annotator team add alice
      annotator team add carol --role adjudicator
      annotator team list
    """


@team_group.command("add")
@click.argument("name")
@click.option(
    "--role", type=_ROLE, default=DEFAULT_ROLE, show_default=True, help="The member's role."
)
@click.pass_context
def team_add(ctx: click.Context, name: str, role: str) -> None:
    """Put NAME on the team.

    \b
    Example:
      annotator team add bob --role manager
    """
    check_name(name)  # before the database is made: a refused name makes nothing
    with _store(ctx) as store:
        m = team_store.add(store, name, role)
        say(f"added {m.name} as {m.role}")
        # the member's personal link for `annotator serve`, made now so it can be handed over
        say(f"link: {_link(store, m.name, None, rotate=False, reissue_revoked=True)}")


DEFAULT_URL = "http://127.0.0.1:8000"


def _link(
    store: Store,
    name: str,
    public_url: str | None,
    *,
    rotate: bool,
    reissue_revoked: bool = False,
    expires_at: str | None = None,
) -> str:
    """`URL/?token=TOKEN`; URL: --public-url, else the project's public_url, else the
    default address of `annotator serve`."""
    if public_url is not None:
        _, url = check_setting("public_url", public_url)
    else:
        url = team_store.setting(store, "public_url")
    token = tokens.link_token(
        store, name, rotate=rotate, reissue_revoked=reissue_revoked, expires_at=expires_at
    )
    return f"{(url or DEFAULT_URL).rstrip('/')}/?token={token}"


@team_group.command("link")
@click.argument("name")
@click.option("--rotate", is_flag=True, help="Replace the link: the old one stops working.")
@click.option(
    "--revoke",
    is_flag=True,
    help="End the link without making a new one (after this, only --rotate makes one).",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address the browser reaches `annotator serve` at [default: the project's "
    f"public_url setting, else {DEFAULT_URL}].",
)
@click.option(
    "--expires",
    metavar="WHEN",
    help="The link stops working then: a duration from now (30m, 12h, 7d) or a UTC date "
    "(2026-12-31, 2026-12-31T18:00); open sessions close at that time [default: never, "
    "until --revoke or --rotate].",
)
@click.pass_context
def team_link(
    ctx: click.Context,
    name: str,
    rotate: bool,
    revoke: bool,
    public_url: str | None,
    expires: str | None,
) -> None:
    """Print NAME's personal link to `annotator serve` (URL/?token=TOKEN). Whoever has
    the link works as NAME, in NAME's role: hand it over privately. Only a hash of the
    token is in the database; the key that lets this command print it again is in the
    file DATABASE.link-key beside the database (keep it private too).

    \b
    Example:
      annotator team link alice
      annotator team link alice --rotate --public-url https://annotate.example.org
    """
    if rotate and revoke:
        raise click.UsageError("--rotate makes a new link, --revoke ends it: give one")
    if revoke and expires:
        raise click.UsageError("--revoke ends the link now: --expires is for a link that works")
    until = link_end(expires) if expires is not None else None
    with project(ctx).store() as store:
        if revoke:
            if tokens.revoke(store, name):
                say(f"revoked {name.strip()}'s link")
            else:
                say(f"{name.strip()} had no live link")
            return
        link = _link(store, name, public_url, rotate=rotate, expires_at=until)
        ends = tokens.expiry(store, name)
    say(link)
    if ends is not None:  # on stderr: stdout is the link alone, for scripts
        say(f"note: the link works until {ends[:16].replace('T', ' ')} UTC", err=True)


def link_end(text: str) -> str:
    """--expires as the time `now()` writes (UTC, milliseconds): a duration from now
    ("30m", "12h", "7d") or a UTC date or date and time; a usage error otherwise."""
    m = re.fullmatch(r"\s*(\d{1,4})\s*([mhd])\s*", text)
    if m:
        minutes = int(m.group(1)) * {"m": 1, "h": 60, "d": 1440}[m.group(2)]
        if minutes <= 0:
            raise click.BadParameter("must be in the future", param_hint="--expires")
        at = datetime.now(UTC) + timedelta(minutes=minutes)
    else:
        try:
            at = datetime.fromisoformat(text.strip().removesuffix("Z"))
        except ValueError:
            raise click.BadParameter(
                f"{printable(text)!r} is neither a duration (30m, 12h, 7d) nor a date "
                "(2026-12-31, 2026-12-31T18:00)",
                param_hint="--expires",
            ) from None
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        if at <= datetime.now(UTC):
            raise click.BadParameter(f"{text.strip()} has passed", param_hint="--expires")
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


@team_group.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def team_list(ctx: click.Context, fmt: str) -> None:
    """List the team: name, role and when they were added.

    \b
    Example:
      annotator team list --format json
    """
    with project(ctx).store() as store:
        members = team_store.members(store)
        mode = team_store.setting(store, "team")
    if fmt == "json":
        rows = [{"name": m.name, "role": m.role, "added_at": m.added_at} for m in members]
        with data_stdout("json") as out:
            out.write(json.dumps({"team": mode, "members": rows}, ensure_ascii=False) + "\n")
        return
    if not members:
        say(f"no team members yet (the team is {mode}: `annotator team add NAME`)")
        return
    width = max(len(m.name) for m in members)
    for m in members:
        say(f"{m.name:<{width}}  {m.role:<11}  added {m.added_at}")
    say(f"({len(members)} members; the team is {mode})")


@team_group.command("remove")
@click.argument("name")
@click.pass_context
def team_remove(ctx: click.Context, name: str) -> None:
    """Take NAME off the team. What they did stays in the database.

    \b
    Example:
      annotator team remove bob
    """
    with project(ctx).store() as store:
        team_store.remove(store, name)
        tokens.revoke(store, name)  # their link would stop at the team check; say it plainly
    say(f"removed {name.strip()} from the team (their link no longer works)")


@team_group.command("role")
@click.argument("name")
@click.argument("role", type=_ROLE)
@click.pass_context
def team_role(ctx: click.Context, name: str, role: str) -> None:
    """Give team member NAME the role ROLE (annotator, adjudicator or manager).

    \b
    Example:
      annotator team role carol adjudicator
    """
    with project(ctx).store() as store:
        team_store.set_role(store, name, role)
    say(f"{name.strip()} is now {role.lower()}")


_SETTINGS_HELP = "\b\nSettings:\n" + "\n".join(f"  {line}" for line in settings_help().splitlines())


@cli.group("project", help=None)
def project_group() -> None:
    """The project's settings: blind work, an open or closed team, the public URL and
    label suggestions (`annotator project show --help` lists them).

    \b
    Example:
      annotator project set blind true
      annotator project show
    """


@project_group.command(
    "set",
    help="Set the project setting KEY to VALUE.\n\n"
    + _SETTINGS_HELP
    + "\n\n\b\nExample:\n  annotator project set team closed",
)
@click.argument("key", metavar="KEY")
@click.argument("value", metavar="VALUE")
@click.pass_context
def project_set(ctx: click.Context, key: str, value: str) -> None:
    check_setting(key, value)  # before the database is made: a refused value makes nothing
    with _store(ctx) as store:
        k, v = team_store.set_setting(store, key, value)
        warning = _split_warning(store) if k.startswith("suggestions") else None
    say(f"{k} = {v}")
    if warning:
        say(warning)


def _split_warning(store: Store) -> str | None:
    """One line when the seeded suggestions split leaves someone's articles mostly on one
    side (a coin per article: few articles can fall unevenly)."""
    settings = team_store.settings(store)
    mode = settings["suggestions_split"]
    if settings["suggestions"] != "on" or mode not in ("article", "annotator"):
        return None
    seed = int(settings["suggestions_seed"])
    pairs = [(w, a) for w, a in suggestion_reading.split_pairs(store) if w or mode == "article"]
    sides = split.sides_of(mode, ((w, a, split.shown(mode, seed, w, a)) for w, a in pairs))
    return split.lopsided_warning(split.lopsided(sides))


@project_group.command(
    "show",
    help="Show every project setting (the default where none was set).\n\n"
    + _SETTINGS_HELP
    + "\n\n\b\nExample:\n  annotator project show --format json",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def project_show(ctx: click.Context, fmt: str) -> None:
    with project(ctx).store() as store:
        values = team_store.settings(store)
    if fmt == "json":
        with data_stdout("json") as out:
            out.write(json.dumps(values, ensure_ascii=False) + "\n")
        return
    width = max(len(k) for k in SETTINGS)
    for k, v in values.items():
        say(f"{k:<{width}}  {v}")
