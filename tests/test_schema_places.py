"""Schema errors say where: `FILE:LINE: labels[5] (NOTHING).exlusive: ...`, counting from 1
(audit12 F7: no line, and `labels.4.key` from pydantic beside `labels[1]` from the schema's
own checks, both from 0, while cues.toml counted from 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.guidelines import load_guidelines
from annotator.schema import SchemaError, parse_schema
from tests.conftest import ROOT, guidelines_copy, write

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


def test_a_schema_has_bounds_but_a_stored_one_still_opens(tmp_path: Path) -> None:
    """audit12 F17: 60 labels and an article field of 100,000 values (8.9 MB) were adopted,
    and every command then re-validated them (`status` 4.2 s against 0.3 s)."""
    values = ", ".join(f'{{ value = "v{i}", title = "V{i}" }}' for i in range(1001))
    big = DEFAULT_TOML.replace(
        "[[article_fields]]",
        f'[[article_fields]]\nname = "place"\ntitle = "Place"\nlevel = "nominal"\n'
        f"values = [{values}]\n\n[[article_fields]]",
        1,
    )
    assert _error(big) == (
        f"g/labels.toml:{_line(big, 'values = [{ value')}: article_fields[1] (place).values: "
        "1,001 values, more than the 1,000 a field may have"
    )
    # a database that stored it before the bound keeps opening
    assert len(parse_schema(big, stored=True).article_fields[0].values) == 1001
    many = DEFAULT_TOML + "".join(
        f'\n[[labels]]\nname = "L{i}"\nkey = "{chr(0x4E00 + i)}"\ndescription = "x"\n'
        for i in range(93)
    )
    assert "labels: 101 labels, more than the 100 a schema may have" in _error(many)
    folder = guidelines_copy(tmp_path / "g")
    write(folder / "labels.toml", DEFAULT_TOML + "#" * (1024 * 1024))
    with pytest.raises(SchemaError, match=r"labels.toml: more than 1,048,576 bytes"):
        load_guidelines(folder)
