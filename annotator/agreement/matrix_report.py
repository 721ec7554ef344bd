"""Every coefficient of one reliability matrix (a CSV from elsewhere), as stable plain data.

The keys are documented in the README and are part of the interface for scripts:
`{"units", "annotators", "pairable_units", "level", "metrics": {...}, "ci95": {...},
"notes": {...}, "input_notes": [...]}`. A coefficient that does not apply or is undefined
is null, and `notes` says why.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.agreement import results as r
from annotator.agreement.alpha import krippendorff_alpha
from annotator.agreement.bootstrap import Statistic, bootstrap_ci
from annotator.agreement.coefficients import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)
from annotator.models.matrices import Level, Ratings

# JSON name -> (function, bootstrap statistic)
_METRICS: tuple[tuple[str, Statistic], ...] = (
    ("krippendorff_alpha", "alpha"),
    ("cohen_kappa", "cohen_kappa"),
    ("scott_pi", "scott_pi"),
    ("fleiss_kappa", "fleiss_kappa"),
    ("gwet_ac1", "gwet_ac1"),
    ("percent_agreement", "percent_agreement"),
)


def _compute(name: str, ratings: Ratings, level: Level) -> r.Coefficient:
    if name == "krippendorff_alpha":
        return krippendorff_alpha(ratings, level=level)
    fn = {
        "cohen_kappa": cohen_kappa,
        "scott_pi": scott_pi,
        "fleiss_kappa": fleiss_kappa,
        "gwet_ac1": gwet_ac1,
        "percent_agreement": percent_agreement,
    }[name]
    return fn(ratings)


def matrix_report(
    ratings: Ratings,
    level: Level,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    input_notes: tuple[str, ...] = (),
) -> dict[str, Any]:
    rated = (ratings.codes >= 0).sum(axis=1)
    n_coders = ratings.codes.shape[1]
    metrics: dict[str, float | None] = {}
    ci95: dict[str, list[float] | None] = {}
    notes: dict[str, str] = {}
    coefficients: dict[str, r.Coefficient] = {}
    for name, stat in _METRICS:
        c = _compute(name, ratings, level)
        coefficients[name] = c
        metrics[name] = c.value  # full double: tables round, JSON does not
        if c.reason:
            notes[name] = c.reason
        ci95[name] = None
        if n_resamples and c.defined:
            ci = bootstrap_ci(ratings, stat, level=level, n_resamples=n_resamples, seed=seed)
            if ci.defined and ci.low is not None and ci.high is not None:
                ci95[name] = [ci.low, ci.high]
            elif ci.reason:
                notes.setdefault(f"{name}_ci95", ci.reason)
    if level != "nominal":
        for name in ("cohen_kappa", "scott_pi", "fleiss_kappa", "gwet_ac1", "percent_agreement"):
            if metrics[name] is not None:
                notes.setdefault(
                    name,
                    f"unweighted: the {level} values are treated as "
                    "nominal categories (only alpha uses the level)",
                )
    alpha = coefficients["krippendorff_alpha"]
    return {
        "units": int((rated >= 1).sum()),
        "annotators": int(n_coders),
        "pairable_units": int((rated >= 2).sum()),
        "pairable_values": int(rated[rated >= 2].sum()),
        "level": level,
        "metrics": metrics,
        "ci95": ci95,
        "observed_disagreement": alpha.observed,
        "expected_disagreement": alpha.expected,
        "categories": [_plain(c) for c in ratings.categories][:50],
        "bootstrap": {"resamples": n_resamples, "seed": seed, "confidence": 0.95},
        "notes": notes,
        "input_notes": list(input_notes),
    }


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value
