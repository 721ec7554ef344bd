"""Command palette: jump to an article by its title."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from annotator.tui.text import literal


def highlight(text: str, query: str) -> Content:
    """The title literally, with the typed query underlined where it occurs.

    Textual's `Matcher.highlight` parses the candidate as markup, so a title holding "[/]"
    would crash the palette: never hand it untrusted text.
    """
    content = literal(text)
    q = query.strip().casefold()
    if q:
        folded = content.plain.casefold()
        start = folded.find(q)
        while start >= 0 and len(folded) == len(content.plain):
            content = content.stylize("bold underline", start, start + len(q))
            start = folded.find(q, start + len(q))
    return content


class ArticleCommands(Provider):
    async def search(self, query: str) -> Hits:
        session = getattr(self.app, "session", None)
        opener = getattr(self.screen, "open_article", None)
        if session is None or opener is None:
            return
        matcher = self.matcher(query)
        for article, done in session.article_list():
            text = f"Open article: {article.display_title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    highlight(text, query),
                    partial(opener, article.id),
                    text=text,
                    help=f"{done}/{article.sentence_count} confirmed",
                )
