"""The sentences around an adjudication item: the line before and after it on the screen.

Apart from adjudication.py because it holds only reading: a few articles with their
sentences, the most recently shown kept, so that stepping through one article's disputes
reads it once and a long queue does not keep every article in memory.
"""

from __future__ import annotations

from collections import OrderedDict

from annotator.adjudication_queue import Item
from annotator.models.articles import Article, Sentence
from annotator.store import articles as arts
from annotator.store.database import Store

CACHED_ARTICLES = 8  # articles whose sentences are kept for the context lines


class ArticleCache:
    """The last few articles shown, with their sentences (least recently used goes first)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._articles: OrderedDict[int, tuple[Article, list[Sentence]]] = OrderedDict()

    def article_and_sentences(self, article_id: int) -> tuple[Article, list[Sentence]]:
        cached = self._articles.get(article_id)
        if cached is None:
            art = arts.get_article(self.store, article_id)
            assert art is not None
            cached = (art, arts.sentences_of(self.store, article_id))
            self._articles[article_id] = cached
            if len(self._articles) > CACHED_ARTICLES:
                self._articles.popitem(last=False)
        else:
            self._articles.move_to_end(article_id)
        return cached

    def context(self, item: Item) -> tuple[Sentence | None, Sentence | None, Sentence | None]:
        """The sentence before, the sentence, and the one after."""
        if item.sentence_id is None:
            return None, None, None
        art, sents = self.article_and_sentences(item.article_id)
        i = item.sentence_id - art.first_sentence_id
        return (
            sents[i - 1] if i > 0 else None,
            sents[i],
            sents[i + 1] if i + 1 < len(sents) else None,
        )
