"""Gold of article fields: the adjudicated (or unanimous) value per article and field, the
twin of store/gold.py's sentence gold. Each decision is a `gold_article_field` event whose
`before` and `after` hold the whole record (`before` with the replaced decision's adjudicator
and time, store/gold_provenance.py), so undo restores exactly what was there;
`agrees_with` names the annotators whose value equalled the gold when it was decided.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.labeling import LabelingError
from annotator.models.gold import ADJUDICATED, UNANIMOUS, GoldField
from annotator.store import events
from annotator.store.coders import Coders, coders_in_tx
from annotator.store.coders import coders as coders_now
from annotator.store.database import Row, Store, now
from annotator.store.gold_provenance import undone, with_provenance
from annotator.store.jsontext import dumps
from annotator.store.undo import register_undo
from annotator.store.undo_since import register_holds

# --- reading --------------------------------------------------------------------------------

_FIELD_COLS = (
    "g.article_id, g.field, g.value, g.method, n.name, g.agrees_with, g.note, g.decided_at "
    "FROM gold_article_fields g LEFT JOIN annotators n ON n.id = g.adjudicator_id"
)


def _gold_field(row: Row) -> GoldField:
    return GoldField(json.loads(row[2]), row[3], row[4], tuple(json.loads(row[5])), row[6], row[7])


def gold_fields(store: Store) -> dict[tuple[int, str], GoldField]:
    """Every article field's gold, by (article id, field)."""
    return {(int(r[0]), str(r[1])): _gold_field(r) for r in store.all(f"SELECT {_FIELD_COLS}")}


def _gold_field_in_tx(conn: sqlite3.Connection, article_id: int, field: str) -> GoldField | None:
    row = conn.execute(
        f"SELECT {_FIELD_COLS} WHERE g.article_id = ? AND g.field = ?", [article_id, field]
    ).fetchone()
    return None if row is None else _gold_field(row)


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDecision:
    """An article field's gold as a transform returns it."""

    value: Any
    note: str | None
    method: str = ADJUDICATED


@dataclass(frozen=True)
class FieldGoldChange:
    event_id: int | None
    gold: GoldField | None


class StaleVersions(LabelingError):
    """The annotators' versions changed since the screen showed them."""


_NONE = object()  # no version stored: differs from every shown one, None included


def check_shown(shown: Mapping[str, object], stored: Mapping[str, object]) -> None:
    """Raise StaleVersions unless the versions `stored` now (name -> version) are those
    `shown`: a changed or withdrawn one, and one added by someone who had none when the
    screen read them (closing12: it was taken as unseen), are named."""
    changed = [name for name, v in shown.items() if stored.get(name, _NONE) != v]
    added = sorted(set(stored) - set(shown))
    if not changed and not added:
        return
    said = []
    if changed:
        said.append(f"{', '.join(changed)} changed their answer")
    if added:
        said.append(f"{', '.join(added)} answered")
    raise StaleVersions(
        f"{' and '.join(said)} since it was shown: nothing decided; the versions are read again"
    )


def change_field_gold(
    store: Store,
    *,
    adjudicator: int,
    article_id: int,
    field: str,
    transform: Callable[[GoldField | None], FieldDecision | None],
    schema_hash: str,
    session: str | None = None,
    shown: Sequence[tuple[str, Any]] | None = None,
    coders: Coders | None = None,
) -> FieldGoldChange:
    """The article-field twin of change_sentence_gold: read, transform, write, one
    transaction. A None decision withdraws the gold. `shown`: the (annotator, value) pairs
    the adjudicator decided on; if the `coders`' values are not those any more, nothing is
    written (StaleVersions), as for sentences (closing12: an article field was decided on
    values that had changed since the screen read them)."""
    if shown is not None and coders is None:
        coders = coders_now(store)
    with store.write() as conn:
        if shown is not None and coders is not None:
            where, params = coders.sql("f.annotator_id")
            stored = {
                str(name): json.loads(value)
                for name, value in conn.execute(
                    "SELECT n.name, f.value FROM article_annotations f JOIN annotators n "
                    f"ON n.id = f.annotator_id WHERE f.article_id = ? AND f.field = ?{where}",
                    [article_id, field, *params],
                )
            }
            check_shown(dict(shown), stored)
        current = _gold_field_in_tx(conn, article_id, field)
        decision = transform(current)
        record = (
            None
            if decision is None or decision.value is None
            else {
                "value": decision.value,
                "method": decision.method,
                "agrees_with": [],
                "note": decision.note,
            }
        )
        event = write_field_in_tx(
            conn,
            adjudicator,
            article_id,
            field,
            record,
            f"gold {field}",
            schema_hash,
            session,
            coders=coders,
        )
        if event is None:
            return FieldGoldChange(None, current)
        return FieldGoldChange(event, _gold_field_in_tx(conn, article_id, field))


