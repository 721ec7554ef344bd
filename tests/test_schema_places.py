"""Schema errors say where: `FILE:LINE: labels[5] (NOTHING).exlusive: ...`, counting from 1
(audit12 F7: no line, and `labels.4.key` from pydantic beside `labels[1]` from the schema's
own checks, both from 0, while cues.toml counted from 1)."""

from __future__ import annotations

import pytest

from annotator.schema import SchemaError, parse_schema
from tests.conftest import ROOT

DEFAULT_TOML = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")


KEY_U, KEY_UU, HEDGED, VALUE_3 = 'key = "u"', 'key = "uu"', 'name = "HEDGED"', '{ key = "3"'


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _error(text: str) -> str:
    with pytest.raises(SchemaError) as e:
        parse_schema(text, "g/labels.toml")
    return str(e.value)


def test_a_misspelt_key_is_named_with_its_line_and_the_key_meant() -> None:
    text = DEFAULT_TOML.replace("exclusive = true", "exlusive = true")
    assert _error(text) == (
        f"g/labels.toml:{_line(text, 'exlusive')}: labels[8] (NONE).exlusive: unknown key "
        "(did you mean exclusive?)"
    )
    text = DEFAULT_TOML.replace("[[article_fields]]", "[[article_feilds]]", 1)
    assert _error(text).startswith(
        f"g/labels.toml:{_line(text, '[[article_feilds]]')}: article_feilds: unknown key "
        "(did you mean article_fields?)"
    )


def test_pydantic_and_the_schemas_own_checks_count_alike_from_1() -> None:
    # pydantic's check (one character) and the schema's (a key in use) name the table alike
    too_long = DEFAULT_TOML.replace('key = "u"', 'key = "uu"')
    assert _error(too_long).startswith(
        f"g/labels.toml:{_line(too_long, KEY_UU)}: labels[4] (UNVERIFIED).key: "
    )
    taken = DEFAULT_TOML.replace('key = "u"', 'key = "a"')
    assert _error(taken) == (
        f"g/labels.toml:{_line(DEFAULT_TOML, KEY_U)}: labels[4] (UNVERIFIED).key: "
        "key 'a' is already the key of ATTRIBUTED"
    )
    twice = DEFAULT_TOML.replace('name = "HEDGED"', 'name = "QUOTE"')
    assert _error(twice) == (
        f"g/labels.toml:{_line(DEFAULT_TOML, HEDGED)}: labels[3] (QUOTE).name: "
        "'QUOTE' is already the name of labels[2]"
    )
    value = DEFAULT_TOML.replace(
        '{ key = "3", value = "unnamed_specific"', '{ key = "j", value = "x"'
    )
    assert _error(value).startswith(
        f"g/labels.toml:{_line(DEFAULT_TOML, VALUE_3)}: sentence_fields[1] (source_type)"
        ".values[3] (x).key: key 'j' is the annotation screen's key"
    )
    empty = DEFAULT_TOML.replace('empty_label = "NONE"', 'empty_label = "NOPE"')
    assert _error(empty) == (
        f"g/labels.toml:{_line(DEFAULT_TOML, 'empty_label = ')}: schema.empty_label: "
        "no label 'NOPE'"
    )


def test_a_header_inside_a_multiline_string_is_not_a_table() -> None:
    """The scanner skips multi-line strings: a description quoting `[[labels]]` moves no
    table."""
    text = DEFAULT_TOML.replace(
        'description = "The content is credited',
        'description = """\n[[labels]]\nkey = "z"\n"""\nnote = "The content is credited',
        1,
    )
    message = _error(text)
    # the unknown key `note` of the first label, on its own line; nothing else is wrong
    assert message == (
        f"g/labels.toml:{_line(text, 'note = ')}: labels[1] (ATTRIBUTED).note: unknown key"
    )


def test_a_non_ascii_name_is_refused_with_the_rule() -> None:
    """audit12 F17: 'ÄUSSERUNG must be UPPER_SNAKE_CASE' hid the rule (ASCII only) from a
    German team, who read the name as upper snake case."""
    label = _error(DEFAULT_TOML.replace('name = "LOADED"', 'name = "ÄUSSERUNG"'))
    assert "labels[6] (ÄUSSERUNG).name: label name 'ÄUSSERUNG' must be UPPER_SNAKE_CASE" in label
    assert "ASCII letters A-Z, digits and _" in label
    field = _error(DEFAULT_TOML.replace('name = "genre"', 'name = "thème"'))
    assert "ASCII letters a-z, digits and _" in field
