"""Parsing JSON from files we import, strictly: anything the standard library would accept
but that cannot be stored, exported or read back the same way is refused with a reason.

Python's `json` module accepts more than JSON: `NaN`, `Infinity` and `1e999999` (stored,
they make the database's JSON invalid), duplicate keys (the last one silently wins, though
the README promises strict validation), and lone surrogate escapes such as "\\ud800" (a
`str` that SQLite and every UTF-8 writer later refuse to encode, deep inside a
transaction). And it raises errors that are not `JSONDecodeError`: `ValueError` for an
integer of more than 4,300 digits, `RecursionError` for deeply nested values. Every one of
these ends here as a `JsonRefused` with one line of reason.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# Deeper than any real record needs; far below what exhausts Python's recursion limit in
# json, pydantic or json.dumps when the value is stored and exported again.
MAX_DEPTH = 64

# A surrogate can only enter a parsed str through a \uD800-\uDFFF escape: strict UTF-8
# decoding refuses encoded surrogates. So the (rare) full walk runs only when one is seen.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JsonRefused(ValueError):
    """Text that is not strict JSON; str() is the reason, for FILE:LINE: reason."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonRefused(f"duplicate key {key!r} (JSON keys must be unique)")
            seen.add(key)
    return obj


def _constant(name: str) -> Any:
    raise JsonRefused(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(f"number {text[:20]!r} is out of range")
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float, strict=True
)


def loads(text: str) -> Any:
    """Parse one JSON document strictly; raise JsonRefused (or json.JSONDecodeError)."""
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise JsonRefused(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError:
        raise
    except JsonRefused:
        raise
    except ValueError as e:
        # int('...' * 5000): "Exceeds the limit (4300 digits) for integer string conversion"
        raise JsonRefused(f"a number too long to read ({str(e).split(':')[0]})") from None
    _check_value(value, surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    return value


def _check_value(value: Any, *, surrogates: bool) -> None:
    """Depth, and lone surrogates when an escape was seen; iterative, so never recursing."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            if depth >= MAX_DEPTH:
                raise JsonRefused(f"nested more than {MAX_DEPTH} levels deep")
            for k, item in v.items():
                if surrogates:
                    _check_str(k)
                stack.append((item, depth + 1))
        elif isinstance(v, list):
            if depth >= MAX_DEPTH:
                raise JsonRefused(f"nested more than {MAX_DEPTH} levels deep")
            stack.extend((item, depth + 1) for item in v)
        elif surrogates and isinstance(v, str):
            _check_str(v)


def _check_str(s: str) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError as e:
        raise JsonRefused(
            f"lone surrogate \\u{ord(s[e.start]):04x} in a string (not valid Unicode)"
        ) from None


def describe_decode_error(e: json.JSONDecodeError) -> str:
    # json's own message for a control character already ends in "at" ("Invalid control
    # character at"): one "at" before the column
    msg = e.msg[:-3] if e.msg.endswith(" at") else e.msg
    return f"invalid JSON: {msg} at column {e.colno}"
