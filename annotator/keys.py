"""Keys the annotation screen keeps for itself.

They live here, not in the TUI, because the schema loader must reject a label schema whose
keys collide with them before any screen is built (and without importing Textual).
"""

from __future__ import annotations

# key -> what it does on the annotation screen (shown in error messages and the help)
NAVIGATION_KEYS: dict[str, str] = {
    "enter": "confirm the sentence and move on",
    "space": "confirm the sentence and move on",
    "j": "next sentence",
    "k": "previous sentence",
    "down": "next sentence",
    "up": "previous sentence",
    "]": "next article",
    "[": "previous article",
    "g": "go to the next unconfirmed sentence",
    "z": "undo",
    "backspace": "undo",
    "c": "comment on the sentence",
    "A": "article-level form",
    "o": "open an article",
    "?": "guideline of the current label",
    "R": "agreement screen",
    "tab": "move the label cursor",
    "shift+tab": "move the label cursor back",
    "escape": "close a dialog",
    "d": "defer (adjudication)",
    "t": "set the source type (adjudication)",
    "r": "refresh the queue (adjudication)",
    "ctrl+q": "quit",
    "ctrl+p": "command palette",
}


def reserved_key(key: str) -> str | None:
    """Return what the key does on the annotation screen, or None if it is free."""
    if key == " ":
        key = "space"
    return NAVIGATION_KEYS.get(key)


def label_key_problem(key: str) -> str | None:
    """Why a key cannot be a label key, or None. Digits are kept for sentence fields (the
    source type) and, when adjudicating, for picking an annotator's version."""
    does = reserved_key(key)
    if does:
        return f"is the annotation screen's key for '{does}'"
    if key.isdigit():
        return "is a digit (digits choose source types and annotators' versions)"
    return None
