"""`annotator agreement`: inter-annotator agreement over the database or a CSV file."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

import click

from annotator.cli.blindwork import may_show_others
from annotator.cli.main import cli, default_annotator, project
from annotator.cli.output import data_stdout, say

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
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the 95% intervals (0: none).",
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

    In a blind project (`annotator project set blind true`), --disagreements and --tui show
    others' labels: run by an annotator ($ANNOTATOR_USER, else the login name) they ask
    first and record that annotator saw them (event `saw_others`).
    """
    if from_csv is not None and (calibration or blind_only or by == "schema"):
        # a CSV holds ratings only: no calibration set, no history, no schema to scope by
        raise click.UsageError("--calibration, --blind-only and --by schema need the database")
    if from_csv is not None:
        _from_csv(
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
        from annotator.cli.anchoring import show_by_suggestions

        show_by_suggestions(ctx, n_resamples, seed, fmt)
        return
    from annotator.agreement.report import (
        build_report,
        by_article,
        coefficient_json,
        label_json,
        pairwise_json,
        report_json,
    )
    from annotator.agreement.report import disagreements as find_disagreements
    from annotator.store import articles as arts
    from annotator.store import reliability, team
    from annotator.store.gold_queue import versions

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
        if label and label not in schema.label_names:
            raise click.ClickException(
                f"no label {label!r} in the schema ({', '.join(schema.label_names)})"
            )
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
            )
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
            data: Any = []
            for sv in reliability.schema_versions(store, calibration=calibration):
                part = reliability.agreement_data(
                    store,
                    schema,
                    annotators=names,
                    scope=replace(scope, schema_hash=sv.hash),
                )
                rep = report_json(
                    build_report(schema, part, labels=labels, n_resamples=n_resamples, seed=seed)
                )
                _scope_notes(rep, part.excluded, calibration)
                data.append(
                    {
                        "schema_hash": sv.hash,
                        "name": sv.name,
                        "version": sv.version,
                        "added_at": sv.added_at,
                        "annotations": sv.annotations,
                        "report": rep,
                    }
                )
            _emit(fmt, "schemas", data)
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
            _scope_note_err(agreement.excluded, calibration)
            _emit(fmt, "disagreements", data)
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
                        "masi_alpha": coefficient_json(aa.masi),
                        "labels": [label_json(la) for la in aa.labels],
                    }
                )
            _scope_note_err(agreement.excluded, calibration)
            _emit(fmt, "articles", data)
            return
        report = build_report(schema, agreement, labels=labels, n_resamples=n_resamples, seed=seed)
        if by == "pair":
            pairs: dict[str, Any] = {
                "annotators": list(report.annotators),
                "pairs": pairwise_json(report),
            }
            _scope_notes(pairs, agreement.excluded, calibration)
            _emit(fmt, "pairs", pairs)
            return
        out = report_json(report)
        _scope_notes(out, agreement.excluded, calibration)
        _emit(fmt, "labels", out)


def _scope_lines(excluded: dict[str, int], calibration: bool) -> list[str]:
    lines = []
    if calibration:
        lines.append("calibration articles only")
    if "annotations" in excluded:
        lines.append(
            f"blind work only: {excluded['annotations']} of {excluded['of_annotations']} "
            f"confirmed annotations and {excluded['article_fields']} of "
            f"{excluded['of_article_fields']} article field values left out (settled after "
            "their annotator saw others' labels)"
        )
    return lines


def _scope_notes(out: dict[str, Any], excluded: dict[str, int], calibration: bool) -> None:
    """The scope, in a JSON object's keys and its notes (the table prints the notes)."""
    if calibration:
        out["calibration"] = True
    if "annotations" in excluded:
        out["blind_only"] = {
            "excluded_annotations": excluded["annotations"],
            "annotations": excluded["of_annotations"],
            "excluded_article_fields": excluded["article_fields"],
            "article_fields": excluded["of_article_fields"],
        }
    out.setdefault("notes", []).extend(_scope_lines(excluded, calibration))


def _scope_note_err(excluded: dict[str, int], calibration: bool) -> None:
    """A list output has no room for the scope: it goes to stderr."""
    for line in _scope_lines(excluded, calibration):
        say(f"note: {line}", err=True)


