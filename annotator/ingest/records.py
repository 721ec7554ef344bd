"""The schema of one JSON Lines article record (pydantic: imported only for .jsonl files)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ArticleRecord(BaseModel):
    """One article of a .jsonl file. Strict: a number where a string belongs is an error,
    not a silent conversion, and unknown fields are refused (typos like "tittle" would
    otherwise vanish); anything else worth keeping goes under "meta"."""

    model_config = ConfigDict(strict=True, extra="forbid")

    id: str = Field(min_length=1)
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    # the article's language when the source knows it (ingest/language.py checks the code)
    language: str | None = None
    meta: dict[str, Any] | None = None
