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
import json
from collections import Counter
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.agreement.report import build_report, report_json
from annotator.export import records as rec_mod
from annotator.export.atomic import atomic_dir
from annotator.export.records import ExportRefused, ExportResult, Progress, sentence_stream
from annotator.export.target import write_manifest
from annotator.guidelines import Guidelines
from annotator.ingest.layout import KINDS
from annotator.schema import FieldSpec, LabelSchema
from annotator.store import exporting, reliability
from annotator.store.database import Store

SENTENCE_VIEWS = ("gold", "majority", "raw")
# the Hub's licence identifier for "not stated": the card asks the user to replace it
LICENSE_PLACEHOLDER = "unknown"

# Times are features of their own: declared as strings, `datasets` (pyarrow's JSON reader
# infers timestamps first) turned "2026-11-02T09:00:01Z" into "2026-11-02 09:00:01".
TIMESTAMP = "timestamp[ms, tz=UTC]"

# A feature in the YAML form `datasets` reads (Features._to_yaml_list), as plain data.
Feature = dict[str, Any]


def _yaml_scalar(v: object) -> str:
    """A YAML scalar: JSON strings and numbers are valid YAML."""
    return json.dumps(v, ensure_ascii=False)


def _yaml(obj: object, indent: str = "") -> list[str]:
    """Block-style YAML for dicts, lists and scalars (the little the card needs)."""
    lines: list[str] = []
    if isinstance(obj, dict):
        for key, v in obj.items():
            k = _yaml_scalar(key) if key.isdigit() else key  # class indices stay strings
            if isinstance(v, dict | list) and v:
                lines.append(f"{indent}{k}:")
                lines += _yaml(v, indent + "  ")
            else:
                lines.append(f"{indent}{k}: {_yaml_scalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            sub = _yaml(item, indent + "  ")
            if isinstance(item, dict | list) and item:
                lines.append(f"{indent}- {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{indent}- {_yaml_scalar(item)}")
    else:
        lines.append(f"{indent}{_yaml_scalar(obj)}")
    return lines


def _class_label(names: list[str]) -> dict[str, Any]:
    return {"class_label": {"names": {str(i): n for i, n in enumerate(names)}}}


def _value(name: str, dtype: str) -> Feature:
    return {"name": name, "dtype": dtype}


def _classes(name: str, names: list[str]) -> Feature:
    return {"name": name, "dtype": _class_label(names)}


def _field_dtype(f: FieldSpec) -> str | dict[str, Any]:
    """Nominal and ordinal fields are ClassLabel (the names in scale order, so an ordinal
    field's class index is its rank); interval and ratio numbers; text strings."""
    if f.level in ("nominal", "ordinal"):
        return _class_label([str(c.value) for c in f.values])
    return "string" if f.level == "text" else "float64"


def _field_value(f: FieldSpec, v: object) -> object:
    """A field's value as its feature takes it: ClassLabel reads the class name."""
    if v is None:
        return None
    return str(v) if f.level in ("nominal", "ordinal") else v


def sentence_features(schema: LabelSchema, view: str) -> list[Feature]:
    common: list[Feature] = [
        _value("id", "string"),
        _value("article_id", "string"),
        _value("position", "int32"),
        _value("paragraph", "int32"),
        _classes("kind", list(KINDS)),
        _value("start", "int32"),
        _value("end", "int32"),
        _value("text", "string"),
        {
            "name": "links",
            "list": [_value("start", "int32"), _value("end", "int32"), _value("url", "string")],
        },
        {"name": "labels", "list": _class_label(list(schema.label_names))},
    ]
    common += [
        _classes(sf.name, [str(c.value) for c in sf.values]) for sf in schema.sentence_fields
    ]
    tail = [_value("n_annotators", "int32"), _value("flesch_kincaid_grade", "float32")]
    if view == "gold":
        return [
            *common,
            _value("gold_method", "string"),
            _value("adjudicator", "string"),
            {"name": "agrees_with", "list": "string"},
            _value("note", "string"),
            _value("decided_at", TIMESTAMP),
            *tail,
        ]
    if view == "majority":
        votes = [_classes("label", list(schema.label_names)), _value("votes", "int32")]
        return [*common, {"name": "votes", "list": votes}, *tail]
    return [
        *common,
        _value("annotator", "string"),
        _value("comment", "string"),
        _value("confirmed_at", TIMESTAMP),
        _value("updated_at", TIMESTAMP),
        tail[1],
    ]


def article_features(schema: LabelSchema) -> list[Feature]:
    fields = schema.article_fields
    own = [{"name": f.name, "dtype": _field_dtype(f)} for f in fields]
    return [
        _value("id", "string"),
        _value("title", "string"),
        _value("outlet", "string"),
        _value("author", "string"),
        _value("published", "string"),
        _value("url", "string"),
        _value("sentences", "int32"),
        _value("flesch_kincaid_grade", "float32"),
        *own,  # gold values
        {
            "name": "gold_provenance",
            "list": [
                _value("field", "string"),
                _value("method", "string"),
                _value("adjudicator", "string"),
                {"name": "agrees_with", "list": "string"},
                _value("note", "string"),
                _value("decided_at", TIMESTAMP),
            ],
        },
        {"name": "annotations", "list": [_value("annotator", "string"), *own]},
        {
            "name": "outlet_fields",
            "list": [
                _value("field", "string"),
                _value("value", "string"),
                _value("entered_by", "string"),
                _value("entered_at", TIMESTAMP),
            ],
        },
    ]


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
    fields = schema.article_fields
    for f in fields:
        row[f.name] = _field_value(f, a["gold"].get(f.name, {}).get("value"))
    row["gold_provenance"] = [
        {
            "field": name,
            **{k: g[k] for k in ("method", "adjudicator", "agrees_with", "note", "decided_at")},
        }
        for name, g in a["gold"].items()
    ]
    row["annotations"] = [
        {"annotator": who, **{f.name: _field_value(f, values.get(f.name)) for f in fields}}
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
        data = (rec_mod.dumps(row) + "\n").encode()
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


def size_category(n: int) -> str:
    """The Hub's size_categories bucket for n rows."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")]
    bounds += [(1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]
    for bound, name in bounds:
        if n < bound:
            return name
    return "100M<n<1B"


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
            for r, _art in sentence_stream(store, everything, progress):
                s = rec_mod.decoded(r)
                anns = [json.loads(a) for a in r.annotations]
                tail = {"n_annotators": len(anns), "fk": s["flesch_kincaid_grade"]}
                for a in anns:
                    row = _sentence_row(s, a["labels"], a["fields"], schema)
                    row.update(
                        annotator=a["annotator"],
                        comment=a["comment"],
                        confirmed_at=a["confirmed_at"],
                        updated_at=a["updated_at"],
                        flesch_kincaid_grade=tail["fk"],
                    )
                    raw_fh.write(row)
                if anns:
                    sentences += 1
                    m = rec_mod.majority(r, schema)
                    row = _sentence_row(s, m["labels"], m["fields"], schema)
                    row["votes"] = [{"label": k, "votes": v} for k, v in m["votes"].items()]
                    row.update(n_annotators=len(anns), flesch_kincaid_grade=tail["fk"])
                    maj_fh.write(row)
                if r.gold:
                    g = json.loads(r.gold)
                    row = _sentence_row(s, g["labels"], g["fields"], schema)
                    row.update(
                        gold_method=g["method"],
                        adjudicator=g["adjudicator"],
                        agrees_with=g["agrees_with"],
                        note=g["note"],
                        decided_at=g["decided_at"],
                        n_annotators=len(anns),
                        flesch_kincaid_grade=tail["fk"],
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
                raise ExportRefused(_empty_reason(view))
            default = view
        else:
            default = next((v for v in (*SENTENCE_VIEWS, "articles") if rows[v]), "articles")
        if files["articles"] is None:
            raise ExportRefused("the database has no articles: nothing to export")
        report = report_json(build_report(schema, reliability.agreement_data(store, schema)))
        n = max(sentences, rows["gold"])
        header = _yaml_header(schema, files, default, license, n, exporting.languages(store))
        card = header + _card(
            guidelines,
            report,
            methods,
            adjudicators,
            exporting.annotator_summary(store),
            default=default,
            rows=rows,
            sentences=sentences,
            license_given=license is not None,
        )
        (tmp / "README.md").write_text(card, encoding="utf-8")
        write_manifest(tmp, __version__)  # marks the folder as ours: a later export replaces it
    result.files.append(out)
    result.records = rows[default]
    result.notes.append(f"default configuration: {default} ({rows[default]} rows)")
    for v in SENTENCE_VIEWS:
        if not rows[v]:
            result.notes.append(f"no {v} configuration: {_empty_reason(v)}")
    if license is None:
        result.notes.append(
            f"the card's licence is `{LICENSE_PLACEHOLDER}`: give --license ID, or edit "
            f"{out / 'README.md'} before you publish"
        )
    return result


def _empty_reason(view: str) -> str:
    if view == "gold":
        return "no sentence has gold yet (adjudicate first: annotator adjudicate)"
    if view == "articles":
        return "the database has no articles"
    return "no sentence has a confirmed annotation yet"


def _yaml_header(
    schema: LabelSchema,
    files: dict[str, str | None],
    default: str,
    license: str | None,
    n: int,
    languages: list[str],
) -> str:
    meta: dict[str, Any] = {
        "pretty_name": schema.info.title or schema.info.name,
        "license": license or LICENSE_PLACEHOLDER,
        # detected at import; articles imported before detection existed have none
        "language": languages or ["en"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "size_categories": [size_category(n)],
        "task_categories": ["text-classification"],
        "task_ids": ["multi-label-classification"],
    }
    configs: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    for name in (*SENTENCE_VIEWS, "articles"):
        path = files[name]
        if path is None:
            continue
        config: dict[str, Any] = {
            "config_name": name,
            "data_files": [{"split": "train", "path": path}],
        }
        if name == default:
            config["default"] = True
        configs.append(config)
        features = (
            article_features(schema) if name == "articles" else sentence_features(schema, name)
        )
        info.append({"config_name": name, "features": features})
    meta["configs"] = configs
    meta["dataset_info"] = info
    lines = ["---", *_yaml(meta)]
    if license is None:
        lines.insert(3, "# licence: replace `unknown` with the licence of the texts and the labels")
    return "\n".join([*lines, "---"]) + "\n"


def _fmt(c: dict[str, Any]) -> str:
    if c.get("value") is None:
        return f"undefined ({c.get('reason')})"
    ci = c.get("ci95")
    return f"{c['value']:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def _md(text: object) -> str:
    """Table-cell safe text."""
    return str(text).replace("|", "\\|").replace("\n", " ")


_CONFIG_TEXT = {
    "gold": "one row per sentence that has gold labels, with their provenance "
    "(`gold_method`, `adjudicator`, `agrees_with`, `note`, `decided_at`).",
    "majority": "one row per annotated sentence: the labels more than half of its "
    "annotators chose (`votes` counts each label's annotators).",
    "raw": "one row per (sentence, annotator): every annotator's confirmed labels, for "
    "reproducing the agreement figures.",
    "articles": "article metadata, the gold article-level judgements (with "
    "`gold_provenance`), every annotator's values (`annotations`) and the outlet's fields.",
}


def _card(
    g: Guidelines,
    report: dict[str, Any],
    methods: Counter[str],
    adjudicators: Counter[str],
    annotators: list[dict[str, Any]],
    *,
    default: str,
    rows: dict[str, int],
    sentences: int,
    license_given: bool,
) -> str:
    s = g.schema
    gold = sum(methods.values())
    if gold:
        coverage = (
            f"**Gold covers {gold} of the {sentences} annotated sentences** "
            f"({', '.join(f'{n} {m}' for m, n in sorted(methods.items()))}): unanimous gold "
            "needs at least two annotators who chose the same labels, adjudicated gold a "
            "decision; the other sentences have no gold, and the `majority` and `raw` "
            "configurations have them."
        )
    else:
        coverage = (
            f"**No sentence has gold yet** ({sentences} annotated sentences): the default "
            f"configuration is `{default}`; a `gold` configuration appears after adjudication."
        )
    lines = [
        f"# {s.info.title or s.info.name}",
        "",
        "Sentence-level annotations of news articles for attribution, hedging, opinion "
        "and other cues of source credibility and bias, exported by annotator.",
        "",
        coverage,
        "",
    ]
    if not license_given:
        lines += [
            "**Licence: not stated.** The `license` in this card's header is `unknown`: "
            "replace it with the licence of the texts and the labels before publishing.",
            "",
        ]
    lines += ["## Configurations", ""]
    for name in (*SENTENCE_VIEWS, "articles"):
        if rows[name]:
            mark = " (default)" if name == default else ""
            lines.append(f"- `{name}`{mark}, {rows[name]} rows: {_CONFIG_TEXT[name]}")
        else:
            lines.append(f"- `{name}`: not included, {_empty_reason(name)}.")
    lines += [
        "",
        "In every sentence configuration the labels of a row are in `labels` (a list of "
        "class indices; `features['labels'].feature.names` has the names).",
        "",
        "```python",
        "from datasets import load_dataset",
        f"ds = load_dataset(PATH)                 # the {default} configuration",
    ]
    lines += [f'{n} = load_dataset(PATH, "{n}")' for n in (*SENTENCE_VIEWS, "articles") if rows[n]]
    lines += [
        "```",
        "",
        "## Label schema",
        "",
        f"Schema `{s.info.name}` version {s.info.version} (hash `{s.hash}`), guidelines "
        f"version `{g.version}`. A sentence takes a set of labels; each label is scored "
        "as its own present/absent variable.",
        "",
        "| label | key | definition |",
        "|---|---|---|",
    ]
    lines += [f"| {lab.name} | `{lab.key}` | {_md(lab.description)} |" for lab in s.labels]
    for sf in s.sentence_fields:
        lines += [
            "",
            f"`{sf.name}` ({sf.title}, when {sf.label} is set): "
            + ", ".join(f"`{c.value}` = {c.title}" for c in sf.values)
            + ".",
        ]
    if s.article_fields:
        lines += ["", "Article-level fields:", "", "| field | level | values |", "|---|---|---|"]
        lines += [
            f"| {f.name} | {f.level} | {_md(', '.join(f'{c.value}={c.title}' for c in f.values))} |"
            for f in s.article_fields
        ]
        lines += [
            "",
            "Nominal and ordinal fields are ClassLabel features whose names are the values "
            "in scale order: an ordinal field's class index is its rank.",
        ]
    lines += ["", "## Annotators", ""]
    lines += [
        f"- {_md(a['annotator'])}: {a['confirmed']} sentences confirmed" for a in annotators
    ] or ["- none"]
    lines += [
        "",
        "## Agreement",
        "",
        f"Over {report['sentences']} sentences confirmed by at least one of "
        f"{len(report['annotators'])} annotators. Krippendorff's alpha (nominal) with a "
        f"95% bootstrap interval ({report['bootstrap']['resamples']} resamples over "
        "sentences), Gwet's AC1, Fleiss' kappa (Gwet's generalisation for missing "
        "ratings), observed agreement; `n` counts sentences with two or more "
        "annotators.",
        "",
        "| label | alpha [95% CI] | AC1 | Fleiss | agreement | prevalence | n |",
        "|---|---|---|---|---|---|---|",
    ]
    for la in report["labels"]:
        prev = la["prevalence"]
        lines.append(
            f"| {la['label']} | {_fmt(la['krippendorff_alpha'])} | "
            f"{_fmt(la['gwet_ac1'])} | {_fmt(la['fleiss_kappa'])} | "
            f"{_fmt(la['percent_agreement'])} | "
            f"{'' if prev is None else f'{prev:.2f}'} | {la['pairable_units']} |"
        )
    fields = report["sentence_fields"] + report["article_fields"]
    if fields:
        lines += ["", "| field | level | alpha [95% CI] | n |", "|---|---|---|---|"]
        lines += [
            f"| {f['field']} | {f['level']} | {_fmt(f['krippendorff_alpha'])} | "
            f"{f['pairable_units']} |"
            for f in fields
        ]
    lines += ["", "## How gold was made", ""]
    if methods:
        lines.append(
            f"{gold} sentences have gold: "
            + ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
            + "."
        )
        lines += [
            "",
            "- `unanimous`: every annotator who confirmed the sentence (at least two) "
            "chose the same labels; recorded automatically.",
            "- `adjudicated`: an adjudicator compared the annotators' versions side by "
            "side and decided; `agrees_with` lists the annotators whose version equals "
            "the gold, `note` the reason when one was given.",
        ]
        if adjudicators:
            lines.append(
                "- Adjudicators: "
                + ", ".join(f"{_md(a)} ({n})" for a, n in sorted(adjudicators.items()))
                + "."
            )
    else:
        lines.append("No sentence has gold yet.")
    lines += [
        "",
        "## Source texts",
        "",
        "The sentences are quoted from news articles; their copyright stays with the "
        "publishers. Check the licence of the texts before redistributing this "
        "dataset.",
        "",
    ]
    return "\n".join(lines)
