"""Importing files into the database: one transaction per file, all of it or none of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.ingest.articles import read_articles
from annotator.ingest.reading import InputError
from annotator.store.articles import DuplicateArticle, add_article
from annotator.store.database import Store


@dataclass
class FileResult:
    path: Path
    added: int = 0
    unchanged: int = 0
    sentences: int = 0
    error: InputError | None = None
    notes: list[str] = field(default_factory=list)
    unchanged_ids: list[str] = field(default_factory=list)


def import_file(store: Store, path: Path, *, encoding: str | None = None) -> FileResult:
    """Import every article of one file in one transaction; on any error, none of them."""
    result = FileResult(path)
    seen_ids: dict[str, int] = {}
    line = None
    try:
        with store.write() as conn:
            for art in read_articles(path, encoding=encoding):
                line = art.source_line
                if art.external_id in seen_ids:
                    raise InputError(
                        path,
                        line,
                        f"article id {art.external_id!r} repeats "
                        f"(first on line {seen_ids[art.external_id]})",
                    )
                seen_ids[art.external_id] = line
                _id, added = add_article(conn, art)
                if added:
                    result.added += 1
                    result.sentences += len(art.sentences)
                    result.notes.extend(art.notes)
                else:
                    result.unchanged += 1
                    result.unchanged_ids.append(art.external_id)
    except InputError as e:
        result.error = e
    except DuplicateArticle as e:
        result.error = InputError(path, line if line and line > 1 else None, str(e))
    if result.error:
        result.added = result.sentences = result.unchanged = 0
        result.notes.clear()
    return result
