"""Recognising the parts of a scraped page that are not running prose.

Each recogniser looks at one line (markdown links already reduced to their text) and says
what it is: an image credit, the signature line of an embedded post, a bare media link, a
list item, a heading, page furniture (the byline block is bylines.py's, word counting
word_counts.py's). They are deliberately conservative: a false "body" costs the annotator
one key (b for BOILERPLATE), a false "heading" would hide a sentence's structure.
"""

from __future__ import annotations

import re

from annotator.ingest.alternation import Alternation
from annotator.ingest.bylines import is_byline
from annotator.ingest.dates import DATE_CORE
from annotator.ingest.forum_lines import FORUM_ALTERNATIVES
from annotator.ingest.word_counts import (
    SHORT,
    WORD,
    at_most_words,
    words,
)

# "— TIME (@TIME) October 23, 2024": the signature under an embedded post (X/Twitter style)
EMBED_SIGNATURE = re.compile(r"^[—–―-]{1,2}\s*\S.{0,100}\(@[\w\\]{1,30}\).{0,60}$")

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
# "… game pic.twitter.com/z", and the same as a markdown link ("… nose.
# [pic.twitter.com/U7PMa4oNGN](https://t.co/U7PMa4oNGN)")
TRAILING_MEDIA = re.compile(
    rf"\s+(<(?:https?://|pic\.twitter\.com)[^<>\n]*>|(?:{_MEDIA_HOSTS})/\S+|"
    rf"\[(?:{_MEDIA_HOSTS})/[^\[\]\s]+\]\([^()\s]+\))\s*$",
    re.IGNORECASE,
)

# Image credits: agencies and "Photo:"-style prefixes, short, no sentence punctuation
CREDIT = re.compile(
    r"(?:\b(?:Getty\s+Images|iStock(?:photo)?|Shutterstock|AP\s+Photo|Associated\s+Press|"
    r"Reuters|AFP|EPA|Alamy|Bloomberg|Unsplash|Pexels|Wikimedia(?:\s+Commons)?|"
    r"Anadolu|Sputnik|TASS|Xinhua)\b|(?:AP|AFP|Reuters|EPA|via)\s+Pool\b|\bPool\s+(?:photo|image)|"
    r"/\s*Pool\b|(?:^|,\s*)(?:left|right)\s+(?:image|photo|picture)\s*:|^\(?(?:photos?|images?|pictures?|credit|source|"
    r"illustration)(?:\s+credit)?\s*:|^\(?(?:photos?|images?|pictures?|video) "
    r"(?:by|courtesy|via)\b|^courtesy\b|/\s*(?:Getty|iStock|AP|AFP|Reuters|EPA)|\s摄$|^(?:新华社|人民网|中新社)?记者.{0,20}摄)",
    re.IGNORECASE,
)

# "- item", "* item", "• item", "1. item", "1) item", "a) item"
LIST_ITEM = re.compile(r"^(?:[-*+•‣⁃◦▪]|\d{1,3}[.)]|[a-z][)])\s+(?=\S)")
_ITEM_MARKS = frozenset("-*+•‣⁃◦▪")


