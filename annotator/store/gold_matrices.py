"""Each annotator's confirmed labels beside the gold labels of the same sentences, as the
matrices agreement reads (models.matrices): what a manager sees in `status` as each
annotator's agreement with gold. Only sentences that have gold count."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from numpy.lib.recfunctions import structured_to_unstructured

from annotator.models.matrices import LabelMatrix
from annotator.store.database import Store
from annotator.store.schema_history import labels_lacking, lacking_sql, presence_cells

GOLD = "gold"  # the second coder's name in each matrix


def against_gold(
    store: Store, labels: Sequence[str], annotators: Sequence[str]
) -> dict[str, LabelMatrix]:
    """annotator name -> a LabelMatrix of (that annotator, gold) over the sentences both
    labelled: their confirmed annotation and the gold decision. Annotators without any such
    sentence are left out."""
    if not annotators or not labels:
        return {}
    ids = {
        int(i): str(n)
        for i, n in store.all(
            "SELECT id, name FROM annotators WHERE name IN (SELECT value FROM json_each(?))",
            [json.dumps(list(annotators))],
        )
    }
    annotator_ids = sorted(ids)
    # a label the annotation's schema lacked (added since) is -1 there, missing, not a "no",
    # as in the agreement between annotators (audit12 F6)
    mine, cell_params, joined = presence_cells(store, labels)
    # and so is the gold's, where its schema lacked it: gold decided before the label, or
    # unanimous gold of answers that predate it (audit15b F10: scored as the gold's "no")
    lacking = labels_lacking(store, labels)
    gold_cells = []
    for i, name in enumerate(labels):
        cell, p = lacking_sql(lacking, i, "ge.schema_hash", f"(instr(g.labels, '\"{name}\"') > 0)")
        gold_cells.append(cell)
        cell_params.extend(p)
    gold = ", ".join(gold_cells)
    if lacking:
        joined += " CROSS JOIN events ge ON ge.id = g.event_id"
    width = len(labels)
    # from the gold (the fewer rows) to each sentence's annotations by their primary key:
    # CROSS JOIN keeps that order (scanning every annotation for its gold took 3 s at 1M)
    sql = (
        f"SELECT a.annotator_id, a.sentence_id, {mine}, {gold} FROM gold_annotations g "
        f"CROSS JOIN annotations a ON a.sentence_id = g.sentence_id{joined} "
        f"WHERE a.confirmed = 1 AND a.annotator_id IN ({','.join('?' * len(annotator_ids))})"
    )
    # the cursor's tuples go straight into one structured array: no Python list of rows
    marks = [f"m{i}" for i in range(2 * width)]
    table = np.fromiter(
        store.conn.execute(sql, [*cell_params, *annotator_ids]),
        dtype=[("who", "i8"), ("sentence", "i8")] + [(m, "i1") for m in marks],
    )
    rows = np.column_stack(
        [table["who"], table["sentence"], structured_to_unstructured(table[marks], np.int64)]
    ).reshape(-1, 2 + 2 * width)
    out: dict[str, LabelMatrix] = {}
    for aid in annotator_ids:
        part = rows[rows[:, 0] == aid]
        if not len(part):
            continue
        present = np.stack([part[:, 2 : 2 + width], part[:, 2 + width :]], axis=1)
        out[ids[aid]] = LabelMatrix(
            present.astype(np.int8),
            tuple(labels),
            (ids[aid], GOLD),
            tuple(int(u) for u in part[:, 1]),
        )
    return out
