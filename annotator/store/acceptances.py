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
        # the pairs with an acceptance first, through the index of non-typed events
        "WITH pairs AS (SELECT DISTINCT sentence_id, annotator_id FROM events "
        "WHERE origin <> 'typed' AND origin LIKE ? AND kind = 'sentence') "
        "SELECT e.id, e.sentence_id, e.annotator_id, e.after, e.undoes, e.origin LIKE ?, "
        "n.name, r.external_id, a.labels, a.fields FROM pairs p "
        "JOIN annotations a ON a.sentence_id = p.sentence_id "
        "AND a.annotator_id = p.annotator_id AND a.confirmed = 1 "
        "JOIN annotators n ON n.id = a.annotator_id JOIN articles r ON r.id = a.article_id "
        "JOIN events e ON e.sentence_id = p.sentence_id AND e.annotator_id = p.annotator_id "
        "AND e.kind = 'sentence' ORDER BY e.sentence_id, e.annotator_id, e.id",
        [SUGGESTED, SUGGESTED],
    )
    states: dict[tuple[int, int], SentenceState] = {}
    carried: dict[tuple[int, int], Carried] = {}
    answers: dict[tuple[int, int], tuple[str, str, str, str]] = {}
    earlier: dict[int, Carried] = {}  # event id -> what was carried before it (for undo)
    for event_id, sid, aid, after_json, undoes, accepted, *answer in rows:
        key = (int(sid), int(aid))
        answers[key] = (str(answer[0]), str(answer[1]), str(answer[2]), str(answer[3]))
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
    for key, c in carried.items():
        if c.answer is None:
            continue
        who, article, labels, fields = answers[key]
        yield Acceptance(
            who,
            article,
            key[0],
            c.answer[0],
            dict(c.answer[1]),
            frozenset(json.loads(labels)),
            {str(k): str(v) for k, v in json.loads(fields).items()},
        )