def may_open_list_item(c: str) -> bool:
    """Can a line opening with the character c be a LIST_ITEM? (A mark, a digit: \\d is a
    Unicode decimal digit, as isdecimal() says; an ASCII lowercase letter.)"""
    return c in _ITEM_MARKS or c.isdecimal() or "a" <= c <= "z"


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
    r"(?:read|see) (?:more|also)\s*:.*|"
    # "Related", "Related: ...", "Related Subjects Berlin"; not "Related to the case, ..."
    r"related(?: (?:articles|stories|coverage|topics|subjects|videos|posts|content|links|news)"
    r"(?: [^.!?]{0,60})?)?(?:\s*:.*)?|"
    r"(?:supported|sponsored|presented|brought to you) by|"
    r"editor['’]s picks|in case you missed it|what to read next|you (?:may|might) also like.*|"
    # the same boxes in French, German, Spanish, Portuguese ("Audios et vidéos sur le sujet")
    r"(?:à )?lire aussi|sur le même sujet|(?:audios? et )?vidéos? sur le sujet|mehr zum thema|"
    r"auch interessant|lea también|leia também|"
    r"(?:suggested|recommended|more|most (?:read|popular)|popular|trending|top)"
    r"(?: for you)?(?: articles| stories| news| videos| reads)?(?: for you)?\s*:?|"
    r"similar (?:articles|stories|posts|news)\s*:?|"
    r"link copied|"  # a share row's "copy link" button after a click (theatlantic h2t)
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
    r"skip to (?:main )?content|skip to (?:site index|navigation)\b.{0,40}|"
    r"site index|site (?:information )?navigation|"  # the New York Times' footer headings
    r"(?:main )?menu|search|home|classifieds|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december) \d{4}\s*\(\d+\)|archives?(?: select month)?|"
    r"(?-i:MORE [A-Z0-9 ]+)|follow (?:us|.{0,40}) on (?:twitter|facebook|instagram|x)\b.*|"
    r"send us a message on whatsapp.*|"
    r"this (?:article|story) (?:originally )?(?:appeared|was (?:originally )?published) "
    r"(?:on|in|by) .{1,60}\.|"
    # the comment section: its heading, its rules, its buttons
    r"(?:recent |user |reader |readers['’] |open )?comments?(?: \(\d+\))?|discussion|"
    # WordPress's heading over them: "3 thoughts on “...”", "12 Responses to ..." (audit6 F13)
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:thoughts?|responses?|"
    r"comments?|replies|reactions?) (?:on|to) .{1,200}|"
    r"community guidelines|house rules|(?:delete|report|post|add|write) (?:a )?comment|"
    r"(?:sign|log) ?in (?:to|here to) (?:comment|reply|leave a comment|continue).*|"
    r"loading comments.*|join the (?:conversation|discussion)\b.*|use the comment form\b.*|"
    r"comments (?:may|are|will) .{0,40}moderat.*|please (?:log in|sign in|keep comments|"
    r"be respectful when (?:making|posting) a comment).*|or log ?in with:?|openid|"
    r"required fields are marked.*|share your thoughts\b.*|"
    # account and site menus, buttons, counters, time stamps
    r"log ?(?:in|out)|sign ?(?:in|out|up)(?: here)?\.?|(?:my|your) account|manage my account|"
    r"welcome,?\s*(?:your account)?|newsletters?|podcasts?|help|careers|about(?: us)?|"
    r"contact(?: us)?|privacy(?: policy)?|terms (?:of (?:use|service)|and conditions)|"
    r"reuse this content|report a (?:correction|typo|mistake).*|close|print(?: this page)?|"
    r"permalink\b.{0,80}|watch (?:live|now|video\b.{0,20})|on now|listen(?: now)?|"
    r"(?:show|view|see) all(?: \d+)?\)?|load more|shares?|views?\s*:?|updated|key events|"
    r"latest (?:stories|news|posts|videos)|last news|more on|more from .{1,40}|"
    r"advertising opportunit(?:y|ies)|advertise(?: with us)?|"
    r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|\d+ (?:seconds?|minutes?|hours?|days?) ago|"
    # copyright lines
    r"(?:copyright\s*)?©.{0,100}|copyright\s+(?:\(c\)\s*)?\d{4}\b.{0,100}|all rights reserved\.?|"
    # pitches: newsletters, subscriptions, paywalls, apps
    # an email newsletter pasted as text: its web-view and forwarding lines (audit6 F18: "View
    # this email in your browser" was the article's title)
    r"view (?:this |it |the )?(?:email |e-mail |newsletter |message |issue )?(?:in|on) "
    r"(?:your |a |the )?(?:web ?)?browser\b.*|(?:open|read) (?:this |it )?in (?:the |our )?app|"
    r"forward (?:this|it) (?:email |e-mail |newsletter |message )?to a friend\b.*|"
    r"was this (?:email |e-mail |newsletter |message )?forwarded to you\?|"
    r"(?:never miss|don['’]t miss|get (?:our|the|all|your)|start your|join (?:our|us|now)|"
    r"subscribe|sign up|register|simply pop|"
    r"to (?:view|read|continue reading) the (?:full )?(?:story|article)|"
    r"if you['’]re (?:seeing this|already a subscriber)|become a (?:member|subscriber)|"
    r"support (?:our|independent) journalism)\b.{0,200}\b(?:newsletters?|subscri\w*|"
    r"sign(?:ing)? up|e-?mail|inbox|premium|top stories|membership)\b.*|"
    r"get the best of .{1,60}|join now or renew\b.*|"
    # consent banners and paywall notices in the words of the common platforms (held-out
    # wording from audit4, not from the corpus): "We value your privacy.", "By continuing to
    # browse the site you are agreeing to our use of cookies.", "To continue reading,
    # subscribe now ...", "You have reached your limit of free articles this month."
    r"we value your privacy\.?|"
    r"by (?:continuing to (?:browse|use)|using) (?:this|the|our) (?:site|website)\b.{0,80}"
    r"\bcookies\b.*|"
    r"to continue reading,? (?:please )?(?:subscribe|sign up|log ?in|register|become)\b.*|"
    r"you(?:['’]ve| have) (?:reached|used) (?:your|the|all (?:of )?your) (?:limit of |\d+ )?"
    r"(?:free )?(?:articles|stories)\b.*|"
    r"support independent journalism\.?(?: donate(?: today| now)?\.?)?|donate (?:today|now)\.?|"
    r"got a (?:news )?tip\?(?:\s+e-?mail us\b.*)?|"
    # an app pitch closing the article ("For the latest stories and breaking news updates
    # download the Nationnews apps for iOS and Android.")
    r"(?:for (?:the latest|breaking|more)\s.{0,80}?,?\s)?download\s(?:our|the)\s.{0,40}?\bapps?"
    r"\s(?:for|on|from)\s[*_]{0,2}(?:ios|android|iphone|the app store|google play)\b.*|"
    r"if you(?:['’]re| are) (?:on|using) the .{0,40}app\b.*|download (?:our|the) .{0,30}app\b.*|"
    r"click here\b.*|click to (?:share|print|e-?mail)\b.*|"
    # one sentence each: the line may hold the next one ("... article. Submit a letter ...")
    r"we want to hear (?:from you|what you think)\b[^.!?]*[.!?]?|"
    r"submit a letter to the editor\b[^.!?@]*(?:@[\w.-]+\w)?[^.!?]*[.!?]?|"
    # a teaser cut by the site: "The competition which is for teams in the..."
    r".{3,150}\b(?:the|a|an|of|to|in|and|or|for|with|on|at|by|from|is|was)\s?(?:\.\.\.|…)|"
    r"(?:for )?(?:further|more) (?:details|info(?:rmation)?)\s*[>›»]|"
    # related links: "Read: ...", "MORE: ...", "Kaieteur News – A teaser that stops... more"
    r"(?:read|more|see|watch|listen|also read|read also)\s*:\s*\S.*|.{10,200}(?:\.\.\.|…)\s*more|"
    # contact lines and handles
    r"citation\s*:.*|"
    # a newsletter form's fine print: the web form's hidden-field notes (Gravity Forms, on
    # WordPress sites) and the data-protection notice (threatpost)
    r"this field is for validation purposes\b.*|this iframe contains the logic required\b.*|"
    r"the (?:administrator|controller) of your personal data (?:will be|is)\b.*|"
    r"detailed information on the processing of personal data\b.*|"
    r"(?:in addition, )?you will find them in the message confirming the subscription\b.*|"
    r"join (?:thousands|millions|[\d,]+) of (?:people|readers|subscribers|others) who "
    r"(?:receive|get|read)\b.*|"
    # a science site's reference block opens with "More information:" (phys.org)
    r"more information\s*:.*|"
    # an invitation to the outlet's own event ("RSVP for Our Zoom panel on 11/9: ...")
    r"(?:rsvp|register) (?:for|to) (?:our|the) (?:zoom |free |live |online )?"
    r"(?:panel|webinar|event|talk|conversation|discussion)\b.*|"
    # a breadcrumb: "» Transit tax trust rejects county’s South Dade Transitway data"
    r"[»›]\s*[^.!?»›]{1,150}|(?:or )?(?:by )?e-?mail\s*:.*|"
    # the blog platform's comment form and footer
    r"save my name,? e-?mail,? and website\b.*|notify me (?:of|when) (?:new|follow-up) .{0,30}|"
    r"notify me of follow-up comments.*|learn how your comment data is processed\.?|"
    r"this site uses akismet\b.*|enter your e-?mail address to (?:subscribe|follow)\b.*|"
    r"sorry, your blog cannot share posts by e-?mail\.?|you must enable javascript\b.*|"
    r"proudly powered by .{1,60}|"
    # a notice, not news about a copyright case: it forbids
    r"(?:reprinting|reproduction|republishing|republication)\b.{0,80}\bwithout\b.{0,40}"
    r"\bpermission\b.{0,60}\b(?:prohibited|theft|punishable|not (?:permitted|allowed))\b.*|"
    # the site's claim on the page it is on ("This article is the copyrighted property of
    # Breaking Belize News."), not a sentence about a copyright
    r"this article is the copyrighted property of [^.]{1,60}\.?|"
    # the cookie notice's second sentence (DW: "Vous trouverez davantage d'informations
    # dans la déclaration sur la protection des données.")
    r"(?:vous trouverez davantage d'informations dans la déclaration sur la protection des "
    r"données|you can find more information in our data protection declaration)\.?|"
    r"sponsored content is paid for\b.*|tag(?:s|ged)\s*:.*|"
    r"\d*\s*min(?:ute)?s? read|i agree to (?:my personal data|receive|accept|the terms)\b.*|"
    # contact widgets and the letters page's rules: "Submit News", "Contact: 624-6456; ...",
    # "Feel free to send us your comments" (not a quoted appeal: "... contact us," he said)
    r"submit (?:news|a (?:news )?tip|a story|a letter|your (?:story|news|letter|views))|"
    r"contact\s*:\s*[+(\d].*|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|\+\d[\d\s-]{7,}\d|"
    r"(?:please )?send us your feedback\.?|"
    r"feedback\s*:.*|print\s+print this page|keywords?(?:\s*:\s*|\s+)[^.!?]*|follow|"
    r"rss(?: feed)?|search(?: for)?\s*:?|"
    r"(?![^\"“”]*[\"“”]).{0,160}\b(?:contact us|send us|e-?mail us|write to us)\b.{0,60}"
    r"\b(?:by (?:phone|e-?mail)|your (?:comments|letters?|views|feedback|criticisms|stories))\b.*|"
    # an editor's note about the site's advertising disclaimer, not about the story
    r"/?editor['’]s note\s*:.{0,80}\b(?:disclaimer|advertis\w*|sponsored|affiliate)\b.*|"
    r"(?:to reach the (?:editor|reporter|author|writer)|you can contact|contact us|e-?mail us|"
    r"please e-?mail us|send us|submit your)"
    r"\b[^@]{0,120}@[\w.-]+\w[^.!?@]*[.!?]?|"
    r"(?:ig|instagram|twitter|x|facebook|tiktok)\s*:\s*@\S+|follow us\s*:.*|"
    # a forum thread's and a social post's buttons, counters, authors (forum_lines.py)
    + FORUM_ALTERNATIVES
    + r")$",
    re.IGNORECASE,
)

