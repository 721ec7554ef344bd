"""The label names of the stored schemas, read without parsing a schema (no pydantic): for
code that runs where loading the guidelines would cost (suggestions at import, an export's
helper process)."""

from __future__ import annotations

from annotator.store.database import Store


def adopted_label_names(store: Store) -> frozenset[str]:
    """The label names of the schema the project works with now (empty: none stored yet)."""
    return frozenset(
        str(r[0])
        for r in store.all(
            "SELECT l.name FROM schema_labels l JOIN schemas s ON s.id = l.schema_id "
            "JOIN settings st ON st.key = 'schema_hash' AND st.value = s.hash"
        )
    )


def every_label_name(store: Store) -> frozenset[str]:
    """The label names of every schema the project has had."""
    return frozenset(str(r[0]) for r in store.all("SELECT DISTINCT name FROM schema_labels"))


def adopted_hash(store: Store) -> str | None:
    """The hash of the schema the project works with now (None: none stored yet)."""
    row = store.one("SELECT value FROM settings WHERE key = 'schema_hash'")
    return str(row[0]) if row is not None else None


def dropped_names(store: Store) -> tuple[frozenset[str], frozenset[str]]:
    """The label names and sentence field names of the project's earlier schemas that the
    adopted one does not have: dropped (with --drop-labels) or renamed since. A file of work
    done before then holds them (import-labels --drop-labels, audit15b F6)."""
    adopted = adopted_hash(store)
    if adopted is None:
        return frozenset(), frozenset()
    every: set[str] = set()
    kept: set[str] = set()
    for schema_hash, name in store.all(
        "SELECT s.hash, json_extract(sf.value, '$.name') FROM schemas s, "
        "json_each(s.schema_json, '$.sentence_fields') sf"
    ):
        (kept if schema_hash == adopted else every).add(str(name))
    labels = every_label_name(store) - adopted_label_names(store)
    return frozenset(labels), frozenset(every - kept)
