"""Which language an article is in, detected offline, and what we can do in that language.

Detection uses py3langid (a maintained fork of langid.py: a naive Bayes model over byte
n-grams for 97 languages, shipped inside the wheel, 4.5 MB; no download, no network). The
model takes about 0.9 s to load, so it is loaded on the first article only. Its pure-Python
feature walk costs time per byte, so an article is judged by its first few thousand
characters, which is plenty for a language.

What each language gets (the README says the same):
- English: everything; the sentence splitter's abbreviation rules and the readability
  formulas (Flesch reading ease, Flesch-Kincaid grade) are made for English.
- Chinese and Japanese: sentences end at 。！？ (and their runs); no readability.
- Other languages: split at sentence-final punctuation . ! ? with the English abbreviation
  rules (good for most European languages, wrong around their own abbreviations); no
  readability: the formulas' constants are fitted to English syllables and words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# characters of the article judged: enough for a stable answer, and bounded cost
SAMPLE = 3000
# below this many letters the detector guesses; the page's own <html lang> is used instead
MIN_LETTERS = 40

READABILITY_LANGUAGES = frozenset({"en"})
CJK_LANGUAGES = frozenset({"zh", "ja"})


# English's commonest words. Running English prose has one of these in every four or five
# words, other languages almost never one in ten: above ENGLISH_SHARE the model (and its
# load time) is not needed. tests/test_news_corpus.py checks the shortcut agrees with it.
_ENGLISH_WORDS = (
    "the of and to a in is that for it was on with as he said by at from his are be this "
    "have has an not were they which but their had who will been its would"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split(" "))
ENGLISH_SHARE = 0.18
# An English article is judged by the words of its sample's first ENGLISH_HEAD characters,
# a third of the search: on the corpus every English sample's head has a share of 0.236 or
# more, its other languages none. Only a sample whose head is not clearly English is
# judged whole, as before (a text English at its head and not over the whole sample,
# which the model then judged, is now English: tests/test_text_speed.py checks that no
# answer on the corpus changes).
ENGLISH_HEAD = 1000
_WORD = re.compile(r"[^\W\d_]+")
# A text of SHORT_WORDS to 19 words (a one-paragraph item) is clearly English with a
# higher share of those words and at least two of the ones no other common language
# writes as a word of its own ("was", "will", "in", "is", "of", "a", "on", "to", "as"...
# are Dutch, German, French, Italian, Slavic or Portuguese words too). Without it every
# short English item ran the model and loaded it (0.7-0.9 CPU s) in a one-file import.
# On the corpus's short sentences it fires on a third of them and disagrees with the
# model once, where the model is wrong ("[Our Latest Forecast: Who Will Win The 2020
# Democratic Primary?]" read as Nigerian Pidgin); tests/test_text_speed.py holds both.
SHORT_WORDS = 8
SHORT_SHARE = 0.3
_ONLY_ENGLISH_WORDS = (
    "the and that with which would were have been their this they said who from his not but its it"
)
_ONLY_ENGLISH = frozenset(_ONLY_ENGLISH_WORDS.split(" "))


def _clearly_english(sample: str) -> bool:
    words = _WORD.findall(sample.lower())
    return _english_words(words) or _short_english(words)


def _english_words(words: list[str]) -> bool:
    """Are enough of these (lowercased) words English's commonest?"""
    return len(words) >= 20 and sum(map(_ENGLISH.__contains__, words)) >= ENGLISH_SHARE * len(words)


def _short_english(words: list[str]) -> bool:
    n = len(words)
    return (
        SHORT_WORDS <= n < 20
        and sum(map(_ENGLISH.__contains__, words)) >= SHORT_SHARE * n
        and sum(map(_ONLY_ENGLISH.__contains__, words)) >= 2
    )


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def warm() -> None:
    """Load the model now: before forking import workers, which then share it instead of
    each loading it (0.7 CPU s apiece) on its first article that is not clearly English."""
    _identifier()


def detect(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language; `hint` (what the page says) when too short."""
    sample = text[:SAMPLE]
    if len(sample) > ENGLISH_HEAD and _english_head(sample[:ENGLISH_HEAD]):
        return "en"
    lowered = sample.lower()
    if len(lowered) == len(sample):
        # Lowercasing maps each character to one character, a letter to a letter and
        # anything else to something else (tests check every code point; only "İ" becomes
        # two): the lowercased words have the letters of the words as written, so one
        # search serves both questions.
        words = _WORD.findall(lowered)
        if sum(map(len, words)) < MIN_LETTERS:
            return hint
        if _english_words(words) or _short_english(words):
            return "en"
    else:
        if sum(map(len, _WORD.findall(sample))) < MIN_LETTERS:
            return hint
        if _clearly_english(sample):
            return "en"
    lang, _confidence = _identifier().classify(sample)
    return str(lang)


def _english_head(head: str) -> bool:
    """Is the sample's head clearly English (enough letters, and English's commonest words
    at the share the whole sample would need)? Letters only grow with the sample."""
    words = _WORD.findall(head.lower())
    return sum(map(len, words)) >= MIN_LETTERS and _english_words(words)


def support_note(language: str | None) -> str | None:
    """A warning for the import summary when the splitter's rules are not made for it."""
    if language is None or language == "en":
        return None
    if language in CJK_LANGUAGES:
        return (
            f"language {language}: split at 。！？ and . ! ?; the splitter's rules are made "
            "for English; no readability scores"
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
