"""YAML front matter at the top of a .txt/.md file: parsed with a safe loader that refuses
duplicate keys, each known field's value checked to be text, errors naming FILE:LINE."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from annotator.ingest.input_files import InputError
from annotator.ingest.language import declared
from annotator.ingest.strictjson import MAX_DEPTH

METADATA_KEYS = ("id", "title", "outlet", "author", "published", "url")
_KIND = {"tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:int": "number"}


_KEY = re.compile(r"[A-Za-z_][\w.-]*\Z")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def split_front_matter(text: str, path: Path | str) -> tuple[dict[str, str], dict[str, Any], int]:
    """Parse `---` YAML front matter at the top of a .txt/.md file, with a safe loader.

    Returns (known metadata as strings, other keys, offset where the body starts). A
    declared language (`language:` or `lang:`, which must agree) is checked and returned
    among the known metadata as "language" (the caller stores it as the article's). YAML
    as people write it works: folded and quoted values, lists ("tags: [politics, senate]"),
    dates. A known field given as a list (several authors) is joined with ", ".
    """
    # a blank line right after the opening "---" is a thematic break over a paragraph, never
    # front matter (as Jekyll and Hugo read it): "---\n\nIntro paragraph ...\n\n---"
    if not re.match(r"---[ \t]*\r?\n(?![ \t]*\r?\n)", text):
        return {}, {}, 0
    first = text.index("\n") + 1
    end = _FRONT_END.search(text, first)
    if end is None:
        raise InputError(path, 1, "front matter opened with '---' is never closed")
    nl = text.find("\n", end.end())
    body_start = len(text) if nl < 0 else nl + 1
    import yaml  # only files with front matter pay for it

    loader = None
    try:
        # (the reader refuses some characters as soon as it is made: inside the try)
        loader = _strict_loader()(text[first : end.start()])
        data = loader.get_single_data()
    except _Refused as e:
        raise InputError(path, e.line + 2, e.reason) from None
    except yaml.YAMLError as e:
        # the context mark is where the faulty entry starts; the problem mark where the
        # parser gave up (often the line after)
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise InputError(path, line, f"front matter is not valid YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        return {}, {}, body_start
    if not isinstance(data, dict):
        raise InputError(path, 2, "front matter must be 'key: value' lines (a YAML mapping)")
    if any(isinstance(k, str) and not _KEY.match(k) for k in data):
        # "---\nThe mayor said: it was fine.\n---": a sentence between two thematic breaks,
        # not a field (front matter keys are names: "title", "published_at", "og-image")
        return {}, {}, 0
    known: dict[str, str] = {}
    other: dict[str, Any] = {}
    date: tuple[object, int] | None = None  # the first `date:` key's value and line
    cased: dict[str, object] = {}  # each key lower-cased, and as it was written
    for k, v in data.items():
        key = str(k).lower()
        # the line of the key in the file, for errors: the front matter starts on line 2
        key_line = loader.key_lines.get(k)
        at = key_line + 2 if key_line is not None else 1
        if key in cased:
            # `title:` then `Title:`: the second overwrote the first without a word
            # (audit11 F21); keys are read without case, so this is a duplicate key
            raise InputError(
                path, at, f"front matter key {k!r} repeats {cased[key]!r} (keys ignore case)"
            )
        cased[key] = k
        if key in ("language", "lang") and v is not None:
            try:
                code = declared(v)
            except ValueError as e:
                raise InputError(path, at, f"front matter {key!r}: {e}") from None
            if known.setdefault("language", code) != code:
                raise InputError(
                    path,
                    at,
                    f"front matter 'language' and 'lang' disagree ({known['language']}, {code})",
                )
        elif key in METADATA_KEYS:
            if v is None:
                continue
            value = _known_text(key, v, path, at)
            if "\x00" in value:
                # a body with a NUL is refused: a title's `\0` escape was stored and written
                # raw into the articles csv (audit11 F16)
                raise InputError(path, at, f"front matter {key!r} contains a NUL character")
            if key == "id" and not value.strip():
                # it fell back to the file name without a word, where JSON Lines refuses an
                # empty id (audit11 F16)
                raise InputError(
                    path,
                    at,
                    "front matter 'id' is empty: give the id, or leave the key out "
                    "to take the file's name",
                )
            # a title or author is one line: a folded (`>`) or literal (`|`) value keeps a
            # final line break, and a literal one inner ones, which would show in the header
            known[key] = " ".join(value.split())
        else:
            other[key] = _plain(v)
            if key == "date" and date is None:
                date = (v, at)
    # Hugo, Jekyll, Eleventy and Astro write the publication date as `date:` (audit6 F16):
    # it is the published date when the file gives no `published:` of its own
    if "published" not in known and date is not None:
        when, at = date
        if when is not None and not isinstance(when, dict | list | bool):
            known["published"] = " ".join(_known_text("date", when, path, at).split())
            other.pop("date", None)
    return known, other, body_start


class _Refused(Exception):
    """Front matter refused while it is composed, before any value is built: `line` counts
    from the first line of the front matter (0), `reason` is said as it is."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


_ALIASES = (
    "front matter uses a YAML anchor or alias (&name, *name): write each value out "
    "(front matter never needs them, and each alias can multiply what is read)"
)


# The safe loader's tags whose values JSON (the article's `meta`, every export) has no type
# for: they reached meta as Python reprs ("b'hello'", "{'a', 'b'}": audit10 F9). Refused,
# not converted: base64 text or a decoded string would read as text the author wrote, and
# a set made a list would gain an order it never had; no news front matter writes them.
_NO_JSON = {
    "tag:yaml.org,2002:binary": "!!binary: binary data, which the article's metadata (JSON) "
    "cannot hold; write the value as text",
    "tag:yaml.org,2002:set": "!!set: a set, which the article's metadata (JSON) cannot hold; "
    "write it as a list ([a, b])",
    "tag:yaml.org,2002:omap": "!!omap: an ordered map, which the article's metadata (JSON) "
    "cannot hold; write a mapping, or a list",
    "tag:yaml.org,2002:pairs": "!!pairs: a list of pairs, which the article's metadata (JSON) "
    "cannot hold; write a mapping, or a list",
}


def _strict_loader() -> type[Any]:
    """YAML's safe loader, refusing a duplicate key (the safe loader keeps the last one
    silently; the JSON Lines reader refuses them too) and noting the line of each key of
    the top mapping, for errors that name it. Anchors and aliases are refused, and nesting
    deeper than the JSON Lines reader allows, and values JSON has no type for (_NO_JSON),
    as the nodes are composed: before anything is built from them (audit9b F9, F10)."""
    import yaml

    class StrictLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no types
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.key_lines: dict[object, int] = {}
            self._root: object = None
            self._depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            # an alias is a reference, cheap to compose, but every later copy of the value
            # (meta made JSON, exports) expands it: nine levels of nine aliases in 371 bytes
            # became 387 million strings and 1.8 GB (audit9b F9, "billion laughs"). Hugo,
            # Jekyll and the others never need one, so any anchor or alias is refused.
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused(event.start_mark.line, _ALIASES)
            unstored = _NO_JSON.get(getattr(event, "tag", None) or "")
            if unstored is not None:
                raise _Refused(event.start_mark.line, f"front matter value tagged {unstored}")
            if isinstance(event, yaml.ScalarEvent) and (bad := _SURROGATE.search(event.value)):
                # "\ud800" in double quotes: no UTF-8 writer takes it (SQLite's binding
                # raised, a traceback that stopped the folder: audit11 F18); the JSON Lines
                # reader refuses the same escape
                raise _Refused(
                    event.start_mark.line,
                    f"front matter holds a lone surrogate (U+{ord(bad.group()):04X}), which "
                    "is not text",
                )
            # the composer and the constructor recurse once a level: 5,000 "[" ended in a
            # RecursionError traceback that stopped a folder's import (audit9b F10); the
            # rule is the JSON Lines meta's (ingest/strictjson.py)
            nested = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
            if nested:
                self._depth += 1
                if self._depth > MAX_DEPTH:
                    raise _Refused(
                        event.start_mark.line, f"nested more than {MAX_DEPTH} levels deep"
                    )
            try:
                return super().compose_node(parent, index)
            finally:
                if nested:
                    self._depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[object] = set()
            top = node is self._root
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    fresh = key not in seen
                    seen.add(key)
                except TypeError:
                    continue  # an unhashable key: the safe loader says so itself
                if not fresh:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                if top:
                    self.key_lines[key] = key_node.start_mark.line
            return dict(super().construct_mapping(node, deep=deep))

        def construct_document(self, node: Any) -> Any:
            self._root = node
            return super().construct_document(node)

        def construct_checked(self, node: Any) -> Any:
            """A value whose constructor raises (an impossible date, "2024-13-45"): an error
            at its line, not a traceback that stops a folder's import."""
            try:
                value = _SAFE_CONSTRUCTORS[node.tag](self, node)
                if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
                    # 0x... of 5,000 digits: YAML builds it (a power-of-two base has no
                    # digit limit), and the article's meta could not be written as JSON
                    # (a traceback from a worker ended the import: audit11 F20)
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"an integer of more than {_MAX_INT_DIGITS:,} digits is too long to read",
                        node.start_mark,
                    )
                return value
            except (ValueError, OverflowError) as e:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{_short(node.value)!r} is not a valid {_KIND.get(node.tag, 'value')} "
                    f"({_short(str(e))})",
                    node.start_mark,
                ) from None

    _SAFE_CONSTRUCTORS = dict(yaml.SafeLoader.yaml_constructors)
    for tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        StrictLoader.add_constructor(tag, StrictLoader.construct_checked)
    # Numbers as YAML 1.2 reads them, not 1.1 (audit11 F21): `zip: 01234` was the octal 668,
    # `ratio: 1:30` the base-60 90, `1_000` 1000, silently. A number is decimal (no leading
    # zero), 0x hex, or a decimal fraction / exponent; anything else stays the text written.
    StrictLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in rules if tag not in (_INT, _FLOAT)]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    StrictLoader.add_implicit_resolver(_FLOAT, _FLOAT_12, list("-+0123456789."))
    StrictLoader.add_implicit_resolver(_INT, _INT_12, list("-+0123456789"))
    return StrictLoader


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_INT_12 = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|[-+]?0x[0-9a-fA-F]+)$")
_FLOAT_12 = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Python's own limit on reading and writing decimal integers (sys.int_info), in bits
_MAX_INT_DIGITS = 4300
_MAX_INT_BITS = int(_MAX_INT_DIGITS * 3.3219)


