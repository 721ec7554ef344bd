"""What the regex engine's own parse of a pattern says about the strings it can match: the
characters a match can open with, literals it cannot match without, literals it must end
with. alternation.py reads each alternative of a long pattern this way (its module docstring
says why); all three are necessary conditions only, and anything not understood raises
Unknown so that the caller falls back to the plain pattern.

The parse is the engine's own (sre_parse); it is deprecated as a module name but is what
`re` runs on, and nothing here depends on it beyond reading its tree.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as sc
    import sre_parse


# The only non-ASCII characters that match an ASCII letter under re.IGNORECASE (the engine's
# simple case folding and its extra cases: dotted and dotless i, long s, the Kelvin sign);
# tests/test_layout_fast_paths.py checks this against every code point.
TWINS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


def guard_safe(lit: str) -> bool:
    """A literal whose characters fold as `fold` folds the line: ASCII, or without case."""
    return bool(lit) and all(
        c.isascii() or (c.lower() == c == c.upper() and c.casefold() == c and ord(c) not in TWINS)
        for c in lit
    )


def best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling requirement: the longest shortest literal, then the fewest."""
    usable = [s for s in sets if s and all(guard_safe(lit) for lit in s)]
    if not usable:
        return None
    return max(usable, key=lambda s: (min(len(lit) for lit in s), -len(s)))


def parse(pattern: str, flags: int) -> Any:
    """The engine's parse tree of `pattern` (an sre_parse.SubPattern)."""
    return sre_parse.parse(pattern, flags)


_I = sre_parse.SRE_FLAG_IGNORECASE
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


class Unknown(Exception):
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
                raise Unknown(iop)
        return "[" + ("^" if negate else "") + "".join(parts) + "]"
    raise Unknown(op)


def openers(seq: Any, flags: int) -> tuple[list[str], bool]:
    """The one-character patterns an item sequence can open with, and whether it can match
    the empty string. Raises Unknown for anything that can open with any character."""
    out: list[str] = []
    for op, av in seq:
        if op is sc.AT or op is sc.ASSERT or op is sc.ASSERT_NOT:
            continue  # zero width: what follows opens the match
        if op is sc.ANY:
            raise Unknown(op)
        if op in (sc.LITERAL, sc.NOT_LITERAL, sc.IN):
            cls = _item_class(op, av)
            out.append(f"(?i:{cls})" if flags & _I else f"(?-i:{cls})")
            return out, False
        if op is sc.SUBPATTERN:
            _group, add, delete, sub = av
            first, empty = openers(sub, (flags | add) & ~delete)
        elif op is sc.BRANCH:
            first, empty = [], False
            for branch in av[1]:
                f, e = openers(branch, flags)
                first += f
                empty = empty or e
        elif op in _REPEATS:
            lo, _hi, sub = av
            first, empty = openers(sub, flags)
            empty = empty or lo == 0
        elif hasattr(sc, "ATOMIC_GROUP") and op is sc.ATOMIC_GROUP:
            first, empty = openers(av, flags)
        else:
            raise Unknown(op)
        out += first
        if not empty:
            return out, False
    return out, True


def required(seq: Any) -> list[frozenset[str]]:
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
            found += required(av[3])
        elif hasattr(sc, "ATOMIC_GROUP") and op is sc.ATOMIC_GROUP:
            found += required(av)
        elif op in _REPEATS and av[0] >= 1:
            found += required(av[2])
        elif op is sc.BRANCH:
            choices: set[str] = set()
            for branch in av[1]:
                got = best(required(branch))
                if got is None:
                    break
                choices |= got
            else:
                found.append(frozenset(choices))
    if run:
        found.append(frozenset([run]))
    return found


def suffixes(seq: Any) -> frozenset[str] | None:
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
        return suffixes(av[3])
    if op in _REPEATS and av[0] >= 1:
        return suffixes(av[2])
    if op is sc.BRANCH:
        ends: set[str] = set()
        for branch in av[1]:
            got = suffixes(branch)
            if got is None:
                return None
            ends |= got
        return frozenset(ends)
    return None
