"""What every reader of a label file shares: the one error (FILE:LINE: reason), the checks
of labels, fields and names against the schema, and strict JSON reading."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from annotator.export.dropped_labels import DroppedLabels
from annotator.ingest.reading import InputError, open_regular
from annotator.ingest.strictjson import JsonRefused, describe_decode_error, loads
from annotator.models.team import TeamError, check_name
from annotator.schema import LabelSchema
from annotator.store.annotations import event_time

# Offsets and positions index sentences; anything past SQLite's 64-bit integers raised
# OverflowError deep in the import ("Python int too large to convert to SQLite INTEGER").
MAX_POSITION = 2**62
# a comment, a note, a sentence's text: an article is at most 250,000 characters (import)
MAX_TEXT = 250_000
# another machine's clock may run ahead of this one's; a time later than this is a mistake
_CLOCK_SKEW = timedelta(days=1)
_EARLIEST = "1970-01-01T00:00:00.000Z"  # no labelling tool wrote times before
# an origin as events record it (models.suggestions: TYPED, IMPORTED, origin_of); names
# without separators or control characters, as import-suggestions requires of sources
ORIGIN = re.compile(r"typed|imported|suggestion:[^@:\x00-\x1f\x7f]{1,100}@[^@\x00-\x1f\x7f]{1,100}")


class LabelFileError(ValueError):
    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


class Checker:
    def __init__(
        self, path: Path, schema: LabelSchema, dropped: DroppedLabels | None = None
    ) -> None:
        self.path = path
        self.schema = schema
        self.dropped = dropped

    def labels(
        self, value: Any, line: int, *, as_exported: bool = False, gold: bool = False
    ) -> tuple[str, ...]:
        """The labels of a record, checked, in schema order. `[]` is the empty label (NONE:
        "confirmed with nothing", as the screen stores it), except in a record of our own
        export (`as_exported`), where it is an annotation whose labels were all dropped by
        --drop-labels: confirmed, none of the labels applies (records.without), stored as
        such so that the round trip keeps it (audit12 F10). Labels the project dropped
        (`dropped`) are left out and counted there; a record that gave only those is `()`
        (an annotation confirmed with none of the labels; a `gold` decision to leave out)."""
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise LabelFileError(self.path, line, "labels must be a list of label names")
        if self.dropped is not None and value:
            value = self.dropped.take(value, line, gold=gold)
            if not value:
                return ()
        unknown = [x for x in value if x not in self.schema.label_names]
        if unknown:
            raise LabelFileError(
                self.path,
                line,
                f"unknown label {unknown[0]!r} (the schema "
                f"has {', '.join(self.schema.label_names)})",
            )
        labels = self.schema.normalise_labels(value)
        if len(labels) > 1:
            # audit9b F5: NONE beside HEDGED was stored, a vote for both, which the screen
            # never allows (toggling an exclusive label clears the others)
            for lab in labels:
                if self.schema.label(lab).exclusive:
                    others = ", ".join(x for x in labels if x != lab)
                    raise LabelFileError(
                        self.path, line, f"{lab} is exclusive: it cannot go with {others}"
                    )
        if not labels and self.schema.info.empty_label and not as_exported:
            labels = (self.schema.info.empty_label,)  # confirmed with nothing: NONE, as stored
        return labels

    def no_label(self, marked: bool) -> bool:
        """Whether an empty answer our export marked as having every label dropped is read
        so (`as_exported`): only where the project dropped labels (DroppedLabels.no_label)."""
        return self.dropped is not None and self.dropped.no_label(marked)

    def fields(self, value: Any, labels: tuple[str, ...], line: int) -> tuple[tuple[str, str], ...]:
        if value in (None, {}):
            return ()
        if not isinstance(value, dict):
            raise LabelFileError(self.path, line, "fields must be an object")
        out = []
        for name, v in value.items():
            try:
                sf = self.schema.sentence_field(name)
            except StopIteration:
                if self.dropped is not None and self.dropped.field_left(name):
                    continue  # its label was dropped: as the project reads its own
                raise LabelFileError(self.path, line, f"unknown field {name!r}") from None
            if sf.choice(v) is None:
                raise LabelFileError(self.path, line, f"{name}: no value {v!r}")
            if sf.label not in labels:
                raise LabelFileError(self.path, line, f"{name} is set without {sf.label}")
            out.append((name, str(v)))
        return tuple(sorted(out))

    def origins(self, value: Any, labels: Any, line: int) -> tuple[tuple[str, str], ...]:
        """Where each label came from, as our exports write it (`origins`: a list beside
        `labels`, in their order, or label -> origin); absent: nothing said (the import
        records such labels as `imported`)."""
        if value is None:
            return ()
        if isinstance(value, dict):
            pairs = list(value.items())
        elif isinstance(value, list) and isinstance(labels, list) and len(value) == len(labels):
            pairs = list(zip(labels, value, strict=True))
        else:
            raise LabelFileError(self.path, line, "origins must give one origin per label")
        for _label, origin in pairs:
            if not isinstance(origin, str) or not ORIGIN.fullmatch(origin):
                shown = repr(origin)[:60]
                raise LabelFileError(
                    self.path,
                    line,
                    f"origins: {shown} is not typed, imported or suggestion:SOURCE@VERSION",
                )
        return tuple((str(lab), str(o)) for lab, o in pairs)

    def text(self, value: Any, line: int, name: str) -> str | None:
        """An optional string: absent or null is None; any other type is an error, not a
        value silently dropped."""
        if value is None or isinstance(value, str):
            if value is not None and len(value) > MAX_TEXT:
                # audit9b F16: a 20,000,000-character comment went in (stored four times)
                raise LabelFileError(
                    self.path, line, f"{name} is {len(value):,} characters (at most {MAX_TEXT:,})"
                )
            return value
        raise LabelFileError(self.path, line, f"{name} must be a string")

    def time(self, value: Any, line: int, name: str) -> str | None:
        """An optional ISO 8601 time (no zone: UTC), as the database writes times (UTC,
        milliseconds, `Z`: they sort as text). audit9b F4: any text was stored ("yesterday",
        "2026-13-45T99:00:00Z"), an hf export declaring the column a timestamp no longer
        loaded, and a far-future time won every later "the later change wins" for good."""
        text = self.text(value, line, name)
        if text is None:
            return None
        at = event_time(text)
        if at is None:
            shown = text if len(text) <= 40 else f"{text[:40]}..."
            raise LabelFileError(self.path, line, f"{name} {shown!r} is not an ISO 8601 time")
        # (a year before 1000 would not even sort: strftime writes it with fewer digits)
        latest = (datetime.now(UTC) + _CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M:%S.999Z")
        if not _EARLIEST <= at <= latest:
            raise LabelFileError(
                self.path,
                line,
                f"{name} {text} is {'in the future' if at > latest else 'before 1970'}",
            )
        return at

    def integer(self, value: Any, line: int, name: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise LabelFileError(self.path, line, f"{name} must be a whole number")
        if not 0 <= value < MAX_POSITION:
            shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}..."
            raise LabelFileError(self.path, line, f"{name} {shown} is out of range")
        return value

    def annotator(self, value: Any, line: int) -> str:
        if not isinstance(value, str) or not value.strip():
            raise LabelFileError(
                self.path, line, "the annotator's name is missing or empty: give --annotator NAME"
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise LabelFileError(
                self.path, line, "the annotator's name is not valid Unicode"
            ) from None
        # the rule `team add` applies (audit7 F2: names with ESC, a line break or padded
        # blanks became annotators here and went on into every export)
        try:
            return check_name(value)
        except TeamError as e:
            raise LabelFileError(self.path, line, f"annotator {e}") from None


def open_label_file(path: Path) -> BinaryIO:
    """Open for reading, refusing FIFOs, devices and sockets by name."""
    try:
        return open_regular(path)
    except InputError as e:
        raise LabelFileError(path, None, e.reason) from None


def parse(path: Path, line: int | None, text: str) -> Any:
    try:
        return loads(text)
    except json.JSONDecodeError as e:
        raise LabelFileError(path, line or e.lineno, describe_decode_error(e)) from None
    except JsonRefused as e:
        raise LabelFileError(path, line, str(e)) from None


def decode(path: Path, line: int | None, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LabelFileError(
            path, line, f"not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})"
        ) from None


def json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open_label_file(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            obj = parse(path, lineno, decode(path, lineno, raw))
            if not isinstance(obj, dict):
                raise LabelFileError(path, lineno, "each line must be a JSON object")
            yield lineno, obj


def json_object(path: Path, line: int, value: Any, name: str) -> dict[str, Any]:
    """An optional JSON object: absent or null is empty; anything else is an error."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise LabelFileError(path, line, f"{name} must be an object")
    return value


