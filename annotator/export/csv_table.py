"""The csv format: one row per sentence (gold, majority) or per annotation (raw), every label
a 0/1 column; and the articles sidecar as csv."""

from __future__ import annotations

import csv
from typing import IO

from annotator.export.cells import CellGuard
from annotator.export.records import Answer, Job, answers, dumps, electors, stream
from annotator.schema import LabelSchema
from annotator.store import exporting
from annotator.store.database import Store


def header(schema: LabelSchema, view: str) -> list[str]:
    cols = [
        "id",
        "article_id",
        "article_title",
        "outlet",
        "position",
        "paragraph",
        "kind",
        "start",
        "end",
        "text",
    ]
    if view == "raw":
        cols += ["annotator", "comment", "confirmed_at"]
    cols += list(schema.label_names) + [sf.name for sf in schema.sentence_fields]
    if view == "gold":
        cols += ["gold_method", "adjudicator", "agrees_with", "gold_note"]
    cols += ["n_annotators", "annotators", "flesch_kincaid_grade"]
    if view == "raw":
        # last, so that every other column keeps its place: a JSON list beside the label
        # columns' order of the annotation's labels (records.origins_of)
        cols.append("origins")
    return cols


# The empty-value policy of the csv export: an empty cell means "no value" (a sentence
# without an answer in the view -- no gold, or with --everything nobody confirmed it for the
# majority -- has empty label cells; an unset field is empty), never "NaN" or "null"; a
# label cell is otherwise 0 or 1. pandas reads such a column as nullable integers with
# read_csv(..., dtype_backend="numpy_nullable"), and a column without empty cells (every
# label column of --view raw and majority) as int64 by default.
def write_csv(job: Job, out: IO[str]) -> int:
    schema, view, guard = job.schema, job.view, job.cells
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(schema, view))
    n = 0
    for rec in stream(job):
        s, art = rec.sentence, rec.article
        base = [
            s["id"],
            s["article_id"],
            art["title"],
            art["outlet"],
            s["position"],
            s["paragraph"],
            s["kind"],
            s["start"],
            s["end"],
            s["text"],
        ]
        # a JSON list: any name (spaces, commas) survives, and json.loads reads it back
        # (the majority's: its voters, as its votes count them, the staff's answers aside)
        who = electors(rec) if view == "majority" else rec.annotations
        count = (rec.voters or len(who)) if view == "majority" else len(who)
        names = dumps([a["annotator"] for a in who])
        tail = [count, names, s["flesch_kincaid_grade"]]
        found = answers(rec, view, schema)
        if view == "raw":
            for ans in found:
                a = ans.source
                writer.writerow(
                    guard.row(
                        base
                        + [a["annotator"], a["comment"], a["confirmed_at"]]
                        + _label_cells(schema, ans)
                        + [ans.fields.get(sf.name, "") for sf in schema.sentence_fields]
                        + tail
                        + [dumps(a["origins"])]
                    )
                )
                n += 1
            continue
        c = found[0] if found else None
        row = base + (_label_cells(schema, c) if c else [""] * len(schema.label_names))
        row += [(c.fields.get(sf.name, "") if c else "") for sf in schema.sentence_fields]
        if view == "gold":
            g = c.source if c else None
            row += (
                [g["method"], g["adjudicator"] or "", dumps(g["agrees_with"]), g["note"] or ""]
                if g
                else ["", "", "", ""]
            )
        writer.writerow(guard.row(row + tail))
        n += 1
    return n


def write_articles_csv(
    store: Store, schema: LabelSchema, out: IO[str], guard: CellGuard | None = None
) -> int:
    """One row per (article, annotator) plus one per article for gold; outlet fields too."""
    if guard is None:
        guard = CellGuard()
    names = [f.name for f in schema.article_fields]
    onames = [f.name for f in schema.outlet_fields]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "article_id",
            "title",
            "outlet",
            "author",
            "published",
            "url",
            "language",
            "meta",
            "who",
            *names,
            *[f"outlet_{o}" for o in onames],
        ]
    )
    n = 0
    for a in exporting.articles(store):
        head = [a["id"], a["title"], a["outlet"], a["author"], a["published"], a["url"]]
        head += [a["language"], dumps(a["meta"]) if a["meta"] else ""]
        outlet = [a["outlet_fields"].get(o, {}).get("value", "") for o in onames]
        for who, values in a["annotations"].items():
            writer.writerow(guard.row(head + [who] + [values.get(f, "") for f in names] + outlet))
            n += 1
        if a["gold"]:
            gold = [a["gold"].get(f, {}).get("value", "") for f in names]
            writer.writerow(guard.row([*head, "(gold)", *gold, *outlet]))
            n += 1
        if not a["annotations"] and not a["gold"]:
            writer.writerow(guard.row(head + [""] + [""] * len(names) + outlet))
            n += 1
    return n


def _label_cells(schema: LabelSchema, ans: Answer) -> list[int | str]:
    """1 or 0 per label; empty for a label the answer never rated (added to the guidelines
    after it was confirmed: audit12 F6), as for a sentence without an answer."""
    return ["" if lab in ans.unrated else int(lab in ans.labels) for lab in schema.label_names]
