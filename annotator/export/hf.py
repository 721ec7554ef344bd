"""A folder that `datasets.load_dataset(PATH)` loads, in every state of a project.

JSON Lines data files plus a README.md dataset card whose YAML header declares the
configurations and their features: labels as a list of ClassLabel, links as a list of
structs, the source type and the nominal and ordinal article fields as ClassLabel, each
annotator's article fields as a list of structs. Only configurations that have rows are
declared (`datasets` refuses a configuration whose file is empty), and the default is the
best view that has data: gold, else majority, else raw, unless `--view` names one. No
pyarrow is needed to write it. The card documents the schema, what gold covers, the
annotators, the agreement per label and how gold was made.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.agreement.report import build_report
from annotator.agreement.report_json import report_json
from annotator.export.atomic import atomic_dir
from annotator.export.hf_card import (
    LICENSE_PLACEHOLDER,
    card_text,
    empty_reason,
    split_note,
    yaml_header,
)
from annotator.export.hf_features import SENTENCE_VIEWS, field_value
from annotator.export.records import (
    ExportRefused,
    ExportResult,
    Job,
    Progress,
    answers,
    dumps,
    stream,
)
from annotator.export.target import write_manifest
from annotator.guidelines import Guidelines
from annotator.schema import LabelSchema
from annotator.store import exporting, reliability
from annotator.store.database import Store


def _sentence_row(
    s: dict[str, Any], labels: list[str], fields: dict[str, str], schema: LabelSchema
) -> dict[str, Any]:
    row = {
        k: s[k]
        for k in ("id", "article_id", "position", "paragraph", "kind", "start", "end", "text")
    }
    row["links"] = [{"start": x["start"], "end": x["end"], "url": x["url"]} for x in s["links"]]
    row["labels"] = [lab for lab in labels if lab in schema.label_names]
    for sf in schema.sentence_fields:
        row[sf.name] = fields.get(sf.name)
    return row


def _article_row(a: dict[str, Any], schema: LabelSchema) -> dict[str, Any]:
    keys = ("id", "title", "outlet", "author", "published", "url", "sentences")
    row = {k: a[k] for k in keys}
    row["flesch_kincaid_grade"] = a["flesch_kincaid_grade"]
    row["language"] = a["language"]
    # JSON text: its keys differ from article to article, which one Arrow column cannot hold
    row["meta"] = dumps(a["meta"]) if a["meta"] else None
    fields = schema.article_fields
    for f in fields:
        row[f.name] = field_value(f, a["gold"].get(f.name, {}).get("value"))
    row["gold_provenance"] = [
        {
            "field": name,
            **{k: g[k] for k in ("method", "adjudicator", "agrees_with", "note", "decided_at")},
        }
        for name, g in a["gold"].items()
    ]
    row["annotations"] = [
        {"annotator": who, **{f.name: field_value(f, values.get(f.name)) for f in fields}}
        for who, values in a["annotations"].items()
    ]
    row["outlet_fields"] = [
        {
            "field": name,
            "value": None if o["value"] is None else str(o["value"]),
            "entered_by": o["entered_by"],
            "entered_at": o["entered_at"],
        }
        for name, o in a["outlet_fields"].items()
    ]
    return row


class _DataFile:
    """A JSON Lines file that knows the digest of what it holds.

    `datasets` keys its cache of a local folder on the card and the data file names, not on
    the files' contents: exporting again to the same (or any) folder and loading it gave the
    rows of an earlier export. A name carrying the content's digest changes with the data.
    """

    def __init__(self, folder: Path, config: str) -> None:
        self.folder, self.config = folder, config
        self.path = folder / f"{config}.jsonl.partial"
        self.fh = open(self.path, "wb")  # noqa: SIM115 (closed on leaving the with block)
        self.digest = hashlib.sha256()
        self.rows = 0

    def __enter__(self) -> _DataFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, row: dict[str, Any]) -> None:
        data = (dumps(row) + "\n").encode()
        self.digest.update(data)
        self.fh.write(data)
        self.rows += 1

    def finish(self) -> str | None:
        """Rename to config-DIGEST.jsonl; the path relative to the dataset folder. An empty
        file is removed (None): `datasets` refuses a configuration with no rows."""
        if not self.rows:
            self.path.unlink()
            return None
        name = f"{self.config}-{self.digest.hexdigest()[:16]}.jsonl"
        self.path.rename(self.folder / name)
        return f"{self.folder.name}/{name}"


def write_hf(
    store: Store,
    guidelines: Guidelines,
    out: Path,
    *,
    view: str | None = None,
    everything: bool = False,
    progress: Progress = lambda n: None,
    license: str | None = None,
) -> ExportResult:
    """`view`: the default configuration (None: the best that has rows)."""
    schema = guidelines.schema
    result = ExportResult()
    methods: Counter[str] = Counter()
    adjudicators: Counter[str] = Counter()
    sentences = 0  # with at least one confirmed annotation
    with atomic_dir(out) as tmp:
        data = tmp / "data"
        data.mkdir()
        with (
            _DataFile(data, "gold") as gold_fh,
            _DataFile(data, "majority") as maj_fh,
            _DataFile(data, "raw") as raw_fh,
        ):
            # every configuration from one pass: the job's view is only the default's, and
            # the majority configuration is always written, so the staff are always read
            job = Job(
                store,
                schema,
                view or "gold",
                everything,
                progress,
                staff=exporting.staff_names(store),
            )
            for rec in stream(job):
                s = rec.sentence
                n, fk = len(rec.annotations), s["flesch_kincaid_grade"]
                for ans in answers(rec, "raw", schema):
                    a = ans.source
                    row = _sentence_row(s, ans.labels, ans.fields, schema)
                    row.update(
                        annotator=a["annotator"],
                        comment=a["comment"],
                        confirmed_at=a["confirmed_at"],
                        updated_at=a["updated_at"],
                        flesch_kincaid_grade=fk,
                        origins=[
                            o
                            for lab, o in zip(ans.labels, a["origins"], strict=True)
                            if lab in schema.label_names
                        ],
                    )
                    raw_fh.write(row)
                sentences += bool(rec.annotations)
                for ans in answers(rec, "majority", schema):
                    votes = ans.source["votes"]
                    raters = ans.source.get("raters", {})
                    row = _sentence_row(s, ans.labels, ans.fields, schema)
                    # each label's votes out of its raters: fewer than n_annotators for a
                    # label added after some confirmed (audit15b F7)
                    row["votes"] = [
                        {"label": k, "votes": v, "raters": raters.get(k, ans.source["annotators"])}
                        for k, v in votes.items()
                    ]
                    # the voters, as the votes count them: the staff's answers are none
                    row.update(n_annotators=ans.source["annotators"], flesch_kincaid_grade=fk)
                    maj_fh.write(row)
                for ans in answers(rec, "gold", schema):
                    g = ans.source
                    row = _sentence_row(s, ans.labels, ans.fields, schema)
                    row.update(
                        gold_method=g["method"],
                        adjudicator=g["adjudicator"],
                        agrees_with=g["agrees_with"],
                        note=g["note"],
                        decided_at=g["decided_at"],
                        n_annotators=n,
                        flesch_kincaid_grade=fk,
                    )
                    gold_fh.write(row)
                    methods[g["method"]] += 1
                    if g["adjudicator"]:
                        adjudicators[g["adjudicator"]] += 1
        files: dict[str, str | None] = {
            "gold": gold_fh.finish(),
            "majority": maj_fh.finish(),
            "raw": raw_fh.finish(),
        }
        rows = {"gold": gold_fh.rows, "majority": maj_fh.rows, "raw": raw_fh.rows}
        with _DataFile(data, "articles") as fh:
            for a in exporting.articles(store):
                fh.write(_article_row(a, schema))
        files["articles"] = fh.finish()
        rows["articles"] = fh.rows
        if view is not None:
            if not rows[view]:
                raise ExportRefused(empty_reason(view, sentences))
            default = view
        else:
            default = next((v for v in (*SENTENCE_VIEWS, "articles") if rows[v]), "articles")
        if files["articles"] is None:
            raise ExportRefused("the database has no articles: nothing to export")
        report = report_json(build_report(schema, reliability.agreement_data(store, schema)))
        n = max(sentences, rows["gold"])
        header = yaml_header(schema, files, default, license, n, exporting.languages(store))
        text = header + card_text(
            guidelines,
            report,
            methods,
            adjudicators,
            exporting.annotator_summary(store),
            default=default,
            rows=rows,
            sentences=sentences,
            license_given=license is not None,
            dropped=exporting.labels_outside(store),
        )
        (tmp / "README.md").write_text(text, encoding="utf-8")
        write_manifest(tmp, __version__)  # marks the folder as ours: a later export replaces it
    result.files.append(out)
    result.records = rows[default]
    result.notes.append(f"default configuration: {default} ({rows[default]} rows)")
    for v in SENTENCE_VIEWS:
        if not rows[v]:
            result.notes.append(f"no {v} configuration: {empty_reason(v, sentences)}")
    if rows["majority"] and sentences > rows["majority"]:
        result.notes.append(f"majority configuration: {split_note(sentences - rows['majority'])}")
    if license is None:
        result.notes.append(
            f"the card's licence is `{LICENSE_PLACEHOLDER}`: give --license ID, or edit "
            f"{out / 'README.md'} before you publish"
        )
    return result
