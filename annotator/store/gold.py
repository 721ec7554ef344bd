"""Gold labels: the adjudicated (or unanimous) truth per sentence and article field.

Article fields' gold is in store/gold_fields.py, the same way.

Gold is history like everything else: each decision is an event (kind `gold_sentence` or
`gold_article_field`, annotator = the adjudicator) whose `before` and `after` hold the whole
gold record, `before` with the replaced decision's adjudicator and time too
(store/gold_provenance.py), so undo restores exactly what was there. `agrees_with` names
the annotators whose confirmed annotation equals the gold at the time it was decided.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.labeling import SentenceState
from annotator.models.gold import ADJUDICATED, UNANIMOUS, Gold, Version
from annotator.store import (
    answers,
    events,
    gold_fields,  # noqa: F401  (its undo is registered wherever sentence gold's is)
)
from annotator.store.coders import Coders, coders_in_tx
from annotator.store.coders import coders as coders_now
from annotator.store.database import Row, Store, now
from annotator.store.gold_fields import check_shown
from annotator.store.gold_provenance import undone, with_provenance
from annotator.store.jsontext import dumps
from annotator.store.undo import register_undo
from annotator.store.undo_since import register_holds

# --- reading --------------------------------------------------------------------------------

_GOLD_COLS = (
    "g.sentence_id, g.labels, g.fields, g.method, n.name, g.agrees_with, g.note, g.decided_at"
)
_GOLD_FROM = "gold_annotations g LEFT JOIN annotators n ON n.id = g.adjudicator_id"


def _gold(row: Row) -> Gold:
    return Gold(
        tuple(json.loads(row[1])),
        tuple(sorted(json.loads(row[2]).items())),
        row[3],
        row[4],
        tuple(json.loads(row[5])),
        row[6],
        row[7],
    )


def gold_for_sentences(store: Store, ids: Sequence[int]) -> dict[int, Gold]:
    """The gold of these sentences: one query however many (the ids go in as one JSON
    array, not one parameter each)."""
    return {
        int(row[0]): _gold(row)
        for row in store.all(
            f"SELECT {_GOLD_COLS} FROM {_GOLD_FROM} WHERE g.sentence_id IN "
            "(SELECT value FROM json_each(?))",
            [json.dumps(list(ids))],
        )
    }


def _gold_in_tx(conn: sqlite3.Connection, sid: int) -> Gold | None:
    row = conn.execute(f"SELECT {_GOLD_COLS} FROM {_GOLD_FROM} WHERE g.sentence_id = ?", [sid])
    found = row.fetchone()
    return None if found is None else _gold(found)


# --- writing --------------------------------------------------------------------------------


def record_json(
    labels: Sequence[str],
    fields: dict[str, str],
    method: str,
    agrees_with: Sequence[str],
    note: str | None,
) -> dict[str, Any]:
    return {
        "labels": list(labels),
        "fields": dict(fields),
        "method": method,
        "agrees_with": list(agrees_with),
        "note": note,
    }


def gold_record(
    labels: Sequence[str], fields: dict[str, str], method: str, note: str | None
) -> dict[str, Any]:
    """A gold decision to write (write_sentence_in_tx); agrees_with is worked out there."""
    return record_json(labels, fields, method, [], note)


def _current_sentence(conn: sqlite3.Connection, sid: int) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT labels, fields, method, agrees_with, note FROM gold_annotations "
        "WHERE sentence_id = ?",
        [sid],
    ).fetchone()
    if row is None:
        return None
    return record_json(json.loads(row[0]), json.loads(row[1]), row[2], json.loads(row[3]), row[4])


def _agreeing(
    conn: sqlite3.Connection,
    sid: int,
    labels: Sequence[str],
    fields: dict[str, str],
    coders: Coders,
) -> list[str]:
    """The coders whose confirmed answer is this one (gold13b: a manager who tried the
    screen was named as agreeing with the gold, as if an annotator)."""
    want = (sorted(labels), dict(fields))
    where, params = coders.sql("a.annotator_id")
    how = answers.reading(conn)  # answers as the adopted schema reads them (audit12 F2)
    out = []
    for name, stored_labels, stored_fields in conn.execute(
        "SELECT n.name, a.labels, a.fields FROM annotations a JOIN annotators n "
        f"ON n.id = a.annotator_id WHERE a.sentence_id = ? AND a.confirmed = 1{where} "
        "ORDER BY n.name",
        [sid, *params],
    ):
        read, read_fields = answers.read_answer(how, stored_labels, stored_fields)
        if (sorted(read), read_fields) == want:
            out.append(str(name))
    return out


def write_sentence_in_tx(
    conn: sqlite3.Connection,
    adjudicator: int,
    sid: int,
    article_id: int,
    record: dict[str, Any] | None,
    action: str,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    decided_at: str | None = None,
    *,
    coders: Coders | None = None,
    keep: bool = False,
    restore: tuple[int | None, str] | None = None,
) -> int | None:
    """Write a gold decision (None: withdraw the gold) as the adjudicator's event, with
    `agrees_with` worked out from the confirmed annotations of the `coders` (everyone but
    the staff, read here, when not given); None when nothing changed, unless `keep` (the
    same decision made again on the versions now: its time and adjudicator written anew).
    `decided_at`: the decision's own time (an imported one keeps its file's), else now.
    `restore`: an undo's, the adjudicator and time of the decision it puts back."""
    before = _current_sentence(conn, sid)
    if record is not None:
        if coders is None:
            coders = coders_in_tx(conn)
        agreeing = _agreeing(conn, sid, record["labels"], record["fields"], coders)
        record = {**record, "agrees_with": agreeing}
    if before == record and undoes is None and not keep:
        return None
    return store_sentence_in_tx(
        conn,
        adjudicator,
        sid,
        article_id,
        before,
        record,
        action,
        schema_hash,
        session,
        undoes,
        decided_at,
        restore=restore,
    )


