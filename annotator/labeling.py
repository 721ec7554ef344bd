"""What an annotator's marks on one sentence are, and how each key changes them.

Pure functions over `SentenceState` and the schema: the store applies them inside its write
transaction (so they act on the state as stored, not as remembered), the session and tests
call them directly.

Rules:
- Toggling an exclusive label (NONE) clears the others; toggling any other label clears the
  exclusive ones. "Nothing applies" and "something applies" cannot coexist.
- A sentence field (the source type) belongs to a label: it can only be set while that label
  is on, and it goes when the label goes.
- Confirming with nothing marked records the schema's empty label (NONE) explicitly, so a
  confirmed sentence always says what the annotator decided; removing the last label of a
  confirmed sentence is a draft like any other change (Enter then records NONE).
- Changing the labels or fields of a confirmed sentence marks it `revised` until it is
  confirmed again; the mark is part of the state, so events record it and undo restores it.
  Until then the change is a draft: the labels and fields last confirmed are `kept`, and
  they are the answer agreement, gold and exports see (audit7 F17: a stray key on a
  confirmed sentence counted as the annotator's confirmed answer, under the old time).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from annotator.safetext import typed
from annotator.schema import LabelSchema


class LabelingError(ValueError):
    """A change the schema does not allow; the message is for the annotator."""


@dataclass(frozen=True, slots=True)
class SentenceState:
    labels: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    comment: str | None = None
    confirmed: bool = False
    # confirmed, then its labels or fields changed: stored (annotations.revised) and carried
    # by events like the rest of the state, so a restart keeps the mark and undo restores it
    revised: bool = False
    # while revised: the labels and fields last confirmed (the answer others see); None
    # when not revised, and for a sentence revised before drafts were kept (migration 0018)
    kept: tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None = None

    def field(self, name: str) -> str | None:
        return dict(self.fields).get(name)

    @property
    def answer(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """The labels and fields that count for agreement, gold and exports: the confirmed
        ones while a change to them waits to be confirmed."""
        return self.kept if self.kept is not None else (self.labels, self.fields)

    # --- storage form --------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "fields": dict(self.fields),
            "comment": self.comment,
            "confirmed": self.confirmed,
            "revised": self.revised,
            "kept": None
            if self.kept is None
            else {"labels": list(self.kept[0]), "fields": dict(self.kept[1])},
        }

    @classmethod
    def from_row(
        cls,
        labels: str,
        fields: str,
        comment: str | None,
        confirmed: int,
        revised: int = 0,
        draft_labels: str | None = None,
        draft_fields: str | None = None,
    ) -> SentenceState:
        """A stored row: `labels` and `fields` are the answer (the confirmed ones while a
        draft waits), `draft_*` the annotator's labels and fields while it does."""
        answer = (tuple(json.loads(labels)), tuple(sorted(json.loads(fields).items())))
        if draft_labels is None or draft_fields is None:
            return cls(answer[0], answer[1], comment, bool(confirmed), bool(revised))
        return cls(
            tuple(json.loads(draft_labels)),
            tuple(sorted(json.loads(draft_fields).items())),
            comment,
            bool(confirmed),
            bool(revised),
            answer,
        )

    def with_values(self, values: dict[str, Any]) -> SentenceState:
        """This state with some keys replaced (the `before` or `after` of an event)."""
        kw: dict[str, Any] = {}
        for key, value in values.items():
            if key == "labels":
                kw["labels"] = tuple(value)
            elif key == "fields":
                kw["fields"] = tuple(sorted(value.items()))
            elif key in ("comment", "confirmed", "revised"):
                kw[key] = value
            elif key == "kept":
                kw["kept"] = (
                    None
                    if value is None
                    else (tuple(value["labels"]), tuple(sorted(value["fields"].items())))
                )
            elif key not in ("confirmed_at", SCHEMA_KEY):
                # the row's time and the schema its answer counts under, not the state
                # (store/answer_schema.py)
                raise KeyError(key)
        return replace(self, **kw)


# the key of an event's before/after that names the schema the answer counts under, when
# the event changed it (store/answer_schema.py)
SCHEMA_KEY = "schema_hash"


