"""The agreement report of a project: per label, per field, per article, per pair, and the
sentences annotators disagree on most. Pure: it takes plain rows (as the store returns them)
and the schema, and returns dataclasses the CLI prints and the TUI draws."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.agreement import results as r
from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_ci
from annotator.agreement.labels import (
    LabelAgreement,
    label_matrix_from_sets,
    label_report,
    masi_alpha,
)
from annotator.agreement.ratings import Ratings, ratings_from_rows
from annotator.schema import LabelSchema


@dataclass(frozen=True)
class Confirmation:
    """One annotator's confirmed annotation of one sentence."""

    sentence_id: int
    article_id: int
    annotator: str
    labels: tuple[str, ...]
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FieldValue:
    """One annotator's value of an article-level field."""

    article_id: int
    annotator: str
    field: str
    value: Any


@dataclass(frozen=True)
class FieldAgreement:
    """Krippendorff's alpha of one field (article-level or sentence-level) at its level."""

    field: str
    title: str
    level: str
    scope: str  # "article" or "sentence"
    alpha: r.Coefficient
    n_units: int  # units with at least one value
    n_pairable_units: int


@dataclass(frozen=True)
class Disagreement:
    sentence_id: int
    article_id: int
    score: float  # share of labels on which the annotators differ, weighted by split size
    labels_disputed: tuple[str, ...]
    by_annotator: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ArticleAgreement:
    article_id: int
    n_pairable_units: int
    labels: tuple[LabelAgreement, ...]
    masi: r.Coefficient


@dataclass
class AgreementReport:
    annotators: tuple[str, ...]
    n_sentences: int  # sentences confirmed by at least one of the annotators
    n_articles: int
    labels: tuple[LabelAgreement, ...]
    masi: r.Coefficient
    sentence_fields: tuple[FieldAgreement, ...]
    article_fields: tuple[FieldAgreement, ...]
    n_resamples: int
    seed: int
    notes: list[str] = field(default_factory=list)


def _coders(confirmations: Sequence[Confirmation], values: Sequence[FieldValue],
            annotators: Sequence[str] | None) -> tuple[str, ...]:
    if annotators:
        return tuple(annotators)
    return tuple(sorted({c.annotator for c in confirmations} | {v.annotator for v in values}))


def _label_matrix(confirmations: Sequence[Confirmation], labels: Sequence[str],
                  coders: Sequence[str]):  # type: ignore[no-untyped-def]
    index = {c: i for i, c in enumerate(coders)}
    by_unit: dict[int, list[tuple[str, ...] | None]] = {}
    for c in confirmations:
        if c.annotator not in index:
            continue
        row = by_unit.setdefault(c.sentence_id, [None] * len(coders))
        row[index[c.annotator]] = tuple(x for x in c.labels if x in labels)
    units = sorted(by_unit)
    return label_matrix_from_sets([by_unit[u] for u in units], labels, coders=tuple(coders),
                                  units=tuple(units)), units


def _field_ratings(cells: dict[Hashable, dict[str, Any]], coders: Sequence[str],
                   categories: Sequence[Any]) -> Ratings:
    units = sorted(cells, key=str)
    rows = [[cells[u].get(c) for c in coders] for u in units]
    return ratings_from_rows(rows, categories=list(categories), coders=tuple(coders),
                             units=tuple(units))


def _field_agreement(name: str, title: str, level: str, scope: str, ratings: Ratings,
                     n_resamples: int, seed: int) -> FieldAgreement:
    lvl = "nominal" if level == "text" else level
    alpha = krippendorff_alpha(ratings, level=lvl)  # type: ignore[arg-type]
    if n_resamples and alpha.defined:
        ci = bootstrap_ci(ratings, "alpha", level=lvl, n_resamples=n_resamples,  # type: ignore[arg-type]
                          seed=seed)
        alpha = r.Coefficient(alpha.name, alpha.value, alpha.reason, alpha.n_units,
                              alpha.n_values, alpha.observed, alpha.expected, ci)
    rated = (ratings.codes >= 0).sum(axis=1)
    return FieldAgreement(name, title, lvl, scope, alpha, int((rated >= 1).sum()),
                          int((rated >= 2).sum()))


