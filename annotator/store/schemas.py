"""The label schema kept in the database, so every annotator of a project uses the same one.

The first command that needs a schema stores the default guidelines (or the folder given with
--guidelines). Later commands use the stored one unless --guidelines names another, which is
then stored and becomes active; events record the schema hash they were made under.
"""

from __future__ import annotations

from pathlib import Path

from annotator.guidelines import Guidelines, load_guidelines
from annotator.schema import parse_schema
from annotator.store.database import Store, StoreError
from annotator.store.schema_rows import StoredSchema, label_rows, save_schema
from annotator.store.schema_values import refuse_dropped_values, refuse_new_exclusive
from annotator.store.suggestion_drop import drop_other_labels


def active_guidelines(store: Store) -> Guidelines | None:
    row = store.one(
        "SELECT s.labels_toml, s.guidelines_md FROM settings st "
        "JOIN schemas s ON s.hash = st.value WHERE st.key = 'schema_hash'"
    )
    if row is None:
        return None
    return Guidelines(
        schema=parse_schema(row[0], "labels.toml (stored in the database)", stored=True),
        markdown=row[1],
        source="database",
        toml=row[0],
    )


def _save(store: Store, g: Guidelines, toml_text: str) -> None:
    s = g.schema
    save_schema(
        store,
        StoredSchema(
            s.hash,
            s.info.name,
            s.info.version,
            toml_text,
            g.markdown,
            s.canonical_json(),
            label_rows(s),
        ),
    )


def use_guidelines(
    store: Store, folder: Path | None = None, *, drop_labels: bool = False
) -> tuple[Guidelines, str | None]:
    """The guidelines to work with, and a message if the stored ones changed.

    With `folder`, that folder's guidelines become the project's; without, the stored ones
    are used, or the defaults the first time. Guidelines that leave out a label the
    database's annotations or gold use are refused (DroppedLabels) unless `drop_labels`.
    """
    active = active_guidelines(store)
    if folder is None and active is not None:
        return active, None
    g = load_guidelines(folder)
    # the text that was validated, not a second read that could find another file
    toml_text = g.toml
    if active is not None and active.schema.hash == g.schema.hash and active.markdown == g.markdown:
        return active, None
    if store.read_only:  # used for this command, not stored: nothing can be
        return g, f"{store.path} is read-only: using {g.source}'s guidelines without storing them"
    dropped = _dropped_uses(store, active, g) if active is not None else []
    if dropped and not drop_labels:
        raise DroppedLabels(
            f"{g.source}'s guidelines leave out labels in use: {'; '.join(dropped)}: exports "
            "and agreement would no longer count them"
            f"{_renamed_hint(active, g, dropped) if active is not None else ''}; keep them in "
            "labels.toml (to rename a label, keep its name and change its title: a new "
            "name is a new label, and --drop-labels leaves the old one's answers out), or "
            "adopt anyway with `annotator --drop-labels --guidelines DIR ...`; nothing changed"
        )
    if active is not None:
        # whatever --drop-labels says: stored values outside a field's scale break agreement
        # and the hf export (audit12 F3)
        refuse_dropped_values(store, active.schema, g.schema)
        refuse_new_exclusive(store, active.schema, g.schema)
    _save(store, g, toml_text)
    if active is None:
        msg = None
    elif active.schema.hash == g.schema.hash:
        msg = f"updated the guidelines text from {g.source}"
    else:
        msg = (
            f"label schema changed: {active.schema.info.name} {active.schema.info.version}"
            f" ({active.schema.hash}) -> {g.schema.info.name} {g.schema.info.version} "
            f"({g.schema.hash}); earlier events keep the hash they were made under"
        )
        if dropped:
            # said when it happens, not first at the next export (audit12 F17)
            msg += f"; dropped labels in use: {'; '.join(dropped)} (every export leaves them out)"
        # a label the new schema lacks keeps no suggestion (audit15a F9)
        gone = drop_other_labels(store, g.schema.label_names)
        if gone:
            msg += f"; {gone} suggestion{'s' * (gone != 1)} of labels it lacks removed"
    return g, msg


class DroppedLabels(StoreError):
    """Guidelines that leave out labels the database uses: not adopted."""


def _dropped_uses(store: Store, active: Guidelines, new: Guidelines) -> list[str]:
    """The labels `new` leaves out that answers, gold or drafts carry, each with its uses.
    Adopting such guidelines is refused (audit7 F15: it was silent, and the exports then
    disagreed: csv, hf and spacy-jsonl dropped the label, jsonl kept it) unless asked with
    --drop-labels, and then said. Label Studio refuses a labelling config that removes
    labels in use; INCEpTION warns before deleting a tag in use."""
    gone = [lab for lab in active.schema.label_names if lab not in new.schema.label_names]
    if not gone:
        return []
    uses = []
    for label in gone:
        counts = [
            store.scalar(
                f"SELECT count(*) FROM {table} t WHERE EXISTS "  # our table and column names
                f"(SELECT 1 FROM json_each(t.{column}) j WHERE j.value = ?)",
                [label],
            )
            # an unconfirmed change too: the next Enter confirms it as it stands (audit12 F13)
            for table, column in (
                ("annotations", "labels"),
                ("gold_annotations", "labels"),
                ("annotations", "draft_labels"),
            )
        ]
        if any(counts):
            n, gold, drafts = (int(c or 0) for c in counts)
            uses.append(
                f"{label} ({n} annotation{'s' * (n != 1)}, {gold} gold decision{'s' * (gold != 1)}"
                + (f", {drafts} unconfirmed change{'s' * (drafts != 1)}" if drafts else "")
                + ")"
            )
    return uses


def _renamed_hint(active: Guidelines, new: Guidelines, dropped: list[str]) -> str:
    """Name the likely renames (a new label on a dropped label's key), which --drop-labels
    would lose (audit12 F1: the commonest guideline edit, CLAIM -> ASSERTION on the same
    key, had its 110 annotations dropped, and the refusal offered only keep or drop)."""
    in_use = {d.split(" ", 1)[0] for d in dropped}  # "LOADED (3 annotations, ...)"
    old_keys = {lab.key: lab.name for lab in active.schema.labels if lab.name in in_use}
    pairs = [
        f"{lab.name} has {old_keys[lab.key]}'s key {lab.key}"
        for lab in new.schema.labels
        if lab.name not in active.schema.label_names and lab.key in old_keys
    ]
    return f" ({'; '.join(pairs)}: a rename?)" if pairs else ""