# a headline and its date, an entry of a list of other stories ("San Francisco To Begin
# Universal Basic Income Program For Artists - October 10, 2020")
TEASER_DATE = re.compile(r"^[^.!?]{10,200}\s[-–—]\s*" + DATE_CORE + "$", re.IGNORECASE)

# a line ending in these is prose, not a heading. In Chinese and Japanese news a paragraph is
# often one sentence, closed by its script's full stop, exclamation or question mark: body, as
# an English paragraph closed by "." is (a question mark closes English headlines too often to
# be one of these; a CJK headline rarely carries one)
_TERMINAL = ".!;,。！？；，．।॥۔؟።፧፨։။។"  # and other scripts' full stops (sentences.py)


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


def is_embed_signature(line: str) -> bool:
    return len(line) <= SHORT and bool(EMBED_SIGNATURE.match(line))


def is_media_only(line: str) -> bool:
    # every link it accepts has a "/": spare the scan on lines without one
    return "/" in line and bool(MEDIA_ONLY.match(line.strip()))


# the patterns of many alternatives, tried only where the line's first character and the
# literals each alternative needs allow (the same answers: alternation.py)
_credit = Alternation(CREDIT)
_furniture = Alternation(FURNITURE)


def is_credit(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= SHORT
        and not stripped.endswith((".", "!", "?", ":", ","))
        and _credit(stripped)
        and at_most_words(stripped, 12)
        and not is_byline(stripped)
    )


