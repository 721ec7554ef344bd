"""Which language an article is in, detected offline, and what we can do in that language.

Detection uses py3langid (a maintained fork of langid.py: a naive Bayes model over byte
n-grams, shipped inside the wheel, 4.5 MB; no download, no network). Its model has 140
languages (LANGUAGES): 114 named by their ISO 639-1 code, the 26 that have none by their
ISO 639-3 code (yue Cantonese, wuu Wu, arz Egyptian and ary Moroccan Arabic, ...; zxx is
"no linguistic content"). The model is loaded on the first article that needs it only:
from py3langid's LZMA'd file it takes 0.4-0.9 s, so a decompressed copy is kept in the
user's cache folder and mapped from there by later runs (0.04 s; ingest/language_model.py).
A text whose letters are almost all of a script only one of its languages writes (Hangul,
Thai, kana ...) is told by its script without the model (language_scripts.py).
Its pure-Python feature walk costs time per byte, so an article is judged by its first few
thousand characters, which is plenty for a language.
A language the source declares (a JSON Lines `language` field or `meta.language`, front
matter `language:` or `lang:`) is taken as it is, checked against LANGUAGES: no detection.
An HTML page's `<html lang>` in one of LANGUAGES is taken too, the detector's disagreement
noted (ingest/articles.py).

What each language gets (the README says the same):
- English: everything; the sentence splitter's abbreviation rules and the readability
  formulas (Flesch reading ease, Flesch-Kincaid grade) are made for English.
- Chinese (zh, yue, wuu) and Japanese: sentences end at 。！？ (and their runs); no
  readability. The splitter follows the script, not the language: 。！？ end a sentence in
  any article, . ! ? too.
- Scripts with full stops of their own (Devanagari and Bengali । ॥, Urdu ۔, Arabic ؟,
  Ethiopic ። ፧ ፨, Armenian ։, Myanmar ။, Khmer ។): split there too, in any article.
- German and Luxembourgish: as other languages, with their dates and ordinals kept whole
  ("am 12. März", "im 19. Jahrhundert": sentences.py and ordinals.py).
- Other languages: split at sentence-final punctuation . ! ? with the English abbreviation
  rules (good for most European languages, wrong around their own abbreviations); no
  readability: the formulas' constants are fitted to English syllables and words.
- In an English article, a sentence mostly in another script gets no readability either
  (readability.unscored).
"""

from __future__ import annotations

import contextlib
import re
import threading
from functools import lru_cache
from typing import Any

from annotator.ingest import language_model
from annotator.ingest.language_scripts import by_script

# characters of the article judged: enough for a stable answer, and bounded cost
SAMPLE = 3000
# below this many letters the detector guesses; the page's own <html lang> is used instead
MIN_LETTERS = 40

READABILITY_LANGUAGES = frozenset({"en"})
CJK_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu"})
# the languages whose script has full stops of its own, which the splitter cuts at
# (ingest/script_stops.py SCRIPT_STOPS), beside . ! ?
SCRIPT_STOPS = {
    **dict.fromkeys(("hi", "mr", "ne", "bn", "as", "pa", "or"), "। ॥"),
    "ur": "۔ ؟",
    "ar": "؟",
    "fa": "؟",
    **dict.fromkeys(("am", "ti"), "። ፧ ፨"),
    "hy": "։",
    "my": "။",
    "km": "។",
}

# every code the model answers (tests/test_language_declared.py checks it is the model's
# set): a declared language must be one of these, so that a stored code means one thing
_LANGUAGE_CODES = (
    "ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo "
    "es et eu ext fa fi fo fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr "
    "ht hu hy id ig is it ja jv ka kab kik kk km kn ko ku ky la lb lg lij ln lo lt ltg lv "
    "mg mk ml mn mr ms mt my ne nl nn no nso oc om or pa pcm pl ps pt qu ro ru rw sa sdh "
    "se si sk sl sn so sq sr st sv sw ta te tg th tk tl tr tt ug uk ur uz uzs vec vi vo "
    "wa wuu xh yo yue zh zu zxx"
)
LANGUAGES = frozenset(_LANGUAGE_CODES.split(" "))
_DECLARED = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


def declared(value: object) -> str:
    """The code of a declared language ("nl", "NL", "nl-BE", "zh_Hant" -> "nl"/"zh"), or
    ValueError saying what is accepted (the caller names the file and line)."""
    m = _DECLARED.fullmatch(value.strip()) if isinstance(value, str) else None
    code = m.group(1).lower() if m else None
    if code is None or code not in LANGUAGES:
        shown = repr(value) if isinstance(value, str) else f"a {type(value).__name__}"
        raise ValueError(
            f"language {shown} is not a language code the detector knows (ISO 639-1 such "
            "as 'en', 'nl', 'zh', or ISO 639-3 where there is none, such as 'yue'; the "
            "README lists them)"
        )
    return code


