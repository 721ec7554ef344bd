"""Suggestions from the cue lexicons of the guidelines (`guidelines/cues.toml`).

Each rule is one regular expression; the first match in a sentence gives the suggestion its
cue (the words that fired) and the cue's span, so the screen can say why. A reporting cue
also guesses the source type from its subject: the words just before the cue ("Austin
said", "South Korean officials stated") or just after it ("according to KCNA", "said Kirby").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.models.suggestions import CUES, CueLexicon, Suggestion

NAMED_PERSON = "named_person"
NAMED_ORGANISATION = "named_organisation"
UNNAMED_SPECIFIC = "unnamed_specific"
VAGUE = "vague"

# a word of a subject: letters, inner apostrophes, hyphens and dots ("U.S.", "Jong-un")
_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")
_LOWER_WORD = re.compile(r"\w+")
_CLAUSE_END = re.compile(r"[,;:()\[\]“”\"«»—–]")
_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "who",
        "which",
        "that",
        "this",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
    ]
)
# words that may sit inside a name or before it without ending it
_JOINERS = frozenset({"of", "the", "for", "and", "de", "von", "van", "al", "bin"})
_DETERMINERS = frozenset({"the", "a", "an", "some", "many", "several", "two", "three"})


@dataclass(frozen=True)
class CompiledLexicon:
    lexicon: CueLexicon
    patterns: tuple[re.Pattern[str], ...]


def compile_lexicon(lexicon: CueLexicon) -> CompiledLexicon:
    flags = re.IGNORECASE
    return CompiledLexicon(lexicon, tuple(re.compile(r.pattern, flags) for r in lexicon.rules))


def suggest(sentences: Iterable[tuple[int, str]], compiled: CompiledLexicon) -> list[Suggestion]:
    """One suggestion per (sentence, label) at most: the first rule of that label that fires
    (the lexicon's order is its priority), at its first match."""
    lex = compiled.lexicon
    out: list[Suggestion] = []
    words = _LOWER_WORD.findall
    for sid, text in sentences:
        seen: set[str] = set()
        present: set[str] | None = None
        for rule, pattern in zip(lex.rules, compiled.patterns, strict=True):
            if rule.label in seen:
                continue
            # a cheap test first: the regular expressions are most of the cost
            if rule.first_words:
                if present is None:
                    present = set(words(text.lower()))
                if present.isdisjoint(rule.first_words):
                    continue
            elif rule.marks and not any(m in text for m in rule.marks):
                continue
            m = pattern.search(text)
            if m is None:
                continue
            seen.add(rule.label)
            source_type = (
                guess_source_type(text, m.start(), m.end(), lex) if rule.attribution else None
            )
            out.append(
                Suggestion(
                    sid,
                    rule.label,
                    CUES,
                    lex.version,
                    rule.score,
                    f"{rule.name}: {m.group(0)}",
                    m.start(),
                    m.end(),
                    source_type,
                )
            )
    return out


def guess_source_type(text: str, start: int, end: int, lex: CueLexicon) -> str | None:
    """The source type of a reporting cue at text[start:end], or None when the subject is a
    pronoun or cannot be told."""
    cue = text[start:end].lower()
    if cue.startswith(("according", "citing", "cited", "quoted")):
        words = _subject_after(text[end:])
        return _classify(words, lex) if words else None
    head = _WORD.findall(text[:start][-80:])
    if head and head[-1].lower() in _PRONOUNS:
        return None  # "He said": who he is was said earlier
    words = _subject_before(text[:start]) or _subject_after(text[end:], direct=True)
    return _classify(words, lex) if words else None


def _subject_before(head: str) -> list[str]:
    """The words just before the cue that can be its subject ("... ,” Austin" -> Austin)."""
    words = _WORD.findall(head[-80:])
    if not words or words[-1].lower() in _PRONOUNS:
        return []
    tail = head.rstrip()
    # the subject must touch the cue: "…evidence,” Austin said" yes, "…Russia.” said" no
    if tail and not (tail[-1].isalnum() or tail[-1] in ".’'"):
        return []
    run: list[str] = []
    for w in reversed(words[-6:]):
        low = w.lower()
        if w[0].isupper() or (low in _JOINERS and run):
            run.insert(0, w)
        elif low in _DETERMINERS:
            break
        elif not run:
            run.insert(0, w)  # a lower-case noun just before: "officials said"
            continue
        else:
            break
        if len(run) >= 5:
            break
    while run and run[0].lower() in _JOINERS:
        run.pop(0)
    return run


def _subject_after(rest: str, *, direct: bool = False) -> list[str]:
    """The words just after the cue ("according to KCNA", "said Kirby"). `direct`: only a
    name that follows the cue at once ("said Kirby", not "said, “What ...")."""
    if direct and not re.match(r"\s+[^\W\d_]", rest):
        return []
    # the subject ends at the clause's punctuation: "according to KCNA, North Korea
    # maintains" is KCNA's, not Korea's (a dot may sit inside a name: "U.S. Defense")
    words = _WORD.findall(_CLAUSE_END.split(rest[:80], maxsplit=1)[0])
    run: list[str] = []
    for w in words[:6]:
        low = w.lower()
        if not run and low in _DETERMINERS:
            run.append(w)
            continue
        if low in _PRONOUNS and not run:
            return []
        if w[0].isupper() or (run and low in _JOINERS):
            run.append(w)
        elif run and run[-1].lower() in _DETERMINERS:
            run.append(w)  # "the report", "the agency"
            break
        else:
            break
    return [w for w in run if w.lower() not in _DETERMINERS] if run else []


def _classify(words: list[str], lex: CueLexicon) -> str | None:
    """By the subject's head (its last word): "U.S. Defense Secretary Lloyd Austin" is a
    person, "South Korea's National Intelligence Service" an organisation."""
    lows = [w.lower().strip(".’'") for w in words]
    head, low = words[-1], lows[-1]
    if low in lex.vague_nouns:
        qualified = any(w[0].isupper() for w in words[:-1])
        return UNNAMED_SPECIFIC if qualified else VAGUE
    if any(w in lex.organisation_words for w in lows):
        return NAMED_ORGANISATION
    if len(head) >= 2 and head.replace(".", "").isupper():
        return NAMED_ORGANISATION  # an acronym: NIS, KCNA
    if head[0].isupper():
        return NAMED_PERSON
    return None
