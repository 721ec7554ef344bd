"""`annotator status`: what is in the database and how far each annotator has got."""

from __future__ import annotations

import json

import click

from annotator.cli.main import cli, project
from annotator.cli.output import data_stdout, say
from annotator.safetext import printable
from annotator.store import assignments, gold_queue, progress, team


@cli.command("status")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--articles/--no-articles",
    default=True,
    show_default=True,
    help="List each annotator's progress per article (text format).",
)
@click.pass_context
def status_cmd(ctx: click.Context, fmt: str, articles: bool) -> None:
    """Show articles, sentences and, per annotator, sentences confirmed (total and per
    article) and label events.

    \b
    Example:
      annotator status
      annotator status --format json | jq '.annotators[] | {annotator, confirmed}'
    """
    store, g = project(ctx).open()
    with store:
        data = progress.overview(store)
        data["annotators"] = progress.annotators(store)
        # adjudicators and managers are not annotators: listed apart, not counted
        data["staff"] = progress.staff(store)
        data["team"] = team.setting(store, "team")
        queues = assignments.queues(store)
        for a in data["annotators"]:
            a["queue"] = queues.get(a["annotator"], [])
        data["assigned_articles"] = assignments.per_article(store)
        data["adjudication"] = gold_queue.progress(store)
    if fmt == "json":
        with data_stdout("json") as out:
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
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
    n_fields = len(g.schema.article_fields)
    for a in data["annotators"]:
        pct = 100.0 * a["confirmed"] / total
        forms = a["article_form_fields"]
        full = sum(1 for n in forms.values() if n >= n_fields)
        say(
            f"\n{printable(a['annotator'])}: {a['confirmed']} confirmed ({pct:.1f}%), "
            f"{a['events']} events; sentences: {a['articles_complete']} of "
            f"{data['articles']} articles complete; article forms: {full} of "
            f"{data['articles']} complete"
        )
        if a["queue"]:
            q = a["queue"]
            done = sum(1 for x in q if x["confirmed"] >= x["sentences"])
            said = sum(x["confirmed"] for x in q)
            total_q = sum(x["sentences"] for x in q)
            say(f"  queue: {done} of {len(q)} assigned articles done ({said}/{total_q} sentences)")
        if articles:
            for art in a["articles"]:
                title = printable(art["title"] or art["article"])[:56]
                form = forms.get(art["article"], 0)
                say(
                    f"  {art['confirmed']:5d}/{art['sentences']:<5d} "
                    f"form {form}/{n_fields}  {title}"
                )
    adj = data["adjudication"]
    if adj["disputed_sentences"] or adj["gold_sentences"]:
        methods = ", ".join(f"{n} {m}" for m, n in sorted(adj["by_method"].items()))
        say(
            f"\nadjudication: {adj['gold_sentences']} sentences have gold"
            + (f" ({methods})" if methods else "")
            + f"; {adj['disputed_open']} of {adj['disputed_sentences']} disputed "
            f"sentences still open; {adj['gold_article_fields']} article fields decided"
        )
