"""Inter-annotator agreement: pure functions over numpy arrays and small dataclasses.

Numbers only (no database, no terminal): the CLI and the TUI build a reliability matrix and
call these. Formulas, generalisations and references: docs/agreement.md.
"""

from annotator.agreement.alpha import alpha_with_distance, coincidence_matrix, krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_ci
from annotator.agreement.coefficients import (
    PairwiseKappa,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    pairwise_cohen_kappa,
    percent_agreement,
    scott_pi,
)
from annotator.agreement.csvdata import (
    CsvFormatError,
    CsvRatings,
    parse_map_option,
    read_long_csv,
    read_value_map,
    read_wide_csv,
)
from annotator.agreement.labels import (
    LabelAgreement,
    label_matrix_from_sets,
    label_matrix_from_triples,
    label_report,
    masi_alpha,
    masi_distance,
)
from annotator.agreement.ratings import ratings_from_rows, ratings_from_triples
from annotator.agreement.results import Coefficient, ConfidenceInterval
from annotator.models.matrices import LEVELS, LabelMatrix, Level, Ratings

__all__ = [
    "LEVELS",
    "Coefficient",
    "ConfidenceInterval",
    "CsvFormatError",
    "CsvRatings",
    "LabelAgreement",
    "LabelMatrix",
    "Level",
    "PairwiseKappa",
    "Ratings",
    "alpha_with_distance",
    "bootstrap_ci",
    "cohen_kappa",
    "coincidence_matrix",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "label_matrix_from_sets",
    "label_matrix_from_triples",
    "label_report",
    "masi_alpha",
    "masi_distance",
    "pairwise_cohen_kappa",
    "parse_map_option",
    "percent_agreement",
    "ratings_from_rows",
    "ratings_from_triples",
    "read_long_csv",
    "read_value_map",
    "read_wide_csv",
    "scott_pi",
]
