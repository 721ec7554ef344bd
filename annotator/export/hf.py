"""A folder that `datasets.load_dataset(PATH)` loads with proper label classes.

JSON Lines data files plus a README.md dataset card whose YAML header declares the configs
(gold, the default; raw; articles) and their features: labels as a sequence of ClassLabel,
the source type and nominal article fields as ClassLabel. No pyarrow is needed to write it.
The card documents the schema, the guidelines version, the annotators, the agreement per
label and how gold was made.
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
from annotator.export.formats import ExportResult, Progress, sentence_stream
from annotator.export.target import write_manifest
from annotator.guidelines import Guidelines
from annotator.ingest.layout import KINDS
from annotator.schema import FieldSpec, LabelSchema
from annotator.store import exporting, reliability
from annotator.store.database import Store


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid ones)."""
    return json.dumps(text, ensure_ascii=False)


def _class_label(names: list[str], indent: str) -> list[str]:
    lines = [f"{indent}class_label:", f"{indent}  names:"]
    lines += [f"{indent}    {_q(str(i))}: {_q(n)}" for i, n in enumerate(names)]
    return lines


def _feature(name: str, kind: str, indent: str, names: list[str] | None = None) -> list[str]:
    head = f"{indent}- name: {_q(name)}"
    if kind == "labels":
        return [head, f"{indent}  sequence:", *_class_label(names or [], indent + "    ")]
    if kind == "class":
        return [head, f"{indent}  dtype:", *_class_label(names or [], indent + "    ")]
    if kind == "strings":
        return [head, f"{indent}  sequence: string"]
    return [head, f"{indent}  dtype: {kind}"]


def _field_feature(f: FieldSpec, name: str, indent: str) -> list[str]:
    if f.level == "nominal":
        return _feature(name, "class", indent, [str(c.value) for c in f.values])
    if f.level == "text":
        return _feature(name, "string", indent)
    return _feature(name, "int32", indent)


def _configs(schema: LabelSchema, files: dict[str, str]) -> list[tuple[str, str, list[list[str]]]]:
    labels = list(schema.label_names)
    sent_fields = [(sf.name, [str(c.value) for c in sf.values]) for sf in schema.sentence_fields]
    ind = "  "
    common = [
        _feature("id", "string", ind),
        _feature("article_id", "string", ind),
        _feature("position", "int32", ind),
        _feature("paragraph", "int32", ind),
        _feature("kind", "class", ind, list(KINDS)),
        _feature("start", "int32", ind),
        _feature("end", "int32", ind),
        _feature("text", "string", ind),
        _feature("labels", "labels", ind, labels),
    ]
    common += [_feature(n, "class", ind, vals) for n, vals in sent_fields]
    gold = [
        *common,
        _feature("gold_method", "string", ind),
        _feature("adjudicator", "string", ind),
        _feature("agrees_with", "strings", ind),
        _feature("note", "string", ind),
        _feature("n_annotators", "int32", ind),
        _feature("flesch_kincaid_grade", "float32", ind),
    ]
    raw = [
        *common,
        _feature("annotator", "string", ind),
        _feature("comment", "string", ind),
        _feature("confirmed_at", "string", ind),
    ]
    art = [
        _feature("id", "string", ind),
        _feature("title", "string", ind),
        _feature("outlet", "string", ind),
        _feature("author", "string", ind),
        _feature("published", "string", ind),
        _feature("url", "string", ind),
        _feature("flesch_kincaid_grade", "float32", ind),
    ]
    art += [_field_feature(f, f.name, ind) for f in schema.article_fields]
    art += [_feature("annotations_json", "string", ind)]
    return [
        ("gold", files["gold"], gold),
        ("raw", files["raw"], raw),
        ("articles", files["articles"], art),
    ]


def _yaml_header(schema: LabelSchema, files: dict[str, str]) -> str:
    lines = ["---", "configs:"]
    configs = _configs(schema, files)
    for name, path, _f in configs:
        lines += [
            f"- config_name: {name}",
            "  data_files:",
            "  - split: train",
            f"    path: {path}",
        ]
        if name == "gold":
            lines.append("  default: true")
    lines.append("dataset_info:")
    for name, _path, features in configs:
        lines += [f"- config_name: {name}", "  features:"]
        for feat in features:
            lines += ["  " + ln for ln in feat]
    lines += ["task_categories:", "- text-classification", "language:", "- en", "---"]
    return "\n".join(lines) + "\n"


