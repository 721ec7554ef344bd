"""Which accepted suggestion each confirmed answer carries: read by replaying the events of
the sentence in their order (`agreement --by suggestions`).

An acceptance (`y`: an event whose origin is `suggestion:...`) counts for a confirmed
sentence only when the confirmation stored came after it. One made on a sentence already
confirmed is a draft (README: a draft changes nothing anyone else sees until confirmed):
until Enter confirms it, the stored answer holds nothing accepted. Joining the last
acceptance to the confirmed annotation, whatever came first, counted such a draft as "a
suggestion accepted" and its confirmed labels as "changed afterwards" (audit15a F6).

The replay applies each event's `after` to the state (every change of an annotation is one
event: store/annotations.record_sentence_in_tx), and an undo event puts back what was
carried before the event it undoes (it only undoes an annotator's latest change of the
sentence: undo_since.py). A redo is a new event with the undone one's origin.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from annotator.labeling import SentenceState
from annotator.store.database import Store

SUGGESTED = "suggestion:%"


@dataclass(frozen=True)
class Carried:
    """What acceptances put in the draft and in the confirmed answer: the labels the last
    acceptance left, and each field an acceptance set with the value it set (the guessed
    source type: audit15a F12). None: nothing accepted."""

    draft: tuple[frozenset[str], tuple[tuple[str, str], ...]] | None = None
    answer: tuple[frozenset[str], tuple[tuple[str, str], ...]] | None = None


@dataclass(frozen=True)
class Acceptance:
    """A confirmed answer that holds an accepted suggestion: who, the article's external id,
    the sentence, what the acceptances left (labels, fields they set) and the answer."""

    annotator: str
    article: str
    sentence_id: int
    left: frozenset[str]
    set_fields: dict[str, str]
    labels: frozenset[str]
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        """The answer is what the acceptances left: its labels, and every field they set
        still at their value (a guess overridden is a change: audit15a F12)."""
        return self.left == self.labels and all(
            self.fields.get(k) == v for k, v in self.set_fields.items()
        )


def _confirms(before: SentenceState, after: SentenceState) -> bool:
    """The event makes a new confirmed answer: a first confirmation, or a draft confirmed
    (the rule of store/annotations.record_sentence_in_tx for `confirmed_at`). A draft put
    back to the answer it had (a stray key pressed again) confirms nothing."""
    if not after.confirmed or after.revised:
        return False
    return not before.confirmed or (before.revised and after.answer != before.answer)


def _step(state: SentenceState, carried: Carried, after: SentenceState, accepted: bool) -> Carried:
    if accepted:
        before_fields = dict(state.fields)
        set_now = {k: str(v) for k, v in after.fields if before_fields.get(k) != v}
        old = dict(carried.draft[1]) if carried.draft is not None else {}
        fields = {k: v for k, v in old.items() if k not in set_now} | set_now
        carried = replace(carried, draft=(frozenset(after.labels), tuple(sorted(fields.items()))))
    if _confirms(state, after):
        carried = replace(carried, answer=carried.draft)
    elif not after.confirmed:
        carried = replace(carried, answer=None)
    return carried


def acceptances(store: Store) -> Iterator[Acceptance]:
    """Every confirmed answer that carries an acceptance made before its confirmation."""
    rows = store.conn.execute(
        "SELECT e.id, e.sentence_id, e.annotator_id, e.after, e.undoes, e.origin LIKE ? "
        "FROM events e JOIN annotations a ON a.sentence_id = e.sentence_id "
        "AND a.annotator_id = e.annotator_id WHERE e.kind = 'sentence' AND a.confirmed = 1 "
        "AND EXISTS (SELECT 1 FROM events x WHERE x.sentence_id = a.sentence_id "
        "AND x.annotator_id = a.annotator_id AND x.kind = 'sentence' AND x.origin LIKE ?) "
        "ORDER BY e.sentence_id, e.annotator_id, e.id",
        [SUGGESTED, SUGGESTED],
    )
    states: dict[tuple[int, int], SentenceState] = {}
    carried: dict[tuple[int, int], Carried] = {}
    earlier: dict[int, Carried] = {}  # event id -> what was carried before it (for undo)
    for event_id, sid, aid, after_json, undoes, accepted in rows:
        key = (int(sid), int(aid))
        state = states.get(key, SentenceState())
        now = carried.get(key, Carried())
        earlier[int(event_id)] = now
        after = state.with_values(json.loads(after_json) if after_json else {})
        if after.revised and after.kept is None and state.confirmed and not state.revised:
            # an event from before drafts were kept (migration 0018): as undo.put_back
            after = replace(after, kept=state.answer)
        if undoes is not None and int(undoes) in earlier:
            carried[key] = earlier[int(undoes)]
        else:
            carried[key] = _step(state, now, after, bool(accepted))
        states[key] = after
    names = _names(store)
    for (sid, aid), c in carried.items():
        if c.answer is None:
            continue
        row = store.one(
            "SELECT r.external_id, a.labels, a.fields FROM annotations a "
            "JOIN articles r ON r.id = a.article_id WHERE a.sentence_id = ? "
            "AND a.annotator_id = ?",
            [sid, aid],
        )
        if row is None:
            continue
        fields = {str(k): str(v) for k, v in json.loads(str(row[2])).items()}
        yield Acceptance(
            names[aid],
            str(row[0]),
            sid,
            c.answer[0],
            dict(c.answer[1]),
            frozenset(json.loads(str(row[1]))),
            fields,
        )


def _names(store: Store) -> dict[int, str]:
    return {int(i): str(n) for i, n in store.conn.execute("SELECT id, name FROM annotators")}
