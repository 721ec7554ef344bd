"""The bundled guidelines' digest (annotator/store/bundled_schema.json), which a new project
stores without parsing labels.toml (audit11 F9), must be what parsing gives."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from annotator.guidelines import load_guidelines
from annotator.store import bundled_schema
from annotator.store.bundled_schema import DIGEST, digest_of, store_bundled
from annotator.store.database import open_store
from annotator.store.schemas import active_guidelines, use_guidelines


def test_the_digest_is_what_parsing_the_bundled_guidelines_gives() -> None:
    want = digest_of(load_guidelines())
    if os.environ.get("UPDATE_EXPECTED"):
        DIGEST.write_text(json.dumps(want, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert json.loads(DIGEST.read_text("utf-8")) == want, (
        "guidelines/ changed: rerun with UPDATE_EXPECTED=1 to rewrite "
        "annotator/store/bundled_schema.json"
    )


def _stored(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = list(
            conn.execute(
                "SELECT hash, name, version, labels_toml, guidelines_md, schema_json "
                "FROM schemas ORDER BY id"
            )
        )
        rows += list(conn.execute("SELECT * FROM schema_labels ORDER BY schema_id, position"))
        rows += list(conn.execute("SELECT * FROM settings WHERE key = 'schema_hash'"))
    finally:
        conn.close()
    return rows


def test_the_digest_stores_what_adopting_the_guidelines_stores(tmp_path: Path) -> None:
    fast = open_store(tmp_path / "fast.sqlite")
    assert store_bundled(fast)
    g = active_guidelines(fast)
    assert g is not None and g.schema.hash == load_guidelines().schema.hash
    fast.close()
    slow = open_store(tmp_path / "slow.sqlite")
    use_guidelines(slow)
    slow.close()
    assert _stored(tmp_path / "fast.sqlite") == _stored(tmp_path / "slow.sqlite")


def test_a_stale_digest_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = json.loads(DIGEST.read_text("utf-8"))
    stale["labels_toml_sha256"] = "0" * 64  # made from another labels.toml
    other = tmp_path / "digest.json"
    other.write_text(json.dumps(stale), "utf-8")
    monkeypatch.setattr(bundled_schema, "DIGEST", other)
    store = open_store(tmp_path / "p.sqlite")
    assert not store_bundled(store)
    assert active_guidelines(store) is None
    store.close()