def _sentence_row(
    s: dict[str, Any], labels: list[str], fields: dict[str, str], schema: LabelSchema
) -> dict[str, Any]:
    row = {
        k: s[k]
        for k in ("id", "article_id", "position", "paragraph", "kind", "start", "end", "text")
    }
    row["labels"] = [lab for lab in labels if lab in schema.label_names]
    for sf in schema.sentence_fields:
        row[sf.name] = fields.get(sf.name)
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

    def __enter__(self) -> _DataFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, row: dict[str, Any]) -> None:
        data = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        self.digest.update(data)
        self.fh.write(data)

    def finish(self) -> str:
        """Rename to config-DIGEST.jsonl; the path relative to the dataset folder."""
        name = f"{self.config}-{self.digest.hexdigest()[:16]}.jsonl"
        self.path.rename(self.folder / name)
        return f"{self.folder.name}/{name}"


def write_hf(
    store: Store,
    guidelines: Guidelines,
    out: Path,
    *,
    everything: bool = False,
    progress: Progress = lambda n: None,
) -> ExportResult:
    schema = guidelines.schema
    result = ExportResult()
    methods: Counter[str] = Counter()
    adjudicators: Counter[str] = Counter()
    with atomic_dir(out) as tmp:
        (tmp / "data").mkdir()
        with _DataFile(tmp / "data", "gold") as gold_fh, _DataFile(tmp / "data", "raw") as raw_fh:
            for r, _art in sentence_stream(store, everything, progress):
                s = rec_mod.decoded(r)
                anns = [json.loads(a) for a in r.annotations]
                for a in anns:
                    row = _sentence_row(s, a["labels"], a["fields"], schema)
                    row.update(
                        annotator=a["annotator"],
                        comment=a["comment"],
                        confirmed_at=a["confirmed_at"],
                    )
                    raw_fh.write(row)
                if r.gold:
                    g = json.loads(r.gold)
                    row = _sentence_row(s, g["labels"], g["fields"], schema)
                    row.update(
                        gold_method=g["method"],
                        adjudicator=g["adjudicator"],
                        agrees_with=g["agrees_with"],
                        note=g["note"],
                        n_annotators=len(anns),
                        flesch_kincaid_grade=s["flesch_kincaid_grade"],
                    )
                    gold_fh.write(row)
                    methods[g["method"]] += 1
                    if g["adjudicator"]:
                        adjudicators[g["adjudicator"]] += 1
                    result.records += 1
        files = {"gold": gold_fh.finish(), "raw": raw_fh.finish()}
        with _DataFile(tmp / "data", "articles") as fh:
            for a in exporting.articles(store):
                row = {
                    k: a[k]
                    for k in (
                        "id",
                        "title",
                        "outlet",
                        "author",
                        "published",
                        "url",
                        "flesch_kincaid_grade",
                    )
                }
                for f in schema.article_fields:
                    row[f.name] = a["gold"].get(f.name, {}).get("value")
                row["annotations_json"] = json.dumps(
                    {
                        "annotators": a["annotations"],
                        "gold": a["gold"],
                        "outlet": a["outlet_fields"],
                    },
                    ensure_ascii=False,
                )
                fh.write(row)
        files["articles"] = fh.finish()
        report = report_json(build_report(schema, reliability.agreement_data(store, schema)))
        card = _yaml_header(schema, files) + _card(
            guidelines, report, methods, adjudicators, exporting.annotator_summary(store)
        )
        (tmp / "README.md").write_text(card, encoding="utf-8")
        write_manifest(tmp, __version__)  # marks the folder as ours: a later export replaces it
    result.files.append(out)
    if not result.records:
        result.notes.append(
            "no sentence has gold yet: the gold configuration is empty "
            "(adjudicate first, or use the raw configuration)"
        )
    return result


def _fmt(c: dict[str, Any]) -> str:
    if c.get("value") is None:
        return f"undefined ({c.get('reason')})"
    ci = c.get("ci95")
    return f"{c['value']:.3f}" + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def _md(text: object) -> str:
    """Table-cell safe text."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _card(
    g: Guidelines,
    report: dict[str, Any],
    methods: Counter[str],
    adjudicators: Counter[str],
    annotators: list[dict[str, Any]],
) -> str:
    s = g.schema
    lines = [
        f"# {s.info.title or s.info.name}",
        "",
        "Sentence-level annotations of news articles for attribution, hedging, opinion "
        "and other cues of source credibility and bias, exported by annotator.",
        "",
        "## Configurations",
        "",
        "- `gold` (default): one row per sentence that has a gold label set, with its "
        "provenance (`gold_method`, `adjudicator`, `agrees_with`, `note`).",
        "- `raw`: one row per (sentence, annotator): every annotator's confirmed labels, "
        "for reproducing the agreement figures.",
        "- `articles`: article metadata and the gold article-level judgements; every "
        "annotator's values are in `annotations_json`.",
        "",
        "```python",
        "from datasets import load_dataset",
        "gold = load_dataset(PATH)            # the gold configuration",
        'raw = load_dataset(PATH, "raw")',
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
            f"{sum(methods.values())} sentences have gold: "
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
