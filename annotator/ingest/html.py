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

import re
from dataclasses import dataclass, replace
from datetime import date
from types import ModuleType
from typing import Any

from annotator.ingest import html_ahead
from annotator.ingest.html_authors import page_author
from annotator.ingest.html_captions import captions_as_images, page_tree
from annotator.ingest.html_figures import Figure, figures_of
from annotator.ingest.html_links import with_absolute_links, with_absolute_pictures
from annotator.ingest.html_unshown import holdable_references, without_unshown
from annotator.ingest.optional_imports import import_without

# `<html lang="fr-FR">`: what the page says about its own language
_HTML_LANG = re.compile(
    rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*", re.I
)
# Less extracted text than this is not an article but what is left of one (a photo caption,
# a teaser): trafilatura's own threshold for a successful extraction (MIN_EXTRACTED_SIZE).
MIN_TEXT = 250
# the YAML header trafilatura puts before the text when asked for metadata
_HEADER = re.compile(r"\A---\n.*?\n---\n", re.S)
# libxml2 (under lxml, under trafilatura) stops at a text of more than 10,000,000 bytes and
# at elements nested more than 256 deep: what comes after is not in the tree, and the page
# looks empty or, when enough text came before, whole (_parser_stop says so). Scripts and
# styles never hold the article: trafilatura drops them after parsing them. Parsing them is
# most of the work on today's pages (a Next.js or Nuxt page carries its state as megabytes
# of inline JSON: a 9.4 MB page took 3.5 s of CPU for 13 segments, audit6 F11), so the
# bodies of those over SCRIPT_LIMIT are left out of what trafilatura parses, on every page,
# and so are `data:` addresses over that size in attributes (a page saved whole, images and
# fonts inlined). The page's bytes are kept whole as the original. JSON-LD stays whatever
# its size: it carries the metadata, and on some pages the text.
SCRIPT_LIMIT = 4_096
_HUGE_PAGE = 10_000_000
_OPEN_SCRIPT = re.compile(rb"<(script|style)\b[^>]{0,4000}>")
_FIGCAPTION = re.compile(rb"<figcaption", re.I)
_INLINE_DATA = re.compile(rb"data:[^\"'\s>]{%d,}" % SCRIPT_LIMIT)


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
    next `import py3langid` loads it (ingest/optional_imports.py)."""
    return import_without("trafilatura", "py3langid")


def extract(data: bytes) -> Extracted:
    """The main text and metadata of an HTML page, `data` in UTF-8 (html_bytes.plain_page
    makes it so); NoText when it has no article text."""
    # extracted already by the child `annotator import` forked at its start (html_ahead.py)
    ahead = html_ahead.take(data)
    if isinstance(ahead, str):
        raise NoText(ahead)
    return _extract(data) if ahead is None else _with_figures(*ahead)


def _extract(data: bytes) -> Extracted:
    """The page extracted in this process."""
    return _with_figures(*extract_unplaced(data))


def _with_figures(page: Extracted, figures: list[Figure]) -> Extracted:
    if not figures:
        return page
    # imported here, not by the forked child, which runs extract_unplaced (html_figures.py)
    from annotator.ingest.html_figure_lines import place_figures

    return replace(page, text=place_figures(page.text[:-1], figures) + "\n")


def extract_unplaced(data: bytes) -> tuple[Extracted, list[Figure]]:
    """The page extracted, but for its figures, which are found and placed against the text
    but not written into it yet; NoText when it has no article text."""
    trafilatura = _trafilatura()

    page = holdable_references(_without_heavy_parts(data))
    from trafilatura.utils import HTML_PARSER, load_html

    # parsed here, with trafilatura's own parser (trafilatura takes the tree as it is), so
    # that its error log is this page's: a parser that stopped early leaves a tree of the
    # page's first part, which trafilatura extracts as if it were the whole article (a
    # sidebar 300 elements deep lost the 8 paragraphs after it, silently: audit11 F1)
    tree = load_html(page)
    stop = _parser_stop(HTML_PARSER.error_log)
    if stop:
        raise NoText(f"this HTML page cannot be read: {stop}; nothing imported")
    doc = trafilatura.extract_with_metadata(
        # relative links resolved against the page's own address, not its site's root
        # (trafilatura's way: html_links.py)
        page if tree is None else with_absolute_links(without_unshown(page, tree)),
        output_format="markdown",
        include_links=True,
        include_tables=True,
        # nothing to annotate in an image; trafilatura then drops a <figure> whole, caption
        # included, and html_figures puts the caption back where the figure stood
        include_images=False,
        include_comments=False,  # readers' comments are not the article
        include_formatting=False,
        # the dates the page states (its metadata, JSON-LD, <time>, its own address), not
        # htmldate's extensive search, which takes any dated link on the page for the
        # article's date: a "Related" link to /2019/05/12/old-story.html made a page with
        # no date of its own published 2019-05-12 (audit6 F4)
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
    )
    text = _HEADER.sub("", doc.text, count=1).strip("\n") if doc and doc.text else ""
    if doc is None or len(text.strip()) < MIN_TEXT:
        n = len(text.strip())
        found = f"only {n} character{'s' * (n != 1)}" if n else "nothing"
        raise NoText(
            f"no article text in this HTML page ({found}: fewer than {MIN_TEXT} characters, "
            "a caption or a teaser at most); nothing imported"
        )
    # the page's captions, which the text alone cannot tell from headings, and the figures
    # trafilatura dropped whole, caption and credit (one parse of the page for both, only
    # when it says "caption")
    # (the page as trafilatura read it, its heavy scripts left out: the whole page stops the
    # parser at a script over 10 MB, and its figures after that would be lost)
    tree = page_tree(page)
    figures: list[Figure] = []
    if tree is not None:
        tree = with_absolute_pictures(tree)
        text = captions_as_images(page, text, tree)
        if _FIGCAPTION.search(page):
            figures = figures_of(tree, text)
    m = _HTML_LANG.search(data[:4096])
    extra: dict[str, object] = {"extracted_by": f"trafilatura {trafilatura.__version__}"}
    if m:
        extra["page_language"] = m.group(1).decode("ascii").lower()
    for key in ("hostname", "description", "categories", "tags"):
        value = getattr(doc, key, None)
        if value:
            extra[key] = value
    extracted = Extracted(
        text=text + "\n",
        title=doc.title or None,
        # without the placeholders and glue trafilatura passes on (html_authors.py)
        author=page_author(doc.author, data),
        published=doc.date or None,
        outlet=doc.sitename or doc.hostname or None,
        url=doc.url or None,
        page_language=m.group(1).decode("ascii").lower() if m else None,
        extra=extra,
    )
    return extracted, figures


def _without_heavy_parts(data: bytes) -> bytes:
    """The page with the bodies of scripts and styles over SCRIPT_LIMIT left out, JSON-LD
    excepted (one pass: each opening tag is matched with the first closing one after it),
    and `data:` addresses over that size emptied; the same bytes when there is neither."""
    low = data.lower()
    parts: list[bytes] = []
    keep = pos = 0
    while (m := _OPEN_SCRIPT.search(low, pos)) is not None:
        close = low.find(b"</" + m.group(1), m.end())
        if close < 0:
            break
        if close - m.end() > SCRIPT_LIMIT and b"ld+json" not in m.group(0):
            parts.append(data[keep : m.end()])
            keep = close
        pos = close
    if keep:
        parts.append(data[keep:])
        data = b"".join(parts)
    if b"data:" in data:
        data = _INLINE_DATA.sub(b"data:,", data)
    return data


def _parser_stop(error_log: Any) -> str | None:
    """Why the HTML parser stopped before the end of the page, from its error log, when it
    hit one of its limits (the page's fault is only to be deep or big); None when it read
    the page to its end."""
    for err in error_log:
        if "Excessive depth" in err.message:
            return (
                f"its elements are nested more than {_depth(err.message)} deep "
                f"(line {err.line}), where the HTML parser stops and the rest would be lost"
            )
        if "limit exceeded" in err.message.lower():
            return (
                f"a text or attribute near line {err.line} is over the HTML parser's "
                f"limit of {_HUGE_PAGE:,} bytes, where it stops and the rest would be lost"
            )
    return None


def _depth(message: str) -> str:
    m = re.search(r"\d+", message)
    return m.group() if m else "256"
