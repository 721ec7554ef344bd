"""How `annotator agreement` prints a report: a table, JSON or CSV, and the notes that say
what the figures were computed over (calibration only, blind work only).

Apart from the command so that every path (the database, a CSV file, one row per schema
version) prints through the same few functions, and the command reads as its options.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, TextIO

from annotator.cli.output import data_stdout, say


def scope_lines(excluded: dict[str, int], calibration: bool) -> list[str]:
    """What the figures were computed over, in words (empty for the whole database)."""
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


def scope_notes(out: dict[str, Any], excluded: dict[str, int], calibration: bool) -> None:
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
    out.setdefault("notes", []).extend(scope_lines(excluded, calibration))


def scope_note_err(excluded: dict[str, int], calibration: bool) -> None:
    """A list output has no room for the scope: it goes to stderr."""
    for line in scope_lines(excluded, calibration):
        say(f"note: {line}", err=True)


def emit(fmt: str, kind: str, data: Any) -> None:
    """Print one kind of result (labels, articles, pairs, schemas, disagreements, matrix)."""
    if fmt == "json":
        with data_stdout("json") as out:
            out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with data_stdout("text") as out:
            write_csv(kind, data, out)
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


def write_csv(kind: str, data: Any, out: TextIO) -> None:
    rows: list[dict[str, Any]] = []
    if kind == "schemas":
        # the label rows of each version, the version in front of each row
        for sv in data:
            buffer = io.StringIO()
            write_csv("labels", sv["report"], buffer)
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
