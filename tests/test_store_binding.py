"""None and bytes are bound through adapters registered for their exact types (store/
database.py), found in a dict instead of by a failing attribute look-up per value; what is
stored is what binding them plainly stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.store.database import open_store


def test_none_and_bytes_have_their_adapters() -> None:
    kind: type
    for kind in (bytes, type(None)):
        assert (kind, sqlite3.PrepareProtocol) in sqlite3.adapters
    # none for int, float or str: an adapter for one of those slows every value down
    for kind in (int, float, str):
        assert (kind, sqlite3.PrepareProtocol) not in sqlite3.adapters


class Blob(bytes):
    pass


def test_what_is_bound_is_stored_as_it_was(tmp_path: Path) -> None:
    store = open_store(tmp_path / "b.sqlite")
    values = [None, b"", b"\x00\xffbytes", Blob(b"sub"), bytearray(b"ba"), 0, 1.5, "", "s"]
    with store.write() as conn:
        conn.execute("CREATE TABLE bound (i INTEGER PRIMARY KEY, v)")
        conn.executemany("INSERT INTO bound (v) VALUES (?)", [(v,) for v in values])
    got = store.all("SELECT typeof(v), v FROM bound ORDER BY i")
    plain = sqlite3.connect(":memory:")
    expected = [
        plain.execute(
            "SELECT typeof(?), ?", [bytes(v) if isinstance(v, Blob) else v] * 2
        ).fetchone()
        for v in values
    ]
    assert got == expected
    kinds = ["null", "blob", "blob", "blob", "blob", "integer", "real", "text", "text"]
    assert [t for t, _v in got] == kinds
    store.close()
