"""When a bootstrap interval says something, and the reason when it does not: resampling
whole articles needs MIN_INTERVAL_UNITS articles holding a unit two coders rated, resampling
sentences as many such sentences, an article field as many articles with two values (audit7
F22, audit12 F9: intervals from a handful of units read as certainty)."""

from __future__ import annotations

import dataclasses

import numpy as np

from annotator.agreement import results as r
from annotator.agreement.labels import LabelAgreement, label_report
from annotator.agreement.report_json import LABEL_METRICS, MIN_INTERVAL_UNITS
from annotator.models.matrices import LabelMatrix, Ratings


def _pairable(matrix: LabelMatrix) -> np.ndarray:
    """Per unit: rated by two coders or more."""
    return np.asarray(matrix.confirmed.sum(axis=1) >= 2)


def _without_intervals(
    matrix: LabelMatrix, seed: int, reason: str, n_resamples: int, pairwise: bool = True
) -> tuple[LabelAgreement, ...]:
    """label_report's figures with no interval, and why, where a bootstrap was asked."""
    report = label_report(matrix, n_resamples=0, seed=seed, pairwise=pairwise)
    if n_resamples:
        report = tuple(without_interval(la, reason, n_resamples) for la in report)
    return report


def sentence_label_report(
    matrix: LabelMatrix, *, n_resamples: int, seed: int
) -> tuple[tuple[LabelAgreement, ...], str | None]:
    """label_report resampling sentences, or, below MIN_INTERVAL_UNITS sentences two coders
    rated, without intervals and the reason why (also returned): two sentences gave
    "-0.500 [-0.50, -0.50]", certainty from three possible draws (audit12 F9)."""
    pairable = int(_pairable(matrix).sum())
    if pairable >= MIN_INTERVAL_UNITS or not n_resamples:
        report = label_report(matrix, n_resamples=n_resamples, seed=seed)
        return _thin_labels(report, matrix, None, n_resamples), None
    reason = (
        f"no interval: {pairable} sentence(s) two annotators confirmed, and "
        f"resampling sentences needs at least {MIN_INTERVAL_UNITS}"
    )
    return _without_intervals(matrix, seed, reason, n_resamples), reason


def clustered_label_report(
    matrix: LabelMatrix,
    clusters: np.ndarray,
    *,
    n_resamples: int,
    seed: int,
    shared: str,
    instead: str = "",
    pairwise: bool = True,
) -> tuple[tuple[LabelAgreement, ...], str | None]:
    """label_report resampling whole articles (`clusters`: each unit's), or, below
    MIN_INTERVAL_UNITS articles holding a unit two coders rated (`shared` names such a unit),
    without intervals and the reason why (also returned). Only the articles that hold
    agreement at all count (audit8 F5: twelve articles of alice's, three shared with bob,
    passed as twelve)."""
    n = len(np.unique(np.asarray(clusters)[_pairable(matrix)]))
    if n >= MIN_INTERVAL_UNITS:
        report = label_report(
            matrix, n_resamples=n_resamples, seed=seed, clusters=clusters, pairwise=pairwise
        )
        return _thin_labels(report, matrix, clusters, n_resamples), None
    reason = (
        f"no interval: {n} article(s) with {shared}, and resampling whole articles needs at "
        f"least {MIN_INTERVAL_UNITS}{instead}"
    )
    return _without_intervals(matrix, seed, reason, n_resamples, pairwise), reason


def _thin_labels(
    report: tuple[LabelAgreement, ...],
    matrix: LabelMatrix,
    clusters: np.ndarray | None,
    n_resamples: int,
) -> tuple[LabelAgreement, ...]:
    """The report with no interval for a label whose own ratings fall below the minimum
    the report as a whole passed: a label added mid-project is rated only since (audit12
    F6), so twelve articles of work may hold two of it. Where every confirmation rated
    every label, each label's count is the report's, and nothing changes."""
    if not n_resamples:
        return report
    out = []
    for i, la in enumerate(report):
        rated = (matrix.present[:, :, i] >= 0).sum(axis=1) >= 2
        if clusters is None:
            n, what = int(rated.sum()), "sentence(s) two annotators rated it on"
            needs = "resampling sentences"
        else:
            n = len(np.unique(np.asarray(clusters)[rated]))
            what, needs = (
                "article(s) with a sentence two annotators rated it on",
                "resampling whole articles",
            )
        if n < MIN_INTERVAL_UNITS:
            why = f"no interval: {la.label} has {n} {what}, and {needs} needs at least"
            la = without_interval(la, f"{why} {MIN_INTERVAL_UNITS}", n_resamples)
        out.append(la)
    return tuple(out)


def few_articles(ratings: Ratings) -> str | None:
    """Why an article field gets no interval: its units are articles, and resampling fewer
    than MIN_INTERVAL_UNITS of them says nothing (audit7 F22: "0.000 [0.00, 0.00]" from one
    article read as certainty; the dataset card already held them back, `agreement` now
    does too)."""
    pairable = int(((ratings.codes >= 0).sum(axis=1) >= 2).sum())
    if pairable >= MIN_INTERVAL_UNITS:
        return None
    return (
        f"no interval: {pairable} article(s) with two annotators' values, and an interval "
        f"needs at least {MIN_INTERVAL_UNITS}"
    )


def no_interval(reason: str, n_resamples: int) -> r.ConfidenceInterval:
    return r.ConfidenceInterval(None, None, 0.95, n_resamples, 0, reason)


def without_interval(la: LabelAgreement, reason: str, n_resamples: int) -> LabelAgreement:
    """The label's figures with no interval, and why, for each defined coefficient."""
    none = no_interval(reason, n_resamples)
    changes = {
        key: dataclasses.replace(c, ci=none)
        for key in LABEL_METRICS
        if (c := getattr(la, key)).value is not None
    }
    return dataclasses.replace(la, **changes)