def store_sentence_in_tx(
    conn: sqlite3.Connection,
    adjudicator: int,
    sid: int,
    article_id: int,
    before: dict[str, Any] | None,
    record: dict[str, Any] | None,
    action: str,
    schema_hash: str,
    session: str | None,
    undoes: int | None = None,
    decided_at: str | None = None,
    *,
    restore: tuple[int | None, str] | None = None,
) -> int:
    """The event and the gold row for a decision already worked out (`before` is the gold it
    replaces): write_sentence_in_tx, and new unanimous gold, which needs none of its reads.
    The row's adjudicator and time are the event's, or `restore`'s (an undo's)."""
    at = decided_at or now()
    decided_by, decided = restore or (adjudicator, at)
    before = with_provenance(conn, before, "gold_annotations", "g.sentence_id = ?", [sid])
    event = events.append(
        conn,
        at=at,
        annotator_id=adjudicator,
        kind="gold_sentence",
        action=action,
        sentence_id=sid,
        article_id=article_id,
        before=before,
        after=record,
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
    )
    if record is None:
        conn.execute("DELETE FROM gold_annotations WHERE sentence_id = ?", [sid])
    else:
        conn.execute(
            "INSERT INTO gold_annotations (sentence_id, article_id, labels, fields, method, "
            "adjudicator_id, agrees_with, note, decided_at, event_id) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sentence_id) DO UPDATE SET "
            "labels = excluded.labels, fields = excluded.fields, method = excluded.method, "
            "adjudicator_id = excluded.adjudicator_id, agrees_with = excluded.agrees_with, "
            "note = excluded.note, decided_at = excluded.decided_at, event_id = excluded.event_id",
            [
                sid,
                article_id,
                dumps(record["labels"]),
                dumps(record["fields"]),
                record["method"],
                decided_by if record["method"] != UNANIMOUS else None,
                dumps(record["agrees_with"]),
                record["note"],
                decided,
                event,
            ],
        )
    return event


Transform = Callable[[SentenceState], SentenceState]


@dataclass(frozen=True)
class GoldChange:
    """What one committed gold decision did: the event (None: nothing changed) and the
    gold it left (None: there is none)."""

    event_id: int | None
    gold: Gold | None


