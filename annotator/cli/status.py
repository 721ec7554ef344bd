"""`annotator status`: what is in the database and how far each annotator has got."""

from __future__ import annotations

import json
from typing import Any

import click

from annotator.cli.main import cli, default_annotator, need_terminal, project
from annotator.cli.output import data_stdout, say
from annotator.cli.resamples import enough_resamples
from annotator.models.shares import percent_done
from annotator.project_status import changed_note, status_data
from annotator.safetext import printable
from annotator.store.annotations import annotator_id


@cli.command("status")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--articles/--no-articles",
    default=True,
    show_default=True,
    help="List each annotator's progress per article, and each assigned article's "
    "annotators (text format).",
)
@click.option(
    "--as",
    "viewer",
    metavar="NAME",
    help="Who is asking [default: $ANNOTATOR_USER, else your login name]. A manager (or "
    "anyone, while the team has no manager) also sees each annotator's agreement with gold.",
)
@click.option(
    "--bootstrap",
    "n_resamples",
    type=click.IntRange(min=0),
    callback=enough_resamples,
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the intervals of the agreement with gold (0: none; else at "
    "least 20).",
)
@click.option(
    "--tui",
    "screen",
    is_flag=True,
    help="Show it on a screen (the same figures; r refreshes), as managers get it from "
    "`annotator serve` at URL/status.",
)
@click.pass_context
def status_cmd(
    ctx: click.Context,
    fmt: str,
    articles: bool,
    viewer: str | None,
    n_resamples: int,
    screen: bool,
) -> None:
    """Show articles, sentences and, per annotator, sentences confirmed (total and per
    article), label events, active time (gaps between events of over 5 minutes are breaks)
    and sentences per hour; with assignments, each queue's progress and who is assigned to
    each article. Adjudicators and managers are listed apart (staff).

    \b
    Example:
      annotator status
      annotator status --format json | jq '.annotators[] | {annotator, confirmed}'
      annotator status --as carol --no-articles     # carol is a manager: gold agreement too
      annotator status --tui
    """
    store, g = project(ctx).open()
    if screen:
        try:
            need_terminal("status --tui")
        except click.ClickException:
            store.close()
            raise
        from annotator.tui.status_app import create_status_app

        store.close()  # the screen reads on a connection of its own, in a thread
        create_status_app(store.path, g, viewer or default_annotator(), n_resamples).run()
        return
    with store:
        if viewer is not None and annotator_id(store, viewer, create=False) is None:
            # audit7 F19: a name nobody has was taken silently (`review` refuses it)
            say(
                f"note: {printable(viewer)!r} is nobody in this project (no team role, no "
                "work): shown as to anyone",
                err=True,
            )
        data = status_data(store, g, viewer or default_annotator(), n_resamples)
    n_fields = len(g.schema.article_fields)
    if fmt == "json":
        with data_stdout("json") as out:
            out.write(_json(data) + "\n")
        return
    _text(data, n_fields, articles)


def _json(value: Any, level: int = 0) -> str:
    """Indented JSON down to the records, each record on one line: a million-sentence
    project has tens of thousands of per-article records, and json.dumps with `indent` (a
    pure-Python encoder) took 0.8 s of CPU for them where the C encoder takes 0.15 s."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict) and value and level <= 2:
        items = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_json(v, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and level <= 3 and isinstance(value[0], dict):
        items = [inner + _json(v, 4) for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def _text(data: dict[str, Any], n_fields: int, articles: bool) -> None:
    s = data["schema"]
    say(f"database   {data['database']}")
    if s:
        say(f"schema     {s['name']} {s['version']} ({s['hash']})")
    langs = ", ".join(f"{n} {printable(k)}" for k, n in data["languages"].items())
    say(f"articles   {data['articles']}" + (f"  ({langs})" if langs else ""))
    kinds = ", ".join(f"{n} {k}" for k, n in data["segment_kinds"].items())
    say(f"sentences  {data['sentences']}" + (f"  ({kinds})" if kinds else ""))
    say(f"outlets    {data['outlets']}")
    total = data["sentences"] or 1
    for person in data["staff"]:
        say(f"{person['role']:<10} {printable(person['name'])} ({person['events']} events)")
    if not data["annotators"]:
        say("annotators none yet (start with `annotator annotate`)")
    for a in data["annotators"]:
        pct = percent_done(a["confirmed"], total)
        rate = a["sentences_per_hour"]
        # with a queue, the corpus-wide counts say so: "0 of 10 articles complete" beside
        # "queue: 0 of 7 assigned articles done" read as the queue's (audit14 F7)
        of = f"{data['articles']} articles{' in the corpus' if a['queue'] else ''}"
        say(
            f"\n{printable(a['annotator'])}: {a['confirmed']} confirmed ({pct:.1f}%), "
            f"{a['events']} events; sentences: {a['articles_complete']} of {of} complete; "
            f"article forms: {a['article_forms_done']} of {data['articles']} complete"
        )
        say(
            f"  active {_duration(a['active_seconds'])}"
            + (f", {rate:.0f} sentences per hour" if rate is not None else "")
        )
        if a["changed_not_reconfirmed"]:
            say(f"  {changed_note(a)}")
        if a["queue"]:
            q = a["assigned"]
            say(
                f"  queue: {q['articles_done']} of {q['articles']} assigned articles done "
                f"({q['confirmed']}/{q['sentences']} sentences, {q['remaining']} remaining)"
            )
        if articles:
            forms = a["article_form_fields"]
            for art in a["articles"]:
                title = printable(art["title"] or art["article"])[:56]
                form = forms.get(art["article"], 0)
                say(
                    f"  {art['confirmed']:5d}/{art['sentences']:<5d} "
                    f"form {form}/{n_fields}  {title}"
                )
    assigned = [x for x in data["assigned_articles"] if x["assigned"]]
    if articles and assigned:
        say("\nassigned articles (confirmed/sentences per annotator):")
        for x in assigned:
            who = ", ".join(
                f"{printable(p['annotator'])} {p['confirmed']}/{x['sentences']}"
                for p in x["progress"]
            )
            mark = " (calibration)" if x["calibration"] else ""
            say(f"  {printable(x['article'])}{mark}: {who}")
    for person in data.get("gold_agreement", []):
        say(f"\n{printable(person['annotator'])} against gold ({person['sentences']} sentences):")
        for la in person["labels"]:
            c = la["krippendorff_alpha"]
            value = "undefined" if c["value"] is None else f"{c['value']:.3f}"
            ci = f" [{c['ci95'][0]:.3f}, {c['ci95'][1]:.3f}]" if c["ci95"] else ""
            say(f"  {la['label']:<12} alpha {value}{ci}")
    adj = data["adjudication"]
    if adj["disputed_sentences"] or adj["gold_sentences"]:
        methods = ", ".join(f"{n} {m}" for m, n in sorted(adj["by_method"].items()))
        say(
            f"\nadjudication: {adj['gold_sentences']} sentences have gold"
            + (f" ({methods})" if methods else "")
            + f"; {adj['disputed_open']} of {adj['disputed_sentences']} disputed "
            f"sentences still open; {adj['gold_article_fields']} article fields decided"
            + (
                f"; {adj['stale_decisions']} adjudicated decisions contradicted by answers "
                "confirmed since (shown again in `adjudicate`)"
                if adj.get("stale_decisions")
                else ""
            )
        )


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
