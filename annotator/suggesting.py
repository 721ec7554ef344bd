"""Accepting suggested labels on the annotation screen, without any UI.

A suggestion is never the annotator's label until they accept it: these are the only two
ways it becomes one, each an event whose `origin` names the suggestion's source and version.
Enter (confirm) never looks at suggestions: it confirms what the annotator set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from annotator import labeling
from annotator.labeling import LabelingError, SentenceState
from annotator.models.errors import DatabaseBusy
from annotator.models.suggestions import IMPORTER, Suggestion
from annotator.schema import LabelSchema
from annotator.session import AnnotationSession, Outcome
from annotator.store import suggestions as suggestion_store
from annotator.suggest.importer import BOILERPLATE


def best_per_label(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """One suggestion per label, the best-scoring (the store gives them best first)."""
    seen: dict[str, Suggestion] = {}
    for s in suggestions:
        seen.setdefault(s.label, s)
    return list(seen.values())


def _add(st: SentenceState, s: Suggestion, schema: LabelSchema) -> SentenceState:
    if s.label not in st.labels:
        st = labeling.toggle(st, s.label, schema)
    if s.source_type is None:
        return st
    for sf in schema.sentence_fields:
        if sf.label == s.label and st.field(sf.name) is None and sf.choice(s.source_type):
            st = labeling.set_field(st, sf.name, s.source_type, schema)
    return st


Change = tuple[int, int, str, str, suggestion_store.Transform]


def _adding(
    group: list[Suggestion], schema: LabelSchema, confirm: bool = False
) -> Callable[[SentenceState], SentenceState]:
    def transform(st: SentenceState) -> SentenceState:
        for s in group:
            st = _add(st, s, schema)
        return labeling.confirm(st, schema) if confirm else st

    return transform


def _pending(st: SentenceState, s: Suggestion, schema: LabelSchema) -> bool:
    return _add(st, s, schema) != st


def accept_current(session: AnnotationSession) -> Outcome:
    """Add the current sentence's suggested labels (and a guessed source type where none is
    set) to the annotator's own, without confirming: Enter still does that."""
    if not session.suggesting:
        return Outcome("no suggestions are shown for this article")
    cur = session.current
    schema = session.schema
    todo = [
        s
        for s in best_per_label(session.suggested.get(cur.id, ()))
        if _pending(session.current_state, s, schema)
    ]
    if not todo:
        return Outcome("no suggestion to accept on this sentence")
    order = [lab.name for lab in schema.labels]
    todo.sort(key=lambda s: order.index(s.label) if s.label in order else len(order))
    by_origin: dict[str, list[Suggestion]] = {}
    for s in todo:
        by_origin.setdefault(s.origin, []).append(s)
    changes: list[Change] = []
    for origin, group in by_origin.items():
        action = "accept " + ", ".join(s.label for s in group)
        changes.append((cur.id, cur.article_id, action, origin, _adding(group, schema)))
    return _accept(session, changes, None)


def furniture(session: AnnotationSession) -> list[int]:
    """The sentences of the open article the importer suggests as BOILERPLATE."""
    return [
        sid
        for sid, sugs in session.suggested.items()
        if any(s.source == IMPORTER and s.label == BOILERPLATE for s in sugs)
    ]


def accept_boilerplate(session: AnnotationSession) -> Outcome:
    """BOILERPLATE, confirmed, for every furniture segment of the article the annotator has
    not touched (no label, not confirmed): one key instead of two per segment."""
    if not session.suggesting:
        return Outcome("no suggestions are shown for this article")
    schema = session.schema
    changes: list[Change] = []
    for sid in sorted(furniture(session)):
        st = session.state_of(sid)
        if st.labels or st.confirmed:
            continue  # the annotator decided, or started to: theirs stays
        s = next(x for x in session.suggested[sid] if x.source == IMPORTER)
        action = f"accept {BOILERPLATE}, confirm"
        changes.append((sid, session.article.id, action, s.origin, _adding([s], schema, True)))
    if not changes:
        return Outcome("no furniture left to accept in this article")
    return _accept(session, changes, "BOILERPLATE accepted and confirmed")


def _accept(
    session: AnnotationSession,
    changes: list[Change],
    said: str | None,
) -> Outcome:
    try:
        done = suggestion_store.accept(
            session.store,
            annotator_id=session.annotator_id,
            changes=changes,
            schema_hash=session.schema.hash,
            session=session.session_id,
        )
    except LabelingError as e:
        return Outcome(str(e))
    except DatabaseBusy:
        session.busy = True
        raise
    session.busy = False
    saved = False
    for a in done:
        if a.event_ids:
            saved = True
            session.take_committed(a.sentence_id, a.before, a.state, a.event_ids[-1])
    if said is not None:
        n = sum(1 for a in done if a.event_ids)
        return Outcome(f"{said} for {n} segment{'s' * (n != 1)}", saved=saved)
    return Outcome(saved=saved)
