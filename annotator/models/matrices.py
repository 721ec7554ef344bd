"""What agreement is computed from: the arrays the store fills and the agreement package
reads. Plain frozen dataclasses over numpy arrays, checked on construction."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import numpy as np

Level: TypeAlias = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
MISSING = -1


def as_level(name: str) -> Level:
    """`name` as a Level, or a ValueError that lists the levels."""
    if name not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {name!r}")
    return name


@dataclass(frozen=True, eq=False)
class Ratings:
    """A units x coders matrix of category codes.

    `codes[u, c]` indexes `categories`, or is -1 when coder c did not rate unit u.
    `coders` and `units` name the columns and rows (they may be empty when unknown).
    """

    codes: np.ndarray
    categories: tuple[Hashable, ...]
    coders: tuple[str, ...] = ()
    units: tuple[Hashable, ...] = ()

    def __post_init__(self) -> None:
        codes = np.asarray(self.codes)
        if codes.ndim != 2:
            raise ValueError(f"codes must be units x coders (2-D), got shape {codes.shape}")
        if codes.dtype.kind not in "iu":
            raise ValueError(f"codes must be integers, got dtype {codes.dtype}")
        if codes.dtype.kind == "u":  # -1 must be representable, and negation must not wrap
            codes = codes.astype(np.int64)
        if codes.size and (codes.min() < MISSING or codes.max() >= len(self.categories)):
            raise ValueError("codes must be -1 (missing) or an index into categories")
        if self.coders and len(self.coders) != codes.shape[1]:
            raise ValueError(f"{len(self.coders)} coder names for {codes.shape[1]} columns")
        if self.units and len(self.units) != codes.shape[0]:
            raise ValueError(f"{len(self.units)} unit names for {codes.shape[0]} rows")
        object.__setattr__(self, "codes", codes)

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[1])


ABSENT, PRESENT = 0, 1


@dataclass(frozen=True, eq=False)
class LabelMatrix:
    """present[u, c, l]: 1 present, 0 absent (confirmed without it), -1 not confirmed."""

    present: np.ndarray
    labels: tuple[str, ...]
    coders: tuple[str, ...] = ()
    units: tuple[Hashable, ...] = ()

    def __post_init__(self) -> None:
        present = np.asarray(self.present)
        if present.ndim != 3 or present.shape[2] != len(self.labels):
            raise ValueError("present must be units x coders x labels")
        if present.size and (present.min() < MISSING or present.max() > PRESENT):
            raise ValueError("present holds 1 (present), 0 (absent) or -1 (not confirmed)")
        object.__setattr__(self, "present", present.astype(np.int8, copy=False))

    @property
    def confirmed(self) -> np.ndarray:
        """units x coders: the coder confirmed the unit. Any label's value says so, not the
        first one's: a label added since a confirmation is -1 there (audit12 F6)."""
        if not self.present.shape[2]:
            return np.zeros(self.present.shape[:2], dtype=bool)
        return np.asarray((self.present >= 0).any(axis=2))

    def ratings(self, label: str) -> Ratings:
        """The units x coders matrix of one label, with categories (0, 1)."""
        codes = np.ascontiguousarray(self.present[:, :, self.labels.index(label)])
        return Ratings(codes, (ABSENT, PRESENT), self.coders, self.units)


@dataclass(frozen=True)
class FieldValue:
    """One annotator's value of an article-level field."""

    article_id: int
    annotator: str
    field: str
    value: Any


@dataclass(frozen=True)
class AgreementData:
    """What agreement is computed from, as arrays (a million annotations are a few tens of
    MB here, not a million Python objects). Units are sentences, in sentence-id order."""

    matrix: LabelMatrix  # units x coders x the schema's labels: 1, 0, or -1 (not confirmed)
    articles: np.ndarray  # the article id of each unit
    sentence_fields: dict[str, Ratings]  # per sentence field, units where it was set
    field_values: list[FieldValue]  # article-level values (one per article and annotator)
    # what a scope left out and of how many (blind only: "annotations", "of_annotations",
    # "article_fields", "of_article_fields"); empty when nothing was filtered that way
    excluded: dict[str, int] = field(default_factory=dict)
    # labels added to the guidelines after some of these confirmations, with how many
    # predate each: those are missing (-1) for it, not absent (audit12 F6)
    unrated: dict[str, int] = field(default_factory=dict)

    @property
    def coders(self) -> tuple[str, ...]:
        return self.matrix.coders