# a blog's archive list run together on one line, of any length: "Archives Select Month April
# 2022  (501) March 2022  (805) ..."
ARCHIVE_RUN = re.compile(
    r"^(?:archives?\s*(?:select month)?\s*)?(?:[A-Za-z]{3,9}\s+\d{4}\s*\(\d+\)\s*){3,}$",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    s = line.strip()
    if len(s) > SHORT:
        if s[:1] in "Jj" and s[:22].lower().startswith(
            ("join the conversation", "join the discus")
        ):
            return True  # "Join the conversation in our comments section below.Share your ..."
        if s[:1] in "Tt" and s[:7].lower().startswith(("tagged:", "tags:")):
            return True  # a long list of tags
        if s[:1] in "Cc" and s[:9].lower() == "citation:":
            return True  # "Citation: <title> (2019, October 22) retrieved ... from https://..."
        return s[:1] in "AaJjFfMmSsOoNnDd" and bool(ARCHIVE_RUN.match(s))
    # a teaser's date follows a dash and ends in a digit (every form of DATE_CORE does):
    # spare that scan on lines without both
    return bool(
        _furniture(s)
        or (s[-1:].isdigit() and ("-" in s or "–" in s or "—" in s) and TEASER_DATE.match(s))
        # (three glued pairs take 15 characters at least)
        or (len(s) >= 15 and not s.endswith((".", "!", "?")) and len(GLUED_WORDS.findall(s)) >= 3)
        or (("opyright" in (low := s.lower())) and bool(SITE_COPYRIGHT.match(s)))
        or ("core value" in low and bool(HOUSE_NOTICE.match(s)))
        or (s[:1] == "[" and s[-1:] == "]" and bracketed_promotion(s))
    )


def bracketed_promotion(s: str) -> bool:
    """A headline in title case in square brackets, a line of its own: a promotion whose link
    the extractor dropped ("[Our Latest Forecast: Who Will Win The 2020 Democratic
    Primary?]", fivethirtyeight); not an editor's note in brackets, which is a sentence
    ("[Note: in the ... test, above, the woman's eyes corresponded to “desire” ...]")."""
    inner = s[1:-1].strip()
    if "[" in inner or "]" in inner or inner.endswith((".", ".”", '."', ";", ",")):
        return False
    ws = [w for w in inner.split() if w[:1].isalnum()]
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in ws)
    return len(ws) >= 3 and capitalised >= 0.8 * len(ws)


