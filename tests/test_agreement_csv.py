"""Reading ratings from CSV (wide and long layouts), value maps, and the one-line errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from annotator.agreement import (
    CsvFormatError,
    krippendorff_alpha,
    parse_map_option,
    read_long_csv,
    read_value_map,
    read_wide_csv,
)


def write(tmp_path, text: str, name="data.csv", encoding="utf-8", bom=False):
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def codes_as_values(ratings):
    cats = np.array(ratings.categories, dtype=object)
    return [[None if c < 0 else cats[c] for c in row] for row in ratings.codes]


# --- wide layout -------------------------------------------------------------------------------


def test_wide_with_unit_column_and_missing_cells(tmp_path):
    path = write(tmp_path, "unit,ann,bob,cy\ns1,a,b,\ns2,b,b,b\ns3,,a,a\n")
    result = read_wide_csv(path, "nominal")
    data = result.ratings
    assert data.coders == ("ann", "bob", "cy")
    assert data.units == ("s1", "s2", "s3")
    assert data.categories == ("a", "b")
    assert codes_as_values(data) == [["a", "b", None], ["b", "b", "b"], [None, "a", "a"]]
    assert result.notes == ()


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_spreadsheet_saved_with_semicolons_or_tabs_reads_the_same(tmp_path, sep):
    """audit9b F16: "unit;ann;bob" was one annotator of that name, and every coefficient
    "undefined: only one coder"."""
    comma = read_wide_csv(write(tmp_path, "unit,ann,bob\ns1,a,b\ns2,b,b\n"), "nominal").ratings
    text = f"unit{sep}ann{sep}bob\ns1{sep}a{sep}b\ns2{sep}b{sep}b\n"
    other = read_wide_csv(write(tmp_path, text, name="other.csv"), "nominal").ratings
    assert other.coders == comma.coders == ("ann", "bob")
    assert codes_as_values(other) == codes_as_values(comma)


def test_wide_without_unit_column_numbers_units_by_line(tmp_path):
    path = write(tmp_path, "A,B\n1,2\n\n3,3\n")  # a blank line is skipped
    data = read_wide_csv(path, "interval").ratings
    assert data.units == (2, 4)
    assert data.categories == (1, 2, 3)


def test_wide_unit_column_is_case_insensitive(tmp_path):
    data = read_wide_csv(write(tmp_path, "Unit,A,B\nx,1,1\n"), "ordinal").ratings
    assert data.coders == ("A", "B")


def test_bom_quotes_and_embedded_newlines(tmp_path):
    text = 'unit,"Smith, J.",B\n"a ""quoted""\nunit",yes,no\nu2,no,no\n'
    data = read_wide_csv(write(tmp_path, text, bom=True), "nominal").ratings
    assert data.coders == ("Smith, J.", "B")
    assert data.units == ('a "quoted"\nunit', "u2")


def test_line_numbers_count_physical_lines(tmp_path):
    # The record after a quoted two-line cell starts on line 4.
    path = write(tmp_path, 'unit,A,B\n"two\nlines",1,2\nu3,1\n')
    with pytest.raises(CsvFormatError, match=r"data\.csv:4: expected 3 fields"):
        read_wide_csv(path, "interval")


def test_values_are_stripped_identifiers_are_not(tmp_path):
    data = read_wide_csv(write(tmp_path, "unit,A,B\n u1 , 1 ,2\n"), "interval").ratings
    assert data.units == (" u1 ",)
    assert data.categories == (1, 2)


def test_value_map_turns_text_into_numbers(tmp_path):
    path = write(tmp_path, "unit,A,B,C\nu1,low,high,3\nu2,low,low,\n")
    data = read_wide_csv(path, "interval", value_map={"low": 1, "high": 5.5}).ratings
    assert data.categories == (1, 3, 5.5)
    assert codes_as_values(data) == [[1, 5.5, 3], [1, 1, None]]


def test_nominal_value_map_merges_spellings(tmp_path):
    path = write(tmp_path, "A,B\nwriter’s,wleter´s\n")
    data = read_wide_csv(path, "nominal", value_map={"writer’s": 2, "wleter´s": 2}).ratings
    assert data.categories == (2,)


# --- long layout -------------------------------------------------------------------------------


LONG = """text,annotator_id,label
s1,1,Biased
s1,2,Non-biased
s2,1,Biased
s2,2,
s2,3,Biased
"""


def test_long_layout(tmp_path):
    kwargs: dict[str, Any] = dict(
        unit_column="text", annotator_column="annotator_id", value_column="label"
    )
    data = read_long_csv(write(tmp_path, LONG), "nominal", **kwargs).ratings
    assert data.units == ("s1", "s2")
    assert data.coders == ("1", "2", "3")
    assert codes_as_values(data) == [["Biased", "Non-biased", None], ["Biased", None, "Biased"]]
    mapped = read_long_csv(
        write(tmp_path, LONG), "interval", value_map={"Biased": 1, "Non-biased": 0}, **kwargs
    ).ratings
    assert mapped.categories == (0, 1)
    assert krippendorff_alpha(mapped, "interval").value == pytest.approx(
        krippendorff_alpha(data, "nominal").value
    )


def test_long_rows_with_empty_ids_are_skipped_with_a_note(tmp_path):
    text = "u,a,v\nx,1,5\n,2,4\ny,,3\nx,2,5\n"
    result = read_long_csv(
        write(tmp_path, text), "interval", unit_column="u", annotator_column="a", value_column="v"
    )
    assert result.ratings.codes.shape == (1, 2)
    assert len(result.notes) == 2
    assert result.notes[0].endswith("data.csv:3: empty 'u'; row skipped")
    assert result.notes[1].endswith("data.csv:4: empty 'a'; row skipped")


def test_duplicate_rating_names_both_lines(tmp_path):
    text = "u,a,v\nx,1,5\ny,1,5\nx,2,4\nx,1,5\n"
    with pytest.raises(CsvFormatError) as error:
        read_long_csv(
            write(tmp_path, text),
            "interval",
            unit_column="u",
            annotator_column="a",
            value_column="v",
        )
    message = str(error.value)
    assert message.endswith("data.csv:5: annotator '1' rated unit 'x' twice (also at line 2)")
    assert "\n" not in message


def test_duplicate_unit_row_in_wide_layout(tmp_path):
    with pytest.raises(CsvFormatError, match=r":3: unit 'x' appears twice \(first at line 2\)"):
        read_wide_csv(write(tmp_path, "unit,A,B\nx,1,1\nx,1,2\n"), "interval")


def test_unknown_column_lists_the_columns(tmp_path):
    with pytest.raises(CsvFormatError) as error:
        read_long_csv(
            write(tmp_path, LONG),
            "nominal",
            unit_column="sentence",
            annotator_column="annotator_id",
            value_column="label",
        )
    assert str(error.value).endswith(
        "data.csv:1: no column 'sentence'; the columns are: 'text', 'annotator_id', 'label'"
    )


def test_same_column_for_two_roles(tmp_path):
    with pytest.raises(ValueError, match="three different columns"):
        read_long_csv(
            write(tmp_path, LONG), "nominal", unit_column="text", annotator_column="text",
            value_column="label",
        )  # fmt: skip


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit,A,B\nu1,1,2,3\n", r"data\.csv:2: expected 3 fields as in the header, got 4"),
        ("unit,A,B\nu1,1,x\n", r"data\.csv:2: 'x' is not a number, as the interval level needs"),
        ("unit,A,B\nu1,1,nan\n", r"data\.csv:2: 'nan' is not a number"),
        ("", r"data\.csv: empty file: no header row"),
        ("\n\n", r"data\.csv: empty file: no header row"),
        (",,\n1,2,3\n", r"data\.csv:1: no header: the first row is empty"),
        ("unit,A,\nu,1,2\n", r"data\.csv:1: annotator column 2 has no name"),
        ("A,B,A\n1,2,3\n", r"data\.csv:1: annotator 'A' appears twice in the header"),
        ("unit\nu1\n", r"data\.csv:1: the header names no annotator"),
        ("unit,A,B\n", r"data\.csv:1: no unit rows after the header"),
        ('unit,A,B\nu1,"1,2\n', r"data\.csv:2: malformed CSV"),
    ],
)
def test_wide_errors(tmp_path, text, expected):
    with pytest.raises(CsvFormatError, match=expected) as error:
        read_wide_csv(write(tmp_path, text), "interval")
    assert "\n" not in str(error.value)


def test_ratio_level_rejects_negative_values(tmp_path):
    with pytest.raises(CsvFormatError, match=r":2: '-1' is negative"):
        read_wide_csv(write(tmp_path, "A,B\n-1,2\n"), "ratio")


def test_not_utf8_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "A,B\n1,2\ncaf\xe9,1\n", encoding="latin-1")
    with pytest.raises(CsvFormatError, match=r"data\.csv:3: not UTF-8"):
        read_wide_csv(path, "nominal")


def test_level_is_checked():
    with pytest.raises(ValueError, match="level"):
        read_wide_csv("whatever.csv", "numeric")  # type: ignore[arg-type]


# --- value maps --------------------------------------------------------------------------------


def test_read_value_map_with_and_without_header(tmp_path):
    with_header = write(tmp_path, "label,value\nBiased,1\nNon-biased,0\n", "map.csv")
    assert read_value_map(with_header) == {"Biased": 1.0, "Non-biased": 0.0}
    text = '"Somewhat factual, but",1\nEntirely factual,0\n'
    assert read_value_map(write(tmp_path, text, "m2.csv")) == {
        "Somewhat factual, but": 1.0,
        "Entirely factual": 0.0,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,1\nb,x\n", r"map\.csv:2: 'x' is not a finite number"),
        ("a,1\na,2\n", r"map\.csv:2: 'a' is mapped twice \(also at line 1\)"),
        ("a,1,2\n", r"map\.csv:1: expected 2 fields"),
        (",1\n", r"map\.csv:1: empty text"),
        ("label,value\n", r"map\.csv: no mapping rows"),
    ],
)
def test_value_map_errors(tmp_path, text, expected):
    with pytest.raises(CsvFormatError, match=expected):
        read_value_map(write(tmp_path, text, "map.csv"))


def test_parse_map_option():
    assert parse_map_option("Biased=1") == ("Biased", 1.0)
    assert parse_map_option("a=b = 2.5") == ("a=b", 2.5)
    assert parse_map_option("Expresses writer’s opinion=2") == ("Expresses writer’s opinion", 2)
    for bad in ("Biased", "=1", "Biased=x", "Biased=inf"):
        with pytest.raises(ValueError, match="TEXT=NUMBER"):
            parse_map_option(bad)


def test_wide_rows_with_an_empty_unit_id_are_skipped_with_a_note(tmp_path):
    result = read_wide_csv(write(tmp_path, "unit,A,B\nu1,1,2\n ,1,1\n"), "interval")
    assert result.ratings.units == ("u1",)
    assert result.notes == (f"{tmp_path / 'data.csv'}:3: empty 'unit'; row skipped",)
