"""Shipped migrations are frozen text.

A database remembers only a migration's name, never its SQL: sqlite-utils skips a migration
whose name it has applied. So a shipped migration edited in place runs its new SQL on new
databases and never on existing ones, and the two kinds of database differ silently. Each
shipped migration's statements are pinned here by the SHA-256 of their text as databases
ran it (the hashes were taken from the code before migration 0003 was rewritten as literal
text: the bytes are the same). A failure here means a shipped migration changed: undo that
and add a new migration instead. When a release ships, pin its new migrations.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from annotator.store import exporting
from annotator.store.migrations import MIGRATIONS

SHIPPED = {
    "0001_initial": "fa6f34ec4567418e3db58c0343fe52ea3d852c6f2b55d693bb500c69fb32e1d9",
    "0002_gold": "a5066e308c0e85736f4d10103da3baf9b22d513de6f013f374ca1c2550bf992e",
    "0003_export_records": "e6eaf55faad7285f2e6d8f5e2a2f439808159977c22e2ed4fc9184466a548ea2",
    "0008_article_language": "5a1d21e6486cd3b064be675e34bf33128d75c7bfccc408d3bd0c4be028e6d1e9",
    "0006_article_comments": "d7edd71cc5f2b553f96b14d335dbe4c1cce8c0e737d90e611383eec529426c00",
    "0005_views": "a43259388df78305ee206ec999499dec8887f0e8ba83fc832b32ec197870c049",
    "0007_team": "ea35bc73be4ff62c0534d753332fd4697d19e88c1d0f3b1ae6bb9139fa5893ee",
    # shipped in the next release (status counts, the revised mark, access links, suggestions)
    "0011_status_counts": "e3db90d6cee67a59874c59ecee260056b20286725c4a80f0f2ba050b12cea875",
    "0011_articles_summary": "a8405f44bda0199bef57718112e634ce244c40979ac8fab61bde9c95ca5beeb2",
    "0010_annotation_revised": "7baf7937d103b23b5a6eb4d11fc9ea0153a4d49c769eedb0709a9009ba0261be",
    "0013_access_tokens": "00531b913551643e4eac9f75764c1d542e5ad3d0fd59c798949804c8be35e461",
    "0014_suggestions": "4918a100f6fe21993ad2640f1573fc50d6d2f4040704009ae84a6a12e6ff10e3",
    "0015_suggestion_conditions": (
        "1dbf8e8827142265e9db9aad14893c7fa6071924e8d29e4cab2a7965451b428d"
    ),
    "0016_sentence_records_filled": (
        "3075562dcf62deb96127eaec4a47bad296b0f1df66f2ea59dc91b584486adafb"
    ),
}


class Recording:
    """A real SQLite connection that keeps the text of every statement a migration runs."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self.statements.append(sql)
        return self.conn.execute(sql, *args)


def applied() -> dict[str, list[str]]:
    """Every migration run in registration order on one fresh database, by name."""
    db = Recording()
    out = {}
    for name, fn in MIGRATIONS:
        db.statements = []
        fn(db)
        out[name] = db.statements
    return out


def digest(statements: list[str]) -> str:
    return hashlib.sha256(";\n".join(statements).encode()).hexdigest()


def test_shipped_migrations_run_the_sql_databases_ran() -> None:
    ran = applied()
    changed = {name: digest(ran[name]) for name in SHIPPED if name in ran}
    assert changed == SHIPPED, "a shipped migration changed: add a new one instead"


def test_shipped_migrations_keep_their_order() -> None:
    names = [name for name, _fn in MIGRATIONS]
    assert names[: len(SHIPPED)] == list(SHIPPED)


def test_the_staleness_check_checks_what_the_triggers_write() -> None:
    """store/exporting.py's record expressions are the ones migration 0003 froze: a record
    changed in one place and not the other would make stale_records check the wrong JSON."""
    text = ";\n".join(applied()["0003_export_records"])
    for expr in (
        exporting.SENTENCE_RECORD.format(s="NEW"),
        exporting.SENTENCE_RECORD.format(s="s"),
        exporting.ANNOTATION_RECORD,
        exporting.GOLD_RECORD,
    ):
        assert expr in text


def test_a_changed_statement_changes_the_digest() -> None:
    """The pin can fail: one character of one statement is enough."""
    statements = applied()["0003_export_records"]
    edited = [statements[0].replace("record TEXT", "record  TEXT"), *statements[1:]]
    assert digest(statements) == SHIPPED["0003_export_records"]
    assert digest(edited) != SHIPPED["0003_export_records"]
