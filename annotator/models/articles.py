"""An article and its sentences, as read back from the store."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    external_id: str
    title: str | None
    outlet: str | None
    outlet_id: int | None
    author: str | None
    published: str | None
    url: str | None
    byline: str | None
    sentence_count: int
    first_sentence_id: int
    flesch_reading_ease: float | None
    flesch_kincaid_grade: float | None
    language: str | None = None  # ISO 639-1, detected at import; None before migration 0008

    @property
    def display_title(self) -> str:
        return self.title or self.external_id

    @property
    def last_sentence_id(self) -> int:
        return self.first_sentence_id + self.sentence_count - 1


@dataclass(frozen=True, slots=True)
class Sentence:
    id: int
    article_id: int
    position: int
    paragraph: int
    start: int
    end: int
    kind: str
    text: str
    links: tuple[dict[str, object], ...]
    flesch_reading_ease: float | None
    flesch_kincaid_grade: float | None
