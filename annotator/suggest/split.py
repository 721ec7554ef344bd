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
