"""Suggested labels and the cue lexicons behind some of them: plain records that cross layers.

A suggestion is never a label: it is shown apart on the screen and becomes an annotation
only when the annotator accepts it, through an event whose `origin` names its source and
version (`suggestion:cues@1a2b3c4d`).
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.models.errors import StoreError

TYPED = "typed"
"""The origin of every change an annotator made by hand."""

# sources made by annotator itself (outside predictions carry their own names)
IMPORTER = "importer"
CUES = "cues"
MODEL = "model"
BUILTIN_SOURCES = (IMPORTER, CUES, MODEL)

MODEL_MIN_POSITIVE = 20
"""A label needs this many positive (and negative) examples before the model suggests it.
Here, not in suggest/model.py: the screen asks whether a retrain is due, and importing the
model would load numpy into every app process (a served session's memory)."""


def origin_of(source: str, version: str) -> str:
    """The `origin` an event records when a suggestion of this source is accepted."""
    return f"suggestion:{source}@{version}"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested label for one sentence. `cue_start`/`cue_end` are offsets into the
    sentence's text (the words that fired), None when the source has no cue (a model)."""

    sentence_id: int
    label: str
    source: str
    version: str
    score: float
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    source_type: str | None = None  # ATTRIBUTED: the guessed source type (a schema value)

    @property
    def origin(self) -> str:
        return origin_of(self.source, self.version)


@dataclass(frozen=True, slots=True)
class CueRule:
    """Words that suggest a label. `pattern` is a regular expression over the sentence
    (case-insensitive, whole words), built from the lexicon's phrases."""

    label: str
    name: str  # the lexicon's group, e.g. "reporting_verbs"
    pattern: str
    score: float
    attribution: bool = False  # a reporting cue: guess the source type from its subject
    # what must be in a sentence for the pattern to have a chance (a cheap test before the
    # regular expression): the phrases' first words, or the opening quote marks; empty:
    # always try the pattern (a phrase whose first word ends with "*")
    first_words: frozenset[str] = frozenset()
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class CueLexicon:
    """The cue lexicons of the guidelines (`cues.toml`): rules, and the words that tell a
    vague source ("officials", "reports") from a named one."""

    rules: tuple[CueRule, ...]
    vague_nouns: frozenset[str]
    organisation_words: frozenset[str]
    version: str  # a hash of the file's text: suggestions name the lexicon they came from
    text: str = ""  # the file as read (kept with the suggestions' source)


class LexiconError(StoreError):
    """A cue lexicon that cannot be used: one line naming the file and the group."""
