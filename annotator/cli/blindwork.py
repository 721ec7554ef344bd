"""Blind work on the command line: before a command shows other annotators' labels to an
annotator of a blind project, it asks, then records what was shown (annotator/store/blind.py)."""

from __future__ import annotations

import click

from annotator.cli.main import need_terminal
from annotator.guidelines import Guidelines
from annotator.models.errors import StoreError
from annotator.safetext import printable
from annotator.store import blind, team
from annotator.store.database import Store


def may_show_others(
    store: Store,
    g: Guidelines,
    viewer: str,
    article_ids: list[int] | None,
    assume_yes: bool,
    *,
    via: str,
    what: str = "other annotators' labels",
    screen: str | None = None,
) -> None:
    """In a blind project, when `viewer` is an annotator: ask (unless `assume_yes`), then
    record that they saw others' labels of these articles (None: all). Declining, or a
    record that cannot be written, stops the command before anything is shown. Adjudicators
    and managers, and everyone in a project that is not blind, are not asked. With `screen`
    (the command opens one), a yes without a terminal is refused before it is recorded."""
    if team.setting(store, "blind") != "true" or not blind.is_annotator(store, viewer):
        return
    shown = "all articles" if article_ids is None else f"{len(article_ids)} article(s)"
    try:
        go_on = assume_yes or click.confirm(
            f"This project is blind and you are annotator {printable(viewer)}: this shows "
            f"{what} ({shown}), and that is recorded (your name, the time, the articles). "
            "Go on?",
            default=False,
            err=True,
        )
    except click.Abort:  # no answer (no terminal, Ctrl-C, end of input): not "Aborted!"
        raise click.ClickException(
            "not shown: nothing was recorded (no answer; --yes answers yes)"
        ) from None
    if not go_on:
        raise click.ClickException("not shown: nothing was recorded")
    if screen:
        need_terminal(screen)  # nothing is shown without one: nothing may be recorded
    aid = blind.annotator_id(store, viewer)
    if aid is None:  # is_annotator found them; only a concurrent rename gets here
        raise click.ClickException(f"no annotator {viewer!r}")
    try:
        blind.record(store, aid, article_ids=article_ids, via=via, schema_hash=g.schema.hash)
    except StoreError as e:
        raise click.ClickException(
            f"{store.path}: not shown: seeing others' labels could not be recorded ({e})"
        ) from None


def may_judge_against_others(
    store: Store, g: Guidelines, viewer: str, assume_yes: bool, *, via: str
) -> None:
    """`suggestions --evaluate` and `agreement --by suggestions` in a blind project, run by
    an annotator: their figures are judged against other people's labels (the majority of a
    sentence's annotators, gold; alpha between annotators), and a small cell or a probe
    file of outside suggestions reads those labels back one by one (audit15a F4: bob read
    alice's 12 label sets exactly). So they ask and record, for the articles where someone
    else's labels are read, as every other view of them does. Nothing to read, nothing
    asked."""
    if team.setting(store, "blind") != "true" or not blind.is_annotator(store, viewer):
        return
    articles, everything = blind.others_judged_articles(store, blind.annotator_id(store, viewer))
    if not articles:
        return
    may_show_others(
        store,
        g,
        viewer,
        None if everything else articles,
        assume_yes,
        via=via,
        what="figures judged against other annotators' labels and gold",
    )
