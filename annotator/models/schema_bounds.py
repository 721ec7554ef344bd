"""Checks of a whole label schema that need none of its models' code: its size, and names
used twice (schema.py holds the models)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.models.schema_places import At

if TYPE_CHECKING:
    from annotator.schema import FieldSpec, LabelSchema

# bounds for a schema adopted now (audit12 F17: 60 labels and a field of 100,000 values were
# adopted, and every command then re-validated them: `status` 4.2 s); keys bound the labels
# and sentence values anyway, these are far above any codebook
MAX_LABELS = 100
MAX_FIELDS = 100  # per group: sentence, article, outlet
MAX_VALUES = 1000  # per field


def bounded(s: LabelSchema) -> None:
    if len(s.labels) > MAX_LABELS:
        raise At(
            ("labels",), f"{len(s.labels)} labels, more than the {MAX_LABELS} a schema may have"
        )
    for group in ("sentence_fields", "article_fields", "outlet_fields"):
        fields: list[FieldSpec] = getattr(s, group)
        if len(fields) > MAX_FIELDS:
            raise At((group,), f"{len(fields)} fields, more than the {MAX_FIELDS} allowed")
        for i, f in enumerate(fields):
            if len(f.values) > MAX_VALUES:
                raise At(
                    (group, i, "values"),
                    f"{len(f.values):,} values, more than the {MAX_VALUES:,} a field may have",
                )


def unique(group: str, values: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        if v in seen:
            raise At((group, i, what), f"{v!r} is already the {what} of {group}[{seen[v] + 1}]")
        seen[v] = i
