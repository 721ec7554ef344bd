"""Guidelines that leave out a field, or a value of a field, that answers use: not adopted
(audit12 F3, F4). A renamed or removed value ("crime" -> "justice") was adopted with only
"label schema changed", and then agreement and the hf export ended in a traceback on the
stored "crime" (article fields), or hf wrote a ClassLabel the data broke and `datasets`
could not load (sentence fields); a removed field kept its values in jsonl and lost them in
csv and hf. Label Studio refuses a labelling config that removes choices in use.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from annotator.schema import FieldSpec, LabelSchema
from annotator.store.database import Store, StoreError


class DroppedValues(StoreError):
    """Guidelines that leave out fields or field values that answers use: not adopted."""


def _allowed(spec: FieldSpec | None) -> frozenset[Any] | None:
    """The values a field takes in the new schema; None when any (a text field)."""
    if spec is None:
        return frozenset()
    if spec.level == "text":
        return None
    return frozenset(c.value for c in spec.values)


def _changed(old: list[Any], new: list[Any]) -> dict[str, frozenset[Any] | None]:
    """The fields of `old` that `new` leaves out or narrows: name -> what `new` allows."""
    by_name = {f.name: f for f in new}
    out: dict[str, frozenset[Any] | None] = {}
    for f in old:
        allowed = _allowed(by_name.get(f.name))
        was = _allowed(f)
        if allowed is not None and (was is None or not was <= allowed):
            out[f.name] = allowed
    return out


def refuse_dropped_values(store: Store, old: LabelSchema, new: LabelSchema) -> None:
    """Raise DroppedValues naming each field and value in use that `new` leaves out, with
    how many answers and gold decisions hold it; nothing is read when no field narrowed."""
    groups = (
        ("sentence", _changed(old.sentence_fields, new.sentence_fields)),
        ("article", _changed(old.article_fields, new.article_fields)),
        ("outlet", _changed(old.outlet_fields, new.outlet_fields)),
    )
    if not any(changed for _g, changed in groups):
        return
    uses: Counter[tuple[str, str, str]] = Counter()  # (field, value shown, where) -> count

    def count(field: str, value: Any, allowed: frozenset[Any] | None, where: str, n: int) -> None:
        if allowed is not None and value not in allowed:
            shown = "(the field)" if not allowed else repr(value)
            uses[(field, shown, where)] += n

    for group, changed in groups:
        if not changed:
            continue
        if group == "sentence":
            for table, where in (("annotations", "answer"), ("gold_annotations", "gold decision")):
                for field, value, n in store.all(
                    # (our table names)
                    f"SELECT j.key, j.value, count(*) FROM {table} t, json_each(t.fields) j "
                    "GROUP BY j.key, j.value"
                ):
                    if str(field) in changed:
                        count(str(field), value, changed[str(field)], where, int(n))
            continue
        tables = (
            (("article_annotations", "answer"), ("gold_article_fields", "gold decision"))
            if group == "article"
            else (("outlet_annotations", "answer"),)
        )
        for table, where in tables:
            for field, raw, n in store.all(
                f"SELECT field, value, count(*) FROM {table} GROUP BY field, value"  # ours
            ):
                if str(field) in changed:
                    count(str(field), json.loads(raw), changed[str(field)], where, int(n))
    if not uses:
        return
    said: dict[tuple[str, str], list[str]] = {}
    for (field, shown, where), n in sorted(uses.items()):
        said.setdefault((field, shown), []).append(f"{n} {where}{'s' * (n != 1)}")
    listed = "; ".join(
        (f"the field {field}" if shown == "(the field)" else f"{field} value {shown}")
        + f" ({', '.join(counts)})"
        for (field, shown), counts in said.items()
    )
    raise DroppedValues(
        f"the new guidelines leave out fields or values in use: {listed}: agreement and the "
        "exports could not place them; keep them in labels.toml (a value no longer offered "
        "can stay, described as retired), or change those answers first; nothing changed"
    )


def refuse_new_exclusive(store: Store, old: LabelSchema, new: LabelSchema) -> None:
    """Raise DroppedValues when `new` makes a label exclusive that answers give with other
    labels (audit12 F5: adopted with only "label schema changed"; the exports then broke
    the schema, and our own raw export no longer imported: "CONFLICT is exclusive")."""
    was = {lab.name for lab in old.labels if lab.exclusive}
    made = [lab.name for lab in new.labels if lab.exclusive and lab.name not in was]
    uses = []
    for label in made:
        n, gold = (
            int(
                store.scalar(
                    f"SELECT count(*) FROM {table} t WHERE json_array_length(t.labels) > 1 "
                    "AND EXISTS (SELECT 1 FROM json_each(t.labels) j WHERE j.value = ?)",
                    [label],
                )
                or 0
            )
            for table in ("annotations", "gold_annotations")  # our table names
        )
        if n or gold:
            uses.append(
                f"{label} ({n} annotation{'s' * (n != 1)}, {gold} gold decision{'s' * (gold != 1)})"
            )
    if uses:
        raise DroppedValues(
            f"the new guidelines make labels exclusive that answers give with other labels: "
            f"{'; '.join(uses)}: those answers would break the schema in every export; keep "
            "the label not exclusive, or change those answers first; nothing changed"
        )
