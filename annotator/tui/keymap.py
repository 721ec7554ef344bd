"""Label keys come from the schema: binding slots with ids, remapped with `App.set_keymap`.

Textual re-applies the keymap to every binding of the screen on each key press, so a screen
declares only as many slots as its schema needs (`slot_bindings`): with 34 spare slots the
dispatch of a key took ~0.5 ms longer.
"""

from __future__ import annotations

from textual.binding import Binding

from annotator.schema import LabelSchema


def field_slot_values(schema: LabelSchema) -> list[str]:
    """The keys of sentence-field values (the source type's 1-4), in slot order."""
    return [c.key for sf in schema.sentence_fields for c in sf.values if c.key]


def schema_keymap(schema: LabelSchema) -> dict[str, str]:
    keymap = {f"label.{i}": lab.key for i, lab in enumerate(schema.labels)}
    for i, key in enumerate(field_slot_values(schema)):
        keymap[f"field.{i}"] = key
    return keymap


def slot_bindings(schema: LabelSchema, *, fields: bool = True) -> list[Binding]:
    """Placeholder bindings with ids label.N (and field.N), which `schema_keymap` maps.
    Each says what it does (the label's name, the field's value): the Keys panel (ctrl+p,
    Keys) lists them, and listed them blank (audit9a F7)."""
    out = [
        Binding(
            f"annotator-label-slot-{i}",
            f"toggle_slot({i})",
            lab.name,
            show=False,
            id=f"label.{i}",
        )
        for i, lab in enumerate(schema.labels)
    ]
    if fields:
        values = [(sf, c) for sf in schema.sentence_fields for c in sf.values if c.key]
        out += [
            Binding(
                f"annotator-field-slot-{i}",
                f"field_slot({i})",
                f"{sf.title}: {c.value}",
                show=False,
                id=f"field.{i}",
            )
            for i, (sf, c) in enumerate(values)
        ]
    return out
