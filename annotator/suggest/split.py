"""Who sees suggestions: the seeded split that lets a project measure anchoring.

With `suggestions_split = article`, a seeded half of the articles show suggestions to
everyone and the other half to no one; with `annotator`, each annotator sees them on a
seeded half of their articles (so every article is read with and without them by someone).
The draw is a hash of the seed and the names, not a random generator's state: the same
seed gives the same split on any machine, in any order of opening, for articles imported
later too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

MODES = ("none", "article", "annotator")


def shown(mode: str, seed: int, annotator: str, article: str) -> bool:
    """Does `annotator` see suggestions on `article` (its external id)?"""
    if mode == "none":
        return True
    if mode == "article":
        key = f"{seed}\0{article}"
    elif mode == "annotator":
        key = f"{seed}\0{annotator}\0{article}"
    else:
        raise ValueError(f"unknown suggestions_split {mode!r}: use one of {', '.join(MODES)}")
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return digest[0] & 1 == 0


LOPSIDED_SHARE = 0.25
"""A side with less than this share of someone's articles makes the split lopsided: with
9 of 10 articles on one side, "without suggestions" rests on one article of theirs."""
MIN_ARTICLES = 4
"""Fewer articles than this are too few to call lopsided (any split of 2 or 3 is)."""


def lopsided(sides: Mapping[str, Sequence[bool]]) -> list[tuple[str, int, int]]:
    """`sides`: for each annotator (or "" for the project, with the article split), whether
    suggestions are shown on each of their articles. The lopsided ones, as (name, shown,
    articles): the coin is flipped per article, so a few articles can fall mostly on one
    side, and the comparison then rests on the few left on the other."""
    out = []
    for name, shown_on in sides.items():
        n, k = len(shown_on), sum(shown_on)
        if n >= MIN_ARTICLES and min(k, n - k) < LOPSIDED_SHARE * n:
            out.append((name, k, n))
    return out


def lopsided_warning(found: Sequence[tuple[str, int, int]]) -> str | None:
    """One line for `lopsided`'s findings (None: nothing lopsided)."""
    if not found:
        return None
    shown_part = ", ".join(
        f"{name or 'the project'} {k} of {n} articles" for name, k, n in found[:5]
    )
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return (
        f"warning: the suggestions split is lopsided (suggestions shown on: {shown_part}{more});"
        " the with/without comparison rests on few articles there: another suggestions_seed "
        "may balance it"
    )


def sides_of(mode: str, pairs: Iterable[tuple[str, str, bool]]) -> dict[str, list[bool]]:
    """`pairs`: (annotator, article, shown) once per annotator and article. Grouped as
    `lopsided` reads them: per annotator (split `annotator`), or once per article for the
    project (split `article`); no split, nothing to group."""
    sides: dict[str, list[bool]] = {}
    if mode == "annotator":
        for who, _article, on in pairs:
            sides.setdefault(who, []).append(on)
    elif mode == "article":
        per_article = {article: on for _who, article, on in pairs}
        sides[""] = list(per_article.values())
    return sides
