"""`annotator annotate`: the annotation screen."""

from __future__ import annotations

import click

from annotator.cli.main import annotator_name, cli, need_terminal, project
from annotator.models.errors import DatabaseBusy, StoreError
from annotator.safetext import printable
from annotator.session import AnnotationSession, SessionError
from annotator.store import team


@cli.command("annotate")
@click.option(
    "--annotator",
    "name",
    metavar="NAME",
    help="Who is annotating [default: $ANNOTATOR_USER, else your login name].",
)
@click.option("--article", metavar="ID", help="Open this article (its id or external id).")
@click.option(
    "--show-others",
    is_flag=True,
    help="Show other annotators' labels too (annotation is blind by default).",
)
@click.pass_context
def annotate_cmd(
    ctx: click.Context, name: str | None, article: str | None, show_others: bool
) -> None:
    """Open the annotation screen: move through the sentences with j/k, toggle labels with
    their keys (a q h u e l b n by default), confirm with Enter. Every change is saved at
    once; ctrl+q quits. Reopening resumes where you were.

    \b
    Example:
      annotator annotate --annotator alice
      ANNOTATOR_USER=bob annotator annotate --article 004_2bd55176b4b53eb1
    """
    name = annotator_name(name)
    store, g = project(ctx).open()
    if not team.may_annotate(store, name):
        store.close()
        raise click.ClickException(
            f"{name!r} is not on the team, and the team is closed: a manager adds them with "
            f"`annotator team add NAME` (or `annotator project set team open`)"
        )
    # a blind project: say what --show-others does to the record before doing it
    if (
        show_others
        and team.setting(store, "blind") == "true"
        and not click.confirm(
            f"This project is blind: --show-others shows every annotator's labels to "
            f"{printable(name)}, and that is recorded (your name, the time, all articles). "
            "Go on?",
            default=False,
        )
    ):
        store.close()
        raise click.ClickException("not opened: nothing was shown or recorded")
    try:
        need_terminal("annotate")  # before the session registers the annotator
    except click.ClickException:
        store.close()
        raise
    try:
        session = AnnotationSession(store, g, name, article=article, show_others=show_others)
    except SessionError as e:
        store.close()
        raise click.ClickException(str(e)) from None
    except DatabaseBusy:
        store.close()
        # only a new annotator's name is written before the screen opens: nothing typed is lost
        raise click.ClickException(
            f"{store.path}: another process kept the database locked, so annotator {name!r} "
            "could not be registered; nothing was typed yet and nothing is lost: try again "
            "when it is done (an import?)"
        ) from None
    if show_others:
        try:
            session.saw_others(None, "annotate --show-others")
        except StoreError as e:
            store.close()
            # not recorded (a read-only file, a lock held too long): so not shown either
            raise click.ClickException(
                f"not opened: seeing others' labels could not be recorded ({e})"
            ) from None
    from annotator.tui.app import create_app  # only this command needs Textual

    try:
        create_app(session).run()
    finally:
        store.close()