# Lines that only a word in them can start to qualify: tried only when the word is there,
# so the many lines without it do not pay for a pattern that scans from each position.
# A site's copyright line led by its name ("TheAtlantic.com Copyright (c) 2020 by ...")
SITE_COPYRIGHT = re.compile(
    r"^[\w.-]{2,40}\s+copyright\s+(?:\(c\)|©)\s*\d{4}\b.{0,100}$", re.IGNORECASE
)
# the letters page's house notice: "Freedom of speech is our core value at Kaieteur News."
# (not a quoted speaker: "... is our core value at this ministry," she said)
HOUSE_NOTICE = re.compile(
    r"^(?![^\"“”]*[\"“”]).{0,80}\bis our core value at [^.!?,]{1,40}[.!]?$", re.IGNORECASE
)


# a menu whose entries a crude scraper ran together ("& WorldPoliticsTexas True CrimeThis
# Week in TexasOur AmericaTown HallsShop"): a word of three lowercase letters or more glued
# to a capitalised one, three times in a line. Brand names ("iPhone", "McDonald's",
# "YouTube", "LinkedIn") glue after fewer than three lowercase letters or once.
GLUED_WORDS = re.compile(r"[a-z]{3}[A-Z][a-z]")


def looks_like_heading(line: str) -> bool:
    """A short standalone line without sentence punctuation: a headline or section title."""
    s = line.strip().rstrip("”\"’'»)」』）")
    if not s or len(s) > 2 * SHORT or s[0].islower() or s[-1] in _TERMINAL or s.endswith(":"):
        return False
    if s[0] in "HSTBA" and _SENTENCE_OPENING.match(s) and words(s) >= 8:
        return False  # "He reiterated that devaluation ... challenges": a sentence, stop lost
    if len(s) < 40:  # at most 20 words (see at_most_words): is there one?
        return WORD.search(s) is not None
    if " that " in s and _REPORTED_THAT.search(s) and words(s) >= 10:
        # "“Parasite” director Bong Joon Ho said backstage that no-one could predict what
        # might happen at the Oscars on Feb. 9": reported speech in the past, a sentence
        # whose stop the extractor lost (a headline says "says", and drops the "that")
        return False
    return 1 <= words(s) <= 20


# a sentence's opening that no heading has: a pronoun or a conjunction and a lowercase word
# ("He reiterated that", "But he said that"); "They Live" and "And Just Like That" stay
_SENTENCE_OPENING = re.compile(r"(?:He|She|They|But|And)\s+[a-z]")


# a past reporting verb and its "that" clause, a word or two between ("said backstage that")
_REPORTED_THAT = re.compile(
    r"\b(?:said|told \w+|added|explained|noted|argued|warned|insisted)(?:\s+\w+){0,2}\s+that\b"
)


def ends_sentence(text: str) -> bool:
    """Does this text end where a sentence can end? Used to rejoin text split by furniture."""
    s = text.rstrip().rstrip("”\"’')]»")
    return bool(s) and s[-1] in ".!?:…。！？।॥۔؟።፧፨։။។"
