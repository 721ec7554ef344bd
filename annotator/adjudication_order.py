"""Where the adjudicator stands in the queue: the items in order, the current one, how many
have gold, and the moves (step, next undecided, defer). No store, no UI.

Apart from adjudication.py, which decides and writes gold, because this part only keeps a
list in order: `refresh()` inserts and removes items here as other connections change the
disputes, and the count of decided items is kept here without a pass over the queue.
"""

from __future__ import annotations

from typing import Any

from annotator.adjudication_queue import SENTENCE, Item, ItemKey, sort_key
from annotator.models.gold import Gold, GoldField
from annotator.session import Outcome


class QueueOrder:
    """The queue's items in the adjudicator's order, with the current position."""

    def __init__(self, items: list[Item]) -> None:
        self.items: list[Item] = items
        self._by_key: dict[ItemKey, Item] = {it.key: it for it in items}
        self._decided = sum(1 for it in items if it.decided)
        self.index = next((i for i, it in enumerate(items) if not it.decided), 0)

    def is_decided(self, item: Item) -> bool:
        return item.decided

    @property
    def decided(self) -> int:
        return self._decided

    # --- moving --------------------------------------------------------------------------

    def move(self, step: int) -> Outcome:
        if not self.items:
            return Outcome("nothing to adjudicate")
        new = max(0, min(len(self.items) - 1, self.index + step))
        if new == self.index:
            return Outcome("last item" if step > 0 else "first item")
        self.index = new
        return Outcome()

    def next_undecided(self) -> Outcome:
        n = len(self.items)
        for k in range(1, n + 1):
            i = (self.index + k) % n
            if not self.items[i].decided:
                self.index = i
                return Outcome()
        return Outcome("every item has gold")

    def defer(self) -> Outcome:
        """Put the current item at the end of the queue, for later."""
        if not self.items:
            return Outcome("nothing to adjudicate")
        item = self.items.pop(self.index)
        self.items.append(item)
        if self.index >= len(self.items):
            self.index = 0
        return Outcome("deferred to the end of the queue")

    def _go_to(self, key: ItemKey) -> None:
        item = self._by_key.get(key)
        if item is not None:
            self.index = self.items.index(item)

    # --- keeping the order and the count ---------------------------------------------------

    def _update(
        self, item: Item, gold: Gold | GoldField | None, *, decided_now: bool = False
    ) -> None:
        """Record an item's new gold, keeping the decided count without a pass;
        `decided_now`: written by this session just now, so no longer stale."""
        was = item.decided
        if decided_now:
            item.stale = False
        if item.kind == SENTENCE:
            assert gold is None or isinstance(gold, Gold)
            item.gold = gold
        else:
            assert gold is None or isinstance(gold, GoldField)
            item.gold_field = gold
        if self._by_key.get(item.key) is item:
            self._decided += int(item.decided) - int(was)

    def _insert(self, item: Item) -> None:
        """A new item at its place in the queue's order (the current item stays current)."""
        at = _bisect(self.items, sort_key(item))
        self.items.insert(at, item)
        self._by_key[item.key] = item  # no gold read yet: refresh() reads it with the rest
        if at <= self.index and len(self.items) > 1:
            self.index += 1

    def _remove(self, item: Item) -> None:
        at = self.items.index(item)
        del self.items[at]
        del self._by_key[item.key]
        self._decided -= int(item.decided)
        if at < self.index:
            self.index -= 1


def _bisect(items: list[Item], key: tuple[Any, ...]) -> int:
    """Where an item with this sort key goes (the queue is sorted, deferred items aside)."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if sort_key(items[mid]) < key:
            lo = mid + 1
        else:
            hi = mid
    return lo