def build_report(schema: LabelSchema, confirmations: Sequence[Confirmation],
                 values: Sequence[FieldValue], *, annotators: Sequence[str] | None = None,
                 labels: Sequence[str] | None = None, n_resamples: int = 1000,
                 seed: int = 0) -> AgreementReport:
    """Agreement per label (each label present/absent over confirmed sentences), per
    sentence field (over sentences where both annotators set the owning label), and per
    article field at the level the schema declares."""
    coders = _coders(confirmations, values, annotators)
    names = tuple(labels) if labels else schema.label_names
    matrix, units = _label_matrix(confirmations, names, coders)
    per_label = label_report(matrix, n_resamples=n_resamples, seed=seed)
    notes = []
    if len(coders) < 2:
        notes.append(f"only {len(coders)} annotator: agreement needs at least two")

    sentence_fields = []
    for i, sf in enumerate(schema.sentence_fields):
        cells: dict[Hashable, dict[str, Any]] = defaultdict(dict)
        for c in confirmations:
            if c.annotator in coders and sf.label in c.labels:
                v = dict(c.fields).get(sf.name)
                if v is not None:
                    cells[c.sentence_id][c.annotator] = v
        ratings = _field_ratings(cells, coders, [str(x.value) for x in sf.values])
        sentence_fields.append(_field_agreement(sf.name, sf.title, sf.level, "sentence",
                                                ratings, n_resamples, seed + 1000 + i))
    article_fields = []
    for i, af in enumerate(schema.article_fields):
        cells = defaultdict(dict)
        for v in values:
            if v.field == af.name and v.annotator in coders and v.value is not None:
                cells[v.article_id][v.annotator] = v.value
        cats = [x.value for x in af.values] if af.values else sorted(
            {str(x) for d in cells.values() for x in d.values()})
        ratings = _field_ratings(cells, coders, cats)
        article_fields.append(_field_agreement(af.name, af.title, af.level, "article",
                                               ratings, n_resamples, seed + 2000 + i))
    articles = {c.article_id for c in confirmations if c.annotator in coders}
    return AgreementReport(
        annotators=coders, n_sentences=len(units), n_articles=len(articles),
        labels=per_label, masi=masi_alpha(matrix), sentence_fields=tuple(sentence_fields),
        article_fields=tuple(article_fields), n_resamples=n_resamples, seed=seed, notes=notes)


def by_article(schema: LabelSchema, confirmations: Sequence[Confirmation], *,
               annotators: Sequence[str] | None = None,
               labels: Sequence[str] | None = None) -> list[ArticleAgreement]:
    """Per article, the per-label coefficients (no bootstrap: articles are small samples)."""
    coders = _coders(confirmations, (), annotators)
    names = tuple(labels) if labels else schema.label_names
    grouped: dict[int, list[Confirmation]] = defaultdict(list)
    for c in confirmations:
        grouped[c.article_id].append(c)
    out = []
    for article_id in sorted(grouped):
        matrix, _units = _label_matrix(grouped[article_id], names, coders)
        rated = (matrix.present[:, :, 0] >= 0).sum(axis=1) if matrix.present.size else []
        out.append(ArticleAgreement(
            article_id, int(sum(1 for n in rated if n >= 2)),
            label_report(matrix, n_resamples=0, pairwise=False), masi_alpha(matrix)))
    return out


