"""Gold decisions and the annotators' versions they are decided from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

UNANIMOUS = "unanimous"
ADJUDICATED = "adjudicated"
# the events of gold decisions (sentence, article field): an adjudicator's, not an annotator's
GOLD_KINDS = ("gold_sentence", "gold_article_field")


@dataclass(frozen=True)
class Gold:
    labels: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]
    method: str
    adjudicator: str | None
    agrees_with: tuple[str, ...]
    note: str | None
    decided_at: str

    def field(self, name: str) -> str | None:
        return dict(self.fields).get(name)


@dataclass(frozen=True)
class GoldField:
    value: Any
    method: str
    adjudicator: str | None
    agrees_with: tuple[str, ...]
    note: str | None
    decided_at: str


@dataclass(frozen=True)
class Version:
    annotator: str
    labels: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]
    comment: str | None

    @property
    def key(self) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        return (tuple(sorted(self.labels)), self.fields)
