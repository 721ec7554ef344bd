"""How `annotator import` groups what it says: the notes on one file's line (a language per
article of a JSON Lines file), files refused for the same reason said in one line past the
first few, and what the folders held that was not read."""

from __future__ import annotations

import re
from pathlib import Path

_NAMED = 5  # articles named per grouped note
# a note about one article of a JSON Lines file (ingest/articles.py's ARTICLE_NOTE)
_ARTICLE_NOTE = re.compile(r"line (\d+) \((.*?)\): (.*)", re.S)


_LANGUAGE_NOTE = re.compile(r"language (\S+): (.*)", re.S)


def grouped(notes: list[str]) -> str:
    """A file's notes, each said once and naming the articles it is about: a JSONL file of
    16 articles said "language de: ..." eleven times without saying which (audit4 F2).
    Language notes that differ only in the language become one: "language de (de1 line 1,
    de2 line 2), fr (fr1 line 4): the splitter's rules ..."."""
    about: dict[str, dict[str, list[str]]] = {}
    for note in notes:
        m = _ARTICLE_NOTE.fullmatch(note)
        if m is None:
            about.setdefault(note, {})
            continue
        who, what = f"{m.group(2)} line {m.group(1)}", m.group(3)
        lang = _LANGUAGE_NOTE.fullmatch(what)
        if lang is not None:
            about.setdefault(f"language\0{lang.group(2)}", {}).setdefault(lang.group(1), []).append(
                who
            )
        else:
            about.setdefault(what, {}).setdefault("", []).append(who)
    parts = []
    for note, by_code in about.items():
        if note.startswith("language\0"):
            codes = ", ".join(f"{code} ({_named(who)})" for code, who in by_code.items())
            parts.append(f"language {codes}: {note.partition(chr(0))[2]}")
        elif by_code:
            parts.append(f"{note} ({_named(by_code[''])})")
        else:
            parts.append(note)
    return "; ".join(parts)


# Files refused for the same reason: the first SAME_SAID are said as they come, the others
# in one line at the end (audit5 F7: a page.html and its page.txt extraction side by side,
# 41 pairs, made 41 lines saying the same thing). --verbose says each.
SAME_SAID = 3
# the article id in a refusal, left out to tell refusals for the same reason
_QUOTED_ID = re.compile(r"""article id (?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_ID_TAKEN = "is already in the database with different text"


def refusal(reason: str) -> str:
    return _QUOTED_ID.sub("article id ...", reason)


def held_line(like: str, paths: list[str]) -> str:
    names = ", ".join(paths[:_NAMED]) + (
        f" and {len(paths) - _NAMED} more" if len(paths) > _NAMED else ""
    )
    line = (
        f"... and {len(paths)} more file{'s' * (len(paths) != 1)} refused the same way "
        f"({like}): {names}"
    )
    if _ID_TAKEN in like:
        # the usual cause: a page and its extraction, side by side, under one name
        line += (
            "; a file's article id is its name without the extension, so page.html and "
            "page.txt share one: import one of them, or give the other its own id"
        )
    return line + " (--verbose says each)"


def _named(who: list[str]) -> str:
    shown = ", ".join(who[:_NAMED])
    return shown + (f" and {len(who) - _NAMED} more" if len(who) > _NAMED else "")


def passed_over(passed: list[tuple[Path, str]]) -> str:
    """What the folders held that was not read, for the summary (audit11 F5): links to
    folders (not followed: no loops, nothing outside the folder given) and hidden article
    files or folders holding them."""
    out = ""
    for why, one, many, how in (
        ("a link to a folder", "link to a folder", "links to folders", "not followed"),
        ("hidden", "hidden file or folder", "hidden files or folders", "skipped"),
    ):
        found = [p for p, w in passed if w == why]
        if found:
            shown = ", ".join(str(p) for p in found[:3]) + (" ..." if len(found) > 3 else "")
            name = one if len(found) == 1 else many
            them = "it" if len(found) == 1 else "them"
            out += f"; {len(found)} {name} {how} (name {them} to import {them}): {shown}"
    return out