def disagreements(schema: LabelSchema, confirmations: Sequence[Confirmation], *,
                  annotators: Sequence[str] | None = None, label: str | None = None,
                  limit: int = 20) -> list[Disagreement]:
    """Sentences confirmed by two or more annotators, most disputed first.

    The score of a sentence is the mean over labels of the minority share of its annotators
    (0 when all agree; 0.5 when a label splits them evenly); with `label`, only that label.
    """
    coders = _coders(confirmations, (), annotators)
    names = (label,) if label else schema.label_names
    by_sentence: dict[int, list[Confirmation]] = defaultdict(list)
    for c in confirmations:
        if c.annotator in coders:
            by_sentence[c.sentence_id].append(c)
    out = []
    for sid, group in by_sentence.items():
        if len(group) < 2:
            continue
        disputed = []
        total = 0.0
        for name in names:
            n_yes = sum(1 for c in group if name in c.labels)
            minority = min(n_yes, len(group) - n_yes)
            if minority:
                disputed.append(name)
                total += minority / len(group)
        if not disputed:
            continue
        out.append(Disagreement(
            sid, group[0].article_id, total / len(names), tuple(disputed),
            tuple(sorted((c.annotator, c.labels) for c in group))))
    out.sort(key=lambda d: (-d.score, -len(d.by_annotator), d.sentence_id))
    return out[:limit] if limit else out


# --- plain data for JSON and CSV ------------------------------------------------------------


def coefficient_json(c: r.Coefficient) -> dict[str, Any]:
    ci = c.ci
    return {
        "value": None if c.value is None else round(c.value, 6),
        "ci95": None if ci is None or ci.low is None or ci.high is None
        else [round(ci.low, 6), round(ci.high, 6)],
        "reason": c.reason or (ci.reason if ci is not None and ci.reason else None),
        "units": c.n_units,
    }


LABEL_METRICS = ("alpha", "gwet_ac1", "fleiss_kappa", "percent_agreement",
                 "positive_agreement", "negative_agreement")
JSON_METRIC_NAMES = {"alpha": "krippendorff_alpha", "gwet_ac1": "gwet_ac1",
                     "fleiss_kappa": "fleiss_kappa", "percent_agreement": "percent_agreement",
                     "positive_agreement": "positive_specific_agreement",
                     "negative_agreement": "negative_specific_agreement"}


def label_json(la: LabelAgreement) -> dict[str, Any]:
    out: dict[str, Any] = {"label": la.label, "pairable_units": la.n_pairable_units,
                           "pairable_ratings": la.n_pairable_ratings,
                           "prevalence": None if la.prevalence is None
                           else round(la.prevalence, 6)}
    for key in LABEL_METRICS:
        out[JSON_METRIC_NAMES[key]] = coefficient_json(getattr(la, key))
    return out


def field_json(fa: FieldAgreement) -> dict[str, Any]:
    return {"field": fa.field, "title": fa.title, "level": fa.level, "scope": fa.scope,
            "units": fa.n_units, "pairable_units": fa.n_pairable_units,
            "krippendorff_alpha": coefficient_json(fa.alpha)}


def report_json(rep: AgreementReport) -> dict[str, Any]:
    return {
        "annotators": list(rep.annotators),
        "sentences": rep.n_sentences,
        "articles": rep.n_articles,
        "bootstrap": {"resamples": rep.n_resamples, "seed": rep.seed, "confidence": 0.95,
                      "method": "percentile, resampling sentences (articles for article "
                                "fields) with replacement"},
        "labels": [label_json(la) for la in rep.labels],
        "masi_alpha": {**coefficient_json(rep.masi),
                       "formula": "Krippendorff's alpha with MASI distance 1 - J*M over "
                                  "label sets (Passonneau 2006)"},
        "sentence_fields": [field_json(f) for f in rep.sentence_fields],
        "article_fields": [field_json(f) for f in rep.article_fields],
        "notes": rep.notes,
    }


def pairwise_json(rep: AgreementReport) -> list[dict[str, Any]]:
    out = []
    for la in rep.labels:
        pk = la.pairwise_kappa
        if pk is None:
            continue
        for i, a in enumerate(pk.coders):
            for j, b in enumerate(pk.coders):
                if i < j:
                    out.append({"label": la.label, "annotator_a": a, "annotator_b": b,
                                "cohen_kappa": coefficient_json(pk.cells[i][j])})
    return out
