"""HTML pages: the main text and metadata, extracted with trafilatura.

Researchers scrape HTML. trafilatura is the extractor the field uses for exactly this; we ask
it for Markdown with links kept (the guidelines judge a sentence by where its links sit) and
for the page's metadata. The page's bytes are kept as the article's original; the extracted
Markdown is the text that the cleaned text's offsets refer to, because the extraction itself
cannot be mapped back to HTML positions.

trafilatura (and the lxml it builds on) is imported only when an HTML file is read: importing
it costs about half a second, which every other import and the annotation screen would pay
for nothing. Extraction is local: trafilatura fetches only when asked to download a URL,
which we never do (tests/test_offline.py imports HTML with the network forbidden).
"""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass
from types import ModuleType

HTML_SUFFIXES = (".html", ".htm")

# `<html lang="fr-FR">`: what the page says about its own language
_HTML_LANG = re.compile(
    rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*", re.I
)
# Less extracted text than this is not an article but what is left of one (a photo caption,
# a teaser): trafilatura's own threshold for a successful extraction (MIN_EXTRACTED_SIZE).
MIN_TEXT = 250
# the YAML header trafilatura puts before the text when asked for metadata
_HEADER = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass(frozen=True)
class Extracted:
    text: str  # Markdown, links kept
    title: str | None
    author: str | None
    published: str | None
    outlet: str | None
    url: str | None
    page_language: str | None
    extra: dict[str, object]


class NoText(ValueError):
    """A page from which no article text can be extracted; str() says what was found."""


def _trafilatura() -> ModuleType:
    """trafilatura, imported without py3langid when that is not loaded yet.

    trafilatura imports py3langid (and with it numpy: 0.1 s of a one-page import's 0.5)
    only to drop pages not in a target language, which we never ask for (no
    `target_language`); our own detector loads py3langid when an article needs it
    (ingest/language.py). A None in sys.modules makes that one import fail, which
    trafilatura expects (py3langid is optional to it); the entry is removed at once, so the
    next `import py3langid` loads it."""
    if "trafilatura" in sys.modules or "py3langid" in sys.modules:
        return importlib.import_module("trafilatura")
    sys.modules["py3langid"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("trafilatura")
    finally:
        del sys.modules["py3langid"]


def extract(data: bytes) -> Extracted:
    """The main text and metadata of an HTML page; NoText when it has no article text."""
    trafilatura = _trafilatura()

    doc = trafilatura.extract_with_metadata(
        data,
        output_format="markdown",
        include_links=True,
        include_tables=True,
        include_images=False,  # nothing to annotate in an image; its caption stays
        include_comments=False,  # readers' comments are not the article
        include_formatting=False,
    )
    text = _HEADER.sub("", doc.text, count=1).strip("\n") if doc and doc.text else ""
    if doc is None or len(text.strip()) < MIN_TEXT:
        found = f"only {len(text.strip())} characters" if text.strip() else "nothing"
        raise NoText(
            f"no article text in this HTML page ({found}: fewer than {MIN_TEXT} characters, "
            "a caption or a teaser at most); nothing imported"
        )
    m = _HTML_LANG.search(data[:4096])
    extra: dict[str, object] = {"extracted_by": f"trafilatura {trafilatura.__version__}"}
    if m:
        extra["page_language"] = m.group(1).decode("ascii").lower()
    for key in ("hostname", "description", "categories", "tags"):
        value = getattr(doc, key, None)
        if value:
            extra[key] = value
    return Extracted(
        text=text + "\n",
        title=doc.title or None,
        author=doc.author or None,
        published=doc.date or None,
        outlet=doc.sitename or doc.hostname or None,
        url=doc.url or None,
        page_language=m.group(1).decode("ascii").lower() if m else None,
        extra=extra,
    )
