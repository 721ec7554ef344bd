"""Where each confirmed label came from, for exports: `typed`, or the suggestion an
annotator accepted (`suggestion:SOURCE@VERSION`, the `origin` its event recorded).

Only the (sentence, annotator) pairs that ever accepted a suggestion are read (migration
0015's partial index holds exactly those events); every other label was typed. Their
sentence events are replayed in order: a label takes the origin of the event that added
it and keeps it until an event removes it; an undo puts back the origins the undone event
found.
"""

from __future__ import annotations

import json

from annotator.models.suggestions import TYPED
from annotator.store.database import Store

# sentence id -> annotator name -> label -> origin, for the pairs that accepted something
Origins = dict[int, dict[str, dict[str, str]]]


def accepted(store: Store, lo: int | None = None, hi: int | None = None) -> Origins:
    """The labels' origins of every (sentence, annotator) with an accepted suggestion among
    its events, sentence ids in [lo, hi); labels missing from the answer were typed. A
    pair whose labels all ended up typed is left out."""
    span = ""
    params: list[int] = []
    if lo is not None:
        span += " AND x.sentence_id >= ?"
        params.append(int(lo))
    if hi is not None:
        span += " AND x.sentence_id < ?"
        params.append(int(hi))
    # the pairs first, from the partial index alone (none: nothing more is read); then each
    # pair's events by the sentence index (a join lets the planner scan every event)
    pairs = store.all(
        "SELECT DISTINCT x.sentence_id, x.annotator_id FROM events x "
        f"WHERE x.origin <> 'typed' AND x.kind = 'sentence'{span} "
        "ORDER BY x.sentence_id, x.annotator_id",
        params,
    )
    if not pairs:
        return {}
    names = {int(i): str(n) for i, n in store.all("SELECT id, name FROM annotators")}
    rows = [
        (eid, sid, names[int(who)], after, undoes, origin)
        for sid, who in pairs
        for eid, after, undoes, origin in store.all(
            "SELECT id, after, undoes, origin FROM events WHERE sentence_id = ? "
            "AND annotator_id = ? AND kind = 'sentence' ORDER BY id",
            [sid, who],
        )
    ]
    out: Origins = {}
    key: tuple[int, str] | None = None
    now: dict[str, str] = {}
    # while a draft waits over the confirmed answer (labeling.py `kept`), the answer's
    # origins: an export carries the answer's labels (audit8 F11: it gave the draft's)
    answer: dict[str, str] | None = None
    found: dict[int, dict[str, str]] = {}  # event id -> the origins it found

    def keep() -> None:
        shown = answer if answer is not None else now
        if key is not None and any(o != TYPED for o in shown.values()):
            out.setdefault(key[0], {})[key[1]] = shown

    for eid, sid, who, after, undoes, origin in rows:
        if (int(sid), str(who)) != key:
            keep()
            key, now, found, answer = (int(sid), str(who)), {}, {}, None
        found[int(eid)] = now
        state = json.loads(after) if after else None
        if state is None:
            now, answer = {}, None  # nothing left of the annotation
            continue
        if "kept" in state:  # a draft began (the answer is what was there) or ended
            answer = (dict(now) if answer is None else answer) if state["kept"] else None
        if "labels" not in state:
            continue  # a confirmation, a field, a comment: the labels stay as they came
        labels = [str(x) for x in state["labels"] or []]
        if undoes is not None and int(undoes) in found:
            base = found[int(undoes)]
            now = {lab: base.get(lab, TYPED) for lab in labels}
        else:
            now = {lab: now.get(lab, str(origin)) for lab in labels}
    keep()
    return out
