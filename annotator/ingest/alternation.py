"""A pattern of many alternatives, matched without trying every alternative on every line.

furniture.py keeps its rules as one case-insensitive pattern of ~140 alternatives
(`^(?:a|b|...)$`, or `(?:a|b|...)` searched anywhere). The regex engine tries them one by one
on each line: 3-4 us a short line, and the alternatives that open with `.{0,160}` scan the
whole line each time. This module reads the alternatives out of the pattern itself (so a rule
added to the list is picked up with no second list to keep), and works out for each:
- the characters it can open with (exactly, by asking the engine about its first items), so
  that an anchored line is tried only against the alternatives its first character allows;
- a literal it cannot match without (one of "...", "…"; "cookies"; "contact us", "send us",
  ...), looked for in the case-folded line before the alternative is run.
Both are necessary conditions only: the answer is the plain pattern's, always (pinned line by
line in tests/test_layout_fast_paths.py). Whatever is not understood falls back to the plain
pattern. How an alternative is read (the engine's own parse tree) is regex_tree.py.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence

from annotator.ingest import regex_tree
from annotator.ingest.regex_tree import TWINS, best, guard_safe

_HAS_TWIN = re.compile("[" + "".join(map(chr, TWINS)) + "]")


def fold(s: str) -> str:
    """The line as the guards look at it: each character that matches an ASCII character
    under re.IGNORECASE becomes that character in lower case."""
    if not s.isascii() and _HAS_TWIN.search(s):
        s = s.translate(TWINS)
    return s.lower()


def split_alternatives(inner: str) -> list[str] | None:
    """The top-level alternatives of a pattern's source, None if it cannot be read."""
    out: list[str] = []
    depth = 0
    start = 0
    for i, c in _syntax(inner, 0):
        if i < 0:
            return None
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:  # "|"
            out.append(inner[start:i])
            start = i + 1
    if depth:
        return None
    out.append(inner[start:])
    return out


def _syntax(source: str, start: int) -> Iterator[tuple[int, str]]:
    """Where source[start:] groups and alternates: each "(", ")" and "|" that is not escaped
    or inside a character class; (-1, "") and the end when a class never closes."""
    i = start
    n = len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _past_class(source, i)
            if i < 0:
                yield -1, ""
                return
            continue
        if c in "()|":
            yield i, c
        i += 1


def _past_class(source: str, at: int) -> int:
    """Just past the character class opening at `at` (-1 if it never closes): "]" right
    after "[" or "[^" is a member, not its end; an escaped character is skipped whole."""
    n = len(source)
    j = at + 1
    if j < n and source[j] == "^":
        j += 1
    if j < n and source[j] == "]":
        j += 1
    while j < n and source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1 if j < n else -1


def _closing(pattern: str, open_at: int) -> int:
    """Where the group opening at `open_at` closes (-1 if it cannot be read)."""
    depth = 0
    for i, c in _syntax(pattern, open_at):
        if i < 0:
            return -1
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


_BUILDING = threading.Lock()


