"""The dataset card of an hf export (README.md): the YAML header `datasets` reads
(configurations, features, licence, sizes, languages) and the text that documents the
schema, the annotators, the agreement per label and how gold was made."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from annotator.agreement.report_json import MIN_INTERVAL_UNITS, small_sample
from annotator.export.hf_features import SENTENCE_VIEWS, article_features, sentence_features
from annotator.guidelines import Guidelines
from annotator.schema import LabelSchema

# the name of the schema in guidelines/labels.toml, which the card can describe
BUNDLED_SCHEMA = "news-credibility"

# the Hub's licence identifier for "not stated": the card asks the user to replace it
LICENSE_PLACEHOLDER = "unknown"


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


def size_category(n: int) -> str:
    """The Hub's size_categories bucket for n rows."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")]
    bounds += [(1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]
    for bound, name in bounds:
        if n < bound:
            return name
    return "100M<n<1B"


def empty_reason(view: str, annotated: int = 0) -> str:
    """Why configuration `view` has no rows (`annotated`: sentences with a confirmed
    annotation)."""
    if view == "gold":
        return "no sentence has gold yet (adjudicate first: annotator adjudicate)"
    if view == "articles":
        return "the database has no articles"
    if view == "majority" and annotated:
        return f"the annotators split on every annotated sentence ({split_note(annotated)})"
    return "no sentence has a confirmed annotation yet"


def yaml_header(
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
        # the Hub's terms: articles in several languages, each in one
        "multilinguality": ["multilingual" if len(languages) > 1 else "monolingual"],
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


def _fmt(c: dict[str, Any], units: int | None = None) -> str:
    """A coefficient for the card: undefined with its reason; on one pairable unit
    undefined too (alpha is 0 there whatever the values: its disagreement expected and
    observed are the same); its interval only from MIN_INTERVAL_UNITS units (audit7 F22:
    "0.000 [0.00, 0.00]" from one unit read as certainty)."""
    if c.get("value") is None:
        return f"undefined ({c.get('reason')})"
    if units is not None and units < 2:
        return "undefined (one unit)"
    ci = c.get("ci95")
    if ci and (units is None or units >= MIN_INTERVAL_UNITS):
        return f"{c['value']:.3f} [{ci[0]:.2f}, {ci[1]:.2f}]"
    return f"{c['value']:.3f}" + (f" (no interval: {units} units)" if ci else "")


def _md(text: object) -> str:
    """Table-cell safe text; markup characters as entities, so that a schema's description
    is shown, not run, by a Markdown viewer that renders HTML (audit12 F17: a `<script>`
    went into the card raw)."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", " ")
    )


_CONFIG_TEXT = {
    "gold": "one row per sentence that has gold labels, with their provenance "
    "(`gold_method`, `adjudicator`, `agrees_with`, `note`, `decided_at`).",
    "majority": "one row per annotated sentence to which more than half of its annotators "
    "who could give a label gave it: the labels they chose (`votes` counts each label's "
    "annotators, `raters` those who had it in their guidelines: all `n_annotators` but for "
    "a label added after some of them confirmed the sentence).",
    "raw": "one row per (sentence, annotator): every annotator's confirmed labels, for "
    "reproducing the agreement figures; `origins` says where each label came from "
    "(`typed`, or `suggestion:SOURCE@VERSION`: a suggestion the annotator accepted).",
    "articles": "article metadata, the gold article-level judgements (with "
    "`gold_provenance`), every annotator's values (`annotations`) and the outlet's fields.",
}


def split_note(n: int) -> str:
    """The annotated sentences the majority configuration leaves out (audit9b F1)."""
    return (
        f"{n} annotated sentence{'s' * (n != 1)} on which the annotators split (no label "
        "chosen by more than half) left out: a row with no label would be a negative example "
        "nobody gave"
    )


def card_text(
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
    dropped: dict[str, tuple[int, int]] | None = None,
) -> str:
    """The card; `dropped`: labels the adopted guidelines dropped that answers or gold
    carry, with (annotations, gold decisions) each (exporting.labels_outside)."""
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
        # the bundled schema's subject; another schema's labels are its own (audit12 F18)
        "Sentence-level annotations of news articles for attribution, hedging, opinion "
        "and other cues of source credibility and bias, exported by annotator."
        if s.info.name == BUNDLED_SCHEMA
        else f"Sentence-level annotations of news articles with the {len(s.labels)} labels "
        "below, exported by annotator.",
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
            text = _CONFIG_TEXT[name]
            if name == "majority" and sentences > rows[name]:
                text += f" {split_note(sentences - rows[name])}."
            lines.append(f"- `{name}`{mark}, {rows[name]} rows: {text}")
        else:
            lines.append(f"- `{name}`: not included, {empty_reason(name, sentences)}.")
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
    if dropped:
        # audit15b F7: said only on the exporting terminal; the dataset's readers see this
        said = "; ".join(
            f"{label} ({n} annotation{'s' * (n != 1)}, {k} gold decision{'s' * (k != 1)})"
            for label, (n, k) in dropped.items()
        )
        lines += [
            "",
            f"Labels dropped from the guidelines, left out of this dataset: {said}. An "
            "answer whose only label it was has an empty `labels` list (its annotator "
            "confirmed the sentence: none of these labels applies); a gold decision whose "
            "only label it was is not here.",
        ]
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
        f"95% bootstrap interval ({report['bootstrap']['resamples']} resamples "
        + (
            "of whole articles, each with all its sentences: sentences of one article are "
            "not independent; no interval below 10 articles"
            if report["bootstrap"].get("resampled") == "article"
            else "of sentences"
        )
        + "), Gwet's AC1, Fleiss' kappa (Gwet's generalisation for missing "
        "ratings), observed agreement; `n` counts sentences with two or more "
        "annotators.",
        "",
        "| label | alpha [95% CI] | AC1 | Fleiss | agreement | prevalence | n |",
        "|---|---|---|---|---|---|---|",
    ]
    warning = small_sample(report)
    if warning:
        lines[-2:-2] = [f"Note: {warning}.", ""]
    for note in report["notes"]:
        if " was added to the guidelines after " in note:
            # audit12 F6: the readers of a dataset see the card; its `labels` lists cannot
            # say "never rated"
            lines[-2:-2] = [
                f"Note: {note}. In this dataset's `labels` lists such an answer lacks the "
                'label: read that as unknown, not as "no".',
                "",
            ]
    for la in report["labels"]:
        prev = la["prevalence"]
        lines.append(
            f"| {la['label']} | {_fmt(la['krippendorff_alpha'], la['pairable_units'])} | "
            f"{_fmt(la['gwet_ac1'])} | {_fmt(la['fleiss_kappa'])} | "
            f"{_fmt(la['percent_agreement'])} | "
            f"{'' if prev is None else f'{prev:.2f}'} | {la['pairable_units']} |"
        )
    fields = report["sentence_fields"] + report["article_fields"]
    if fields:
        lines += ["", "| field | level | alpha [95% CI] | n |", "|---|---|---|---|"]
        lines += [
            f"| {f['field']} | {f['level']} | "
            f"{_fmt(f['krippendorff_alpha'], f['pairable_units'])} | "
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
