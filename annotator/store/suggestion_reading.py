"""Suggested labels read back: whether an annotator sees them on an article (the project
setting, the condition first recorded, the seeded split), an article's suggestions, and the
listing `annotator suggestions list` prints. Computing and writing them: store/suggestions.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.models.suggestions import Suggestion
from annotator.store.database import Store
from annotator.store.suggestions import SHOWN_SCORE, schema_labels
from annotator.suggest import split


def shown(store: Store, annotator_id: int, article_id: int) -> bool:
    """Does this annotator see suggestions on this article? The project setting
    `suggestions` (off by default: suggestions anchor annotators, README), then the
    condition recorded when the article was first shown to them, then the seeded split of
    `suggestions_split` / `suggestions_seed`."""
    settings: dict[str, str] = dict(
        store.all(
            "SELECT key, value FROM settings WHERE key IN "
            "('suggestions', 'suggestions_split', 'suggestions_seed')"
        )
    )
    if settings.get("suggestions") != "on":
        return False
    # An article this annotator was first shown without suggestions stays without, even
    # when the project turns them on later (after a pilot): else their anchored work would
    # be counted in the control group, the bias `agreement --by suggestions` measures.
    first = store.one(
        "SELECT shown FROM suggestion_conditions WHERE annotator_id = ? AND article_id = ?",
        [annotator_id, article_id],
    )
    if first is not None and not first[0]:
        return False
    mode = str(settings.get("suggestions_split") or "none")
    if mode == "none":
        return True
    row = store.one(
        "SELECT (SELECT name FROM annotators WHERE id = ?), "
        "(SELECT external_id FROM articles WHERE id = ?)",
        [annotator_id, article_id],
    )
    who, article = (str(row[0] or ""), str(row[1] or "")) if row else ("", "")
    return split.shown(mode, int(str(settings.get("suggestions_seed") or 0)), who, article)


def split_pairs(store: Store) -> list[tuple[str, str]]:
    """(annotator, article) for each annotator's articles, as the seeded split sees them:
    their assigned articles, or every article for one without assignments. The annotators:
    the team's, else everyone who has an annotator's record; nobody yet: ("", article) for
    every article (the article split needs no name)."""
    team = store.all(
        "SELECT a.id, a.name FROM team_members t JOIN annotators a ON a.id = t.annotator_id "
        "WHERE t.role = 'annotator' ORDER BY a.id"
    )
    people = team or store.all("SELECT id, name FROM annotators ORDER BY id")
    everything = [str(r[0]) for r in store.all("SELECT external_id FROM articles ORDER BY id")]
    out: list[tuple[str, str]] = []
    for aid, name in people:
        mine = [
            str(r[0])
            for r in store.all(
                "SELECT a.external_id FROM assignments s JOIN articles a ON a.id = s.article_id "
                "WHERE s.annotator_id = ? ORDER BY s.position",
                [aid],
            )
        ]
        out += [(str(name), article) for article in mine or everything]
    return out if people else [("", article) for article in everything]


def _suggestion(r: Sequence[object]) -> Suggestion:
    sid, label, source, version, score, cue, cs, ce, st = r
    return Suggestion(
        int(str(sid)),
        str(label),
        str(source),
        str(version),
        float(str(score)),
        None if cue is None else str(cue),
        None if cs is None else int(str(cs)),
        None if ce is None else int(str(ce)),
        None if st is None else str(st),
    )


_READ = "sentence_id, label, source, version, score, cue, cue_start, cue_end, source_type"


def for_article(
    store: Store,
    article_id: int,
    min_score: float = SHOWN_SCORE,
    labels: frozenset[str] | None = None,
) -> dict[int, tuple[Suggestion, ...]]:
    """The suggestions of one article by sentence, best score first (one index range);
    with `labels`, only of those labels (the schema's: a stored suggestion of a label the
    schema lacks, or dropped, made the accepting keys raise: audit12 F12)."""
    out: dict[int, list[Suggestion]] = {}
    for r in store.all(
        f"SELECT {_READ} FROM suggestions WHERE article_id = ? AND score >= ? "
        "ORDER BY sentence_id, score DESC, source, label",
        [article_id, min_score],
    ):
        s = _suggestion(r)
        if labels is not None and s.label not in labels:
            continue
        out.setdefault(s.sentence_id, []).append(s)
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Listed:
    suggestion: Suggestion
    article: str  # the article's external id
    position: int


def listing(store: Store, article: str | None = None) -> Iterable[Listed]:
    """Every suggestion (of one article, by its external id), in corpus order; of the
    schema's labels only, as the screen shows them (a dropped label's rows are removed at
    adoption, audit15a F9, but an adoption interrupted halfway leaves some)."""
    labels = schema_labels(store)
    where, params = ("", []) if article is None else ("WHERE a.external_id = ?", [article])
    for r in store.conn.execute(
        f"SELECT {', '.join('x.' + c.strip() for c in _READ.split(','))}, a.external_id, "
        "s.position FROM suggestions x JOIN sentences s ON s.id = x.sentence_id "
        f"JOIN articles a ON a.id = x.article_id {where} "
        "ORDER BY x.sentence_id, x.source, x.label",
        params,
    ):
        if r[1] in labels:
            yield Listed(_suggestion(r[:9]), str(r[9]), int(r[10]))
