"""Annotation events and the current labels derived from them (undo: store/undo.py).

Every change is one appended row in `events` (who, when, what, before, after, schema hash)
and, in the same transaction, the new current state in `annotations` /
`article_annotations` / `outlet_annotations` for fast reads. Undo appends an event too (with
`undoes` pointing at the event it reverses), so the history is complete and survives restarts.

Article and outlet fields are in `fields`, the confirmed ranges behind "next unconfirmed
sentence" in `ranges`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from annotator.labeling import SentenceState, diff
from annotator.models.gold import UNANIMOUS
from annotator.models.suggestions import TYPED
from annotator.store import conditions, events, ranges
from annotator.store.answer_schema import answer_schema, counted_under
from annotator.store.database import Store, now
from annotator.store.jsontext import dumps

ANNOTATION_KINDS = (
    "sentence",
    "article_field",
    "outlet_field",
    "article_comment",
    "article_outlet",
)


# --- annotators -----------------------------------------------------------------------------


def annotator_id(store: Store, name: str, *, create: bool = True) -> int | None:
    row = store.one("SELECT id FROM annotators WHERE name = ?", [name])
    if row:
        return int(row[0])
    if not create:
        return None
    with store.write() as conn:
        row = conn.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        if row:
            return int(row[0])
        return int(
            conn.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)", [name, now()]
            ).lastrowid
            or 0
        )


def confirmed_total(store: Store, annotator_id: int) -> int:
    return int(store.scalar("SELECT confirmed FROM annotators WHERE id = ?", [annotator_id]) or 0)


def last_event(store: Store, annotator_id: int) -> int:
    """The id of this annotator's latest event (0: none), by the events_by_annotator index."""
    return int(
        store.scalar("SELECT max(id) FROM events WHERE annotator_id = ?", [annotator_id]) or 0
    )


def cursor(store: Store, annotator_id: int) -> int | None:
    v = store.scalar("SELECT cursor_sentence_id FROM annotators WHERE id = ?", [annotator_id])
    return int(str(v)) if v is not None else None


def set_cursor(
    store: Store, annotator_id: int, sentence_id: int, seen: conditions.Seen | None = None
) -> None:
    """Save where the annotator is (and, `seen`, what they were shown on the article they
    opened: store/conditions.py), in one write."""
    with store.write() as conn:
        conn.execute(
            "UPDATE annotators SET cursor_sentence_id = ? WHERE id = ?", [sentence_id, annotator_id]
        )
        conditions.record_in_tx(conn, annotator_id, seen)


# --- sentence states ------------------------------------------------------------------------


def state_in_tx(conn: sqlite3.Connection, sentence_id: int, annotator_id: int) -> SentenceState:
    row = conn.execute(
        "SELECT labels, fields, comment, confirmed, revised, draft_labels, draft_fields "
        "FROM annotations WHERE sentence_id = ? AND annotator_id = ?",
        [sentence_id, annotator_id],
    ).fetchone()
    return SentenceState.from_row(*row) if row else SentenceState()


def states_for_article(
    store: Store, article_id: int, annotator_id: int
) -> dict[int, SentenceState]:
    return {
        int(r[0]): SentenceState.from_row(*r[1:])
        for r in store.all(
            "SELECT sentence_id, labels, fields, comment, confirmed, revised, draft_labels, "
            "draft_fields FROM annotations WHERE annotator_id = ? AND article_id = ?",
            [annotator_id, article_id],
        )
    }


def next_draft(store: Store, annotator_id: int, after: int) -> tuple[int | None, int]:
    """The annotator's next sentence with a change not confirmed yet (a draft over its
    confirmed answer) after sentence `after`, round to the start, and how many there are;
    by the partial index of them (migration 0018)."""
    row = store.one(
        "SELECT coalesce(min(CASE WHEN sentence_id > ? THEN sentence_id END), "
        "min(sentence_id)), count(*) FROM annotations WHERE annotator_id = ? AND revised = 1",
        [after, annotator_id],
    )
    if row is None or row[0] is None:
        return None, 0
    return int(row[0]), int(row[1])


def others_for_article(
    store: Store, article_id: int, annotator_id: int | None
) -> dict[int, list[tuple[str, SentenceState]]]:
    """Every other annotator's states in an article (for --show-others and adjudication):
    their answers, the confirmed labels while a change waits for confirming (a draft is
    theirs alone)."""
    out: dict[int, list[tuple[str, SentenceState]]] = {}
    for r in store.all(
        "SELECT a.sentence_id, an.name, a.labels, a.fields, a.comment, a.confirmed "
        "FROM annotations a JOIN annotators an ON an.id = a.annotator_id "
        "WHERE a.article_id = ? AND a.annotator_id IS NOT ? ORDER BY an.name",
        [article_id, annotator_id],
    ):
        out.setdefault(int(r[0]), []).append((str(r[1]), SentenceState.from_row(*r[2:])))
    return out


