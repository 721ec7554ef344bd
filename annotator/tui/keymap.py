"""Label keys come from the schema: binding slots with ids, remapped with `App.set_keymap`."""

from __future__ import annotations

from annotator.schema import LabelSchema

LABEL_SLOTS = 24
FIELD_SLOTS = 10


def field_slot_values(schema: LabelSchema) -> list[str]:
    """The keys of sentence-field values (the source type's 1-4), in slot order."""
    return [c.key for sf in schema.sentence_fields for c in sf.values if c.key]


def schema_keymap(schema: LabelSchema) -> dict[str, str]:
    if len(schema.labels) > LABEL_SLOTS:
        raise ValueError(f"the annotation screen takes at most {LABEL_SLOTS} labels")
    keymap = {f"label.{i}": lab.key for i, lab in enumerate(schema.labels)}
    for i, key in enumerate(field_slot_values(schema)[:FIELD_SLOTS]):
        keymap[f"field.{i}"] = key
    return keymap
