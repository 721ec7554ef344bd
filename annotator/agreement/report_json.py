"""The agreement report as plain data, for JSON and CSV: every coefficient with its
interval (or why it has none), per label, field and pair, and the small-sample warning the
tables and the dataset card print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.agreement import results as r
from annotator.agreement.labels import LabelAgreement

if TYPE_CHECKING:  # report.py imports this module (LABEL_METRICS)
    from annotator.agreement.report import AgreementReport, FieldAgreement


NOT_BOOTSTRAPPED = (
    "no interval: this coefficient is a point estimate (the bootstrap resamples the "
    "per-label report only)"
)


def coefficient_json(c: r.Coefficient, no_interval: str | None = None) -> dict[str, Any]:
    """Full doubles: scripts compare with R or Python references (Fleiss' 1971 example is
    0.4302445, not 0.430245); the tables round for people. `no_interval`: why a defined
    value has no ci95, for a coefficient that is never bootstrapped (ci95 null never goes
    without a reason)."""
    ci = c.ci
    ci95 = None if ci is None or ci.low is None or ci.high is None else [ci.low, ci.high]
    reason = c.reason or (ci.reason if ci is not None and ci.reason else None)
    if ci95 is None and reason is None and c.value is not None:
        reason = no_interval
    return {"value": c.value, "ci95": ci95, "reason": reason, "units": c.n_units}


LABEL_METRICS = (
    "alpha",
    "gwet_ac1",
    "fleiss_kappa",
    "percent_agreement",
    "positive_agreement",
    "negative_agreement",
)
JSON_METRIC_NAMES = {
    "alpha": "krippendorff_alpha",
    "gwet_ac1": "gwet_ac1",
    "fleiss_kappa": "fleiss_kappa",
    "percent_agreement": "percent_agreement",
    "positive_agreement": "positive_specific_agreement",
    "negative_agreement": "negative_specific_agreement",
}


# per article: no bootstrap (an article is a small sample); said, as every null ci95 is
# (audit12 F17: `--by article` gave ci95 null, reason null)
PER_ARTICLE = (
    "no interval: per-article figures are not bootstrapped (one article is a small sample)"
)


def label_json(la: LabelAgreement, no_interval: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "label": la.label,
        "pairable_units": la.n_pairable_units,
        "pairable_ratings": la.n_pairable_ratings,
        "prevalence": la.prevalence,
    }
    for key in LABEL_METRICS:
        out[JSON_METRIC_NAMES[key]] = coefficient_json(getattr(la, key), no_interval)
    return out


def field_json(fa: FieldAgreement) -> dict[str, Any]:
    return {
        "field": fa.field,
        "title": fa.title,
        "level": fa.level,
        "scope": fa.scope,
        "units": fa.n_units,
        "pairable_units": fa.n_pairable_units,
        "krippendorff_alpha": coefficient_json(fa.alpha),
    }


def report_json(rep: AgreementReport) -> dict[str, Any]:
    return {
        "annotators": list(rep.annotators),
        "sentences": rep.n_sentences,
        "articles": rep.n_articles,
        "bootstrap": {
            "resamples": rep.n_resamples,
            "seed": rep.seed,
            "confidence": 0.95,
            "method": (
                "percentile, resampling whole articles with replacement (a cluster "
                "bootstrap: each draw takes every sentence of the article; article fields "
                "resample articles)"
                if rep.resample == "article"
                else "percentile, resampling sentences (articles for article fields) with "
                "replacement"
            ),
            "resampled": rep.resample,
        },
        "labels": [label_json(la) for la in rep.labels],
        "masi_alpha": {
            **coefficient_json(rep.masi, NOT_BOOTSTRAPPED),
            "formula": "Krippendorff's alpha with MASI distance 1 - J*M over "
            "label sets (Passonneau 2006)",
        },
        "sentence_fields": [field_json(f) for f in rep.sentence_fields],
        "article_fields": [field_json(f) for f in rep.article_fields],
        # the small-sample warning too, where scripts read the notes (audit12 F9: only the
        # table said it)
        "notes": [*rep.notes, *_small_sample_note(rep)],
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
                    out.append(
                        {
                            "label": la.label,
                            "annotator_a": a,
                            "annotator_b": b,
                            "cohen_kappa": coefficient_json(pk.cells[i][j], NOT_BOOTSTRAPPED),
                        }
                    )
    return out


SMALL_SAMPLE = 50  # sentences
# pairable units below which a bootstrap interval is not shown (the dataset card), and the
# fewest articles a cluster bootstrap resamples (report.py): fewer say nothing
MIN_INTERVAL_UNITS = 10


def small_sample(data: dict[str, Any]) -> str | None:
    """A warning when the figures rest on too little to mean much (a report's JSON)."""
    n, arts = data.get("sentences", 0), data.get("articles", 0)
    if n < SMALL_SAMPLE or arts < 3:
        return (
            f"small sample: {n} sentences in {arts} article(s); intervals are wide and "
            "figures on one or two articles describe those articles, not the guidelines"
        )
    return None


def _small_sample_note(rep: AgreementReport) -> list[str]:
    warning = small_sample({"sentences": rep.n_sentences, "articles": rep.n_articles})
    return [warning] if warning else []
