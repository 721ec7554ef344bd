"""A label schema as the database stores it (schemas, schema_labels, the active hash), in
plain values: written from a parsed schema (schemas.py) or from the bundled guidelines'
digest (bundled_schema.py), which needs no pydantic."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from annotator.store.database import Store, now

if TYPE_CHECKING:
    from annotator.schema import LabelSchema


class LabelRow(NamedTuple):
    name: str
    key: str
    title: str
    description: str
    color: str
    exclusive: bool


def label_rows(s: LabelSchema) -> list[LabelRow]:
    """The schema_labels rows of `s`, in its order (its title or the name, its colour)."""
    return [
        LabelRow(
            lab.name,
            lab.key,
            lab.title or lab.name.title(),
            lab.description,
            s.color(lab.name),
            lab.exclusive,
        )
        for lab in s.labels
    ]


class StoredSchema(NamedTuple):
    hash: str
    name: str
    version: str
    labels_toml: str
    guidelines_md: str
    schema_json: str
    labels: list[LabelRow]


def save_schema(store: Store, s: StoredSchema) -> None:
    """Store `s` (or, when its hash is stored already, its guidelines text) and make it the
    project's active schema."""
    with store.write() as conn:
        row = conn.execute("SELECT id FROM schemas WHERE hash = ?", [s.hash]).fetchone()
        if row is None:
            cur = conn.execute(
                "INSERT INTO schemas (hash, name, version, labels_toml, guidelines_md, "
                "schema_json, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [s.hash, s.name, s.version, s.labels_toml, s.guidelines_md, s.schema_json, now()],
            )
            conn.executemany(
                "INSERT INTO schema_labels (schema_id, position, name, key, title, description,"
                " color, exclusive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (cur.lastrowid, i, *lab[:5], int(lab.exclusive))
                    for i, lab in enumerate(s.labels)
                ],
            )
        else:
            # same labels; the prose may have been edited
            conn.execute(
                "UPDATE schemas SET guidelines_md = ? WHERE hash = ?", [s.guidelines_md, s.hash]
            )
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('schema_hash', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [s.hash],
        )
