"""Suggestions from the cue lexicons of the guidelines (`guidelines/cues.toml`).

Each rule is one regular expression; the first match in a sentence gives the suggestion its
cue (the words that fired) and the cue's span, so the screen can say why. A reporting cue
also guesses the source type from its subject: the words just before the cue ("Austin
said", "South Korean officials stated") or just after it ("according to KCNA", "said Kirby").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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


# One rule as the loop reads it: label, the pattern's search, first words, opening marks,
# attribution, the cue's prefix ("reporting_verbs: "), score. A tuple unpacks faster than
# attributes are read, and the loop runs once per rule per sentence.
_Step = tuple[
    str, Callable[[str], re.Match[str] | None], frozenset[str], tuple[str, ...], bool, str, float
]


@dataclass(frozen=True)
class CompiledLexicon:
    lexicon: CueLexicon
    patterns: tuple[re.Pattern[str], ...]
    steps: tuple[_Step, ...]
    # the one test a sentence must pass before any rule is looked at: one of these words,
    # one of these marks, or a rule without a cheap test (`always`). Most sentences of a
    # corpus fire nothing, and this skips them with one set intersection.
    first_words: frozenset[str]
    marks: re.Pattern[str] | None
    always: bool


def compile_lexicon(lexicon: CueLexicon) -> CompiledLexicon:
    flags = re.IGNORECASE
    patterns = tuple(re.compile(r.pattern, flags) for r in lexicon.rules)
    steps = tuple(
        (r.label, p.search, r.first_words, r.marks, r.attribution, f"{r.name}: ", r.score)
        for r, p in zip(lexicon.rules, patterns, strict=True)
    )
    marks = sorted({m for r in lexicon.rules if not r.first_words for m in r.marks})
    return CompiledLexicon(
        lexicon,
        patterns,
        steps,
        frozenset().union(*(r.first_words for r in lexicon.rules)),
        re.compile("|".join(map(re.escape, marks))) if marks else None,
        any(not r.first_words and not r.marks for r in lexicon.rules),
    )


def suggest(sentences: Iterable[tuple[int, str]], compiled: CompiledLexicon) -> list[Suggestion]:
    """One suggestion per (sentence, label) at most: the first rule of that label that fires
    (the lexicon's order is its priority), at its first match."""
    return [
        Suggestion(sid, label, CUES, compiled.lexicon.version, score, cue, start, end, source)
        for sid, label, score, cue, start, end, source in suggest_rows(sentences, compiled)
    ]


CueRow = tuple[int, str, float, str, int, int, str | None]
"""A suggestion of the lexicon as `suggest_rows` gives it: sentence id, label, score, cue,
cue_start, cue_end, source type (source and version are the lexicon's)."""


def suggest_rows(sentences: Iterable[tuple[int, str]], compiled: CompiledLexicon) -> list[CueRow]:
    """`suggest` as plain tuples, for the refresh that writes them straight to the database
    (a Suggestion per row costs as much as the row itself; tests check the two agree)."""
    lex = compiled.lexicon
    out: list[CueRow] = []
    append = out.append
    words = _LOWER_WORD.findall
    firsts = compiled.first_words
    marks = compiled.marks.search if compiled.marks is not None else None
    always = compiled.always
    steps = compiled.steps
    none: frozenset[str] = frozenset()
    for sid, text in sentences:
        # the words of the sentence that begin some phrase: a rule with first words has a
        # chance only when one of them is here (the regular expressions are most of the cost)
        present = firsts.intersection(words(text.lower())) if firsts else none
        if not present and not always and (marks is None or marks(text) is None):
            continue
        seen: set[str] = set()
        for label, search, first_words, rule_marks, attribution, prefix, score in steps:
            if label in seen:
                continue
            if first_words:
                if first_words.isdisjoint(present):
                    continue
            elif rule_marks and not any(m in text for m in rule_marks):
                continue
            m = search(text)
            if m is None:
                continue
            seen.add(label)
            start, end = m.span()
            source_type = guess_source_type(text, start, end, lex) if attribution else None
            append((sid, label, score, prefix + m.group(0), start, end, source_type))
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
