"""The label schema: which labels exist, their keys, and the article and outlet fields.

A schema is data (`guidelines/labels.toml`), validated here with pydantic so that a bad file
is rejected with the key and the problem, before anything is stored or shown. Nothing else in
the code names a label: it all comes through these models.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from annotator.keys import character_problem, label_key_problem, reserved_key
from annotator.models.export_columns import (
    ADDED_IN_ROUND_13,
    ARTICLE_COLUMNS,
    SENTENCE_COLUMNS,
)
from annotator.models.schema_bounds import bounded, unique

# defined apart, so that reading a guidelines folder need not import pydantic
from annotator.models.schema_errors import SCHEMA_FILE as SCHEMA_FILE
from annotator.models.schema_errors import SchemaError as SchemaError
from annotator.models.schema_places import At, describe

Level = Literal["nominal", "ordinal", "interval", "ratio", "text"]
NUMERIC_LEVELS = ("ordinal", "interval", "ratio")

_LABEL_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_CHECKED_APART = frozenset({"key", "guidelines"})
_ONE_LINE = frozenset({"name", "version", "title", "empty_label", "label", "color"})
# what acts on a terminal or breaks XML (safetext.py's set), line breaks and tabs aside
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_OR_BREAK = re.compile(_CONTROL.pattern[:-1] + "\\t\\n]")

# Colours for labels that do not name one: distinct on dark and light themes.
_PALETTE = (
    "#5fafff",
    "#d7af5f",
    "#af87ff",
    "#ff875f",
    "#ff5f87",
    "#d75fd7",
    "#878787",
    "#5fd787",
    "#87d7d7",
    "#d7d75f",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_controls(cls, v: object, info: ValidationInfo) -> object:
        if info.field_name in _CHECKED_APART or _stored(info):
            return v  # keys and the guidelines file name have their own, sharper messages
        # titles and descriptions go into the Label Studio config (XML 1.0 has no ESC), the
        # dataset card and every screen; TOML's "\u001b" escape let an OSC 52 clipboard
        # write through where a literal ESC is refused (audit12 F8). Line breaks and tabs
        # of a description are text.
        # and a name, version or title is one line (a newline in the schema's name made
        # `status` print a line of its making, and the card a heading: audit12 F18)
        rule = _CONTROL if info.field_name not in _ONE_LINE else _CONTROL_OR_BREAK
        for text in v if isinstance(v, list | tuple) else (v,):
            if isinstance(text, str) and (bad := rule.search(text)):
                raise ValueError(f"a control character (U+{ord(bad.group()):04X}) is not text")
        return v


Key = Annotated[str, Field(min_length=1, max_length=1)]


class Choice(_Model):
    """One value of a field: stored as `value`, shown as `title`."""

    value: str | int
    title: str
    description: str = ""
    key: Key | None = None


class FieldSpec(_Model):
    """An article, outlet or sentence field and the scale it is measured on."""

    name: str
    title: str
    description: str = ""
    level: Level
    values: list[Choice] = []

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _FIELD_NAME.match(v):
            # say the rule: 'thème' reads as lower_snake_case to a French team (audit12 F17)
            raise ValueError(
                f"field name {v!r} must be lower_snake_case: ASCII letters a-z, digits and _, "
                "starting with a letter"
            )
        return v

    @model_validator(mode="after")
    def _values_fit_level(self) -> FieldSpec:
        if self.level == "text":
            if self.values:
                raise At(("values",), "a text field takes no values")
            return self
        if len(self.values) < 2:
            raise At(("values",), f"a {self.level} field needs at least two values")
        values = [c.value for c in self.values]
        if len(set(values)) != len(values):
            raise At(("values",), "values repeat")
        if self.level in NUMERIC_LEVELS:
            if not all(isinstance(v, int) for v in values):
                raise At(("values",), f"{self.level} values must be whole numbers")
            if values != sorted(values):
                raise At(("values",), f"{self.level} values must be in increasing order")
        elif not all(isinstance(v, str) for v in values):
            raise At(("values",), "nominal values must be strings")
        return self

    def choice(self, value: object) -> Choice | None:
        if isinstance(value, bool):  # True == 1 in Python; no scale has true as a value
            return None
        return next((c for c in self.values if c.value == value), None)

    def accepts(self, value: object) -> bool:
        if value is None:
            return True
        if self.level == "text":
            return isinstance(value, str)
        return self.choice(value) is not None


class SentenceField(FieldSpec):
    """A field of a sentence that only applies when a label is set (attribution's source type)."""

    label: str

    @model_validator(mode="after")
    def _keys(self) -> SentenceField:
        if self.level == "text":
            raise At(("level",), "sentence fields are chosen with keys, not text")
        if any(c.key is None for c in self.values):
            raise At(("values",), "every value needs a key")
        return self


class LabelSpec(_Model):
    """A sentence label, toggled with one key."""

    name: str
    key: Key
    title: str = ""
    description: str
    color: str | None = None
    exclusive: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _LABEL_NAME.match(v):
            raise ValueError(
                f"label name {v!r} must be UPPER_SNAKE_CASE: ASCII letters A-Z, digits and _, "
                "starting with a letter"
            )
        return v

    @field_validator("color")
    @classmethod
    def _color(cls, v: str | None) -> str | None:
        if v is not None and not _COLOR.match(v):
            raise ValueError(f"colour {v!r} must be #rgb or #rrggbb")
        return v


class SchemaInfo(_Model):
    name: str
    version: str
    title: str = ""
    guidelines: str = "guidelines.md"
    empty_label: str | None = None
    """Label stored when a sentence is confirmed with nothing marked ("nothing applies")."""


class LabelSchema(_Model):
    """The whole schema as read from `labels.toml`."""

    info: SchemaInfo = Field(alias="schema")
    labels: list[LabelSpec]
    sentence_fields: list[SentenceField] = []
    article_fields: list[FieldSpec] = []
    outlet_fields: list[FieldSpec] = []

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> LabelSchema:
        # the rules added since a project may have stored its schema (audit12 F14, F17, F20)
        # hold for guidelines adopted now, not for a stored schema read back: an old
        # database must keep opening
        strict = not _stored(info)
        if not self.labels:
            raise At(("labels",), "the schema defines no label")
        if strict:
            bounded(self)
        unique("labels", [lab.name for lab in self.labels], "name")
        first_with_key: dict[str, str] = {}
        for i, lab in enumerate(self.labels):
            if lab.key in first_with_key:
                raise At(
                    ("labels", i, "key"),
                    f"key {lab.key!a} is already the key of {first_with_key[lab.key]}",
                )
            first_with_key[lab.key] = lab.name
        for i, lab in enumerate(self.labels):
            problem = label_key_problem(lab.key)
            if problem:
                raise At(("labels", i, "key"), f"key {lab.key!a} {problem}; choose another key")
        names = {lab.name for lab in self.labels}
        label_keys = {lab.key: lab.name for lab in self.labels}
        # a value's key picks it on the annotation screen whichever field it is in: two
        # values on one key left the second unreachable (audit12 F14)
        value_keys: dict[str, str] = {}
        for i, sf in enumerate(self.sentence_fields):
            if sf.label not in names:
                raise At(("sentence_fields", i, "label"), f"no label {sf.label!r}")
            for j, c in enumerate(sf.values):
                assert c.key is not None
                if strict and c.key in value_keys:
                    raise At(
                        ("sentence_fields", i, "values", j, "key"),
                        f"key {c.key!a} is already the key of {value_keys[c.key]}; every "
                        "value of the sentence fields needs a key of its own",
                    )
                value_keys[c.key] = f"{sf.name} {c.value!r}"
                if c.key in label_keys:
                    raise At(
                        ("sentence_fields", i, "values", j, "key"),
                        f"key {c.key!a} is already the key of label {label_keys[c.key]}",
                    )
                bad = character_problem(c.key)
                if bad:
                    raise At(("sentence_fields", i, "values", j, "key"), f"key {c.key!a} {bad}")
                does = reserved_key(c.key)
                if does:
                    raise At(
                        ("sentence_fields", i, "values", j, "key"),
                        f"key {c.key!a} is the annotation screen's key for '{does}'",
                    )
        for i, lab in enumerate(self.labels):
            # csv has a column per label beside id, text ...: `ID` and `id` are one column to
            # SQL, DuckDB and spreadsheets' look-ups (audit12 F17)
            if strict and lab.name.casefold() in SENTENCE_COLUMNS | {
                f.name.casefold() for f in self.sentence_fields
            }:
                raise At(
                    ("labels", i, "name"),
                    f"{lab.name!r} is a column the exports already have (in any case), or a "
                    "sentence field's; choose another name",
                )
        for group in ("sentence_fields", "article_fields", "outlet_fields"):
            unique(group, [f.name for f in getattr(self, group)], "name")
        for group, taken in (
            ("sentence_fields", SENTENCE_COLUMNS),
            ("article_fields", ARTICLE_COLUMNS),
        ):
            if not strict:
                taken = taken - ADDED_IN_ROUND_13
            elif group == "article_fields":
                # the csv articles file writes an outlet field as `outlet_NAME` (audit12 F20)
                taken = taken | {f"outlet_{o.name.casefold()}" for o in self.outlet_fields}
            for i, f in enumerate(getattr(self, group)):
                if f.name.casefold() in taken:
                    raise At(
                        (group, i, "name"),
                        f"{f.name!r} is a column the exports already have; choose another name",
                    )
        empty = self.info.empty_label
        if empty is not None:
            spec = next((lab for lab in self.labels if lab.name == empty), None)
            if spec is None:
                raise At(("schema", "empty_label"), f"no label {empty!r}")
            if not spec.exclusive:
                raise At(("schema", "empty_label"), f"label {empty} must be exclusive = true")
        return self

    # --- lookups -------------------------------------------------------------------------

    @cached_property
    def label_names(self) -> tuple[str, ...]:
        return tuple(lab.name for lab in self.labels)

    def label(self, name: str) -> LabelSpec:
        for lab in self.labels:
            if lab.name == name:
                return lab
        raise KeyError(name)

    def color(self, name: str) -> str:
        """The label's colour, or a stable one from the palette."""
        lab = self.label(name)
        if lab.color:
            return lab.color
        return _PALETTE[self.label_names.index(name) % len(_PALETTE)]

    def sentence_field(self, name: str) -> SentenceField:
        return next(f for f in self.sentence_fields if f.name == name)

    def article_field(self, name: str) -> FieldSpec:
        return next(f for f in self.article_fields if f.name == name)

    def outlet_field(self, name: str) -> FieldSpec:
        return next(f for f in self.outlet_fields if f.name == name)

    def normalise_labels(self, labels: list[str] | set[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Labels in schema order, for stable storage and display."""
        order = {n: i for i, n in enumerate(self.label_names)}
        return tuple(sorted(set(labels), key=lambda n: order.get(n, len(order))))

    # --- identity ------------------------------------------------------------------------

    def canonical_json(self) -> str:
        return json.dumps(
            self.model_dump(mode="json", by_alias=True),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @cached_property
    def hash(self) -> str:
        """Short content hash: two databases with the same hash use the same labels."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()[:16]


def _stored(info: ValidationInfo) -> bool:
    """Is this a schema read back from a database (parse_schema(..., stored=True))?"""
    return bool(info.context and info.context.get("stored"))


def parse_schema(text: str, source: str = SCHEMA_FILE, *, stored: bool = False) -> LabelSchema:
    """Parse and validate schema TOML text; `source` names the file in error messages.
    `stored`: the text comes from a database, where it was valid when adopted: the rules
    added since are not applied to it (see _stored)."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib recurses once per nested array or inline table
        raise SchemaError(f"{source}: values nested too deeply to be a label schema") from None
    except tomllib.TOMLDecodeError as e:
        # tomllib says "... (at line 5, column 3)": lead with FILE:LINE like every other error
        m = re.search(r"\(at line (\d+), column \d+\)", str(e))
        where = f"{source}:{m.group(1)}" if m else source
        raise SchemaError(f"{where}: {str(e).split(' (at line')[0]}") from None
    try:
        return LabelSchema.model_validate(data, context={"stored": stored})
    except ValidationError as e:
        raise SchemaError(describe(e.errors(), text, data, source, LabelSchema)) from None
    except RecursionError:
        raise SchemaError(f"{source}: values nested too deeply to be a label schema") from None