@dataclass(frozen=True)
class Change:
    """What one committed change did: the event id, the state it left and the state it
    found in the database (not the one a screen remembered: another session may have
    written in between)."""

    event_id: int | None  # None when the change changed nothing (no event written)
    state: SentenceState
    before: SentenceState


def change_sentence(
    store: Store,
    *,
    annotator_id: int,
    sentence_id: int,
    article_id: int,
    action: str,
    transform: Callable[[SentenceState], SentenceState],
    schema_hash: str,
    session: str | None = None,
    cursor: int | None = None,
    seen: conditions.Seen | None = None,
    rerate: bool = False,
) -> Change:
    """Apply `transform` to the stored state in one write transaction and record the event.

    `cursor` is where the annotator goes next (confirm moves on): stored in the same
    transaction, so a key is one commit; so is `seen` (store/conditions.py). `rerate`
    (Enter): a confirmed answer that counts under another schema than `schema_hash` is
    confirmed again under it, unchanged (audit15c F3: README's way to make an old sentence
    a rating of a label added since wrote nothing).
    """
    with store.write() as conn:
        before = state_in_tx(conn, sentence_id, annotator_id)
        after = transform(before)
        conditions.record_in_tx(conn, annotator_id, seen)
        # Enter on an answer that counts under other guidelines: confirmed again under these
        rerated = (
            rerate
            and after == before
            and before.confirmed
            and counted_under(conn, sentence_id, annotator_id) not in (None, schema_hash)
        )
        if after == before and not rerated:
            if cursor is not None:
                _cursor_in_tx(conn, annotator_id, cursor)
            return Change(None, before, before)
        event = record_sentence_in_tx(
            conn,
            annotator_id,
            sentence_id,
            article_id,
            action,
            before,
            after,
            schema_hash,
            session,
            undoes=None,
            schema_set=rerated,
        )
        _cursor_in_tx(conn, annotator_id, sentence_id if cursor is None else cursor)
    return Change(event, after, before)


def _cursor_in_tx(conn: sqlite3.Connection, annotator_id: int, sentence_id: int) -> None:
    conn.execute(
        "UPDATE annotators SET cursor_sentence_id = ? WHERE id = ?", [sentence_id, annotator_id]
    )


