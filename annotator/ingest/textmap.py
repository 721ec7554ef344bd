"""Cleaned text that remembers where each character came from in the original.

Cleaning removes link syntax, repeated page furniture and CRs, and inserts the odd joining
space. Every piece of cleaned text is either copied from the original (and then maps back
exactly) or inserted (and then maps to the original position where it was inserted). The
map is stored as breakpoints: `[[clean, original], ...]`, sorted by `clean`; a cleaned
position maps to `original + (position - clean)` of the last breakpoint at or before it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class TextBuilder:
    """Appends pieces of the original and records the breakpoints as it goes."""

    original: str
    _parts: list[str] = field(default_factory=list)
    _points: list[tuple[int, int]] = field(default_factory=list)
    # the cleaned text's length so far (len() of the builder runs a Python frame each time:
    # the layout's loops read this)
    length: int = 0
    _next_original: int = -1  # original offset that would continue the current run

    def copy(self, start: int, end: int) -> tuple[int, int]:
        """Append original[start:end]; return its span in the cleaned text."""
        begin = self.length
        if end <= start:
            return begin, begin
        if start != self._next_original:
            self._points.append((begin, start))
        self._parts.append(self.original[start:end])
        self.length += end - start
        self._next_original = end
        return begin, self.length

    def insert(self, text: str, at_original: int) -> tuple[int, int]:
        """Append text that is not in the original (a joining space, a newline)."""
        begin = self.length
        if not text:
            return begin, begin
        self._points.append((begin, at_original))
        self._parts.append(text)
        self.length += len(text)
        # an inserted piece breaks the run: the next copy always opens a breakpoint
        self._next_original = -1
        return begin, self.length

    def __len__(self) -> int:
        return self.length

    def build(self) -> tuple[str, OffsetMap]:
        return "".join(self._parts), OffsetMap(tuple(self._points))


@dataclass(frozen=True)
class OffsetMap:
    points: tuple[tuple[int, int], ...]

    def to_original(self, position: int) -> int:
        """Original offset of a cleaned-text position."""
        if not self.points:
            return position
        i = bisect_right(self.points, (position, float("inf"))) - 1
        if i < 0:
            return self.points[0][1]
        clean, orig = self.points[i]
        return orig + (position - clean)

    def to_json(self) -> list[list[int]]:
        return [[c, o] for c, o in self.points]

    @classmethod
    def from_json(cls, data: list[list[int]]) -> OffsetMap:
        return cls(tuple((int(c), int(o)) for c, o in data))
