"""The article id a file takes from its name, when the file gives none of its own (an HTML
page; a .txt/.md file without front matter `id:`).

The id is the name without its extension (`story.html` -> `story`), as it always was, so a
project imported before keeps its ids. But a mirror made by `wget -r` or HTTrack names
pages by their address: hundreds of `.../index.html` in dated folders, `article.php?id=3`
beside `article.php?id=4`. By name alone they all were `index` or `article`, one page per
name was imported, and the advice to give the others an id in front matter or JSON could
not be followed: a page has neither (audit9b F14). So HTML pages of one import that share
a name at different places each take their path in the folder given instead, without our
extension and with whatever else the name holds (`2024/01/story/index`, `article.php?id=3`).

Only pages: a text file can say its id in front matter, and the same names in sibling
folders of text files are usually one page in several forms (the news corpus's `html/`,
`txt/`, `md/`, `crude/`), which must not become four articles. For the same reason pages at
one place under two extensions (`page.html`, `page.htm`) keep the one id. The rule looks
only at the paths of the import, never at the database: the same folder imported again
gives the same ids, and an article already stored under its old id is found by its text
(unchanged) whatever id it would take now.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

# the extensions an id leaves out in a path (the name's own `.php?id=3` stays: the query
# is what tells a mirror's pages apart)
_OURS = (".html", ".htm", ".xhtml")
# files read as text, whose names keep being their ids (anything else imported is a page)
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".jsonl")


def name_ids(files: Sequence[tuple[Path, Path | None]]) -> list[str | None]:
    """For each (file, the folder given it was found in, or None for a file named itself):
    the id it takes when it gives none; None for a text file (the name's stem, as always)
    or a JSON Lines file (its records give theirs). A page named itself has its path as
    given for its place."""
    places: list[str | None] = []
    by_stem: dict[str, set[str]] = {}
    for path, root in files:
        if path.suffix.lower() in TEXT_SUFFIXES:
            places.append(None)
            continue
        place = _place(path, root)
        places.append(place)
        by_stem.setdefault(path.stem, set()).add(place)
    return [
        None if place is None else (place if len(by_stem[path.stem]) > 1 else path.stem)
        for (path, _), place in zip(files, places, strict=True)
    ]


def is_page_name(path: str) -> bool:
    """Is this a file the import reads as an HTML page (by its name: whatever is not
    named as text is one, or is refused)?"""
    return Path(path).suffix.lower() not in TEXT_SUFFIXES


def _place(path: Path, root: Path | None) -> str:
    """Where the file is in the folder given (its path as given when named itself), with
    `/` between folders and without our extension."""
    rel = path
    if root is not None:
        try:
            rel = path.relative_to(root)
        except ValueError:
            rel = path
    text = rel.as_posix()
    lowered = text.lower()
    for suffix in _OURS:
        if lowered.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text
