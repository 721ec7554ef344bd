"""What the agreement screen shows, read and computed in one call: the session layer's
service for it, so the TUI never queries the store.

Called from a thread worker: it opens its own connection to the database file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.agreement.overview import AgreementOverview, overview
from annotator.feedback import gold_agreement, gold_agreement_json
from annotator.models.gold import Version
from annotator.schema import LabelSchema
from annotator.store import reliability
from annotator.store.database import open_store
from annotator.store.gold_queue import versions


@dataclass(frozen=True)
class AgreementView:
    overview: AgreementOverview
    contexts: dict[int, dict[str, object]]  # per disputed sentence: article, position, text
    versions: dict[int, list[Version]]  # per disputed sentence: each annotator's version
    gold: list[dict[str, Any]] = field(default_factory=list)  # feedback.gold_agreement_json


def agreement_view(
    db_path: Path,
    schema: LabelSchema,
    *,
    annotators: Sequence[str] | None = None,
    label: str | None = None,
    article_id: int | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
) -> AgreementView:
    """The report, the pairs, the most disputed sentences with their context, and each
    annotator's agreement with gold (per label, with intervals). Raises
    StoreError (annotator.models.errors) when the database cannot be read."""
    with open_store(db_path) as store:
        data = reliability.agreement_data(
            store, schema, annotators=annotators, article_id=article_id
        )
        view = overview(schema, data, label=label, n_resamples=n_resamples, seed=seed)
        ids = [d.sentence_id for d in view.disagreements]
        gold = gold_agreement(
            store, schema, annotators=list(annotators or []), n_resamples=n_resamples, seed=seed
        )
        return AgreementView(
            view,
            reliability.sentence_context(store, ids),
            versions(store, annotators=annotators, sentence_ids=ids),
            gold_agreement_json(gold),
        )
