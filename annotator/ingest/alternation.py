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
pattern.

The parse is the engine's own (sre_parse); it is deprecated as a module name but is what
`re` runs on, and nothing here depends on it beyond reading its tree.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Sequence
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as sc
    import sre_parse

# The only non-ASCII characters that match an ASCII letter under re.IGNORECASE (the engine's
# simple case folding and its extra cases: dotted and dotless i, long s, the Kelvin sign);
# tests/test_layout_fast_paths.py checks this against every code point.
TWINS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


_HAS_TWIN = re.compile("[" + "".join(map(chr, TWINS)) + "]")


def fold(s: str) -> str:
    """The line as the guards look at it: each character that matches an ASCII character
    under re.IGNORECASE becomes that character in lower case."""
    if not s.isascii() and _HAS_TWIN.search(s):
        s = s.translate(TWINS)
    return s.lower()


def guard_safe(lit: str) -> bool:
    """A literal whose characters fold as `fold` folds the line: ASCII, or without case."""
    return bool(lit) and all(
        c.isascii() or (c.lower() == c == c.upper() and c.casefold() == c and ord(c) not in TWINS)
        for c in lit
    )


def split_alternatives(inner: str) -> list[str] | None:
    """The top-level alternatives of a pattern's source, None if it cannot be read."""
    out: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(inner)
    while i < n:
        c = inner[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _past_class(inner, i)
            if i < 0:
                return None
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif c == "|" and depth == 0:
            out.append(inner[start:i])
            start = i + 1
        i += 1
    if depth:
        return None
    out.append(inner[start:])
    return out


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
    i = open_at
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _past_class(pattern, i)
            if i < 0:
                return -1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


_I = sre_parse.SRE_FLAG_IGNORECASE
_BUILDING = threading.Lock()
_REPEATS = {sc.MAX_REPEAT, sc.MIN_REPEAT} | (
    {sc.POSSESSIVE_REPEAT} if hasattr(sc, "POSSESSIVE_REPEAT") else set()
)
_CATEGORIES = {
    sc.CATEGORY_DIGIT: r"\d",
    sc.CATEGORY_NOT_DIGIT: r"\D",
    sc.CATEGORY_SPACE: r"\s",
    sc.CATEGORY_NOT_SPACE: r"\S",
    sc.CATEGORY_WORD: r"\w",
    sc.CATEGORY_NOT_WORD: r"\W",
}


class _Unknown(Exception):
    """A construct this reading does not follow: the alternative is tried on every line."""


# The parse tree's items are (opcode, argument) pairs whose argument type depends on the
# opcode (typeshed spells it as a wide union): they are read here as Any, opcode by opcode.


def _char(code: int) -> str:
    return re.escape(chr(code))


def _item_class(op: Any, av: Any) -> str:
    """One consuming item as a one-character pattern."""
    if op is sc.LITERAL:
        return _char(av)
    if op is sc.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is sc.IN:
        parts = []
        negate = False
        for iop, iav in av:
            if iop is sc.NEGATE:
                negate = True
            elif iop is sc.LITERAL:
                parts.append(_char(iav))
            elif iop is sc.RANGE:
                parts.append(f"{_char(iav[0])}-{_char(iav[1])}")
            elif iop is sc.CATEGORY and iav in _CATEGORIES:
                parts.append(_CATEGORIES[iav])
            else:
                raise _Unknown(iop)
        return "[" + ("^" if negate else "") + "".join(parts) + "]"
    raise _Unknown(op)


def _first(seq: Any, flags: int) -> tuple[list[str], bool]:
    """The one-character patterns an item sequence can open with, and whether it can match
    the empty string. Raises _Unknown for anything that can open with any character."""
    out: list[str] = []
    for op, av in seq:
        if op is sc.AT or op is sc.ASSERT or op is sc.ASSERT_NOT:
            continue  # zero width: what follows opens the match
        if op is sc.ANY:
            raise _Unknown(op)
        if op in (sc.LITERAL, sc.NOT_LITERAL, sc.IN):
            cls = _item_class(op, av)
            out.append(f"(?i:{cls})" if flags & _I else f"(?-i:{cls})")
            return out, False
        if op is sc.SUBPATTERN:
            _group, add, delete, sub = av
            first, empty = _first(sub, (flags | add) & ~delete)
        elif op is sc.BRANCH:
            first, empty = [], False
            for branch in av[1]:
                f, e = _first(branch, flags)
                first += f
                empty = empty or e
        elif op in _REPEATS:
            lo, _hi, sub = av
            first, empty = _first(sub, flags)
            empty = empty or lo == 0
        elif hasattr(sc, "ATOMIC_GROUP") and op is sc.ATOMIC_GROUP:
            first, empty = _first(av, flags)
        else:
            raise _Unknown(op)
        out += first
        if not empty:
            return out, False
    return out, True


def _required(seq: Any) -> list[frozenset[str]]:
    """Sets of literals (as the pattern spells them) of which the sequence cannot match
    without one: a run of literal characters, or a group each of whose branches needs one."""
    found: list[frozenset[str]] = []
    run = ""
    for op, av in seq:
        if op is sc.LITERAL:
            run += chr(av)
            continue
        if run:
            found.append(frozenset([run]))
            run = ""
        if op is sc.SUBPATTERN:
            found += _required(av[3])
        elif hasattr(sc, "ATOMIC_GROUP") and op is sc.ATOMIC_GROUP:
            found += _required(av)
        elif op in _REPEATS and av[0] >= 1:
            found += _required(av[2])
        elif op is sc.BRANCH:
            choices: set[str] = set()
            for branch in av[1]:
                best = _best(_required(branch))
                if best is None:
                    break
                choices |= best
            else:
                found.append(frozenset(choices))
    if run:
        found.append(frozenset([run]))
    return found


def _suffixes(seq: Any) -> frozenset[str] | None:
    """Literals one of which the sequence's match must end with, if it must (its last item
    is a literal run, or a group each of whose branches ends with one)."""
    items = list(seq)
    run = ""
    while items and items[-1][0] is sc.LITERAL:
        run = chr(items.pop()[1]) + run
    if run:
        return frozenset([run])
    if not items:
        return None
    op, av = items[-1]
    if op is sc.SUBPATTERN:
        return _suffixes(av[3])
    if op in _REPEATS and av[0] >= 1:
        return _suffixes(av[2])
    if op is sc.BRANCH:
        ends: set[str] = set()
        for branch in av[1]:
            got = _suffixes(branch)
            if got is None:
                return None
            ends |= got
        return frozenset(ends)
    return None


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling requirement: the longest shortest literal, then the fewest."""
    usable = [s for s in sets if s and all(guard_safe(lit) for lit in s)]
    if not usable:
        return None
    return max(usable, key=lambda s: (min(len(lit) for lit in s), -len(s)))


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
                tree = sre_parse.parse(alt, self.flags)
            except re.error:
                self.fast = False
                break
            opens: re.Pattern[str] | None = None
            if self.anchored:
                try:
                    first, empty = _first(tree.data, self.flags)
                    if not empty:
                        opens = re.compile("|".join(first))
                except _Unknown:
                    pass
            guard = _best(_required(tree.data))
            ends = _suffixes(tree.data) if self.anchored else None
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
