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


def ever_dropped(store: Store) -> bool:
    """Whether the project dropped a label at some point, though guidelines adopted since
    may have it again: a stored schema lacks a label that one stored before it had (a schema
    is stored once, when first adopted: `id` is that order; one adopted again that lacks a
    label added since is a drop too, which dropped_names sees). Only such a project can hold
    an answer with no label at all (audit15c F1)."""
    return (
        store.one(
            "SELECT 1 FROM schemas a JOIN schema_labels la ON la.schema_id = a.id "
            "JOIN schemas b ON b.id > a.id "
            # a schema with no labels listed says nothing of what it had (schema_history)
            "WHERE EXISTS (SELECT 1 FROM schema_labels l WHERE l.schema_id = b.id) "
            "AND NOT EXISTS (SELECT 1 FROM schema_labels lb "
            "WHERE lb.schema_id = b.id AND lb.name = la.name) LIMIT 1"
        )
        is not None
    )


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
