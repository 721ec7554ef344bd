"""Recognising the parts of a scraped page that are not running prose.

Each recogniser looks at one line (markdown links already reduced to their text) and says
what it is: a byline, an image credit, the signature line of an embedded post, a bare media
link, a list item, a heading. They are deliberately conservative: a false "body" costs the
annotator one key (b for BOILERPLATE), a false "heading" would hide a sentence's structure.
"""

from __future__ import annotations

import re

# "Written by Jane Doe on October 24, 2024", "By Jane Doe | Reuters", "Posted by ... at ..."
BYLINE = re.compile(
    r"^(?:(?:written|posted|published|reported|story|words)\s+)?by\s+\S.{0,120}$",
    re.IGNORECASE,
)

# "— TIME (@TIME) October 23, 2024": the signature under an embedded post (X/Twitter style)
EMBED_SIGNATURE = re.compile(r"^[—–―-]{1,2}\s*\S.{0,100}\(@\w{1,30}\).{0,60}$")

# A media link on its own: pic.twitter.com/..., t.co/..., youtu.be/..., instagram.com/p/...
_MEDIA_HOSTS = (
    r"pic\.twitter\.com|(?:https?://)?t\.co|(?:https?://)?(?:www\.)?"
    r"(?:youtu\.be|youtube\.com|instagram\.com|tiktok\.com|x\.com|twitter\.com|"
    r"facebook\.com|vimeo\.com)"
)
# one or more media or plain links (optionally in <...>) and nothing else
MEDIA_ONLY = re.compile(
    rf"^(?:<?(?:(?:{_MEDIA_HOSTS})/[^\s<>]+|https?://[^\s<>]+)>?\s*)+$", re.IGNORECASE
)
# trailing links after text: "… to Russia <https://t.co/x pic.twitter.com/y>",
# "… game pic.twitter.com/z"
TRAILING_MEDIA = re.compile(
    rf"\s+(<(?:https?://|pic\.twitter\.com)[^<>\n]*>|(?:{_MEDIA_HOSTS})/\S+)\s*$", re.IGNORECASE
)

# Image credits: agencies and "Photo:"-style prefixes, short, no sentence punctuation
CREDIT = re.compile(
    r"(?:\b(?:Getty\s+Images|iStock(?:photo)?|Shutterstock|AP\s+Photo|Associated\s+Press|"
    r"Reuters|AFP|EPA|Alamy|Bloomberg|Unsplash|Pexels|Wikimedia(?:\s+Commons)?|"
    r"Anadolu|Sputnik|TASS|Xinhua|Pool)\b|^(?:photo|image|picture|credit|source|illustration)"
    r"(?:\s+credit)?\s*:|/\s*(?:Getty|iStock|AP|AFP|Reuters|EPA))",
    re.IGNORECASE,
)

# "- item", "* item", "• item", "1. item", "1) item", "a) item"
LIST_ITEM = re.compile(r"^(?:[-*+•‣⁃◦▪]|\d{1,3}[.)]|[a-z][)])\s+(?=\S)")

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(?=\S)")

# separators such as "***", "---", "* * *", "___" carry nothing to annotate
SEPARATOR = re.compile(r"^(?:[-*_=~•·]\s*){3,}$")

_TERMINAL = ".!;,"  # a line ending in these is prose, not a heading
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def words(line: str) -> int:
    return len(_WORD.findall(line))


# Furniture lines are short: the length checks below spare the regexes every prose paragraph.
_SHORT = 160


def trailing_media(line: str) -> re.Match[str] | None:
    """A media link at the end of a prose line, if any (searched only where one could be)."""
    tail = line[-300:]
    if "/" not in tail or (
        "t.co" not in tail
        and "http" not in tail
        and "pic." not in tail
        and ".com/" not in tail
        and "youtu" not in tail
    ):
        return None
    return TRAILING_MEDIA.search(line)


def is_byline(line: str) -> bool:
    return (
        len(line) <= _SHORT
        and bool(BYLINE.match(line))
        and words(line) <= 16
        and not line.rstrip().endswith(".")
    )


def is_embed_signature(line: str) -> bool:
    return len(line) <= _SHORT and bool(EMBED_SIGNATURE.match(line))


def is_media_only(line: str) -> bool:
    return bool(MEDIA_ONLY.match(line.strip()))


def is_credit(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= _SHORT
        and bool(CREDIT.search(stripped))
        and words(stripped) <= 12
        and not stripped.endswith((".", "!", "?", ":", ","))
        and not is_byline(stripped)
    )


def looks_like_heading(line: str) -> bool:
    """A short standalone line without sentence punctuation: a headline or section title."""
    s = line.strip().rstrip("”\"’'»)")
    if not s or len(s) > 2 * _SHORT or s[0].islower() or s[-1] in _TERMINAL or s.endswith(":"):
        return False
    n = words(s)
    return 1 <= n <= 20


def ends_sentence(text: str) -> bool:
    """Does this text end where a sentence can end? Used to rejoin text split by furniture."""
    s = text.rstrip().rstrip("”\"’')]»")
    return bool(s) and s[-1] in ".!?:…"


def normalise_line(line: str) -> str:
    """Key for spotting repeated furniture: case and spacing do not matter."""
    return " ".join(line.split()).casefold()


def repeatable_furniture(line: str) -> bool:
    """Could this line be page furniture if it repeats (a header or footer at a page break)?"""
    s = line.strip()
    if not s or len(s) > _SHORT or LIST_ITEM.match(s):
        return False
    if is_byline(s):
        return True
    return words(s) <= 12 and not ends_sentence(s)