# English's commonest words. Running English prose has one of these in every four or five
# words, other languages almost never one in ten: above ENGLISH_SHARE the model (and its
# load time) is not needed. tests/test_language_shortcut.py checks the shortcut says "en"
# only where the model says "en" (corpus, seeds, the tests' and the audits' cases).
_ENGLISH_WORDS = (
    "the of and to a in is that for it was on with as he said by at from his are be this "
    "have has an not were they which but their had who will been its would"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split(" "))
ENGLISH_SHARE = 0.18
# A long sample is clearly English only when each ENGLISH_PART-character part of it with
# 20 words or more is too: a French article behind a 989-character English cookie banner
# was English by its head alone (audit4 F2).
ENGLISH_PART = 1000
_WORD = re.compile(r"[^\W\d_]+")
# _WORD's words of an ASCII text: its letters are a-z and A-Z, and this class is found twice
# as fast as _WORD's, which asks each character's Unicode properties
_ASCII_WORD = re.compile(r"[a-zA-Z]+")
# the characters other than ASCII that English news writes most, none of them part of a
# word (tests check): each made a space, a text with no others is ASCII for _ASCII_WORD
_NOT_WORDS = ("\u2019", "\u201c", "\u201d", "\u2014", "\u2013", "\u2026", "\u2018", "\xa0")
# A text of SHORT_WORDS to 19 words (a one-paragraph item) needs a higher share of those
# words. At every length the text also needs words no other common language writes as a
# word of its own ("was", "will", "in", "is", "of", "a", "on", "to", "as"... are Dutch,
# German, French, Italian, Slavic or Portuguese words too): Dutch and Afrikaans items of
# 20-40 words passed the share on was/in/had/is alone (audit4 F2). Without the shortcut
# every short English item ran the model and loaded it (0.7-0.9 CPU s) in a one-file import.
SHORT_WORDS = 8
SHORT_SHARE = 0.3
_ONLY_ENGLISH_WORDS = (
    "the and that with which would were have been their this they said who from his not but its it"
)
_ONLY_ENGLISH = frozenset(_ONLY_ENGLISH_WORDS.split(" "))
# ... and no more than a trace of other languages' commonest words that are not English
# words (a German item with "the weekend" and "the party" has die/am/der/und). Words
# English text writes often as names or abbreviations (de Blasio, Las Vegas, EST, UN,
# .com, Al, Van) are left out: one of these found sends the text to the model, no harm.
_FOREIGN_WORDS = (
    "het een niet ook maar naar zijn werd wordt voor zei hij zij deze bij uit nog geen heeft "
    "hebben dat wat dit nie der die und ist nicht das dem ein eine einer sich auf zu mit sie "
    "wir auch noch nach wurde werden sind bei über für im vom zum le la les et des du une "
    "dans qui que sur aux avec ce cette il elle sont ont été selon mais leur ses sa el los "
    "las del una por para es su como más pero sus fue está di che della dei delle gli nel "
    "alla anche sono è não uma em dos das ao os og och är att det som på för ikke inte jeg "
    "że się jest bir ve bu için ang ng mga sa en"
)
_FOREIGN = frozenset(_FOREIGN_WORDS.split(" "))
# how many of those an English text may hold: one per FOREIGN_EVERY words, at least one
FOREIGN_EVERY = 40


def _words(text: str) -> list[str]:
    """_WORD.findall(text), by _ASCII_WORD when the text is ASCII but for _NOT_WORDS (a
    space in their place leaves every word as it was: none of them is part of one)."""
    if not text.isascii():
        plain = text
        for c in _NOT_WORDS:
            if c in plain:
                plain = plain.replace(c, " ")
        if not plain.isascii():
            return _WORD.findall(text)
        text = plain
    return _ASCII_WORD.findall(text)


def _clearly_english(sample: str) -> bool:
    return _english_sample(_WORD.findall(sample.lower()))


