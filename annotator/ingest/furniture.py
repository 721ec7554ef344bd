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
    r"Anadolu|Sputnik|TASS|Xinhua|Pool)\b|^(?:photos?|images?|pictures?|credit|source|illustration)"
    r"(?:\s+credit)?\s*:|/\s*(?:Getty|iStock|AP|AFP|Reuters|EPA)|\s摄$|^(?:新华社|人民网|中新社)?记者.{0,20}摄)",
    re.IGNORECASE,
)

# "- item", "* item", "• item", "1. item", "1) item", "a) item"
LIST_ITEM = re.compile(r"^(?:[-*+•‣⁃◦▪]|\d{1,3}[.)]|[a-z][)])\s+(?=\S)")

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(?=\S)")

# separators such as "***", "---", "* * *", "___" carry nothing to annotate
SEPARATOR = re.compile(r"^(?:[-*_=~•·]\s*){3,}$")

# Page furniture that real sites put among the paragraphs (from ../shared/news_corpus):
# advertising labels, newsletter and subscription pitches, "Read more:" teasers, share rows,
# cookie notices, comment and view counters, the comment form's heading.
FURNITURE = re.compile(
    r"^(?:(?:web |social media )?advertisement|advertising|sponsored(?: content)?|"
    r"(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|updates|alerts|e-?mails?|"
    r"subscription|today|now|free)\b.*|"
    r"(?:get|receive) (?:our|the) .{0,60}newsletter.*|"
    r"(?:read|see) (?:more|also)\s*:.*|related(?: articles| stories| coverage)?\s*:?.*|"
    r"(?:suggested|recommended|more|most (?:read|popular)|popular|trending|top)"
    r"(?: for you)?(?: articles| stories| news| videos| reads)?(?: for you)?\s*:?|"
    r"(?:share|share (?:this|on)(?: article| story| page)?:?|tweet|email|print|copy link)"
    r"(?:\s*[|·,/]?\s*(?:facebook|twitter|x|linkedin|whatsapp|email|reddit|pinterest|print|"
    r"copy link|share|tweet|messenger|telegram))*|"
    r"(?:facebook|twitter|linkedin|whatsapp|email|reddit|pinterest)"
    r"(?:\s*[|·,/]?\s*(?:facebook|twitter|x|linkedin|whatsapp|email|reddit|pinterest|print|"
    r"copy link|share|tweet))+|"
    r"\d[\d,.]*\s*k?\s*(?:comments?|views?|shares?|reads?)|(?:no|view|show|load) comments?|"
    r"leave a (?:reply|comment)(?:\s+cancel reply)?|cancel reply|"
    r"(?:we|this (?:site|website)) uses? cookies\b.*|.{0,80}\baccept (?:all )?cookies\b.*|"
    r"(?:nous utilisons|wir verwenden|usamos|utilizamos|utilizziamo|we gebruiken) (?:des |los |"
    r"i )?cookies\b.*|"
    r"already a subscriber\?.*|subscribe(?: now| today)?|log ?in to (?:comment|continue).*|"
    # navigation: social links, skip links, archive months, "MORE SIXERS", follow-us lines
    r"(?:facebook|twitter|instagram|youtube|linkedin|whatsapp|tiktok|pinterest|reddit|rss|x)|"
    r"skip to (?:main )?content|(?:main )?menu|search|home|classifieds|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december) \d{4}\s*\(\d+\)|archives?(?: select month)?|"
    r"(?-i:MORE [A-Z0-9 ]+)|follow (?:us|.{0,40}) on (?:twitter|facebook|instagram|x)\b.*|"
    r"send us a message on whatsapp.*|"
    r"this (?:article|story) (?:originally )?(?:appeared|was (?:originally )?published) "
    r"(?:on|in) .{1,60}\.)$",
    re.IGNORECASE,
)

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


_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
)


def byline_date(line: str) -> str | None:
    """The date in a byline as ISO 8601 ("Written by X on October 24, 2024" -> 2024-10-24)."""
    for rx in _DATES:
        m = rx.search(line)
        if not m:
            continue
        gd = m.groupdict()
        month = int(gd["mnum"]) if gd.get("mnum") else _MONTHS.get(gd["month"].lower())
        day = int(m.group("day"))
        if month and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{int(m.group('year')):04d}-{month:02d}-{day:02d}"
    return None


def is_furniture(line: str) -> bool:
    s = line.strip()
    return len(s) <= _SHORT and bool(FURNITURE.match(s))


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