def _known_text(key: str, v: object, path: Path | str, line: int) -> str:
    """A known field's value as text: a string, a number, a date (published); a list of
    them (several authors) joined with ", ". Anything else is refused by name: it would
    otherwise be stored as a Python repr (`b'hello'`, `{'x': 1}`, `True` for "yes")."""
    items = v if isinstance(v, list) else [v]
    for x in items:
        if isinstance(x, bool):
            raise InputError(
                path, line, f"{key}: write it in quotes (YAML reads yes/no/on/off as true/false)"
            )
        if not isinstance(x, str | int | float) and not callable(getattr(x, "isoformat", None)):
            what = (
                "a mapping"
                if isinstance(x, dict)
                else "a list"
                if isinstance(x, list)
                else ("binary data" if isinstance(x, bytes) else type(x).__name__)
            )
            raise InputError(path, line, f"{key} must be text, not {what}")
    return ", ".join(_scalar(x) for x in items)


def _scalar(v: object) -> str:
    # dates are ISO 8601 (YAML reads "2024-10-24" as a date); everything else as written
    iso = getattr(v, "isoformat", None)
    return str(iso()) if callable(iso) else str(v)


def _plain(v: object) -> Any:
    """YAML values made JSON-serialisable for `meta` (dates to ISO strings)."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        # YAML's .nan and .inf: no JSON number, so every export wrote NaN/Infinity, which
        # no JSON reader (ours included) takes (audit10 F7); kept as written
        return str(v)
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return _scalar(v)


def _short(text: str) -> str:
    """A value in an error message: its start, when it is long (a 5,000-digit number)."""
    return text if len(text) <= 60 else text[:57] + "..."
