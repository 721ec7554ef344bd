"""`annotator agreement --by schema`: the label report once per schema version, each scored
with that version's own labels and fields, read from the schema stored under its hash
(audit12 F11: every version was scored with today's labels, so a renamed or dropped label's
old figure could not be had, and a label added later was an "unused" row of the old round).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from annotator.agreement.report import build_report
from annotator.agreement.report_json import report_json
from annotator.cli.agreement_output import scope_notes
from annotator.models.schema_errors import SchemaError
from annotator.schema import LabelSchema
from annotator.store import reliability
from annotator.store.database import Store
from annotator.store.schema_history import stored_schema


def by_schema(
    store: Store,
    schema: LabelSchema,
    *,
    names: list[str] | None,
    label: str | None,
    scope: reliability.Scope,
    n_resamples: int,
    seed: int,
    resample: str,
) -> list[dict[str, Any]]:
    """One entry per schema version of the confirmed annotations, oldest first. `schema`
    (the adopted one) scores a version the database holds no schema for. With `label`, a
    version without that label reports no label, and says so."""
    data: list[dict[str, Any]] = []
    for sv in reliability.schema_versions(store, calibration=scope.calibration):
        notes: list[str] = []
        try:
            own = stored_schema(store, sv.hash)
        except SchemaError as e:  # stored valid; say so rather than fail the whole command
            own, why = None, f": {e}"
        else:
            why = ": the database does not hold it"
        if own is None:
            notes.append(f"scored with the adopted schema's labels, not this version's{why}")
            own = schema
        labels: list[str] | None = None
        if label is not None:
            labels = [label] if label in own.label_names else []
            if not labels:
                notes.append(f"no label {label} in this version")
        part = reliability.agreement_data(
            store, own, annotators=names, scope=replace(scope, schema_hash=sv.hash)
        )
        rep = report_json(
            build_report(
                own, part, labels=labels, n_resamples=n_resamples, seed=seed, resample=resample
            )
        )
        rep["notes"] = [*notes, *rep["notes"]]
        scope_notes(rep, part.excluded, scope.calibration)
        data.append(
            {
                "schema_hash": sv.hash,
                "name": sv.name,
                "version": sv.version,
                "added_at": sv.added_at,
                "annotations": sv.annotations,
                "report": rep,
            }
        )
    return data
