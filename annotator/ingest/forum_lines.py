"""The furniture of a forum thread or a social post copied as text (Reddit, X/Twitter,
Mastodon, Bluesky): a comment's depth ("level 2"), its author and age ("u/name · 3h", "OP ·
3h", "@name · Mar 3"), its buttons ("Reply", "Share", "Report", "Save", "Follow", "Quote
Tweet", a row of them), its counters ("12 replies 4 reposts 30 likes", "5 points · 3 hours
ago"), "Replying to @name", "Show this thread", "Continue this thread", "[deleted]" and a
post's time line ("3:42 PM · Mar 3, 2024 · 12.4K Views"). Each is a line of its own; the
alternatives are part of furniture.FURNITURE, so a short line pays one look (alternation.py
tries only those its first character allows).
"""

from __future__ import annotations

import re
from functools import cache

from annotator.ingest.lazy_re import rx

_BUTTON = (
    r"reply|share|report|save|unsave|hide|follow|give award|award|vote|upvote|downvote|"
    r"quote(?: tweet| post)?|repost|retweet|like|bookmark|boost|favou?rite|permalink|embed|"
    r"edit|delete|block|mute|more|copy link|\.\.\.|…"
)
_COUNTED = (
    r"repl(?:y|ies)|reposts?|retweets?|quote (?:tweet|post)s?|quotes?|likes?|bookmarks?|"
    r"views?|points?|upvotes?|votes?|boosts?|favou?rites?|comments?|awards?"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

# when: "3h", "4 hours ago", "Mar 3", "Mar 3, 2024", "edited 2h ago"
_WHEN = (
    rf"(?:op\s*[·•]\s*)?(?:\d{{1,3}}\s*(?:s|m|h|d|w|y|mo|mins?|hrs?|yrs?)\b(?:\s*ago)?|"
    rf"\d+ \w+ ago|{_MONTH} \d{{1,2}}(?:, \d{{4}})?|edited.{{0,30}})"
)

# the alternatives, part of furniture.FURNITURE (one pattern, one look per line; written
# compact: compiling FURNITURE is part of every import's start)
FORUM_ALTERNATIVES = (
    r"level \d{1,2}|"
    # the author and the age of a comment or a post
    rf"(?:[ur]/[\w-]{{2,30}}|@\w{{1,30}}|op)(?:\s*[·•]\s*{_WHEN})?|(?:op\s*)?[·•]\s*{_WHEN}|[·•]|"
    r"\[(?:deleted|removed)\]|"
    r"replying to (?:@\w{1,30}(?:,?\s+and\s+|,\s*|\s+)?)+(?:and \d+ others?)?|"
    # counters, several on a line
    rf"(?:\d[\d,.]*\s*[km]?\s+(?:{_COUNTED})\s*[·•]?\s*)+(?:{_WHEN})?|"
    # the buttons, one or a row of them
    rf"(?:(?:{_BUTTON})\s*[·•|]?\s*)+|"
    r"(?:show|view|load) (?:this thread|more|all|\d+|(?:\d+ )?more (?:replies|comments))"
    r"(?: (?:replies|comments))?|translate (?:post|tweet)|continue this thread|"
    r"(?:\d+ )?more (?:replies|comments)|"
    # a post's time line: "3:42 PM · Mar 3, 2024 · 12.4K Views"
    r"\d{1,2}:\d{2}\s*[ap]\.?m\.?\s*[·•]\s*.{1,60}"
)


@cache
def _forum() -> re.Pattern[str]:
    return re.compile(rf"^(?:{FORUM_ALTERNATIVES})$", re.IGNORECASE)


def is_forum_furniture(line: str) -> bool:
    """Is the line one of these? (furniture.is_furniture asks them with the rest.)"""
    return _forum().match(line.strip()) is not None


# a handle alone ("@SpringfieldGov"), and a post's date alone ("Mar 3", "Mar 3, 2024", "3h")
_HANDLE = r"@\w{1,30}"
_POST_DATE = "(?i)" + _WHEN
_HEADER_KINDS = frozenset({"title", "heading", "body", "furniture"})


def post_headers(kinds: list[str], texts: list[str]) -> None:
    """A post's header copied a field a line ("City of Springfield" / "@SpringfieldGov" / "·"
    / "Mar 3"): the name over the handle is the post's byline, the date after it furniture,
    and the line after them the post's text, not a heading (kinds changed in place)."""
    n = len(kinds)
    for i in range(n):
        t = texts[i]
        if t[:1] != "@" or kinds[i] != "furniture" or not rx(_HANDLE).fullmatch(t):
            continue
        name = texts[i - 1] if i else ""
        if (
            name
            and kinds[i - 1] in _HEADER_KINDS
            and len(name) <= 50
            and len(name.split()) <= 6
            and "\n" not in name
            and not name.rstrip().endswith((".", "!", "?", ":", ","))
            and not is_forum_furniture(name)
        ):
            kinds[i - 1] = "byline"
        j = i + 1
        while j < n and texts[j].strip() in ("·", "•"):
            j += 1
        if j < n and kinds[j] in _HEADER_KINDS and rx(_POST_DATE).fullmatch(texts[j].strip()):
            kinds[j] = "furniture"
            j += 1
        while j < n and kinds[j] == "furniture" and is_forum_furniture(texts[j]):
            j += 1  # "Replying to @name"
        if j < n and kinds[j] in ("title", "heading"):
            # the post's text, a line alone under its header ("Why was there no hearing?")
            kinds[j] = "body"
