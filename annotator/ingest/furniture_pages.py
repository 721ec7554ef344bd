"""HTML pages that are all page furniture: what a scraper gets instead of the article.

A consent wall ("Before you continue"), a paywall ("Subscribe to continue reading. Already a
subscriber? Log in.") or a page of sign-up boxes has more than the 250 characters that make
an extraction an article (html.py MIN_TEXT), and the layout already marks its lines as
furniture; the page was imported as an article without a sentence to annotate (audit11 F15).
Such a page is refused by name, as a page with no text is. A page with a little article
text among much furniture (a paywall that lets the first sentence through) is imported,
with a note on its line saying how little, so the reader knows what the scraper got.

HTML pages only: a text file is what its author chose to save, and the layout makes the lines
of a text with nothing else to read its text (a list of headlines is the item to label).
"""

from __future__ import annotations

import re
from collections import Counter

from annotator.ingest.layout import Layout

# what an annotator reads and labels (layout.py _READ)
ARTICLE_KINDS = frozenset({"body", "list_item", "table", "embed"})
# a share button's line that the layout takes for prose: "Share this article on Facebook",
# "Tweet this story", "Send this page to a friend by email"
_SHARE = re.compile(
    r"(?:share|tweet|post|pin|send|e-?mail)\b(?: (?:this|the|our))?(?: (?:article|story|page|"
    r"post|link|video))?(?: (?:on|via|to|with|by)(?: a friend)?(?: (?:on|via|by))?"
    r" (?:facebook|twitter|x|linkedin|whatsapp|e-?mail|reddit|pinterest|telegram|messenger|"
    r"flipboard|bluesky|threads))?[.!:]?",
    re.IGNORECASE,
)
# a note below this many words of article text, when they are under a quarter of the page's
LITTLE_TEXT = 50
# a note when the article text is no more segments than this, each about cookies
CONSENT_SENTENCES = 3
_COOKIES = re.compile(r"\bcookies?\b", re.IGNORECASE)

_NAMES = {
    "furniture": ("furniture line", "furniture lines"),
    "byline": ("byline", "bylines"),
    "credit": ("credit", "credits"),
    "media": ("caption", "captions"),
    "title": ("title", "titles"),
    "heading": ("heading", "headings"),
    "code": ("code block", "code blocks"),
}


def furniture_page(lay: Layout) -> str | None:
    """Why the page is no article, when all it holds is page furniture (share lines
    included); None when it has article text."""
    found: Counter[str] = Counter()
    for seg in lay.segments:
        if seg.kind in ARTICLE_KINDS:
            if not _SHARE.fullmatch(lay.text[seg.start : seg.end].strip()):
                return None
            found["share line"] += 1
        else:
            found[seg.kind] += 1
    named = ", ".join(_counted(kind, n) for kind, n in found.most_common())
    return (
        f"no article text in this HTML page: only page furniture ({named}: a consent or "
        "paywall page?); nothing imported"
    )


def _counted(kind: str, n: int) -> str:
    one, many = _NAMES.get(kind, (kind, kind + "s"))
    return f"{n} {one if n == 1 else many}"


def little_text_note(lay: Layout) -> str | None:
    """A note for a page whose article text is a few words among much furniture, or a
    few sentences that all speak of cookies (Google's "Before you continue": "We use
    cookies and data to ...", "If you choose to Accept all, we will also use cookies ...")."""
    words = article = 0
    texts = []
    for seg in lay.segments:
        text = lay.text[seg.start : seg.end]
        n = len(text.split())
        words += n
        if seg.kind in ARTICLE_KINDS:
            article += n
            texts.append(text)
    if article < LITTLE_TEXT and 4 * article < words:
        return (
            f"little article text: {article} of the page's {words} words, the rest page "
            "furniture (a consent or paywall page?)"
        )
    if len(texts) <= CONSENT_SENTENCES and all(_COOKIES.search(t) for t in texts):
        return "its only article text speaks of cookies: a consent page rather than the article?"
    return None
