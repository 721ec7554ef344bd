"""Keys the annotation screen keeps for itself.

They live here, not in the TUI, because the schema loader must reject a label schema whose
keys collide with them before any screen is built (and without importing Textual).
"""

from __future__ import annotations

import unicodedata

# key -> what it does on the annotation screen (shown in error messages and the help)
NAVIGATION_KEYS: dict[str, str] = {
    "enter": "confirm the sentence and move on",
    "space": "confirm the sentence and move on",
    "j": "next sentence",
    "k": "previous sentence",
    "down": "next sentence",
    "up": "previous sentence",
    "pagedown": "scroll down within a long sentence",
    "pageup": "scroll up within a long sentence",
    "]": "next article",
    "[": "previous article",
    "g": "go to the next unconfirmed sentence",
    "z": "undo",
    "backspace": "undo",
    "ctrl+y": "redo",
    "c": "comment on the sentence",
    "A": "article-level form",
    "o": "open an article",
    "?": "guideline of the current label",
    "R": "agreement screen",
    "y": "accept the suggestions of the sentence",
    "B": "accept BOILERPLATE for the article's furniture",
    "tab": "move the label cursor",
    "shift+tab": "move the label cursor back",
    "escape": "close a dialog",
    "d": "defer (adjudication)",
    "t": "set the source type (adjudication)",
    "r": "refresh the queue (adjudication)",
    "ctrl+q": "quit",
    "ctrl+p": "command palette",
}


# Keys the screen uses only while no label has them: a label schema stored before they were
# taken keeps working (audit8 F2: reserving `Z` for redo made every command refuse a project
# whose labels used it), and the other key of the same action stays.
YIELDING_KEYS: dict[str, str] = {"Z": "redo (ctrl+y redoes too)"}


def reserved_key(key: str) -> str | None:
    """Return what the key does on the annotation screen, or None if it is free."""
    if key == " ":
        key = "space"
    return NAVIGATION_KEYS.get(key)


def character_problem(key: str) -> str | None:
    """Why `key` is not one printable character a person can type and see, or None.

    ESC, bidi overrides (U+202E), other control, format, space and combining characters
    would act on the terminal (or show as nothing) wherever the key is displayed."""
    if len(key) != 1:
        return "must be a single character"
    category = unicodedata.category(key)
    if category[0] in "CZM" or not key.isprintable():
        what = {"C": "a control or format", "Z": "a space", "M": "a combining"}.get(
            category[0], "an unprintable"
        )
        return f"is {what} character (U+{ord(key):04X}), not a printable key"
    return None


def label_key_problem(key: str) -> str | None:
    """Why a key cannot be a label key, or None. Digits are kept for sentence fields (the
    source type) and, when adjudicating, for picking an annotator's version."""
    bad = character_problem(key)
    if bad:
        return bad
    does = reserved_key(key)
    if does:
        return f"is the annotation screen's key for '{does}'"
    if key.isdigit():
        return "is a digit (digits choose source types and annotators' versions)"
    return None