def _english_words(words: list[str]) -> bool:
    """Are these (lowercased) words clearly English? Enough of English's commonest words,
    of the ones only English writes, and hardly any of other languages' commonest."""
    n = len(words)
    if n < SHORT_WORDS:
        return False
    share = ENGLISH_SHARE if n >= 20 else SHORT_SHARE
    if sum(map(_ENGLISH.__contains__, words)) < share * n:
        return False
    if sum(map(_ONLY_ENGLISH.__contains__, words)) < max(2, n // 20):
        return False
    return sum(map(_FOREIGN.__contains__, words)) <= max(1, n // FOREIGN_EVERY)


def _english_sample(words: list[str]) -> bool:
    """The whole sample's words clearly English, and so each part of it (every ENGLISH_PART
    characters' worth of words, by the words' mean length) that has 20 words or more."""
    if not _english_words(words):
        return False
    letters = sum(map(len, words))
    if letters + len(words) <= ENGLISH_PART:
        return True
    # words per part, counting a separator after each word
    per = max(20, ENGLISH_PART * len(words) // (letters + len(words)))
    parts = [words[i : i + per] for i in range(0, len(words), per)]
    return all(len(part) < 20 or _english_words(part) for part in parts)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # from the decompressed copy in the user's cache folder when there is a sound one
    # (0.4 s less than py3langid's LZMA'd file: language_model.py)
    return language_model.identifier(language_model.cache_folder())


def warm() -> None:
    """Load the model now: before forking import workers, which then share it instead of
    each loading it (0.7 CPU s apiece) on its first article that is not clearly English."""
    _identifier()


class Warming:
    """The model loading in a thread (`warm_in_background`) while this process does other
    work: most of the load is the model file's LZMA decompression, which releases the GIL
    (0.25-0.3 s), so it runs on another core beside pure-Python work such as the syllable
    table's build (readability.warm). `join()` waits for it; the thread is over by then,
    so the process may fork. A failure is not the thread's to report: join() loads the
    model again here, which raises as warm() would."""

    def __init__(self) -> None:
        self._thread = threading.Thread(target=self._load, name="language-warm", daemon=True)
        self._thread.start()

    @staticmethod
    def _load() -> None:
        with contextlib.suppress(Exception):
            _identifier()

    def join(self) -> None:
        self._thread.join()
        _identifier()  # loaded already (lru_cache), or the error, raised here


def warm_in_background() -> Warming:
    return Warming()


def detect(text: str, hint: str | None = None) -> str | None:
    """Code of the text's language (LANGUAGES); `hint` (what the page says) when too short."""
    sample = text[:SAMPLE]
    lowered = sample.lower()
    if len(lowered) == len(sample):
        # Lowercasing maps each character to one character, a letter to a letter and
        # anything else to something else (tests check every code point; only "İ" becomes
        # two): the lowercased words have the letters of the words as written, so one
        # search serves both questions.
        words = _words(lowered)
        if sum(map(len, words)) < MIN_LETTERS:
            return hint
        if _english_sample(words):
            return "en"
    else:
        if sum(map(len, _WORD.findall(sample))) < MIN_LETTERS:
            return hint
        if _clearly_english(sample):
            return "en"
        words = _WORD.findall(lowered)
    # a script only one of the model's languages writes (Hangul, Thai, kana ...): no model
    script = by_script("".join(words))
    if script is not None:
        return script
    lang, _confidence = _identifier().classify(sample)
    return str(lang)


def support_note(language: str | None) -> str | None:
    """A warning for the import summary when the splitter's rules are not made for it."""
    if language is None or language == "en":
        return None
    if language == "zxx":
        # the model's class for text with no language in it (links, numbers, markup)
        return (
            "language zxx (no linguistic content, as the detector reads it): split as "
            "English; no readability scores"
        )
    if language in CJK_LANGUAGES:
        return (
            f"language {language}: split at 。！？ and . ! ?; the splitter's rules are made "
            "for English; no readability scores"
        )
    if language in SCRIPT_STOPS:
        return (
            f"language {language}: split at {SCRIPT_STOPS[language]} and . ! ?; the "
            "splitter's rules are made for English; no readability scores"
        )
    return (
        f"language {language}: the splitter's rules are made for English (split at . ! ? "
        "with English abbreviations); no readability scores"
    )


def readability_reason(language: str | None) -> str | None:
    """Why readability is not reported for this language, or None when it is. An unknown
    language (too little text to tell, and no <html lang>) gets none either: the formulas
    are reported only where they are known to fit, and a text too short to tell its
    language is too short for a grade to mean anything."""
    if language is None:
        return (
            "the language was not detected (too little text, and no lang attribute); the "
            "Flesch formulas are fitted to English"
        )
    if language in READABILITY_LANGUAGES:
        return None
    return f"the Flesch formulas are fitted to English; this article is in {language!r}"
