"""Everything the agreement screen shows, computed in one go from the agreement data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotator.agreement.report import Disagreement, build_report, disagreements
from annotator.agreement.report_json import pairwise_json, report_json
from annotator.models.matrices import AgreementData
from annotator.schema import LabelSchema


@dataclass(frozen=True)
class AgreementOverview:
    report: dict[str, Any]  # report_json
    pairs: list[dict[str, Any]]  # pairwise_json
    disagreements: list[Disagreement]


def overview(
    schema: LabelSchema,
    data: AgreementData,
    *,
    label: str | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
    limit: int = 200,
) -> AgreementOverview:
    rep = build_report(
        schema, data, labels=[label] if label else None, n_resamples=n_resamples, seed=seed
    )
    return AgreementOverview(
        report_json(rep),
        pairwise_json(rep),
        disagreements(
            data,
            label=label,
            limit=limit,
            field_labels={sf.name: sf.label for sf in schema.sentence_fields},
        ),
    )
