"""Where in labels.toml a schema problem is: `FILE:LINE: labels[5] (NOTHING).exlusive: ...`.

tomllib gives no positions, and pydantic names a problem by a 0-based path (`labels.4.key`)
while the schema's own checks wrote `labels[1]` and cues.toml `[[cues]] #1`: a lead editing a
40-label file counted tables by hand (audit12 F7). Here the path is written one way, counting
from 1 as an editor does, with the name of the table, and its line is found by a small
scanner of the source text: the Nth `[[labels]]` header, then the key's line in that table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel

Loc = tuple[str | int, ...]

# at most this many problems in one message: a broken file can make hundreds
_SHOWN = 5

# a table header's name is dotted bare or quoted keys: no comma (`["“", "”"],` in an array)
_HEADER = re.compile(r"""^\s*(\[\[?)\s*([A-Za-z0-9_\-. "']+?)\s*\]\]?\s*(?:#.*)?$""")
_KEY = re.compile(r"""^\s*([A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')\s*=""")


class At(ValueError):
    """A problem found by the schema's own checks, with the path it concerns (0-based, as
    pydantic's are, relative to the model that raises it)."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc


def describe(
    errors: Iterable[Mapping[str, Any]],
    text: str,
    data: object,
    source: str,
    root: type[BaseModel],
) -> str:
    """One line for pydantic's errors: each `FILE:LINE: PATH: problem`, joined by "; "."""
    found: dict[tuple[str, str], list[str]] = {}
    for e in errors:
        loc: Loc = tuple(e["loc"])
        error = (e.get("ctx") or {}).get("error")
        if isinstance(error, At):
            loc += error.loc
        loc = _keys_only(loc, data)
        if e["type"] == "extra_forbidden":
            known = [k for k in keys_at(root, loc[:-1]) if k != loc[-1]]
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            msg = "unknown key" + (f" (did you mean {close[0]}?)" if close else "")
        elif e["type"] == "missing":
            msg = "required, and missing"
        else:
            msg = str(e["msg"]).removeprefix("Value error, ")
        line = line_of(text, loc)
        where = f"{source}:{line}" if line else source
        msgs = found.setdefault((where, path_text(loc, data)), [])
        if msg not in msgs:
            msgs.append(msg)  # a union's members each say what they take: one part
    parts = [
        f"{where}: {path}: {' or '.join(msgs)}" if path else f"{where}: {' or '.join(msgs)}"
        for (where, path), msgs in found.items()
    ]
    more = len(parts) - _SHOWN
    return "; ".join(parts[:_SHOWN]) + (f"; and {more} more" if more > 0 else "")


def keys_at(root: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the table at `loc` may have, from the models (for "did you mean ...?")."""
    from pydantic import BaseModel

    model = root
    for p in loc:
        if isinstance(p, int):
            continue
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if p not in fields:
            return []
        annotation = fields[p].annotation
        inner = [
            t
            for t in (annotation, *get_args(annotation))
            if isinstance(t, type) and issubclass(t, BaseModel)
        ]
        if not inner:
            return []
        model = inner[0]
    return [f.alias or n for n, f in model.model_fields.items()]


def _keys_only(loc: Loc, data: object) -> Loc:
    """The path without pydantic's names of a union's members (`value.str`, `value.int`),
    which are no keys of the file."""
    out: list[str | int] = []
    node = data
    for p in loc:
        if isinstance(p, int) and isinstance(node, list):
            node = node[p] if p < len(node) else None
        elif isinstance(p, str) and isinstance(node, dict):
            node = node.get(p)
        elif isinstance(p, str) and node is not None:
            continue  # below a value that is no table
        out.append(p)
    return tuple(out)


def path_text(loc: Loc, data: object) -> str:
    """`labels[5] (NOTHING).exlusive`: arrays of tables counted from 1, each table named by
    its `name` (or a choice by its `value`) as the file has it."""
    out = ""
    node = data
    for p in loc:
        if isinstance(p, int):
            out += f"[{p + 1}]"
            node = node[p] if isinstance(node, list) and p < len(node) else None
            if isinstance(node, dict):
                name = node.get("name", node.get("value"))
                if isinstance(name, str | int) and not isinstance(name, bool) and name != "":
                    out += f" ({_shown(str(name))})"
        else:
            out += f".{p}" if out else p
            node = node.get(p) if isinstance(node, dict) else None
    return out


def _shown(name: str) -> str:
    """A name as the message shows it: escaped if it holds what is no text (an invalid name
    is named too), and cut if long."""
    if not name.isprintable():
        name = ascii(name)[1:-1]
    return name if len(name) <= 40 else name[:39] + "…"


def line_of(text: str, loc: Loc) -> int | None:
    """The 1-based line of `loc` in TOML `text`: the key's line if the file has it, else its
    table's header; None when neither is found (a path into an inline array, say)."""
    if not loc or not isinstance(loc[0], str):
        return None
    entries = _entries(text)
    head, rest = loc[0], loc[1:]
    if rest and isinstance(rest[0], int):
        headers = [n for n, kind, name in entries if kind == "array" and name == head]
        if len(headers) <= rest[0]:
            return _key_line(entries, 0, "", head)  # `labels = [...]`: the key's line
        start, rest = headers[rest[0]], rest[1:]
    else:
        # `[schema]`, or the first `[[article_feilds]]` of an unknown array
        tables = [n for n, kind, name in entries if kind in ("table", "array") and name == head]
        if not tables:
            return _key_line(entries, 0, "", head)
        start = tables[0]
    if not rest or not isinstance(rest[0], str):
        return start
    key = _key_line(entries, start, head, rest[0])
    if key is None:
        return start  # a missing key: its table
    if len(rest) > 1 and isinstance(rest[1], int):
        # `values = [ {...}, {...} ]` one table a line: the Nth such line
        inline = []
        for n, kind, _ in entries:
            if n <= key:
                continue
            if kind != "inline":
                break
            inline.append(n)
        if len(inline) > rest[1]:
            return inline[rest[1]]
    return key


def _key_line(entries: list[tuple[int, str, str]], start: int, table: str, key: str) -> int | None:
    """The line of `key` in the table whose header is on line `start` (0: before any)."""
    for n, kind, name in entries:
        if n <= start:
            continue
        if kind in ("array", "table"):
            return None
        if kind == "key" and name == key:
            return n
    return None


def _entries(text: str) -> list[tuple[int, str, str]]:
    """(line, kind, name) of each table header ("array", "table"), key ("key") and line that
    opens with an inline table ("inline"), the lines of multi-line strings left out."""
    out: list[tuple[int, str, str]] = []
    open_string = None
    for n, line in enumerate(text.splitlines(), 1):
        if open_string is not None:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        if m := _HEADER.match(line):
            kind = "array" if m.group(1) == "[[" else "table"
            out.append((n, kind, ".".join(_unquote(p.strip()) for p in m.group(2).split("."))))
            continue
        if m := _KEY.match(line):
            out.append((n, "key", _unquote(m.group(1))))
        elif line.lstrip().startswith("{"):
            out.append((n, "inline", ""))
        for quotes in ('"""', "'''"):
            if line.count(quotes) % 2 == 1:
                open_string = quotes
                break
    return out


def _unquote(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'" else name