def _current_field(conn: sqlite3.Connection, article_id: int, field: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT value, method, agrees_with, note FROM gold_article_fields "
        "WHERE article_id = ? AND field = ?",
        [article_id, field],
    ).fetchone()
    if row is None:
        return None
    return {
        "value": json.loads(row[0]),
        "method": row[1],
        "agrees_with": json.loads(row[2]),
        "note": row[3],
    }


def write_field_in_tx(
    conn: sqlite3.Connection,
    adjudicator: int,
    article_id: int,
    field: str,
    record: dict[str, Any] | None,
    action: str,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    decided_at: str | None = None,
    *,
    coders: Coders | None = None,
    restore: tuple[int | None, str] | None = None,
) -> int | None:
    """Set (None: withdraw) an article field's gold and record the event, `agrees_with`
    naming the `coders` (everyone but the staff, read here, when not given) who gave the
    value. `decided_at`: the decision's own time (an imported one keeps its file's), else
    now. `restore`: an undo's, the adjudicator and time of the decision it puts back (the
    row's; the event is `adjudicator`'s, at `decided_at`)."""
    before = _current_field(conn, article_id, field)
    if record is not None:
        where, params = (coders or coders_in_tx(conn)).sql("f.annotator_id")
        agreeing = [
            str(r[0])
            for r in conn.execute(
                "SELECT n.name, f.value FROM article_annotations f JOIN annotators n "
                f"ON n.id = f.annotator_id WHERE f.article_id = ? AND f.field = ?{where} "
                "ORDER BY n.name",
                [article_id, field, *params],
            )
            if json.loads(r[1]) == record["value"]
        ]
        record = {**record, "agrees_with": agreeing}
    if before == record and undoes is None:
        return None
    at = decided_at or now()
    decided_by, decided = restore or (adjudicator, at)
    before = with_provenance(
        conn, before, "gold_article_fields", "g.article_id = ? AND g.field = ?", [article_id, field]
    )
    event = events.append(
        conn,
        at=at,
        annotator_id=adjudicator,
        kind="gold_article_field",
        action=action,
        article_id=article_id,
        field=field,
        before=before,
        after=record,
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
    )
    if record is None:
        conn.execute(
            "DELETE FROM gold_article_fields WHERE article_id = ? AND field = ?",
            [article_id, field],
        )
    else:
        conn.execute(
            "INSERT INTO gold_article_fields (article_id, field, value, method, adjudicator_id, "
            "agrees_with, note, decided_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET value = excluded.value, method = excluded.method, "
            "adjudicator_id = excluded.adjudicator_id, agrees_with = excluded.agrees_with, "
            "note = excluded.note, decided_at = excluded.decided_at, event_id = excluded.event_id",
            [
                article_id,
                field,
                dumps(record["value"]),
                record["method"],
                decided_by if record["method"] != UNANIMOUS else None,
                dumps(record["agrees_with"]),
                record["note"],
                decided,
                event,
            ],
        )
    return event


# --- undo -----------------------------------------------------------------------------------


def _undo_field(
    conn: sqlite3.Connection,
    adjudicator: int,
    row: Row,
    schema_hash: str,
    session: str | None,
) -> int | None:
    target, _kind, action, _sid, aid, _oid, field, before_json = row
    record, restore, recorded_under = undone(
        conn,
        adjudicator,
        target,
        before_json,
        ("gold_article_field", "article_id = ? AND field = ?", [aid, field]),
    )
    # the decision put back is the one that was there, by its adjudicator at its own time;
    # the undo event is the undoer's, now
    return write_field_in_tx(
        conn,
        adjudicator,
        aid,
        field,
        record,
        f"undo: {action}",
        recorded_under or schema_hash,
        session,
        undoes=target,
        restore=restore,
    )


register_undo("gold_article_field", _undo_field)


def _holds_field(
    conn: sqlite3.Connection, _sid: int | None, aid: int | None, field: str | None, after: Any
) -> bool:
    return aid is not None and field is not None and _current_field(conn, aid, field) == after


register_holds("gold_article_field", _holds_field)