def record_sentence_in_tx(
    conn: sqlite3.Connection,
    annotator_id: int,
    sentence_id: int,
    article_id: int,
    action: str,
    before: SentenceState,
    after: SentenceState,
    schema_hash: str,
    session: str | None,
    undoes: int | None,
    times: tuple[str | None, str | None] | None = None,
    origin: str = TYPED,
    schema_set: bool = False,
) -> int:
    """Append the event and store the new state. `times` (confirmed_at, updated_at) keeps
    the times of annotations imported from elsewhere, and the event is dated when the
    annotation was last changed (audit7 F10: dated at the import, a team's imported work
    counted no active time, and `merge` took it for the later change); else now."""
    at = now()
    if times is not None and times[1]:
        at = event_time(times[1]) or at
    b, a = diff(before, after)
    # confirmed now: a new confirmation, or a draft confirmed as the new answer (audit8
    # F7: re-confirming kept the first confirmation's time beside the new labels)
    reconfirmed = before.revised and not after.revised and after.answer != before.answer
    confirmed_at = at if after.confirmed and (not before.confirmed or reconfirmed) else None
    if times is not None:
        confirmed_at = times[0] or confirmed_at
    if before.confirmed and after.confirmed and confirmed_at is not None:
        # the answer's time changes: the event keeps both, so undo puts the old one back
        # with the old answer and redo the new one (audit8 F14)
        old = conn.execute(
            "SELECT confirmed_at FROM annotations WHERE sentence_id = ? AND annotator_id = ?",
            [sentence_id, annotator_id],
        ).fetchone()
        if old is not None and old[0] is not None and old[0] != confirmed_at:
            b["confirmed_at"], a["confirmed_at"] = old[0], confirmed_at
    schema_hash = answer_schema(
        conn, sentence_id, annotator_id, (before, after), schema_hash, (b, a), schema_set
    )
    event = events.append(
        conn,
        at=at,
        annotator_id=annotator_id,
        kind="sentence",
        action=action,
        sentence_id=sentence_id,
        article_id=article_id,
        before=b,
        after=a,
        undoes=undoes,
        schema_hash=schema_hash,
        session=session,
        origin=origin,
    )
    if after == SentenceState():
        conn.execute(
            "DELETE FROM annotations WHERE sentence_id = ? AND annotator_id = ?",
            [sentence_id, annotator_id],
        )
    else:
        updated_at = (times[1] or at) if times is not None else at
        # labels/fields: the answer everything downstream reads (the confirmed ones while
        # a change waits: audit7 F17); draft_*: the annotator's own, only while one waits
        labels, fields_ = after.answer
        draft = after.kept is not None
        conn.execute(
            "INSERT INTO annotations (sentence_id, annotator_id, article_id, labels, fields, "
            "comment, confirmed, revised, confirmed_at, updated_at, event_id, draft_labels, "
            "draft_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (sentence_id, annotator_id) DO UPDATE SET labels = excluded.labels, "
            "fields = excluded.fields, comment = excluded.comment, "
            "confirmed = excluded.confirmed, revised = excluded.revised, "
            "confirmed_at = CASE WHEN excluded.confirmed = 0 THEN NULL "
            "ELSE coalesce(excluded.confirmed_at, annotations.confirmed_at) END, "
            "updated_at = excluded.updated_at, event_id = excluded.event_id, "
            "draft_labels = excluded.draft_labels, draft_fields = excluded.draft_fields",
            [
                sentence_id,
                annotator_id,
                article_id,
                dumps(list(labels)),
                dumps(dict(fields_)),
                after.comment,
                int(after.confirmed),
                int(after.revised),
                confirmed_at,
                updated_at,
                event,
                dumps(list(after.labels)) if draft else None,
                dumps(dict(after.fields)) if draft else None,
            ],
        )
    if after.confirmed != before.confirmed:
        if after.confirmed:
            ranges.add(conn, annotator_id, sentence_id)
        else:
            ranges.remove(conn, annotator_id, sentence_id)
        conn.execute(
            "UPDATE annotators SET confirmed = confirmed + ? WHERE id = ?",
            [1 if after.confirmed else -1, annotator_id],
        )
    if after.confirmed:
        _unanimity_kept(conn, annotator_id, sentence_id, article_id, after, schema_hash, session)
    return event


def event_time(text: str) -> str | None:
    """An ISO time as the events' `at` is written (UTC, milliseconds: sortable as text);
    None when it is not one. RFC 3339 allows a lowercase `t` and `z`: Python reads the `t`
    but not the `z` (audit10 F9: `2026-12-07t07:00:00z` was refused as no time)."""
    if text.endswith("z"):
        text = text[:-1] + "Z"
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return None
    t = (t if t.tzinfo is not None else t.replace(tzinfo=UTC)).astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _unanimity_kept(
    conn: sqlite3.Connection,
    annotator_id: int,
    sentence_id: int,
    article_id: int,
    after: SentenceState,
    schema_hash: str,
    session: str | None,
) -> None:
    """Unanimous gold is withdrawn in the transaction of the confirmed annotation that
    breaks the unanimity (audit7 F20: it stayed in every gold export, unanimous against a
    colleague's new answer, until someone opened the adjudication screen); the staff's
    answers break none. One look-up by primary key (two when the answer differs from the
    gold); adjudicated gold is never touched."""
    row = conn.execute(
        "SELECT labels, fields, method, adjudicator_id FROM gold_annotations WHERE sentence_id = ?",
        [sentence_id],
    ).fetchone()
    if row is None or row[2] != UNANIMOUS:
        return
    labels, fields_ = after.answer  # a draft breaks nothing until it is confirmed
    if sorted(json.loads(row[0])) == sorted(labels) and json.loads(row[1]) == dict(fields_):
        return
    if conn.execute(
        "SELECT 1 FROM team_members WHERE annotator_id = ? AND role <> 'annotator'",
        [annotator_id],
    ).fetchone():
        # an adjudicator's or manager's own answer is no coder's (store/coders.py): it
        # breaks no unanimity (gold13b). Someone with an answer is staff only on the team,
        # so the team's role is the whole of coders.roles here, in one look-up.
        return
    # here: gold's writes read the annotations (store/gold.py imports this module)
    from annotator.store.gold import write_sentence_in_tx

    write_sentence_in_tx(
        conn,
        int(row[3]) if row[3] is not None else annotator_id,
        sentence_id,
        article_id,
        None,
        "gold: no longer unanimous",
        schema_hash,
        session,
    )
