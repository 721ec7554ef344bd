"""Gold from another tool's file or our own export, for `import-labels`: sentence gold
(Label Studio's ground truth, our jsonl's `gold`) and the gold of article fields (the
articles file beside an export)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from annotator.models.gold import ADJUDICATED, UNANIMOUS
from annotator.store import answers, gold_fields
from annotator.store import gold as gold_store
from annotator.store.annotations import event_time
from annotator.store.coders import Coders
from annotator.store.database import now
from annotator.store.gold_schema import answer_schemas, gold_schemas
from annotator.store.jsontext import dumps

if TYPE_CHECKING:  # label_import.py imports this module
    from annotator.store.label_import import Incoming, IncomingField


def import_gold(
    conn: sqlite3.Connection,
    ids: dict[str, int],
    item: Incoming,
    sid: int,
    aid: int,
    schema_hash: str,
    session: str,
    coders: Coders,
) -> int | str:
    """Gold from another tool (Label Studio's ground truth) or our own jsonl: adjudicated by
    the item's annotator, or unanimous (recorded, like sync_unanimous does, under an
    annotator of the sentence). 1 if it changed the gold, 0 if it was there already; else
    why it was not imported, as for article fields (import_gold_field): "older" or "not
    unanimous" (the answers of the `coders` here differ from it: a manager's own answer
    does not make a unanimous sentence disputed, gold13b, as in sync_unanimous)."""
    method = UNANIMOUS if item.gold == "unanimous" else ADJUDICATED
    theirs = event_time(item.updated_at) if item.updated_at else None
    # answers and gold compared as the adopted schema reads them (store/answers.py): after
    # a reorder or a drop, what is stored still lists the old order and the dropped label,
    # which our own export does not (audit15b F4: its gold was refused as not unanimous)
    how = answers.reading(conn)
    want = _comparable(
        (item.labels, dict(item.fields))
        if how is None
        else how.answer(item.labels, dict(item.fields))
    )
    current = conn.execute(
        "SELECT method, decided_at, labels, fields, note FROM gold_annotations "
        "WHERE sentence_id = ?",
        [sid],
    ).fetchone()
    if current is not None:
        if current[0] == ADJUDICATED and method == UNANIMOUS:
            return "older"
        if theirs and current[1] and theirs < current[1]:
            return "older"
        read = _comparable(answers.read_answer(how, str(current[2]), str(current[3])))
        if current[0] == method and current[4] == item.comment and read == want:
            return 0  # the decision stored, as the file gives it
    if method == UNANIMOUS:
        where, params = coders.sql("annotator_id")
        given = {
            _comparable(answers.read_answer(how, str(r[0]), str(r[1])))
            for r in conn.execute(
                "SELECT labels, fields FROM annotations WHERE sentence_id = ? "
                f"AND confirmed = 1{where}",
                [sid, *params],
            )
        }
        if given and given != {want}:
            return "not unanimous"
        row = conn.execute(
            "SELECT min(annotator_id) FROM annotations WHERE sentence_id = ? "
            f"AND confirmed = 1{where}",
            [sid, *params],
        ).fetchone()
        # nobody here confirmed it: the `unanimous` account, made once (audit10 F1: each
        # such sentence inserted it again: UNIQUE constraint failed, a traceback)
        who = int(row[0]) if row and row[0] is not None else ids.get(item.annotator)
        # under the schema its answers here rated it under, as sync_unanimous records it
        # (audit15b F10: under the adopted one, a label added since read as a "no")
        schemas = gold_schemas(conn, schema_hash)
        if schemas.lacking:
            where, params = coders.sql("a.annotator_id")
            schema_hash = schemas.of(answer_schemas(conn, sid, where, params), want[0])
    else:
        who = ids.get(item.annotator)
    if who is None:
        who = ids[item.annotator] = int(
            conn.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)",
                [item.annotator, now()],
            ).lastrowid
            or 0
        )
    record = gold_store.gold_record(item.labels, dict(item.fields), method, item.comment)
    event = gold_store.write_sentence_in_tx(
        conn,
        who,
        sid,
        aid,
        record,
        "import",
        schema_hash,
        session,
        decided_at=theirs,
        coders=coders,
    )
    return int(event is not None)


def _comparable(
    answer: tuple[tuple[str, ...], dict[str, Any]],
) -> tuple[tuple[str, ...], frozenset[tuple[str, Any]]]:
    labels, fields = answer
    return tuple(sorted(labels)), frozenset(fields.items())


def import_gold_field(
    conn: sqlite3.Connection,
    f: IncomingField,
    aid: int,
    annotator_id: Callable[[sqlite3.Connection, str], int],
    schema_hash: str,
    session: str,
    coders: Coders,
) -> int | str:
    """An article field's gold from an export's articles file (audit7 F25: it was dropped,
    silently, through jsonl and Label Studio alike), written after the annotators' values of
    the same article (the file gives them first), so `agrees_with` is computed from them.
    1 if it changed the gold, 0 if it was there already; else why it was not imported:
    - "older": the database's gold is later, or adjudicated where the file's is unanimous
      (audit8 F6: an earlier export's unanimous value replaced a later adjudication);
    - "not unanimous": unanimous gold whose value not every annotator here gave (audit8
      F12: imported as unanimous against a dissenting annotator); the `coders`' values
      only, as sync_unanimous reads them (gold13b: a manager's value made it dissent). It
      is recorded under one who gave it, as sync_unanimous does."""
    current = conn.execute(
        "SELECT method, decided_at FROM gold_article_fields WHERE article_id = ? AND field = ?",
        [aid, f.field],
    ).fetchone()
    theirs = event_time(f.decided_at) if f.decided_at else None
    if current is not None:
        method, decided = current
        if method == ADJUDICATED and f.method == UNANIMOUS:
            return "older"
        if theirs and decided and theirs < decided:
            return "older"
    if f.method == UNANIMOUS:
        where, params = coders.sql("annotator_id")
        given = {
            (int(r[0]), str(r[1]))
            for r in conn.execute(
                "SELECT annotator_id, value FROM article_annotations WHERE article_id = ? "
                f"AND field = ?{where}",
                [aid, f.field, *params],
            )
        }
        if not given or {v for _w, v in given} != {dumps(f.value)}:
            return "not unanimous"
        who = min(w for w, _v in given)
    else:
        who = annotator_id(conn, f.annotator)
    record = {"value": f.value, "method": f.method or ADJUDICATED, "note": f.note}
    event = gold_fields.write_field_in_tx(
        conn,
        who,
        aid,
        f.field,
        record,
        "import",
        schema_hash,
        session,
        decided_at=theirs,
        coders=coders,
    )
    return int(event is not None)
