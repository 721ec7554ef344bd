"""The agreement report of a project: per label, per field, per article, per pair, and the
sentences annotators disagree on most. Pure: it takes arrays the store fills (AgreementData)
and the schema, and returns dataclasses the CLI prints and the TUI draws."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.agreement import intervals
from annotator.agreement import results as r
from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_ci
from annotator.agreement.intervals import (
    clustered_label_report,
    few_articles,
    sentence_label_report,
)
from annotator.agreement.labels import LabelAgreement, label_report, masi_alpha
from annotator.agreement.ratings import ratings_from_rows
from annotator.models.matrices import AgreementData, FieldValue, LabelMatrix, Ratings, as_level
from annotator.schema import FieldSpec, LabelSchema


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
    score: float  # mean over labels of the minority share of annotators (0.5: an even split)
    labels_disputed: tuple[str, ...]
    n_annotators: int


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
    resample: str = "article"  # what the sentence-level intervals resample (RESAMPLE)


def select_labels(matrix: LabelMatrix, labels: Sequence[str] | None) -> LabelMatrix:
    """The matrix of `labels` only (None: all of them; empty: none)."""
    if labels is None:
        return matrix
    index = [matrix.labels.index(x) for x in labels]
    return LabelMatrix(matrix.present[:, :, index], tuple(labels), matrix.coders, matrix.units)


# What the intervals of sentence-level figures resample: whole articles (the cluster
# bootstrap: sentences of one article are not independent, audit7 F22) or sentences.
RESAMPLE = ("article", "sentence")


def _field_agreement(
    name: str,
    title: str,
    level: str,
    scope: str,
    ratings: Ratings,
    n_resamples: int,
    seed: int,
    clusters: np.ndarray | None = None,
    no_interval: str | None = None,
) -> FieldAgreement:
    lvl = as_level("nominal" if level == "text" else level)
    alpha = krippendorff_alpha(ratings, level=lvl)
    if n_resamples and alpha.defined:
        ci = (
            intervals.no_interval(no_interval, n_resamples)
            if no_interval
            else bootstrap_ci(
                ratings, "alpha", level=lvl, n_resamples=n_resamples, seed=seed, clusters=clusters
            )
        )
        alpha = dataclasses.replace(alpha, ci=ci)
    rated = (ratings.codes >= 0).sum(axis=1)
    return FieldAgreement(
        name, title, lvl, scope, alpha, int((rated >= 1).sum()), int((rated >= 2).sum())
    )


def article_field_ratings(
    spec: FieldSpec, values: Sequence[FieldValue], coders: Sequence[str]
) -> Ratings:
    cells: dict[Hashable, dict[str, Any]] = defaultdict(dict)
    for v in values:
        if v.field == spec.name and v.annotator in coders and v.value is not None:
            cells[v.article_id][v.annotator] = v.value
    cats = (
        [x.value for x in spec.values]
        if spec.values
        else sorted({str(x) for d in cells.values() for x in d.values()})
    )
    units = sorted(cells, key=str)
    return ratings_from_rows(
        [[cells[u].get(c) for c in coders] for u in units],
        categories=list(cats),
        coders=tuple(coders),
        units=tuple(units),
    )


def build_report(
    schema: LabelSchema,
    data: AgreementData,
    *,
    labels: Sequence[str] | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
    resample: str = "article",
) -> AgreementReport:
    """Agreement per label (each label present/absent over confirmed sentences), per
    sentence field (over sentences where both annotators set the owning label), and per
    article field at the level the schema declares. The intervals of the sentence-level
    figures resample whole articles (`resample="article"`, the default) or sentences."""
    if resample not in RESAMPLE:
        raise ValueError(f"resample must be one of {', '.join(RESAMPLE)}, got {resample!r}")
    coders = data.coders
    matrix = select_labels(data.matrix, labels)
    rated = data.matrix.confirmed.any(axis=1)
    n_articles = len(np.unique(data.articles[rated]))
    clusters = data.articles if resample == "article" else None
    if clusters is not None:
        per_label, too_few = clustered_label_report(
            matrix,
            clusters,
            n_resamples=n_resamples,
            seed=seed,
            shared="a sentence two annotators confirmed",
            instead=" (--bootstrap-by sentence resamples sentences)",
        )
    else:
        per_label, too_few = sentence_label_report(matrix, n_resamples=n_resamples, seed=seed)
    notes = []
    if len(coders) < 2:
        notes.append(f"only {len(coders)} annotator: agreement needs at least two")
    notes += added_label_notes(data, matrix.labels)
    sentence_fields = [
        _field_agreement(
            sf.name,
            sf.title,
            sf.level,
            "sentence",
            data.sentence_fields[sf.name],
            n_resamples,
            seed + 1000 + i,
            _clusters_of(data, data.sentence_fields[sf.name]) if clusters is not None else None,
            too_few,
        )
        for i, sf in enumerate(schema.sentence_fields)
    ]
    article_fields = [
        _field_agreement(
            af.name,
            af.title,
            af.level,
            "article",
            ratings,
            n_resamples,
            seed + 2000 + i,
            no_interval=few_articles(ratings),
        )
        for i, af in enumerate(schema.article_fields)
        for ratings in [article_field_ratings(af, data.field_values, coders)]
    ]
    return AgreementReport(
        annotators=coders,
        n_sentences=int(rated.sum()),
        n_articles=n_articles,
        labels=per_label,
        masi=masi_alpha(matrix),
        sentence_fields=tuple(sentence_fields),
        article_fields=tuple(article_fields),
        n_resamples=n_resamples,
        seed=seed,
        notes=notes,
        resample=resample,
    )


def added_label_notes(data: AgreementData, labels: Sequence[str]) -> list[str]:
    """One note per label added to the guidelines after some of the confirmations: they
    are not ratings of it, and its figures rest on the others (audit12 F6: they were
    scored as annotators who said "no", with no word of it)."""
    total = int(data.matrix.confirmed.sum())
    return [
        f"{label} was added to the guidelines after {n} of the {total} confirmations here: "
        f'those are not ratings of {label} (missing, not "absent"), and its figures rest '
        "on the confirmations made under a schema that had it (`--by schema` scores each "
        "version with its own labels)"
        for label, n in data.unrated.items()
        if label in labels
    ]


def _clusters_of(data: AgreementData, ratings: Ratings) -> np.ndarray | None:
    """Each rated sentence's article, for a sentence field's ratings (None if a sentence is
    not among the label matrix's, which cannot happen: a field needs its label)."""
    units = np.asarray(data.matrix.units, dtype=np.int64)
    wanted = np.asarray(ratings.units, dtype=np.int64)
    if not wanted.size:
        return np.zeros(0, dtype=np.int64)
    rows = np.searchsorted(units, wanted)
    if (rows >= len(units)).any() or (units[np.minimum(rows, len(units) - 1)] != wanted).any():
        return None
    return np.asarray(data.articles)[rows]


def by_article(
    data: AgreementData, *, labels: Sequence[str] | None = None
) -> list[ArticleAgreement]:
    """Per article, the per-label coefficients (no bootstrap: articles are small samples)."""
    matrix = select_labels(data.matrix, labels)
    out = []
    order = np.argsort(data.articles, kind="stable")
    bounds = np.flatnonzero(np.diff(data.articles[order])) + 1
    for rows in np.split(order, bounds) if order.size else []:
        sub = LabelMatrix(
            matrix.present[rows],
            matrix.labels,
            matrix.coders,
            tuple(matrix.units[i] for i in rows) if matrix.units else (),
        )
        pairable = int((sub.confirmed.sum(axis=1) >= 2).sum())
        out.append(
            ArticleAgreement(
                int(data.articles[rows[0]]),
                pairable,
                label_report(sub, n_resamples=0, pairwise=False),
                masi_alpha(sub),
            )
        )
    return out


def disagreements(
    data: AgreementData,
    *,
    label: str | None = None,
    limit: int = 20,
    field_labels: Mapping[str, str] | None = None,
) -> list[Disagreement]:
    """Sentences confirmed by two or more annotators, most disputed first.

    The score of a sentence is the mean, over the labels and the sentence fields (the source
    type), of the minority share of its annotators (0 when all agree; 0.5 when a label
    splits them evenly); with `label`, only that label (and the fields that belong to it, or
    only the field of that name). A sentence field is disputed where two or more annotators
    set it to different values: every field the report scores is reachable from here.
    """
    field_names = [
        name
        for name in data.sentence_fields
        if label is None or label == name or label == (field_labels or {}).get(name)
    ]
    labels = [label] if label and label in data.matrix.labels else None
    matrix = select_labels(data.matrix, labels) if label is None or labels else None
    present = data.matrix.present
    if not present.size:
        return []
    n = data.matrix.confirmed.sum(axis=1)  # annotators who confirmed each sentence
    names: list[str] = []
    shares: list[np.ndarray] = []  # per disputed column: minority share of each unit
    if matrix is not None:
        yes = (matrix.present == 1).sum(axis=1)  # units x labels
        # of those who rated the label: a confirmation from before it was added did not
        # (audit12 F6)
        raters = (matrix.present >= 0).sum(axis=1)
        minority = np.minimum(yes, raters - yes)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(raters > 0, minority / np.maximum(raters, 1), 0.0)
        names += list(matrix.labels)
        shares += [share[:, i] for i in range(share.shape[1])]
    for name in field_names:
        names.append(name)
        shares.append(_field_minority(data, name, n))
    if not shares:
        return []
    table = np.stack(shares, axis=1)  # units x disputed columns
    score = table.mean(axis=1)
    candidates = np.flatnonzero((n >= 2) & (table.max(axis=1) > 0))
    # most disputed first; more annotators first on ties; then corpus order
    order = candidates[np.lexsort((candidates, -n[candidates], -score[candidates]))]
    if limit:
        order = order[:limit]
    return [
        Disagreement(
            int(data.matrix.units[u]),
            int(data.articles[u]),
            float(score[u]),
            tuple(names[i] for i in np.flatnonzero(table[u] > 0)),
            int(n[u]),
        )
        for u in order
    ]


def _field_minority(data: AgreementData, name: str, n: np.ndarray) -> np.ndarray:
    """Per unit of the label matrix: the share of its annotators outside the most common
    value of a sentence field, among those who set it (0 where fewer than two set it)."""
    out = np.zeros(len(n), dtype=float)
    ratings = data.sentence_fields[name]
    if not ratings.n_units or not ratings.n_coders:
        return out
    codes = ratings.codes
    rated = (codes >= 0).sum(axis=1)
    top = np.zeros(len(codes), dtype=np.int64)
    for c in range(len(ratings.categories)):
        top = np.maximum(top, (codes == c).sum(axis=1))
    minority = rated - top
    units = np.asarray(data.matrix.units)
    rows = np.searchsorted(units, np.asarray(ratings.units))
    ok = (rows < len(units)) & (rated >= 2)
    ok[ok] &= units[rows[ok]] == np.asarray(ratings.units)[ok]
    out[rows[ok]] = minority[ok] / np.maximum(n[rows[ok]], 1)
    return out
