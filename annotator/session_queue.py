"""An annotator's queue of articles (`annotator assign`), as the annotation session walks it.

With assignments, the annotation screen is the queue: only these articles, in this order,
for the next and previous article, "next unconfirmed", the picker and the palette; without
any, the session ignores this and the whole corpus is the annotator's (issue 14).

Kept cheap at scale (1,995 articles per annotator on the 100,000-sentence benchmark): the
queue is read once and again only when its version (length, checksum) changes; its
confirmed count is the annotator's total minus what they confirmed outside the queue, which
is counted from the confirmed ranges only when it can have changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from annotator.models.shares import percent_done
from annotator.store import assignments, ranges
from annotator.store.database import Store

T = TypeVar("T")


class AnnotatorQueue:
    def __init__(self, store: Store, annotator_id: int) -> None:
        self.store = store
        self.annotator_id = annotator_id
        # (article id, first sentence id, last sentence id) in the annotator's order
        self.spans: list[tuple[int, int, int]] = []
        self._place: dict[int, int] = {}
        self._version = (-1, 0)  # no queue read yet
        self.sentences = 0
        self._outside = 0  # confirmed outside the queue's articles

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __len__(self) -> int:
        return len(self.spans)

    def refresh(self, confirmed_total: int) -> None:
        """Read the queue again if it changed (a manager may assign more while the screen
        is open): one range of an index to know."""
        version = assignments.queue_version(self.store, self.annotator_id)
        if version == self._version:
            return
        self._version = version
        self.spans = assignments.queue_of(self.store, self.annotator_id)
        self._place = {a: i for i, (a, _, _) in enumerate(self.spans)}
        self.sentences = sum(hi - lo + 1 for _, lo, hi in self.spans)
        self.count_outside(confirmed_total)

    def count_outside(self, confirmed_total: int) -> None:
        """Count again what the annotator confirmed outside the queue (after work there)."""
        if self.spans:
            spans = [(lo, hi) for _, lo, hi in self.spans]
            inside = assignments.confirmed_in(self.store, self.annotator_id, spans)
            self._outside = confirmed_total - inside

    def holds(self, article_id: int) -> bool:
        return article_id in self._place

    def holds_sentence(self, sentence_id: int | None) -> bool:
        return sentence_id is not None and any(lo <= sentence_id <= hi for _, lo, hi in self.spans)

    def position(self, article_id: int) -> int:
        """1-based place of an article in the queue; 0: not in it."""
        return self._place.get(article_id, -1) + 1

    def percent(self, confirmed_total: int) -> float:
        if not self.sentences:
            return 0.0
        return percent_done(confirmed_total - self._outside, self.sentences)

    def neighbour(self, article_id: int, step: int) -> int | None:
        """The article `step` places away in the queue (from outside it: its first or last
        article); None past either end."""
        place = self._place.get(article_id)
        if place is None:
            place = -1 if step > 0 else len(self.spans)
        target = place + step
        return self.spans[target][0] if 0 <= target < len(self.spans) else None

    def next_unconfirmed(self, after: int | None) -> int | None:
        """The next sentence not confirmed yet, in queue order: the rest of the article we
        are in (`after`: the sentence we are on), the queue's articles after it, then from
        the queue's start round to where we are. One probe of the confirmed ranges each."""
        place = next(
            (
                i
                for i, (_, lo, hi) in enumerate(self.spans)
                if after is not None and lo <= after <= hi
            ),
            -1,
        )
        later = self.spans[place + 1 :] + self.spans[: max(place, 0)]
        rest = [(lo, hi) for _, lo, hi in later]
        if place >= 0 and after is not None:
            _, first, last = self.spans[place]
            rest = [(after + 1, last), *rest, (first, after)]
        for lo, hi in rest:
            if lo <= hi:
                sid = ranges.next_unconfirmed(self.store, self.annotator_id, lo - 1, lo, hi)
                if sid is not None:
                    return sid
        return None

    def in_order(self, items: Iterable[T], key: Callable[[T], int]) -> list[T]:
        """The items whose article is in the queue, in the queue's order."""
        return sorted(
            (x for x in items if key(x) in self._place), key=lambda x: self._place[key(x)]
        )
