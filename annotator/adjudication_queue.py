"""The adjudication queue: which items are disputed, how much, and in what order. No UI.

Built once when a session opens (a few queries for the whole queue, not one per item); after
that only the items a change touches are computed again (`sentence_item`, `field_item`).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from dataclasses import field as dc_field  # Item has an attribute named `field`
from typing import Any

from annotator.models.gold import Gold, GoldField, Version
from annotator.schema import LabelSchema
from annotator.store import answers, gold_fields, gold_queue
from annotator.store import gold as gold_store
from annotator.store.coders import Coders
from annotator.store.database import Store

SENTENCE = "sentence"
ARTICLE_FIELD = "article_field"

# a sentence item is known by its id, an article field item by (article id, field)
ItemKey = int | tuple[int, str]


@dataclass(eq=False)  # identity: the queue finds an item with list.index, at C speed
class Item:
    """One thing to decide: a sentence, or an article field, with its gold as last read."""

    kind: str  # SENTENCE or ARTICLE_FIELD
    article_id: int
    score: float
    disputed: tuple[str, ...]
    sentence_id: int | None = None
    field: str | None = None
    versions: list[Version] = dc_field(default_factory=list)
    values: list[tuple[str, Any]] = dc_field(default_factory=list)  # article field versions
    gold: Gold | None = None  # sentence items
    gold_field: GoldField | None = None  # article field items
    loaded: bool = True  # False: `versions` not read yet (see load_versions)
    # decided, but an answer was confirmed since that the gold may contradict (audit14 F3):
    # shown again as undecided until decided again or kept (accept)
    stale: bool = False

    @property
    def key(self) -> ItemKey:
        if self.kind == SENTENCE:
            assert self.sentence_id is not None
            return self.sentence_id
        return (self.article_id, self.field or "")

    @property
    def decided(self) -> bool:
        gold = self.gold if self.kind == SENTENCE else self.gold_field
        return gold is not None and not self.stale

    @property
    def annotators(self) -> list[str]:
        if self.kind == SENTENCE:
            return [v.annotator for v in self.versions]
        return [name for name, _ in self.values]


def sort_key(item: Item) -> tuple[bool, float, int, int, str]:
    # sentences first, most disputed first; then the article fields. The two scores are
    # not on one scale (a sentence's is a mean over labels), so they are not interleaved
    return (
        item.kind != SENTENCE,
        -item.score,
        item.article_id,
        item.sentence_id or 0,
        item.field or "",
    )


def score(
    versions: list[Version], names: tuple[str, ...], schema: LabelSchema
) -> tuple[float, tuple[str, ...]]:
    """The mean minority share over the labels, and what is disputed: the labels, then each
    sentence field (the source type) whose values differ among the versions with its label,
    as the agreement report scores it."""
    disputed = []
    total = 0.0
    for name in names:
        yes = sum(1 for v in versions if name in v.labels)
        minority = min(yes, len(versions) - yes)
        if minority:
            disputed.append(name)
            total += minority / len(versions)
    label_disputed = bool(disputed)
    for sf in schema.sentence_fields:
        if sf.label not in names:
            continue
        values = {dict(v.fields).get(sf.name) for v in versions if sf.label in v.labels}
        if len(values) > 1:
            disputed.append(sf.name)
    if not label_disputed:  # the labels agree: only a field (or a comment) differs
        return 0.01, tuple(disputed)
    return total / len(names), tuple(disputed)


def sentence_item(
    sentence_id: int,
    article_id: int,
    versions: list[Version],
    *,
    schema: LabelSchema,
    label: str | None,
    review_all: bool,
    min_annotators: int,
) -> Item | None:
    """The queue item of a sentence with these confirmed versions, or None if it has none."""
    if len(versions) < min_annotators:
        return None
    differ = len({v.key for v in versions}) > 1
    if not differ and not review_all:
        return None
    names = (label,) if label else schema.label_names
    points, disputed = score(versions, names, schema) if differ else (0.0, ())
    if label and differ and label not in disputed:
        return None
    return Item(SENTENCE, article_id, points, disputed, sentence_id=sentence_id, versions=versions)


def field_item(
    article_id: int,
    field: str,
    values: list[tuple[str, Any]],
    *,
    review_all: bool,
    min_annotators: int,
) -> Item | None:
    if len(values) < min_annotators:
        return None
    counts: dict[str, int] = {}
    for _n, v in values:
        counts[repr(v)] = counts.get(repr(v), 0) + 1
    differ = len(counts) > 1
    if not differ and not review_all:
        return None
    share = 1 - max(counts.values()) / len(values)  # the share not in the mode
    return Item(
        ARTICLE_FIELD,
        article_id,
        share,
        (field,) if differ else (),
        field=field,
        values=values,
    )


@dataclass(frozen=True)
class QueueSpec:
    """What a session adjudicates. `coders`: whose confirmed answers make an item disputed
    (or unanimous) and are shown: the chosen annotators, else everyone but the staff."""

    schema: LabelSchema
    label: str | None
    review_all: bool
    coders: Coders
    min_annotators: int


def sentence_items(store: Store, spec: QueueSpec, ids: list[int] | None = None) -> list[Item]:
    """The sentence items, of every sentence or of `ids`; gold not read, versions read
    when an item is shown (`load_versions`). Many sentences share a combination of
    versions: each combination is judged once."""
    items = []
    judged: dict[str, Item | None] = {}
    how = answers.reading(store)  # versions as the adopted schema reads them (audit12 F2)
    for sid, aid, signature in gold_queue.disputed_signatures(
        store,
        spec.coders,
        spec.min_annotators,
        include_unanimous=spec.review_all,
        sentence_ids=ids,
    ):
        if signature not in judged:
            judged[signature] = sentence_item(
                sid,
                aid,
                gold_queue.signature_versions(signature, how),
                schema=spec.schema,
                label=spec.label,
                review_all=spec.review_all,
                min_annotators=spec.min_annotators,
            )
        like = judged[signature]
        if like is not None:
            items.append(Item(SENTENCE, aid, like.score, like.disputed, sid, loaded=False))
    return items + stale_items(store, spec, items, ids)


def contradicted(
    store: Store, coders: Coders, ids: list[int] | None = None
) -> Iterator[tuple[int, int, list[str]]]:
    """(sentence, article, labels where they differ) for each adjudicated gold that an
    answer confirmed since the decision contradicts (audit14 F3)."""
    how = answers.reading(store)
    for sid, aid, signature, gold_json in gold_queue.stale_gold(store, coders, ids):
        gold = set(how.labels(json.loads(gold_json)) if how else json.loads(gold_json))
        now = gold_queue.signature_versions(signature or "", how) if signature else []
        differ = sorted({lab for v in now for lab in gold.symmetric_difference(v.labels)})
        if differ:  # else the answers given since agree with the decision
            yield int(sid), int(aid), differ


def stale_items(
    store: Store, spec: QueueSpec, items: list[Item], ids: list[int] | None
) -> list[Item]:
    """Adjudicated gold that an answer confirmed since contradicts: marked stale among
    `items` (still disputed), else new items (the answers now agree, or are too few to be
    disputed), their disputed labels the ones where the gold and an answer differ."""
    by_id = {it.sentence_id: it for it in items}
    out = []
    for sid, aid, differ in contradicted(store, spec.coders, ids):
        if spec.label and spec.label not in differ:
            continue
        known = by_id.get(sid)
        if known is not None:
            known.stale = True
        else:
            out.append(Item(SENTENCE, aid, 1.0, tuple(differ), sid, loaded=False, stale=True))
    return out


def load_versions(store: Store, spec: QueueSpec, items: list[Item]) -> None:
    """Read the versions (with names and comments) of sentence items that lack them, and
    the values of article field items marked not loaded (read again after a change)."""
    for it in items:
        if not it.loaded and it.kind == ARTICLE_FIELD:
            key = (it.article_id, it.field or "")
            it.values = gold_queue.field_versions(store, spec.coders, {key}).get(key, [])
            it.loaded = True
    want = [it for it in items if not it.loaded and it.sentence_id is not None]
    if not want:
        return
    found = gold_queue.versions(
        store, coders=spec.coders, sentence_ids=[it.sentence_id or 0 for it in want]
    )
    for it in want:
        it.versions = found.get(it.sentence_id or 0, [])
        it.loaded = True


def field_items(
    store: Store, spec: QueueSpec, keys: set[tuple[int, str]] | None = None
) -> list[Item]:
    if spec.label:  # only sentences where that label is disputed
        return []
    items = []
    for (aid, fname), vals in gold_queue.field_versions(store, spec.coders, keys).items():
        item = field_item(
            aid, fname, vals, review_all=spec.review_all, min_annotators=spec.min_annotators
        )
        if item is not None:
            items.append(item)
    return items


def read_gold(store: Store, items: list[Item]) -> None:
    """Set each item's gold as stored, read as the adopted schema reads it: a label dropped
    since the decision (and its field values) is not shown, as no export carries it."""
    sentences = [it.sentence_id for it in items if it.sentence_id is not None]
    golds = gold_store.gold_for_sentences(store, sentences)
    how = answers.reading(store)
    if how is not None:
        for sid, g in golds.items():
            labels, kept = how.answer(g.labels, dict(g.fields))
            if labels != g.labels or len(kept) != len(g.fields):
                golds[sid] = replace(g, labels=labels, fields=tuple(sorted(kept.items())))
    fields = gold_fields.gold_fields(store) if any(it.kind == ARTICLE_FIELD for it in items) else {}
    for it in items:
        if it.kind == SENTENCE:
            it.gold = golds.get(it.sentence_id or 0)
        else:
            it.gold_field = fields.get((it.article_id, it.field or ""))


def build(store: Store, spec: QueueSpec) -> list[Item]:
    """The whole queue, sorted, with its gold: a few queries, whatever its length.

    A big queue is a few million objects that live as long as the session and hold no
    reference cycles: the cyclic collector is paused while they are made (else it walks
    the growing heap again and again: half the time on a million sentences), and they are
    then moved out of its generations (gc.freeze), so that a key never pays for a
    collection that walks them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        items = sentence_items(store, spec) + field_items(store, spec)
        items.sort(key=sort_key)
        read_gold(store, items)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return items
