"""Acceptance: reproduce the published Krippendorff's alpha of BABE and MBIC from raw labels.

Spinde et al. (2021), Neural Media Bias Detection Using Distant Supervision With BABE,
Findings of EMNLP 2021, section 3.3; MBIC (Spinde et al. 2021, iConference). The data and the
exact method (see ../shared/babe_mbic/README.md) stay outside the project: one row per rater
and text, missing cells missing, alpha at the `krippendorff` package's default level
(interval). The published figures are rounded to 2 decimals; the 6-decimal values, D_o, D_e
and the pairable counts are the ones documented there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.agreement import krippendorff_alpha, read_long_csv
from annotator.models.matrices import Level

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "babe_mbic"

pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"BABE/MBIC raw labels not found at {DATA.resolve()}"
)

# The label-to-number mapping of the published computation (the CLI's --map TEXT=NUMBER).
# SG1 spells two labels differently (sic); both spellings are mapped.
BIAS_MAP = {"Biased": 1, "Non-biased": 0}
OPINION_MAP = {
    "Entirely factual": 0,
    "Somewhat factual but also opinionated": 1,
    "Somewhat factional but also opinionated": 1,
    "Expresses writer\u2019s opinion": 2,
    "Expresses wleter\u00b4s opinion": 2,
}
FILES = {
    "SG1": ("babe_sg1_raw_labels.csv", "annotator_id"),
    "SG2": ("babe_sg2_raw_labels.csv", "df_id"),
    "MBIC": ("mbic_raw_labels.csv", "survey_record_id"),
}
# (group, value column, value map, level): alpha, D_o, D_e, pairable values
EXPECTED = [
    ("SG1", "Label_bias_0-1", None, "interval", 0.388102, 0.305943, 0.499990, 13563),
    ("SG2", "Label_bias_0-1", None, "interval", 0.398866, 0.300465, 0.499830, 18346),
    ("MBIC", "label_bias", BIAS_MAP, "interval", 0.205867, 0.381455, 0.480341, 17775),
    ("SG1", "label_opinion", OPINION_MAP, "interval", 0.455187, 0.709381, 1.302064, 13439),
    ("SG2", "label_opinion", OPINION_MAP, "interval", 0.601625, 0.508403, 1.276190, 18347),
    ("MBIC", "label_opinion", OPINION_MAP, "interval", 0.264993, 0.990696, 1.347874, 17775),
    # Not published; documented alongside as the nominal reading of the opinion label.
    ("SG1", "label_opinion", OPINION_MAP, "nominal", 0.298178, 0.460051, 0.655510, 13439),
    ("SG2", "label_opinion", OPINION_MAP, "nominal", 0.415876, 0.377237, 0.645817, 18347),
    ("MBIC", "label_opinion", OPINION_MAP, "nominal", 0.166284, 0.555765, 0.666613, 17775),
]


def known(x: float | None) -> float:
    """A coefficient's value, or one of its terms, that must be defined here."""
    assert x is not None
    return x


def read(group: str, column: str, value_map, level: Level):
    name, rater = FILES[group]
    return read_long_csv(
        DATA / name,
        level,
        unit_column="text",
        annotator_column=rater,
        value_column=column,
        value_map=value_map,
    )


@pytest.mark.parametrize(
    ("group", "column", "value_map", "level", "alpha", "d_o", "d_e", "n"), EXPECTED
)
def test_published_alpha(group, column, value_map, level, alpha, d_o, d_e, n):
    result = krippendorff_alpha(read(group, column, value_map, level).ratings, level)
    assert round(known(result.value), 6) == alpha
    assert round(known(result.observed), 6) == d_o
    assert round(known(result.expected), 6) == d_e
    assert result.n_values == n


@pytest.mark.parametrize("group", ["SG1", "SG2", "MBIC"])
def test_binary_bias_nominal_equals_interval(group):
    column, value_map = ("label_bias", BIAS_MAP) if group == "MBIC" else ("Label_bias_0-1", None)
    nominal = krippendorff_alpha(read(group, column, value_map, "nominal").ratings, "nominal")
    interval = krippendorff_alpha(read(group, column, value_map, "interval").ratings, "interval")
    assert nominal.value == pytest.approx(interval.value, rel=1e-12)


def test_sg2_pivot_by_person_or_slot_is_the_same():
    by_slot = read("SG2", "Label_bias_0-1", None, "interval").ratings
    name, _ = FILES["SG2"]
    by_person = read_long_csv(
        DATA / name,
        "interval",
        unit_column="text",
        annotator_column="annotator_id",
        value_column="Label_bias_0-1",
    ).ratings
    a = krippendorff_alpha(by_slot, "interval").value
    assert krippendorff_alpha(by_person, "interval").value == pytest.approx(a, rel=1e-12)


def test_sg2_row_without_text_is_reported():
    notes = read("SG2", "Label_bias_0-1", None, "interval").notes
    assert notes == (f"{DATA / 'babe_sg2_raw_labels.csv'}:16494: empty 'text'; row skipped",)


def test_opinion_without_map_is_rejected_at_the_interval_level():
    with pytest.raises(ValueError, match="is not a number, as the interval level needs"):
        read("MBIC", "label_opinion", None, "interval")