def _from_csv(
    path: Path,
    unit_col: str | None,
    annotator_col: str | None,
    value_col: str | None,
    level: str,
    maps: tuple[str, ...],
    map_file: Path | None,
    n_resamples: int,
    seed: int,
    fmt: str,
) -> None:
    from annotator.agreement.csvdata import (
        CsvFormatError,
        parse_map_option,
        read_long_csv,
        read_value_map,
        read_wide_csv,
    )
    from annotator.agreement.matrix_report import matrix_report
    from annotator.models.matrices import as_level

    value_map: dict[str, float] = {}
    try:
        if map_file:
            value_map.update(read_value_map(map_file))
        for m in maps:
            text, number = parse_map_option(m)
            value_map[text] = number
        long_cols = (unit_col, annotator_col, value_col)
        if any(long_cols):
            if not all(long_cols):
                raise click.UsageError(
                    "the long layout needs all of --unit, --annotator and --value"
                )
            read = read_long_csv(
                path,
                as_level(level),
                unit_column=unit_col or "",
                annotator_column=annotator_col or "",
                value_column=value_col or "",
                value_map=value_map or None,
            )
        else:
            read = read_wide_csv(path, as_level(level), value_map=value_map or None)
    except CsvFormatError as e:
        raise click.ClickException(str(e)) from None
    except (ValueError, OSError) as e:
        raise click.ClickException(f"{path}: {e}") from None
    data = matrix_report(
        read.ratings,
        as_level(level),
        n_resamples=n_resamples,
        seed=seed,
        input_notes=read.notes,
    )
    data = {"file": str(path), **data}
    _emit(fmt, "matrix", data)


def _emit(fmt: str, kind: str, data: Any) -> None:
    if fmt == "json":
        with data_stdout("json") as out:
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with data_stdout("text") as out:
            _write_csv(kind, data, out)
    elif kind == "schemas":
        from annotator.tui.tables import print_agreement

        if not data:
            say("no confirmed annotations")
        for sv in data:
            say(
                f"schema {sv['name']} {sv['version']} ({sv['schema_hash'][:12]}, adopted "
                f"{sv['added_at'] or 'unknown'}): {sv['annotations']} confirmed annotations"
            )
            print_agreement("labels", sv["report"])
    else:
        from annotator.tui.tables import print_agreement

        print_agreement(kind, data)


def _coef_cells(prefix: str, c: dict[str, Any]) -> dict[str, Any]:
    ci = c.get("ci95") or [None, None]
    return {
        prefix: c.get("value"),
        f"{prefix}_ci_low": ci[0],
        f"{prefix}_ci_high": ci[1],
        f"{prefix}_reason": c.get("reason"),
    }


def _write_csv(kind: str, data: Any, out: TextIO) -> None:
    rows: list[dict[str, Any]] = []
    if kind == "schemas":
        # the label rows of each version, the version in front of each row
        for sv in data:
            buffer = io.StringIO()
            _write_csv("labels", sv["report"], buffer)
            buffer.seek(0)
            for cells in csv.DictReader(buffer):
                rows.append(
                    {"schema_hash": sv["schema_hash"], "schema_version": sv["version"], **cells}
                )
    elif kind == "labels":
        for la in data["labels"]:
            row: dict[str, Any] = {
                "kind": "label",
                "name": la["label"],
                "level": "nominal",
                "pairable_units": la["pairable_units"],
                "prevalence": la["prevalence"],
            }
            for key, value in la.items():
                if isinstance(value, dict):
                    row.update(_coef_cells(key, value))
            rows.append(row)
        for f in data["sentence_fields"] + data["article_fields"]:
            rows.append(
                {
                    "kind": f"{f['scope']}_field",
                    "name": f["field"],
                    "level": f["level"],
                    "pairable_units": f["pairable_units"],
                    **_coef_cells("krippendorff_alpha", f["krippendorff_alpha"]),
                }
            )
    elif kind == "articles":
        for a in data:
            for la in a["labels"]:
                rows.append(
                    {
                        "article": a["article"],
                        "label": la["label"],
                        "pairable_units": la["pairable_units"],
                        **_coef_cells("krippendorff_alpha", la["krippendorff_alpha"]),
                        **_coef_cells("gwet_ac1", la["gwet_ac1"]),
                    }
                )
    elif kind == "pairs":
        for p in data["pairs"]:
            rows.append(
                {
                    "label": p["label"],
                    "annotator_a": p["annotator_a"],
                    "annotator_b": p["annotator_b"],
                    **_coef_cells("cohen_kappa", p["cohen_kappa"]),
                }
            )
    elif kind == "disagreements":
        for d in data:
            rows.append(
                {
                    "sentence_id": d["sentence_id"],
                    "article": d["article"],
                    "position": d["position"],
                    "number": d["number"],
                    "score": d["score"],
                    "labels_disputed": " ".join(d["labels_disputed"]),
                    "annotators": json.dumps(d["annotators"], ensure_ascii=False),
                    "fields": json.dumps(d["fields"], ensure_ascii=False),
                    "text": d["text"],
                }
            )
    else:  # one matrix from a CSV
        for name, value in data["metrics"].items():
            ci = data["ci95"].get(name) or [None, None]
            rows.append(
                {
                    "metric": name,
                    "value": value,
                    "ci_low": ci[0],
                    "ci_high": ci[1],
                    "note": data["notes"].get(name),
                    "level": data["level"],
                    "units": data["units"],
                    "pairable_units": data["pairable_units"],
                }
            )
    fieldnames: list[str] = []
    for row in rows:
        fieldnames.extend(k for k in row if k not in fieldnames)
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