def change_sentence_gold(
    store: Store,
    *,
    adjudicator: int,
    sentence_id: int,
    article_id: int,
    transform: Transform,
    action: str,
    method: str = ADJUDICATED,
    schema_hash: str,
    session: str | None = None,
    shown: Sequence[Version] | None = None,
    coders: Coders | None = None,
) -> GoldChange:
    """Read the gold of a sentence, apply `transform`, write the result: one `BEGIN
    IMMEDIATE` transaction, so the change applies to the gold as stored (another adjudicator
    may have changed it), as the annotation path does. The transform sees the gold as a
    SentenceState (the note as its comment, no gold: the empty state); a result with no
    label withdraws the gold. An exception from the transform writes nothing.

    `shown`: the annotators' versions the adjudicator decided on. If an annotator changed
    theirs since, nothing is written (StaleVersions): audit9a F11, a digit pressed 0.6 s
    after bob re-confirmed made bob's old NONE the gold of a sentence now unanimous, "agrees
    with nobody", and it never came back to the queue. A version by one of the `coders`
    (whose answers the queue counts; coders.coders when not given) who had none when the
    screen read them is a change too (closing12)."""
    if shown is not None and coders is None:
        coders = coders_now(store)
    with store.write() as conn:
        if shown is not None and coders is not None:
            _same_versions_in_tx(conn, sentence_id, shown, coders)
        current = _gold_in_tx(conn, sentence_id)
        if current is None:
            before = SentenceState()
        else:
            # decided on as the adopted schema reads it: a decision never writes a label the
            # schema does not have, nor a field value whose label it dropped (audit12 F2)
            read, read_fields = answers.read_answer(
                answers.reading(conn), json.dumps(current.labels), json.dumps(dict(current.fields))
            )
            before = SentenceState(read, tuple(sorted(read_fields.items())), current.note, True)
        after = transform(before)
        if after == before:
            return GoldChange(None, current)
        record = (
            None
            if not after.labels
            else record_json(after.labels, dict(after.fields), method, [], after.comment)
        )
        event = write_sentence_in_tx(
            conn,
            adjudicator,
            sentence_id,
            article_id,
            record,
            action,
            schema_hash,
            session,
            coders=coders,
        )
        return GoldChange(event, _gold_in_tx(conn, sentence_id))


def keep_sentence_gold(
    store: Store,
    *,
    adjudicator: int,
    sentence_id: int,
    article_id: int,
    schema_hash: str,
    session: str | None,
    shown: Sequence[Version],
    coders: Coders,
) -> GoldChange:
    """Make the sentence's gold again, as it is, on the versions `shown` (StaleVersions
    when they changed since): an adjudicated decision an answer confirmed later may
    contradict is kept knowingly (audit14 F3), its time, adjudicator and `agrees_with`
    written anew, so it is no longer taken for stale."""
    with store.write() as conn:
        _same_versions_in_tx(conn, sentence_id, shown, coders)
        record = _current_sentence(conn, sentence_id)
        if record is None:
            return GoldChange(None, None)
        event = write_sentence_in_tx(
            conn,
            adjudicator,
            sentence_id,
            article_id,
            {**record, "method": ADJUDICATED},
            "gold: kept after the answers changed",
            schema_hash,
            session,
            coders=coders,
            keep=True,
        )
        return GoldChange(event, _gold_in_tx(conn, sentence_id))


def _same_versions_in_tx(
    conn: sqlite3.Connection, sentence_id: int, shown: Sequence[Version], coders: Coders
) -> None:
    """Raise StaleVersions when the coders' confirmed versions are not the ones shown: one
    changed or withdrawn, or one added by a coder who had none; the message names whose."""
    where, params = coders.sql("a.annotator_id")
    how = answers.reading(conn)  # as the queue read them (gold_queue.versions)
    stored = {}
    for name, labels, fields in conn.execute(
        "SELECT n.name, a.labels, a.fields FROM annotations a JOIN annotators n "
        f"ON n.id = a.annotator_id WHERE a.sentence_id = ? AND a.confirmed = 1{where}",
        [sentence_id, *params],
    ):
        read, read_fields = answers.read_answer(how, labels, fields)
        stored[str(name)] = (tuple(sorted(read)), tuple(sorted(read_fields.items())))
    check_shown({v.annotator: v.key for v in shown}, stored)


# --- undo -----------------------------------------------------------------------------------


def _undo_sentence(
    conn: sqlite3.Connection,
    adjudicator: int,
    row: Row,
    schema_hash: str,
    session: str | None,
) -> int | None:
    target, _kind, action, sid, aid, _oid, _field, before_json = row
    # the decision put back is the one that was there, by its adjudicator at its own time
    # (a kept stale decision undone is the stale one again, audit14 F3); the undo event is
    # the undoer's, now
    record, restore, recorded_under = undone(
        conn, adjudicator, target, before_json, ("gold_sentence", "sentence_id = ?", [sid])
    )
    return write_sentence_in_tx(
        conn,
        adjudicator,
        sid,
        aid,
        record,
        f"undo: {action}",
        recorded_under or schema_hash,
        session,
        undoes=target,
        restore=restore,
    )


register_undo("gold_sentence", _undo_sentence)


def _holds_sentence(
    conn: sqlite3.Connection, sid: int | None, _aid: int | None, _field: str | None, after: Any
) -> bool:
    return sid is not None and _current_sentence(conn, sid) == after


register_holds("gold_sentence", _holds_sentence)
