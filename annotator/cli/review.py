"""`annotator review`: an annotator's differences from gold, on a read-only screen."""

from __future__ import annotations

import click

from annotator.cli.blindwork import may_show_others
from annotator.cli.main import annotator_name, cli, need_terminal, project
from annotator.cli.output import say


@cli.command("review")
@click.option(
    "--annotator",
    "name",
    metavar="NAME",
    help="Whose work [default: $ANNOTATOR_USER, else your login name].",
)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="In a blind project, answer yes before gold is shown (it is still recorded).",
)
@click.pass_context
def review_cmd(ctx: click.Context, name: str | None, assume_yes: bool) -> None:
    """After adjudication: the sentences where an annotator's confirmed labels differ from
    gold, each with the gold labels, the adjudicator's note and the guideline of every label
    in dispute. Read-only: j/k or the arrows move, ctrl+q quits.

    In a blind project gold can show what others chose, so it asks first and records it
    (event `saw_others`, the articles shown).

    \b
    Example:
      annotator review --annotator alice
      ANNOTATOR_USER=bob annotator review
    """
    from annotator.feedback import review

    name = annotator_name(name)
    store, g = project(ctx).open()
    with store:
        from annotator.store import blind

        if blind.annotator_id(store, name) is None:
            raise click.ClickException(f"no annotator {name!r} in {store.path}")
        items = review(store, g, name)
        if items:
            may_show_others(
                store,
                g,
                name,
                sorted({i.difference.article_id for i in items}),
                assume_yes,
                via="annotator review",
                what="gold labels, which can show what others chose",
                screen="review",
            )
            need_terminal("review")
        else:
            say(f"{name}: nothing differs from gold (no gold yet, or all agree)")
            return
    from annotator.tui.review_app import create_review_app  # only this command needs Textual

    create_review_app(name, items, g).run()
