"""Languages told by their script, without the model.

Of the 140 languages py3langid's model knows, some are the only one it knows written in
their script: Korean in Hangul, Thai, Georgian, Armenian, Tamil, Khmer, Lao, Burmese,
Amharic in Ethiopic, Sinhala, Malayalam, Kannada, Telugu, Gujarati, Punjabi in Gurmukhi.
A text whose letters are almost all of one of these scripts gets that language without
loading the model (numpy and the model: 0.1-0.15 s of a one-file import) or walking it.
Japanese too when a good share of its letters are kana (Chinese writes none; Han alone
could be zh, yue, wuu or ja, and is left to the model), and so are Greek (el or grc),
Hebrew (he or hbo), Arabic, Cyrillic and Devanagari, which several languages write.

tests/test_language_scripts.py checks that where this answers, the model gives the same
answer: on the corpus, and on generated texts of each script mixed with up to a tenth of
other letters (English, Russian, Han); the thresholds below keep a margin over where the
model began to differ (Japanese with a fifth of kana: 2 of 1,500 were wuu).
"""

from __future__ import annotations

import re

# scripts only one of the model's languages writes: (language, character class)
_ONE_LANGUAGE = (
    ("ko", "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"),
    ("th", "\u0e00-\u0e7f"),
    ("ka", "\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f"),  # lowercased: Mtavruli, Nuskhuri
    ("hy", "\u0530-\u058f"),
    ("ta", "\u0b80-\u0bff"),
    ("km", "\u1780-\u17ff"),
    ("lo", "\u0e80-\u0eff"),
    ("my", "\u1000-\u109f"),
    ("am", "\u1200-\u139f"),
    ("si", "\u0d80-\u0dff"),
    ("ml", "\u0d00-\u0d7f"),
    ("kn", "\u0c80-\u0cff"),
    ("te", "\u0c00-\u0c7f"),
    ("gu", "\u0a80-\u0aff"),
    ("pa", "\u0a00-\u0a7f"),
)
_KANA = "\u3040-\u30ff"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# this share of the letters in the script, at least
SCRIPT_SHARE = 0.9
# Japanese: kana at least this share of the letters, kana and Han SCRIPT_SHARE
KANA_SHARE = 0.3

_SCRIPT = tuple((lang, re.compile(f"[{chars}]")) for lang, chars in _ONE_LANGUAGE)
_KANA_RE = re.compile(f"[{_KANA}]")
_JAPANESE_RE = re.compile(f"[{_KANA}{_HAN}]")
# any letter of those scripts: one scan tells most texts (Latin, Cyrillic...) there is none
_ANY = re.compile(f"[{''.join(chars for _, chars in _ONE_LANGUAGE)}{_KANA}]")


def by_script(letters: str) -> str | None:
    """The language of a text whose letters (the text's words, joined) are almost all of a
    script one language writes; None when the model must tell."""
    n = len(letters)
    if not n or letters.isascii():
        return None
    found = len(_ANY.findall(letters))
    if found < KANA_SHARE * n:
        return None
    if len(_KANA_RE.findall(letters)) >= KANA_SHARE * n:
        return "ja" if len(_JAPANESE_RE.findall(letters)) >= SCRIPT_SHARE * n else None
    if found < SCRIPT_SHARE * n:
        return None
    for lang, script in _SCRIPT:
        if len(script.findall(letters)) >= SCRIPT_SHARE * n:
            return lang
    return None
