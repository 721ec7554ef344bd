"""Counts for `annotator status` and the progress shown on screen."""

from __future__ import annotations

from collections import Counter
from typing import Any

from annotator.store.activity import activity
from annotator.store.coders import roles
from annotator.store.database import Store


def overview(store: Store) -> dict[str, Any]:
    row = store.one(
        "SELECT (SELECT count(*) FROM articles), "
        "(SELECT coalesce(sum(sentence_count), 0) FROM articles), "
        "(SELECT count(*) FROM outlets), (SELECT count(*) FROM annotators), "
        "(SELECT count(*) FROM events)"
    )
    assert row is not None
    schema = store.one(
        "SELECT s.name, s.version, s.hash FROM settings st JOIN schemas s "
        "ON s.hash = st.value WHERE st.key = 'schema_hash'"
    )
    kinds = segment_kinds(store)
    # articles imported before migration 0008 have no language: "unknown"
    languages: dict[str, int] = dict(
        store.all(
            "SELECT coalesce(language, 'unknown'), count(*) FROM articles "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        )
    )
    return {
        "database": str(store.path),
        "articles": row[0],
        "sentences": row[1],
        "outlets": row[2],
        "annotators": row[3],
        "events": row[4],
        "segment_kinds": kinds,
        "languages": languages,
        "schema": (
            {"name": schema[0], "version": schema[1], "hash": schema[2]} if schema else None
        ),
    }


def segment_kinds(store: Store) -> dict[str, int]:
    """Segments per kind, most first (ties by name). The index of kinds (migration 0017)
    leaves body segments out, the importer's commonest: they are all the sentences (a count
    of the smallest index) less the others."""
    others = [
        (str(kind), int(n))
        for kind, n in store.all(
            "SELECT kind, count(*) FROM sentences WHERE kind <> 'body' GROUP BY kind"
        )
    ]
    body = int(store.scalar("SELECT count(*) FROM sentences") or 0) - sum(n for _, n in others)
    if body:
        others.append(("body", body))
    return dict(sorted(others, key=lambda kn: (-kn[1], kn[0])))


def confirmed_counts(store: Store) -> dict[tuple[int, int], int]:
    """(annotator id, article id) -> sentences confirmed there: one pass over the covering
    index `annotations_by_annotator_confirmed` (migration 0011), shared by everything
    `status` shows per article."""
    return {
        (int(aid), int(art)): int(n)
        for aid, art, n in store.conn.execute(
            "SELECT annotator_id, article_id, count(*) FROM annotations "
            "WHERE confirmed = 1 GROUP BY annotator_id, article_id"
        )
    }


def article_names(store: Store) -> dict[int, tuple[str, str | None, int]]:
    """article id -> (external id, title, sentences)."""
    return {
        int(i): (str(ext), title, int(n))
        for i, ext, title, n in store.conn.execute(
            "SELECT id, external_id, title, sentence_count FROM articles"
        )
    }


def annotators(
    store: Store,
    counts: dict[tuple[int, int], int] | None = None,
    names: dict[int, tuple[str, str | None, int]] | None = None,
    form_size: int = 0,
) -> list[dict[str, Any]]:
    """Per annotator: sentences confirmed (total and per article), events recorded, active
    time (store/activity.py) and the rate, article forms. `form_size` is the number of
    article fields of the schema: a form with that many set is done."""
    counts = confirmed_counts(store) if counts is None else counts
    names = article_names(store) if names is None else names
    active = activity(store)
    per_article: dict[int, list[dict[str, Any]]] = {}
    for (aid, art), n in sorted(counts.items()):
        ext, title, total = names[art]
        per_article.setdefault(aid, []).append(
            {"article": ext, "title": title, "confirmed": n, "sentences": total}
        )
    # article forms are separate work: an article whose sentences are all confirmed may still
    # have an empty form; counted apart, per article: how many of its fields are set
    forms: dict[int, dict[str, int]] = {}
    for aid, art, n in store.all(
        "SELECT annotator_id, article_id, count(*) FROM article_annotations "
        "GROUP BY annotator_id, article_id"
    ):
        forms.setdefault(aid, {})[names[art][0]] = n
    # confirmed sentences changed since and not confirmed again (drafts: audit7 F17), by
    # the partial index of them (migration 0018)
    # (a row revised before that migration has no draft: its changed labels are the answer)
    drafts = {
        int(r[0]): (int(r[1]), int(r[2]))
        for r in store.all(
            "SELECT annotator_id, count(*), sum(draft_labels IS NULL) FROM annotations "
            "WHERE revised = 1 GROUP BY annotator_id"
        )
    }
    out = []
    not_annotators = set(roles(store))
    assigned = {int(r[0]) for r in store.all("SELECT DISTINCT annotator_id FROM assignments")}
    for aid, name, confirmed, on_team in store.all(
        "SELECT id, name, confirmed, id IN (SELECT annotator_id FROM team_members) "
        "FROM annotators ORDER BY name"
    ):
        if aid in not_annotators:
            continue
        arts = per_article.get(aid, [])
        seconds, n_events = active.get(aid, (0.0, 0))
        if not (on_team or n_events or confirmed or aid in drafts or aid in assigned):
            # a name off the team that never changed anything: someone who only opened a
            # screen, such as the adjudicator of a project without a team before a first
            # decision (audit9a F13: listed as an annotator with 0 confirmed)
            continue
        form = forms.get(aid, {})
        out.append(
            {
                "annotator": name,
                "on_team": bool(on_team),
                "confirmed": confirmed,
                "changed_not_reconfirmed": drafts.get(aid, (0, 0))[0],
                "changed_before_drafts": drafts.get(aid, (0, 0))[1],
                "events": n_events,
                "articles_complete": sum(1 for a in arts if a["confirmed"] == a["sentences"]),
                "articles": arts,
                "article_form_fields": form,
                "article_forms_done": sum(1 for n in form.values() if n >= form_size > 0),
                "active_seconds": round(seconds, 1),
                # a rate over less than a minute of work says nothing
                "sentences_per_hour": (
                    round(confirmed * 3600.0 / seconds, 1) if seconds >= 60 else None
                ),
            }
        )
    return out


def staff(store: Store) -> list[dict[str, Any]]:
    """The adjudicators and managers (see roles), by name, with their events."""
    active = activity(store)
    return [
        {"name": name, "role": role, "events": active.get(aid, (0.0, 0))[1]}
        for aid, (name, role) in sorted(roles(store).items(), key=lambda kv: kv[1])
    ]


def label_counts(store: Store, annotator_id: int) -> tuple[Counter[str], int]:
    """How often this annotator used each label on confirmed sentences, and the id of the
    last event those counts include (read in one transaction, so the two agree)."""
    with store.read():
        as_of = int(store.scalar("SELECT coalesce(max(id), 0) FROM events") or 0)
        counts = Counter(
            {
                str(r[0]): int(r[1])
                for r in store.all(
                    # the annotator's own labels, as the screen shows them (a draft's)
                    "SELECT j.value, count(*) FROM annotations a, "
                    "json_each(coalesce(a.draft_labels, a.labels)) j "
                    "WHERE a.annotator_id = ? AND a.confirmed = 1 GROUP BY j.value",
                    [annotator_id],
                )
            }
        )
    return counts, as_of


def article_progress(store: Store, annotator_id: int) -> dict[int, int]:
    """article id -> sentences this annotator confirmed there."""
    return {
        int(r[0]): int(r[1])
        for r in store.all(
            "SELECT article_id, count(*) FROM annotations WHERE annotator_id = ? AND confirmed = 1 "
            "GROUP BY article_id",
            [annotator_id],
        )
    }
