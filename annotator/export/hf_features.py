"""The features of an hf export, in the YAML form `datasets` reads (Features._to_yaml_list) as
plain data: labels as a list of ClassLabel, links as a list of structs, the source type and
the nominal and ordinal fields as ClassLabel, times as timestamps."""

from __future__ import annotations

from typing import Any

from annotator.ingest.layout import KINDS
from annotator.schema import FieldSpec, LabelSchema

SENTENCE_VIEWS = ("gold", "majority", "raw")
# Times are features of their own: declared as strings, `datasets` (pyarrow's JSON reader
# infers timestamps first) turned "2026-11-02T09:00:01Z" into "2026-11-02 09:00:01".
TIMESTAMP = "timestamp[ms, tz=UTC]"

# A feature in the YAML form `datasets` reads (Features._to_yaml_list), as plain data.
Feature = dict[str, Any]


def _class_label(names: list[str]) -> dict[str, Any]:
    return {"class_label": {"names": {str(i): n for i, n in enumerate(names)}}}


def _value(name: str, dtype: str) -> Feature:
    return {"name": name, "dtype": dtype}


def _classes(name: str, names: list[str]) -> Feature:
    return {"name": name, "dtype": _class_label(names)}


def _field_dtype(f: FieldSpec) -> str | dict[str, Any]:
    """Nominal and ordinal fields are ClassLabel (the names in scale order, so an ordinal
    field's class index is its rank); interval and ratio numbers; text strings."""
    if f.level in ("nominal", "ordinal"):
        return _class_label([str(c.value) for c in f.values])
    return "string" if f.level == "text" else "float64"


def field_value(f: FieldSpec, v: object) -> object:
    """A field's value as its feature takes it: ClassLabel reads the class name."""
    if v is None:
        return None
    return str(v) if f.level in ("nominal", "ordinal") else v


def sentence_features(schema: LabelSchema, view: str) -> list[Feature]:
    common: list[Feature] = [
        _value("id", "string"),
        _value("article_id", "string"),
        _value("position", "int32"),
        _value("paragraph", "int32"),
        _classes("kind", list(KINDS)),
        _value("start", "int32"),
        _value("end", "int32"),
        _value("text", "string"),
        {
            "name": "links",
            "list": [_value("start", "int32"), _value("end", "int32"), _value("url", "string")],
        },
        {"name": "labels", "list": _class_label(list(schema.label_names))},
    ]
    common += [
        _classes(sf.name, [str(c.value) for c in sf.values]) for sf in schema.sentence_fields
    ]
    tail = [_value("n_annotators", "int32"), _value("flesch_kincaid_grade", "float32")]
    if view == "gold":
        return [
            *common,
            _value("gold_method", "string"),
            _value("adjudicator", "string"),
            {"name": "agrees_with", "list": "string"},
            _value("note", "string"),
            _value("decided_at", TIMESTAMP),
            *tail,
        ]
    if view == "majority":
        votes = [
            _classes("label", list(schema.label_names)),
            _value("votes", "int32"),
            _value("raters", "int32"),  # how many of n_annotators could give the label
        ]
        return [*common, {"name": "votes", "list": votes}, *tail]
    return [
        *common,
        _value("annotator", "string"),
        _value("comment", "string"),
        _value("confirmed_at", TIMESTAMP),
        _value("updated_at", TIMESTAMP),
        tail[1],
        {"name": "origins", "list": "string"},  # where each of `labels` came from
    ]


def article_features(schema: LabelSchema) -> list[Feature]:
    fields = schema.article_fields
    own = [{"name": f.name, "dtype": _field_dtype(f)} for f in fields]
    return [
        _value("id", "string"),
        _value("title", "string"),
        _value("outlet", "string"),
        _value("author", "string"),
        _value("published", "string"),
        _value("url", "string"),
        _value("sentences", "int32"),
        _value("flesch_kincaid_grade", "float32"),
        _value("language", "string"),
        _value("meta", "string"),  # JSON text, or null
        *own,  # gold values
        {
            "name": "gold_provenance",
            "list": [
                _value("field", "string"),
                _value("method", "string"),
                _value("adjudicator", "string"),
                {"name": "agrees_with", "list": "string"},
                _value("note", "string"),
                _value("decided_at", TIMESTAMP),
            ],
        },
        {"name": "annotations", "list": [_value("annotator", "string"), *own]},
        {
            "name": "outlet_fields",
            "list": [
                _value("field", "string"),
                _value("value", "string"),
                _value("entered_by", "string"),
                _value("entered_at", TIMESTAMP),
            ],
        },
    ]
