"""Feedback after adjudication, without any UI: where an annotator differs from gold (the
review screen) and how far each annotator agrees with gold, per label with intervals (the
agreement screen; `status` may show the same figures: one function for both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.agreement.intervals import clustered_label_report
from annotator.agreement.labels import LabelAgreement
from annotator.agreement.report_json import label_json
from annotator.guidelines import Guidelines
from annotator.models.matrices import LabelMatrix
from annotator.schema import LabelSchema
from annotator.store import articles as arts
from annotator.store import feedback as fb
from annotator.store import team
from annotator.store.database import Store
from annotator.store.feedback import GoldDifference

STAFF = ("adjudicator", "manager")


@dataclass(frozen=True)
class ReviewItem:
    """One sentence where the annotator's confirmed labels are not gold's, with what helps
    to see why: the adjudicator's note and the guideline of each label in dispute."""

    difference: GoldDifference
    disputed: tuple[str, ...]  # labels one side has and the other has not, schema order
    guidelines: tuple[tuple[str, str], ...]  # (label, its guideline section) for `disputed`


def review(store: Store, guidelines: Guidelines, annotator: str) -> list[ReviewItem]:
    """The annotator's differences from gold, in reading order (empty when they have none,
    or no gold yet). Reads only."""
    row = store.one("SELECT id FROM annotators WHERE name = ?", [annotator])
    if row is None:
        return []
    schema = guidelines.schema
    order = {name: i for i, name in enumerate(schema.label_names)}
    owners = {sf.name: sf.label for sf in schema.sentence_fields}
    items = []
    for d in fb.gold_differences(store, int(row[0])):
        disputed = set(d.labels) ^ set(d.gold_labels)
        # a field in dispute (the source type) sends the reader to its label's guideline
        for name, _value in set(d.fields) ^ set(d.gold_fields):
            if name in owners:
                disputed.add(owners[name])
        labels = tuple(sorted(disputed, key=lambda n: (order.get(n, len(order)), n)))
        items.append(
            ReviewItem(
                d,
                labels,
                tuple(
                    (n, guidelines.section(n) or "(no guideline for this label)") for n in labels
                ),
            )
        )
    return items


@dataclass(frozen=True)
class AnnotatorGold:
    """One annotator against gold: per label, the coefficients of the two (annotator, gold)
    over the sentences both have."""

    annotator: str
    sentences: int  # confirmed sentences that have gold
    differ: int  # of them, how many differ from gold in some label
    labels: tuple[LabelAgreement, ...]


def gold_agreement(
    store: Store,
    schema: LabelSchema,
    *,
    annotators: list[str] | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
) -> list[AnnotatorGold]:
    """Agreement of each annotator with gold, per label, with bootstrap 95% intervals.
    Adjudicators and managers (team roles) are not annotators and are left out."""
    labels = schema.label_names
    pairs = fb.gold_pairs(store, labels)
    roles = team.roles(store)
    out = []
    for aid in np.unique(pairs.annotator):
        name = pairs.names.get(int(aid), str(aid))
        if roles.get(name) in STAFF or (annotators and name not in annotators):
            continue
        rows = pairs.annotator == aid
        mine, gold = pairs.mine[rows], pairs.gold[rows]
        # units x (annotator, gold) x labels: every cell is rated, nothing missing
        matrix = LabelMatrix(np.stack([mine, gold], axis=1), tuple(labels), (name, "gold"))
        # whole articles resampled, as `agreement` does (audit8 F10)
        sentences = [int(x) for x in pairs.sentence[rows]]
        clusters = np.asarray(arts.articles_of(store, sentences), dtype=np.int64)
        report, _why = clustered_label_report(
            matrix, clusters, n_resamples=n_resamples, seed=seed, shared="gold", pairwise=False
        )
        out.append(
            AnnotatorGold(name, int(rows.sum()), int((mine != gold).any(axis=1).sum()), report)
        )
    return sorted(out, key=lambda g: g.annotator)


def gold_agreement_json(rows: list[AnnotatorGold]) -> list[dict[str, Any]]:
    return [
        {
            "annotator": g.annotator,
            "sentences": g.sentences,
            "differ_from_gold": g.differ,
            "labels": [label_json(la) for la in g.labels],
        }
        for g in rows
    ]
