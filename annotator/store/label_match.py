"""Matching an imported record to its sentence (`import-labels`, suggestion files): by
article id and offsets, else position, else exact text when that text occurs once."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from annotator.store.database import Store

if TYPE_CHECKING:  # label_import.py imports this module
    from annotator.store.label_import import Incoming


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


class Matcher:
    """Finds the sentence a record is about: by article and offsets, else position,
    else exact text (when the text occurs once)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.articles: dict[str, tuple[int, int]] = {
            str(r[0]): (int(r[1]), int(r[2]))
            for r in store.all("SELECT external_id, id, first_sentence_id FROM articles")
        }
        self._by_text: dict[bytes, list[tuple[int, int]]] | None = None

    def _text_index(self) -> dict[bytes, list[tuple[int, int]]]:
        # built only when some record carries no article: one pass, 8 bytes per sentence
        if self._by_text is None:
            self._by_text = {}
            for sid, aid, text in self.store.conn.execute(
                "SELECT id, article_id, text FROM sentences"
            ):
                self._by_text.setdefault(_digest(text), []).append((int(sid), int(aid)))
        return self._by_text

    def match(self, item: Incoming) -> tuple[int, int] | str:
        """(sentence id, article id), or why there is none."""
        if item.article is not None and item.article in self.articles:
            aid, _first = self.articles[item.article]
            if item.start is not None and item.end is not None:
                row = self.store.one(
                    "SELECT id, text FROM sentences WHERE article_id = ? AND "
                    'start = ? AND "end" = ?',
                    [aid, item.start, item.end],
                )
            elif item.position is not None:
                row = self.store.one(
                    "SELECT id, text FROM sentences WHERE article_id = ? AND position = ?",
                    [aid, item.position],
                )
            else:
                row = None
            if row is not None and (item.text is None or row[1] == item.text):
                return int(row[0]), aid
            if row is not None:
                return (
                    f"article {item.article!r} has different text at those offsets "
                    "(re-segmented or edited?)"
                )
            if item.text is None:
                return self._no_sentence_there(item, aid)
        elif item.article is not None:
            return f"no article {item.article!r} in the database"
        if item.text is None:
            return "no text and no article offsets to match on"
        hits = self._text_index().get(_digest(item.text), [])
        hits = [
            h
            for h in hits
            if self.store.scalar("SELECT text FROM sentences WHERE id = ?", [h[0]]) == item.text
        ]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            return "no sentence has this text"
        return f"{len(hits)} sentences have this text (give article and offsets)"

    def _no_sentence_there(self, item: Incoming, aid: int) -> str:
        """The article exists but no sentence is where the record says (and it carries no
        text to fall back on): say so, and where the sentence at `start` lies."""
        if item.start is not None and item.end is not None:
            near = self.store.one(
                'SELECT start, "end" FROM sentences WHERE article_id = ? AND start <= ? '
                'AND "end" > ? ORDER BY start DESC LIMIT 1',
                [aid, item.start, item.start],
            )
            hint = f" (the sentence at {item.start} spans {near[0]}-{near[1]})" if near else ""
            return (
                f"offsets {item.start}-{item.end} match no sentence of article "
                f"{item.article!r}{hint}"
            )
        if item.position is not None:
            count = int(
                self.store.scalar("SELECT count(*) FROM sentences WHERE article_id = ?", [aid]) or 0
            )
            where = f"positions 0-{count - 1}" if count else "it has no sentences"
            return f"article {item.article!r} has no sentence at position {item.position} ({where})"
        return f"article {item.article!r} given without start/end or position"
