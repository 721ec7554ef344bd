"""An HTML page's relative links (audit11 F14) and picture addresses made absolute against the
page's own address.

trafilatura resolves a relative href against the root of the page's site only: on
https://news.example.com/2024/03/story.html, `item-0.html` became
https://news.example.com/item-0.html and `../budget/0.html` https://news.example.com/budget/0.html,
addresses that do not exist, and a `<base href>` was ignored. The guidelines judge a sentence
by its links and the exports carry them, so each relative href is resolved here, before
trafilatura reads the page, as a browser does (RFC 3986, urljoin): against the page's
`<base href>`, itself resolved against the page's address, else against that address, which
is the page's canonical link, else its og:url or twitter:url. trafilatura leaves an absolute
href as it is. A page that states no address keeps its hrefs as written: a saved page does
not know where it was, and an address made up from a guess would be worse than none.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from annotator.ingest.html_captions import IMAGE_ATTRIBUTES

# what a page says its address is, in the order trusted (trafilatura reads the same tags
# for the article's url); searched in the page's <head> only, where the parser puts them
_CANONICAL = './/link[@rel="canonical"]/@href'
_META_URL = (
    './/meta[@property="og:url" or @name="og:url"]/@content',
    './/meta[@name="twitter:url" or @property="twitter:url"]/@content',
)
_BASE = ".//base[@href]/@href"
# the links that may be relative: most of a page's are http(s) addresses, left out in C
# (each element handed to Python costs a proxy object)
_RELATIVE = "//a[@href][not(starts-with(@href, 'https://') or starts-with(@href, 'http://'))]"
# an href with a scheme of its own (http:, mailto:, javascript: ...) is absolute (RFC 3986:
# what urlsplit reads as a scheme, told in a tenth of its time: a page has hundreds)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def with_absolute_links(tree: Any) -> Any:
    """The page's tree (from trafilatura's load_html) with its relative `<a href>`s
    resolved against its address, in place; untouched when it states no address."""
    base = base_address(tree)
    if base is None:
        return tree
    # a page links the same address many times (its menus): each resolved once
    resolved: dict[str, str | None] = {}
    for a in tree.xpath(_RELATIVE):
        href = a.get("href")
        if href not in resolved:
            resolved[href] = _joined(base, href)
        if (joined := resolved[href]) is not None:
            a.set("href", joined)
    return tree


# where html_captions and html_figures read a picture's address (IMAGE_ATTRIBUTES: lazy
# loaders keep it in a data- attribute); a figure's address is stored as its segment's link
# (`![caption](src)`), and a relative one ("../img/council.jpg") was stored as written
_PICTURE_ATTRIBUTES = tuple(a for a in IMAGE_ATTRIBUTES if a != "srcset")  # srcset: a list
_PICTURES = f"//*[{' or '.join(f'@{a}' for a in IMAGE_ATTRIBUTES)}]"


def with_absolute_pictures(tree: Any) -> Any:
    """The page's tree (html_captions.page_tree) with its relative picture addresses
    (src, srcset and the lazy loaders' attributes) resolved against its address, in place;
    untouched when it states no address."""
    base = base_address(tree)
    if base is None:
        return tree
    for el in tree.xpath(_PICTURES):
        for attribute in _PICTURE_ATTRIBUTES:
            value = el.get(attribute)
            if value and (joined := _joined(base, value)) is not None:
                el.set(attribute, joined)
        srcset = el.get("srcset")
        if srcset:  # "a.jpg 1x, b.jpg 2x": each candidate's address
            el.set("srcset", ", ".join(_candidate(base, c) for c in srcset.split(",")))
    return tree


def _candidate(base: str, candidate: str) -> str:
    url, _, size = candidate.strip().partition(" ")
    joined = _joined(base, url) if url else None
    return f"{joined or url} {size}".strip()


def base_address(tree: Any) -> str | None:
    """The address a relative link of the page is resolved against: its `<base href>`
    resolved against its own address, else that address; None when it states neither
    absolutely."""
    head = tree.find("head")
    if head is None:
        head = tree
    address = page_address(head)
    for given in head.xpath(_BASE)[:1]:
        base = str(given).strip()
        if address and not _is_absolute(base):
            base = _joined(address, base) or ""
        if _is_absolute(base):
            return base
    return address


def page_address(head: Any) -> str | None:
    """The page's own address, from its <head>: its canonical link (a relative one resolved
    against its og:url or twitter:url), else its og:url, else its twitter:url; None when
    none is an absolute http(s) address."""
    metas = [str(v).strip() for path in _META_URL for v in head.xpath(path)[:1]]
    absolute = [m for m in metas if _is_absolute(m)]
    for given in head.xpath(_CANONICAL)[:1]:
        canonical = str(given).strip()
        if canonical.startswith("//"):  # only the scheme left out
            canonical = "https:" + canonical
        if not _is_absolute(canonical) and absolute:
            canonical = _joined(absolute[0], canonical) or ""
        if _is_absolute(canonical):
            return canonical
    return absolute[0] if absolute else None


def _is_absolute(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[bad": not an address
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _joined(base: str, href: str) -> str | None:
    """`href` resolved against `base`; None when it is absolute already (a scheme of its
    own: http, mailto, javascript ...), empty, or not a URL at all."""
    href = href.strip()  # browsers strip the spaces around an href
    if not href or _SCHEME.match(href):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None
