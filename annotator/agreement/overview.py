"""Everything the agreement screen shows, computed in one go from plain rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.agreement.report import (
    Confirmation,
    Disagreement,
    FieldValue,
    build_report,
    disagreements,
    pairwise_json,
    report_json,
)
from annotator.schema import LabelSchema


@dataclass(frozen=True)
class AgreementOverview:
    report: dict[str, Any]  # report_json
    pairs: list[dict[str, Any]]  # pairwise_json
    disagreements: list[Disagreement]
    confirmations: dict[int, list[Confirmation]]  # sentence id -> every annotator's marks


def overview(schema: LabelSchema, rows: Sequence[Confirmation], values: Sequence[FieldValue],
             *, annotators: Sequence[str] | None = None, label: str | None = None,
             n_resamples: int = 1000, seed: int = 0, limit: int = 200) -> AgreementOverview:
    rep = build_report(schema, rows, values, annotators=annotators,
                       labels=[label] if label else None, n_resamples=n_resamples, seed=seed)
    found = disagreements(schema, rows, annotators=annotators, label=label, limit=limit)
    wanted = {d.sentence_id for d in found}
    by_sentence: dict[int, list[Confirmation]] = {}
    for c in rows:
        if c.sentence_id in wanted:
            by_sentence.setdefault(c.sentence_id, []).append(c)
    return AgreementOverview(report_json(rep), pairwise_json(rep), found, by_sentence)
