"""What an ellipsis decides for the splitter (sentences.py): an omission inside a sentence
("sites ... and", "[...]"), or the end of one ("He paused... Then", and the period before a
spaced ellipsis that opens the next: "compounds. . . . The practice")."""

from __future__ import annotations

import re


def ellipsis_boundary(
    m: re.Match[str], tok: str, word: str, cl: str, cq: str, kind: str, cut: int, nxt: int
) -> tuple[int, int] | None:
    """(end of this sentence, start of the next) if the candidate `m`, a cluster `cl` of three
    dots or more or an ellipsis character, its closing quotes `cq`, after the token `tok`
    (`word`: the token without its opening marks), ends a sentence; `kind` is what opens the
    next word ("U" a capital, "D" a digit, "O" anything else), `cut` and `nxt` where this
    sentence would end and the next begin."""
    if tok.endswith(("[", "(")) and cq.startswith(("]", ")")):
        return None  # "[...]": an omission inside a quotation
    if kind == "O":
        return None  # "I have... <https://t.co/x>"
    dots = cl.count(".") + 3 * cl.count("…")
    if not word:
        # a detached ellipsis ("sites ... and", "the thing is . . . I didn't") is an
        # omission; four dots are an omission plus the sentence's own period
        return (cut, nxt) if dots >= 4 else None
    if dots >= 4 and cl[1] in " \u00a0" and not cq:
        # "compounds. . . . The practice": the period ends this sentence and the spaced
        # ellipsis opens the next one
        s = m.start("cl")
        return s + 1, s + 2
    return cut, nxt  # "I never meant that.... She left", "He paused... Then"
