"""What an annotator's work looks like against gold: the rows behind `annotator review` and
per-annotator agreement with gold (annotator/feedback.py computes from these)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.lib.recfunctions import structured_to_unstructured

from annotator.store import answers
from annotator.store.database import Store


@dataclass(frozen=True)
class GoldDifference:
    """A confirmed sentence where the annotator's labels or fields differ from gold."""

    sentence_id: int
    article_id: int
    article: str  # external id
    title: str | None
    position: int
    text: str
    labels: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]
    gold_labels: tuple[str, ...]
    gold_fields: tuple[tuple[str, str], ...]
    method: str
    adjudicator: str | None
    note: str | None


def _pairs(fields: dict[str, object]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in fields.items()))


def gold_differences(store: Store, annotator_id: int) -> list[GoldDifference]:
    """Every confirmed sentence of this annotator whose labels or fields are not gold's,
    in reading order (one indexed join: annotations by annotator, gold by sentence)."""
    out: list[GoldDifference] = []
    # both as the adopted schema reads them: no feedback on a label it dropped, nor on a
    # field value whose label it dropped (audit12 F2: "gold: CONFLICT CLAIM" after CLAIM
    # was dropped)
    how = answers.reading(store)
    for row in store.all(
        "SELECT a.sentence_id, ar.external_id, ar.title, s.position, s.text, a.labels, "
        "a.fields, g.labels, g.fields, g.method, n.name, g.note, a.article_id "
        "FROM annotations a JOIN gold_annotations g ON g.sentence_id = a.sentence_id "
        "JOIN sentences s ON s.id = a.sentence_id JOIN articles ar ON ar.id = a.article_id "
        "LEFT JOIN annotators n ON n.id = g.adjudicator_id "
        "WHERE a.annotator_id = ? AND a.confirmed = 1 ORDER BY a.sentence_id",
        [annotator_id],
    ):
        labels, mine = answers.read_answer(how, row[5], row[6])
        gold_labels, theirs = answers.read_answer(how, row[7], row[8])
        fields, gold_fields = _pairs(mine), _pairs(theirs)
        if set(labels) == set(gold_labels) and fields == gold_fields:
            continue
        out.append(
            GoldDifference(
                int(row[0]),
                int(row[12]),
                str(row[1]),
                None if row[2] is None else str(row[2]),
                int(row[3]),
                str(row[4]),
                labels,
                fields,
                gold_labels,
                gold_fields,
                str(row[9]),
                None if row[10] is None else str(row[10]),
                None if row[11] is None else str(row[11]),
            )
        )
    return out


@dataclass(frozen=True, eq=False)
class GoldPairs:
    """Each confirmed annotation that has gold, as label presence beside gold's: the arrays
    per-annotator agreement with gold is computed from."""

    annotator: np.ndarray  # annotator id of each row
    sentence: np.ndarray  # sentence id of each row
    mine: np.ndarray  # rows x labels, 0/1
    gold: np.ndarray  # rows x labels, 0/1
    names: dict[int, str]


def gold_pairs(store: Store, labels: Sequence[str]) -> GoldPairs:
    """Label presence of every confirmed annotation beside its sentence's gold. Labels are
    the schema's UPPER_SNAKE names (validated), safe inside a SQL literal."""
    mine = ", ".join(f"instr(a.labels, '\"{name}\"') > 0" for name in labels)
    gold = ", ".join(f"instr(g.labels, '\"{name}\"') > 0" for name in labels)
    columns = [f"m{i}" for i in range(len(labels))] + [f"g{i}" for i in range(len(labels))]
    row_type = np.dtype([("annotator", "i8"), ("sentence", "i8")] + [(c, "i1") for c in columns])
    rows = np.fromiter(
        store.conn.execute(
            f"SELECT a.annotator_id, a.sentence_id, {mine}, {gold} FROM annotations a "
            "JOIN gold_annotations g ON g.sentence_id = a.sentence_id "
            "WHERE a.confirmed = 1 ORDER BY a.annotator_id, a.sentence_id"
        ),
        dtype=row_type,
    )
    n = len(labels)
    both = (
        structured_to_unstructured(rows[columns], dtype=np.int8)
        if len(rows)
        else np.zeros((0, 2 * n), dtype=np.int8)
    )
    names = {int(i): str(nm) for i, nm in store.all("SELECT id, name FROM annotators")}
    return GoldPairs(rows["annotator"], rows["sentence"], both[:, :n], both[:, n:], names)