class Alternation:
    """`pattern.match(s)` (anchored: `^(?:...)$`) or `pattern.search(s)` (`(?:...)`), as a
    bool, trying only the alternatives that can match `s`."""

    def __init__(self, pattern: re.Pattern[str], warmup: int = 2000):
        self.pattern = pattern
        # working the alternatives out costs ~30 ms, what the plain pattern spends on a few
        # thousand lines: the first `warmup` lines go to the plain pattern, so that one small
        # file (`annotator import page.html`) starts no slower
        self.warmup = warmup
        self.flags = pattern.flags
        src = pattern.pattern
        self.anchored = src.startswith("^(?:") and src.endswith(")$")
        self.built = False  # worked out after the warm-up
        self.fast = False
        self.parts: list[tuple[str, re.Pattern[str] | None, tuple[str, ...]]] = []
        self.loose: list[tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str]]] = []
        self.unguarded: list[str] = []
        self.rest: re.Pattern[str] | None = None
        self.any_guard: re.Pattern[str] | None = None
        # a quick no for the loose alternatives: the line ends with none of the ends of those
        # that need one, and holds none of the guard literals of the others
        self.loose_ends: tuple[str, ...] = ()
        self.loose_free: tuple[str, ...] = ()
        self.by_char: dict[str, re.Pattern[str] | None] = {}
        self.by_alts: dict[str, re.Pattern[str]] = {}
        # anchored: the literals an alternative must end with ("$" also matches before a
        # final line break), empty when it need not end with one
        self.ends: dict[str, tuple[str, ...]] = {}

    def _build(self) -> None:
        # one thread works it out; the others use it once it is whole (`built` is set last)
        with _BUILDING:
            if not self.built:
                self._work_out()
                self.built = True

    def _work_out(self) -> None:
        src = self.pattern.pattern
        self.anchored = src.startswith("^(?:") and src.endswith(")$")
        opening = 1 if self.anchored else 0
        inner: str | None = None
        if src.startswith("(?:", opening) and _closing(src, opening) == len(src) - 1 - opening:
            inner = src[opening + 3 : len(src) - 1 - opening]
        alts = split_alternatives(inner) if inner is not None else None
        # (alternative, its opening characters as one pattern or None for any, its guard)
        self.fast = alts is not None and len(alts) > 1
        for alt in alts or ():
            try:
                tree = regex_tree.parse(alt, self.flags)
            except re.error:
                self.fast = False
                break
            opens: re.Pattern[str] | None = None
            if self.anchored:
                try:
                    first, empty = regex_tree.openers(tree.data, self.flags)
                    if not empty:
                        opens = re.compile("|".join(first))
                except regex_tree.Unknown:
                    pass
            guard = best(regex_tree.required(tree.data))
            ends = regex_tree.suffixes(tree.data) if self.anchored else None
            if ends is not None and not all(guard_safe(e) for e in ends):
                ends = None
            self.ends[alt] = tuple(sorted(fold(e) for e in ends)) if ends else ()
            self.parts.append((alt, opens, tuple(sorted(fold(g) for g in guard or ()))))
        if self.anchored:
            # the alternatives that can open with any character: tried apart when their
            # guard holds, or (no guard) with every line's own alternatives
            self.loose = [
                (g, self.ends[a], self._compile([a])) for a, o, g in self.parts if o is None and g
            ]
            self.unguarded = [a for a, o, g in self.parts if o is None and not g]
        else:
            # searched: each alternative with a guard is tried alone when its guard holds
            self.loose = [(g, (), self._compile([a])) for a, _o, g in self.parts if g]
            self.unguarded = [a for a, _o, g in self.parts if not g]
        self.rest = self._compile(self.unguarded) if self.unguarded else None
        # one scan of the folded line for every guard's literals: most lines hold none
        literals = sorted({lit for g, _e, _a in self.loose for lit in g}, key=len, reverse=True)
        # (a few literals are looked for one by one as fast)
        if len(literals) > 12:
            self.any_guard = re.compile("|".join(map(re.escape, literals)))
        self.loose_ends = tuple(sorted({e for _g, ends, _a in self.loose for e in ends}))
        self.loose_free = tuple(
            sorted({lit for g, ends, _a in self.loose if not ends for lit in g})
        )

    def _compile(self, alts: Sequence[str]) -> re.Pattern[str]:
        body = "(?:" + "|".join(alts) + ")"
        return re.compile("^" + body + "$" if self.anchored else body, self.flags)

    def _for_char(self, c: str) -> re.Pattern[str] | None:
        """The alternatives a line opening with `c` can match, as one pattern (the loose
        ones without a guard included; the guarded loose ones are tried apart)."""
        if c in self.by_char:
            return self.by_char[c]
        alts = [a for a, o, _g in self.parts if o is not None and o.fullmatch(c)]
        alts += self.unguarded
        key = "|".join(alts)
        # "a" and "A" (and most pairs) allow the same alternatives: compiled once
        got = self.by_alts.get(key) if alts else None
        if alts and got is None:
            got = self.by_alts[key] = self._compile(alts)
        self.by_char[c] = got
        return got

    def __call__(self, s: str) -> bool:
        if not self.built:
            if self.warmup > 0:
                self.warmup -= 1
                return bool(self.pattern.match(s) if self.anchored else self.pattern.search(s))
            self._build()
        if not self.fast:
            return bool(self.pattern.match(s) if self.anchored else self.pattern.search(s))
        if self.anchored:
            if not s:
                return bool(self.pattern.match(s))
            c = s[0]
            rx = self.by_char[c] if c in self.by_char else self._for_char(c)
            if rx is not None and rx.match(s):
                return True
        elif self.rest is not None and self.rest.search(s):
            return True
        if not self.loose:
            return False
        # (fold, inlined for the usual ASCII line)
        folded = s.lower() if s.isascii() else fold(s)
        if self.any_guard is not None and not self.any_guard.search(folded):
            return False
        tail = folded[:-1] if folded.endswith("\n") else folded
        if self.any_guard is None and not (
            self.loose_ends and (folded.endswith(self.loose_ends) or tail.endswith(self.loose_ends))
        ):
            for lit in self.loose_free:
                if lit in folded:
                    break
            else:
                return False
        for guard, ends, alone in self.loose:
            if ends and not (folded.endswith(ends) or tail.endswith(ends)):
                continue
            for lit in guard:
                if lit in folded:
                    if alone.match(s) if self.anchored else alone.search(s):
                        return True
                    break
        return False
