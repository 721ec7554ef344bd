"""The cue lexicons (`cues.toml` of the guidelines folder, or the copy the database keeps).

Parsing needs no label schema, so an import that only uses the project's stored lexicon never
loads the schema's pydantic; reading the file goes through the guidelines' boundary code
(`load_cues`, through annotator.guidelines.read_inside)."""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from annotator.models.schema_places import line_of, path_text
from annotator.models.suggestions import CueLexicon, CueRule, LexiconError

_CUE_KEYS = {"name", "label", "score", "attribution", "phrases", "quotes"}
CUES_FILE = "cues.toml"


def load_cues(folder: Path | None = None, labels: frozenset[str] | None = None) -> CueLexicon:
    """The cue lexicons of a guidelines folder (`cues.toml`; the bundled guidelines' when
    `folder` is None), read through the guidelines' boundary code like the rest of the
    folder. A folder without the file has no cues (an empty lexicon)."""
    # imported here: reading the bundled lexicon needs the guidelines' boundary code, which
    # parsing a stored lexicon never does (neither imports the label schema's pydantic)
    from annotator.guidelines import default_guidelines_dir, read_inside
    from annotator.models.schema_errors import SchemaError

    folder = folder or default_guidelines_dir()
    where = str(folder / CUES_FILE)
    if not (folder / CUES_FILE).exists() and not (folder / CUES_FILE).is_symlink():
        return parse_cues("", where, labels)
    try:
        text = read_inside(folder, CUES_FILE, where, "no such file")
    except SchemaError as e:
        raise LexiconError(str(e)) from None
    return parse_cues(text, where, labels)


def parse_cues(text: str, where: str, labels: frozenset[str] | None = None) -> CueLexicon:
    """A CueLexicon from the text of cues.toml, or a LexiconError naming the file and the
    group that is wrong. `labels`: the schema's label names, which every group must use."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # tomllib says "... (at line 5, column 3)": lead with FILE:LINE like every other
        # error (as schema.py does for the guidelines' TOML); "(at end of document)" is the
        # last line
        m = re.search(r"\(at line (\d+), column \d+\)$", str(e))
        end = str(e).endswith(" (at end of document)")
        line = m.group(1) if m else max(1, len(text.splitlines())) if end else None
        at = f"{where}:{line}" if line else where
        reason = re.sub(r" \((at line \d+, column \d+|at end of document)\)$", "", str(e))
        raise LexiconError(f"{at}: not valid TOML: {reason}") from None
    rules: list[CueRule] = []
    groups = data.get("cues", [])
    if not isinstance(groups, list):
        raise LexiconError(f"{where}: `cues` must be a list of [[cues]] groups")
    for i, group in enumerate(groups):
        # FILE:LINE: cues[1] (money).label, as labels.toml's errors say (audit12 F7); found
        # only for an error (the scan reads the whole text)
        def place(key: str | None = None, i: int = i) -> str:
            return _at(text, data, where, i, key)

        if not isinstance(group, dict):
            raise LexiconError(f"{place()}: must be a table")
        unknown = sorted(set(group) - _CUE_KEYS)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(_CUE_KEYS), n=1)
            raise LexiconError(
                f"{place(unknown[0])}: unknown key"
                + (f" (did you mean {close[0]}?)" if close else "")
            )
        label = group.get("label")
        if not isinstance(label, str) or (labels is not None and label not in labels):
            raise LexiconError(
                f"{place('label')}: must name a label of the schema, not "
                f"{label!r}" + (f" (the schema has {', '.join(sorted(labels))})" if labels else "")
            )
        score = group.get("score", 0.7)
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
            raise LexiconError(f"{place('score')}: must be a number from 0 to 1")
        name = str(group.get("name") or label.lower())
        pattern = _cue_pattern(group, place)
        first_words, marks = _prefilter(group)
        attribution = group.get("attribution", False)
        if not isinstance(attribution, bool):
            raise LexiconError(f"{place('attribution')}: must be true or false")
        rules.append(CueRule(label, name, pattern, float(score), attribution, first_words, marks))
    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        raise LexiconError(f"{where}: [sources] must be a table")
    return CueLexicon(
        rules=tuple(rules),
        vague_nouns=_words(sources.get("vague_nouns", []), f"{where}: sources.vague_nouns"),
        organisation_words=_words(
            sources.get("organisation_words", []), f"{where}: sources.organisation_words"
        ),
        version=hashlib.sha256(text.encode()).hexdigest()[:8],
        text=text,
    )


def _at(text: str, data: object, where: str, i: int, key: str | None = None) -> str:
    """`FILE:LINE: cues[N] (name).key`: groups counted from 1, with the line of the key (or
    of the group's header)."""
    loc: tuple[str | int, ...] = ("cues", i) if key is None else ("cues", i, key)
    line = line_of(text, loc)
    return f"{where}:{line}: {path_text(loc, data)}" if line else f"{where}: {path_text(loc, data)}"


def _words(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise LexiconError(f"{where}: must be a list of words")
    return frozenset(w.lower() for w in value)


def _prefilter(group: dict[str, object]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The first words of the phrases (none if one ends with "*": no cheap test then), or the
    opening marks of the quotes (checked by _cue_pattern already)."""
    phrases, quotes = group.get("phrases"), group.get("quotes")
    if isinstance(quotes, list):
        return frozenset(), tuple(str(q[0]) for q in quotes)
    assert isinstance(phrases, list)
    firsts = [str(p).split()[0].lower() for p in phrases]
    if any("*" in f for f in firsts):
        return frozenset(), ()
    return frozenset(firsts), ()


def _cue_pattern(group: dict[str, object], place: Callable[[], str]) -> str:
    """One regular expression for a group: whole phrases, or text between quote marks."""
    phrases, quotes = group.get("phrases"), group.get("quotes")
    if (phrases is None) == (quotes is None):
        raise LexiconError(f"{place()}: give either `phrases` or `quotes`")
    if phrases is not None:
        if not isinstance(phrases, list) or not phrases:
            raise LexiconError(f"{place()}: `phrases` must be a list of words or phrases")
        alts = []
        for p in phrases:
            if not isinstance(p, str) or not p.strip():
                raise LexiconError(f"{place()}: `phrases` must be a list of words or phrases")
            words = [re.escape(w) for w in p.split()]
            if words[-1].endswith(r"\*"):
                words[-1] = words[-1][:-2] + r"\w*"
            alts.append(r"\s+".join(words))
        # longest first, so "could not confirm" wins over "could"
        alts.sort(key=len, reverse=True)
        return r"(?<![\w’'])(?:" + "|".join(alts) + r")(?![\w’'])"
    if not isinstance(quotes, list) or not quotes:
        raise LexiconError(f"{place()}: `quotes` must be a list of [open, close] pairs")
    alts = []
    for q in quotes:
        if not (isinstance(q, list) and len(q) == 2 and all(isinstance(m, str) and m for m in q)):
            raise LexiconError(f"{place()}: `quotes` must be a list of [open, close] pairs")
        o, c = re.escape(q[0]), re.escape(q[1])
        alts.append(f"{o}[^{c}\\n]{{2,}}?{c}" if q[0] != q[1] else f"{o}[^{o}\\n]{{2,}}{c}")
    return "|".join(alts)