def one_author(c: Checker, lineno: int, annotator: str, names: list[Any]) -> None:
    """--annotator NAME gives one person's work to NAME; a record that holds several
    people's annotations of one sentence would fold them into one, so it is refused."""
    distinct = sorted({str(n) for n in names})
    if len(distinct) > 1:
        shown = ", ".join(distinct[:3]) + (" ..." if len(distinct) > 3 else "")
        raise LabelFileError(
            c.path,
            lineno,
            f"--annotator {annotator}: this record holds the annotations of {len(distinct)} "
            f"annotators ({shown}), which one name cannot stand for",
        )


# keys other tools (Label Studio, Prodigy, spreadsheets) use for what ours are called,
# flattened as near_miss compares them
_OTHER_NAMES = {
    "updated": "updated_at",
    "modified": "updated_at",
    "modifiedat": "updated_at",
    "lastmodified": "updated_at",
    "timestamp": "updated_at",
    "createdat": "confirmed_at",
    "created": "confirmed_at",
    "confirmed": "confirmed_at",
    "label": "labels",
    "user": "annotator",
    "annotatorid": "annotator",
    "notes": "comment",
    "note": "comment",
}


def near_miss(c: Checker, line: int, record: dict[str, Any], known: frozenset[str]) -> None:
    """Refuse a key that is not one of `known` but looks like one: the same but for case,
    `_` or `-`, or a letter or two off (`updatedAt`, `comments`)."""
    fields = {sf.name for sf in c.schema.sentence_fields}
    for key in record:
        if key in known or not isinstance(key, str):
            continue
        flat = key.casefold().replace("_", "").replace("-", "")
        same = [k for k in known if k.replace("_", "") == flat]
        # other tools' names for our keys, and a sentence field beside `labels` (audit10
        # F6: `updated`, `created_at`, `timestamp` and a top-level `source_type` went by)
        same += [_OTHER_NAMES[flat]] if flat in _OTHER_NAMES else []
        same += [f"fields.{f}" for f in fields if f.replace("_", "") == flat]
        close = same or difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.85)
        if close and len(key) >= 4:
            raise LabelFileError(
                c.path, line, f"unknown key {key[:40]!r}: did you mean {close[0]!r}?"
            )
