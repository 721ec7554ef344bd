"""`annotator agreement`: inter-annotator agreement over the database or a CSV file.

The command's options and the database path live here; the CSV path is in agreement_csv,
and how a report is printed (table, JSON, CSV, scope notes) in agreement_output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotator.cli.agreement_output import emit, scope_note_err, scope_notes
from annotator.cli.blindwork import may_show_others
from annotator.cli.main import cli, default_annotator, need_terminal, project
from annotator.cli.output import say
from annotator.cli.resamples import enough_resamples

FORMATS = click.Choice(["table", "json", "csv"])


@cli.command("agreement")
@click.option(
    "--by",
    "by",
    type=click.Choice(["label", "article", "pair", "schema", "suggestions"]),
    default="label",
    show_default=True,
    help="One row per label (with article and sentence fields), "
    "per article, a pairwise Cohen's kappa matrix per label, the label report once per "
    "schema version (did a guideline change help?), or with and without suggestions "
    "shown (anchoring; annotator project set suggestions_split).",
)
@click.option("--annotators", metavar="A,B,...", help="Only these annotators.")
@click.option("--label", metavar="LABEL", help="Only this label.")
@click.option("--article", metavar="ID", help="Only this article (id or external id).")
@click.option(
    "--disagreements", is_flag=True, help="List the sentences with the most disagreement instead."
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="How many disagreements to list (0: all).",
)
@click.option(
    "--bootstrap",
    "n_resamples",
    type=click.IntRange(min=0),
    callback=enough_resamples,
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the 95% intervals (0: none; else at least 20).",
)
@click.option(
    "--bootstrap-by",
    "resample",
    type=click.Choice(["article", "sentence"]),
    default="article",
    show_default=True,
    help="What the intervals of sentence-level figures resample: whole articles (a cluster "
    "bootstrap: sentences of one article are not independent; needs 10 articles) or "
    "sentences (narrower, and too narrow when articles differ).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option(
    "--calibration",
    is_flag=True,
    help="Only the calibration articles (`assign --calibration N` marks them).",
)
@click.option(
    "--blind-only",
    is_flag=True,
    help="Only blind work: annotations settled before their annotator saw others' labels "
    "for that article; the report says how many were left out.",
)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="In a blind project, answer yes when showing others' labels to an annotator "
    "(it is still recorded).",
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.option("--tui", is_flag=True, help="Open the agreement screen.")
@click.option(
    "--from-csv",
    "from_csv",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Compute agreement on a CSV file instead of the database.",
)
@click.option("--unit", "unit_col", metavar="COL", help="Long CSV: the unit column.")
@click.option("--annotator", "annotator_col", metavar="COL", help="Long CSV: the annotator column.")
@click.option("--value", "value_col", metavar="COL", help="Long CSV: the value column.")
@click.option(
    "--level",
    type=click.Choice(["nominal", "ordinal", "interval", "ratio"]),
    default="nominal",
    show_default=True,
    help="Level of measurement of the CSV values (never guessed).",
)
@click.option(
    "--map",
    "maps",
    metavar="TEXT=NUMBER",
    multiple=True,
    help="Map a CSV value to a number (repeatable), e.g. --map 'Biased=1'.",
)
@click.option(
    "--map-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Two-column CSV of value,number mappings.",
)
@click.pass_context
def agreement_cmd(
    ctx: click.Context,
    by: str,
    annotators: str | None,
    label: str | None,
    article: str | None,
    disagreements: bool,
    limit: int,
    n_resamples: int,
    resample: str,
    seed: int,
    calibration: bool,
    blind_only: bool,
    assume_yes: bool,
    fmt: str,
    tui: bool,
    from_csv: Path | None,
    unit_col: str | None,
    annotator_col: str | None,
    value_col: str | None,
    level: str,
    maps: tuple[str, ...],
    map_file: Path | None,
) -> None:
    """Inter-annotator agreement: Krippendorff's alpha (with bootstrap 95% intervals),
    Gwet's AC1, Fleiss' kappa, percent and specific agreement per label; article fields at
    the level the schema declares; the source type over sentences both marked ATTRIBUTED.

    With --from-csv, the same coefficients (plus Cohen's kappa and Scott's pi for two
    annotators) on a CSV: wide (a header of annotator names, one row per unit, an empty cell
    is missing; an optional first column `unit`) or long (one row per rating, name the
    columns with --unit, --annotator and --value).

    \b
    Example:
      annotator agreement
      annotator agreement --by pair --annotators alice,bob --format json
      annotator agreement --disagreements --label HEDGED --limit 10
      annotator agreement --calibration --by schema
      annotator agreement --blind-only --format json
      annotator agreement --from-csv ratings.csv --level ordinal
      annotator agreement --from-csv raw.csv --unit text --annotator coder --value label

    In a blind project (`annotator project set blind true`), --disagreements, --tui and
    --by suggestions show others' labels: run by an annotator ($ANNOTATOR_USER, else the
    login name) they ask first and record that annotator saw them (event `saw_others`).
    """
    if from_csv is not None and (calibration or blind_only or by in ("schema", "suggestions")):
        # a CSV holds ratings only: no calibration set, no history, no schema to scope by,
        # no suggestions (audit15c F11: --by suggestions was ignored)
        raise click.UsageError(
            "--calibration, --blind-only, --by schema and --by suggestions need the database"
        )
    if from_csv is not None:
        from annotator.cli.agreement_csv import agreement_from_csv

        agreement_from_csv(
            from_csv,
            unit_col,
            annotator_col,
            value_col,
            level,
            maps,
            map_file,
            n_resamples,
            seed,
            fmt,
        )
        return
    if unit_col or annotator_col or value_col or maps or map_file:
        raise click.UsageError(
            "--unit, --annotator, --value, --map and --map-file go with --from-csv"
        )
    if tui and (calibration or blind_only or by == "schema"):
        raise click.UsageError("--calibration, --blind-only and --by schema go without --tui")
    if by == "suggestions":
        from annotator.cli.anchoring import show_by_suggestions, whole_project_only
        from annotator.cli.blindwork import may_judge_against_others

        whole_project_only(
            {
                "--annotators": annotators,
                "--label": label,
                "--article": article,
                "--disagreements": disagreements,
                "--calibration": calibration,
                "--blind-only": blind_only,
                "--tui": tui,
            }
        )
        store, g = project(ctx).open()
        with store:  # its "vs ref" is the other annotators' majority (audit15a F4)
            may_judge_against_others(
                store,
                g,
                default_annotator(),
                assume_yes,
                via="annotator agreement --by suggestions",
            )
        show_by_suggestions(ctx, n_resamples, seed, fmt, resample)
        return
    from annotator.agreement.report import added_label_notes, build_report, by_article
    from annotator.agreement.report import disagreements as find_disagreements
    from annotator.agreement.report_json import (
        PER_ARTICLE,
        coefficient_json,
        label_json,
        pairwise_json,
        report_json,
    )
    from annotator.store import articles as arts
    from annotator.store import reliability, team
    from annotator.store.gold_queue import versions
    from annotator.store.schema_names import every_label_name

    store, g = project(ctx).open()
    with store:
        schema = g.schema
        known = reliability.known_annotators(store)
        names = [a.strip() for a in annotators.split(",") if a.strip()] if annotators else None
        if names:
            unknown = [n for n in names if n not in known]
            if unknown:
                raise click.ClickException(
                    f"no annotator {', '.join(unknown)} (known: {', '.join(known) or 'none'})"
                )
        # by schema version: a label of an earlier version too (a renamed or dropped one's
        # old figure, audit12 F11)
        allowed = list(schema.label_names)
        if by == "schema" and not disagreements:
            allowed = sorted(every_label_name(store) | set(allowed))
        if label and label not in allowed:
            raise click.ClickException(f"no label {label!r} in the schema ({', '.join(allowed)})")
        article_id = None
        if article:
            art = arts.find_article(store, article)
            if art is None:
                raise click.ClickException(f"no article {article!r}")
            article_id = art.id
        if calibration and not reliability.calibration_articles(store):
            raise click.ClickException(
                "no calibration articles: `annotator assign --calibration N` marks them"
            )
        scope = reliability.Scope(
            article_id=article_id, calibration=calibration, blind_only=blind_only
        )
        if blind_only and team.setting(store, "blind") != "true":
            # nothing is recorded in a project that is not blind: all work looks blind
            say(
                "note: this project is not blind (`annotator project set blind true`): seeing "
                "others' labels is not recorded, so only what was recorded while it was is "
                "left out",
                err=True,
            )
        if tui:
            may_show_others(
                store,
                g,
                default_annotator(),
                [article_id] if article_id else None,
                assume_yes,
                via="annotator agreement --tui",
                screen="agreement --tui",
            )
            need_terminal("agreement --tui")
            from annotator.tui.agreement_app import create_agreement_app

            create_agreement_app(
                store.path,
                g,
                annotators=names,
                label=label,
                article_id=article_id,
                n_resamples=n_resamples,
                seed=seed,
            ).run()
            return
        labels = [label] if label else None
        if by == "schema" and not disagreements:
            from annotator.cli.agreement_schemas import by_schema

            emit(
                fmt,
                "schemas",
                by_schema(
                    store,
                    schema,
                    names=names,
                    label=label,
                    scope=scope,
                    n_resamples=n_resamples,
                    seed=seed,
                    resample=resample,
                ),
            )
            return
        agreement = reliability.agreement_data(store, schema, annotators=names, scope=scope)
        if disagreements:
            found = find_disagreements(
                agreement,
                label=label,
                limit=limit,
                field_labels={sf.name: sf.label for sf in schema.sentence_fields},
            )
            ids = [d.sentence_id for d in found]
            if found:
                may_show_others(
                    store,
                    g,
                    default_annotator(),
                    sorted({d.article_id for d in found}),
                    assume_yes,
                    via="annotator agreement --disagreements",
                )
            ctx_rows = reliability.sentence_context(store, ids)
            # the coders agreement compared (staff left out unless named), not everyone
            coders = list(agreement.matrix.coders)
            marks = versions(store, annotators=coders, sentence_ids=ids)
            data = [
                {
                    "sentence_id": d.sentence_id,
                    "article": ctx_rows[d.sentence_id]["article"],
                    "position": ctx_rows[d.sentence_id]["position"],
                    # the number the annotation screen shows ("Sentence 7/12"): 1-based
                    "number": int(str(ctx_rows[d.sentence_id]["position"])) + 1,
                    "text": ctx_rows[d.sentence_id]["text"],
                    "score": round(d.score, 6),
                    "labels_disputed": list(d.labels_disputed),
                    "annotators": {v.annotator: list(v.labels) for v in marks[d.sentence_id]},
                    # the sentence fields (source type) each set: disputes can be there too
                    "fields": {v.annotator: dict(v.fields) for v in marks[d.sentence_id]},
                }
                for d in found
            ]
            scope_note_err(agreement.excluded, calibration)
            emit(fmt, "disagreements", data)
            return
        if by == "article":
            titles = {a.id: a for a in arts.list_articles(store)}
            data = []
            for aa in by_article(agreement, labels=labels):
                a = titles[aa.article_id]
                data.append(
                    {
                        "article": a.external_id,
                        "title": a.title,
                        "pairable_units": aa.n_pairable_units,
                        "masi_alpha": coefficient_json(aa.masi, PER_ARTICLE),
                        "labels": [label_json(la, PER_ARTICLE) for la in aa.labels],
                    }
                )
            scope_note_err(agreement.excluded, calibration)
            for note in added_label_notes(agreement, labels or agreement.matrix.labels):
                say(f"note: {note}", err=True)  # a list has no room for notes (audit12 F6)
            emit(fmt, "articles", data)
            return
        report = build_report(
            schema,
            agreement,
            labels=labels,
            n_resamples=n_resamples,
            seed=seed,
            resample=resample,
        )
        if by == "pair":
            pairs: dict[str, Any] = {
                "annotators": list(report.annotators),
                "pairs": pairwise_json(report),
            }
            scope_notes(pairs, agreement.excluded, calibration)
            emit(fmt, "pairs", pairs)
            if not pairs["pairs"]:
                # not a silent blank (audit7 F4): undefined, with the reason
                n = len(report.annotators)
                say(
                    f"no pairs: {n} annotator{'s' * (n != 1)} with confirmed sentences "
                    "here, and a pair needs two who share one",
                    err=True,
                )
            return
        out = report_json(report)
        scope_notes(out, agreement.excluded, calibration)
        emit(fmt, "labels", out)