def diff(before: SentenceState, after: SentenceState) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys that changed, as (before, after) dicts: what an event records."""
    a, b = before.to_dict(), after.to_dict()
    keys = [k for k in a if a[k] != b[k]]
    return {k: a[k] for k in keys}, {k: b[k] for k in keys}


def _revise(before: SentenceState, after: SentenceState) -> SentenceState:
    """A confirmed sentence whose labels or fields change stays confirmed, marked as changed
    since (until confirmed again); an unconfirmed one carries no mark."""
    revised = after.confirmed and (
        before.revised or before.labels != after.labels or before.fields != after.fields
    )
    if not revised:
        kept = None
    elif before.revised:
        kept = before.kept  # the draft goes on from the same confirmed answer
    else:
        kept = (before.labels, before.fields)  # what was confirmed, until confirmed again
    if kept is not None and kept == (after.labels, after.fields):
        revised, kept = False, None  # a stray key pressed again: back to what was confirmed
    if revised == after.revised and kept == after.kept:
        return after
    return replace(after, revised=revised, kept=kept)


def _drop_orphan_fields(state: SentenceState, schema: LabelSchema) -> SentenceState:
    owners = {sf.name: sf.label for sf in schema.sentence_fields}
    kept = tuple((k, v) for k, v in state.fields if owners.get(k) in state.labels)
    return state if kept == state.fields else replace(state, fields=kept)


def toggle(state: SentenceState, label: str, schema: LabelSchema) -> SentenceState:
    spec = schema.label(label)
    if label in state.labels:
        labels: tuple[str, ...] = tuple(x for x in state.labels if x != label)
    elif spec.exclusive:
        labels = (label,)
    else:
        exclusive = {lab.name for lab in schema.labels if lab.exclusive}
        labels = schema.normalise_labels([x for x in state.labels if x not in exclusive] + [label])
    # a confirmed sentence left with no label keeps its confirmed answer as any draft does
    # (audit8 F1: the stray key deleted the answer); one revised before drafts were kept
    # has no answer but its labels, and with none left it is no longer a decision
    keeps_answer = not state.revised or state.kept is not None
    confirmed = state.confirmed and (bool(labels) or keeps_answer)
    after = _drop_orphan_fields(replace(state, labels=labels, confirmed=confirmed), schema)
    return _revise(state, after)


def set_field(
    state: SentenceState, name: str, value: str | None, schema: LabelSchema
) -> SentenceState:
    sf = schema.sentence_field(name)
    if value is not None:
        if sf.choice(value) is None:
            raise LabelingError(f"{sf.title}: no value {value!r}")
        if sf.label not in state.labels:
            raise LabelingError(
                f"{sf.title} needs {sf.label} first (press {schema.label(sf.label).key})"
            )
    fields = dict(state.fields)
    if value is None:
        fields.pop(name, None)
    else:
        fields[name] = value
    return _revise(state, replace(state, fields=tuple(sorted(fields.items()))))


def confirm(state: SentenceState, schema: LabelSchema) -> SentenceState:
    labels = state.labels
    if not labels and schema.info.empty_label:
        labels = (schema.info.empty_label,)
    if not labels:
        raise LabelingError("nothing marked: choose a label before confirming")
    return replace(state, labels=labels, confirmed=True, revised=False, kept=None)


def set_comment(state: SentenceState, comment: str | None) -> SentenceState:
    text = typed(comment or "").strip() or None
    return replace(state, comment=text)


def is_majority(votes: int, voters: int) -> bool:
    """The one definition of "the majority" (`export --view majority`, `agreement --by
    suggestions`, `suggestions --evaluate`): chosen by MORE than half of the voters. A tie is
    not a majority: with two annotators, a label only one of them chose is nobody's
    majority."""
    return 2 * votes > voters


def majority_labels(
    label_sets: Collection[Collection[str]], unrated: Collection[Collection[str]] = ()
) -> frozenset[str]:
    """The labels more than half of `label_sets` (one per annotator) contain. `unrated`:
    per annotator, the labels their answer's schema lacked (added since:
    store/schema_history.labels_lacking): a label is voted on only by those who could have
    chosen it, as `export --view majority` and agreement count it (audit12 F6, audit15a
    F3: two annotators who confirmed before a label existed are no "no" to it)."""
    votes = Counter(label for labels in label_sets for label in labels)
    lacking = Counter(label for labels in unrated for label in labels)
    return frozenset(k for k, n in votes.items() if is_majority(n, len(label_sets) - lacking[k]))


def listed(labels: tuple[str, ...], fields_: tuple[tuple[str, str], ...]) -> str:
    """Labels and field values as a message names them: "ATTRIBUTED, source_type=..."."""
    return ", ".join([*labels, *(f"{k}={v}" for k, v in fields_)])


def revision_message(action: str, before: SentenceState, after: SentenceState) -> str | None:
    """Say that a confirmed sentence's labels or fields changed (it stays confirmed, so
    without a word the change would pass unseen). The mark itself is the stored state's
    `revised` (labeling sets it, confirming clears it, undo restores it)."""
    if (
        action == "confirm"
        or not (before.confirmed and after.revised)
        or (before.labels == after.labels and before.fields == after.fields)
    ):
        return None
    if after.kept is None:  # revised before drafts were kept: the change counts now
        gone = tuple(kv for kv in before.fields if kv not in after.fields)
        was = listed(before.labels, gone)
        return f"changed after confirmation (was {was}): Enter confirms it, z brings it back"
    was = listed(*after.kept)  # the confirmed answer (audit8 F3: not the last draft)
    return (
        f"changed after confirmation (was {was}, still your answer): Enter confirms the "
        "change, z brings it back"
    )
