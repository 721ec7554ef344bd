"""What `annotator status` reports, gathered in one call: the session layer's service for
the command (cli/status.py prints it as text or JSON) and for the status screen
(tui/screens/status.py, in the terminal and served to managers), so both show the same
figures from the same store queries and the TUI never queries the store.

`status_data` reads through a store it is given; `status_view` opens its own connection to
the database file, for the screen's thread worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.adjudication_queue import contradicted
from annotator.guidelines import Guidelines
from annotator.store import articles as arts
from annotator.store import assignments, coders, gold_matrices, gold_queue, progress, team
from annotator.store.database import Store, open_store


def status_data(
    store: Store, guidelines: Guidelines, viewer: str, n_resamples: int
) -> dict[str, Any]:
    """The report (reads only; the caller closes `store`): the overview (database,
    articles, sentences, ...), `annotators` (each with `queue` and `assigned`), `staff`,
    `team`, `assigned_articles`, `adjudication`, and, when `viewer` may see it
    (sees_gold_agreement), `gold_agreement`."""
    data = status_counts(store, guidelines)
    if sees_gold_agreement(store, viewer):
        data["gold_agreement"] = gold_agreement(
            store, annotator_names(data), guidelines.schema.label_names, n_resamples
        )
    return data


def annotator_names(data: dict[str, Any]) -> list[str]:
    return [a["annotator"] for a in data["annotators"]]


def status_counts(store: Store, guidelines: Guidelines) -> dict[str, Any]:
    """The report without `gold_agreement`: counts only, no bootstrap (audit9a F15: at
    5,000 articles the gold intervals took 14 s, and the screen showed nothing meanwhile)."""
    data = progress.overview(store)
    counts = progress.confirmed_counts(store)
    names = progress.article_names(store)
    n_fields = len(guidelines.schema.article_fields)
    data["annotators"] = progress.annotators(store, counts, names, n_fields)
    # adjudicators and managers are not annotators: listed apart, not counted
    data["staff"] = progress.staff(store)
    data["team"] = team.setting(store, "team")
    queues = assignments.queues(store, counts, names)
    for a in data["annotators"]:
        a["queue"] = queues.get(a["annotator"], [])
        a["assigned"] = assigned(a["queue"])
    data["assigned_articles"] = assignments.per_article(store, counts, names)
    data["adjudication"] = gold_queue.progress(store)
    # decisions an answer confirmed since contradicts: the queue shows them again (audit14 F3)
    data["adjudication"]["stale_decisions"] = sum(
        1 for _ in contradicted(store, coders.coders(store))
    )
    return data


def status_view(db_path: Path, guidelines: Guidelines, viewer: str) -> tuple[dict[str, Any], bool]:
    """status_counts on a connection of its own (the screen calls it from a thread), and
    whether `viewer` sees gold agreement (then the screen asks gold_view for it, after
    showing the counts). Raises StoreError (annotator.models.errors) when the database
    cannot be read."""
    with open_store(db_path, create=False) as store:
        return status_counts(store, guidelines), sees_gold_agreement(store, viewer)


def gold_view(
    db_path: Path, guidelines: Guidelines, annotators: list[str], n_resamples: int
) -> list[dict[str, Any]]:
    """gold_agreement on a connection of its own, for the screen's thread. It reads the
    database again: an annotator confirming meanwhile can make it a moment newer than the
    counts shown beside it, as `r` would."""
    with open_store(db_path, create=False) as store:
        return gold_agreement(store, annotators, guidelines.schema.label_names, n_resamples)


def assigned(queue: list[dict[str, Any]]) -> dict[str, int]:
    """What an annotator's queue adds up to."""
    sentences = sum(x["sentences"] for x in queue)
    confirmed = sum(min(x["confirmed"], x["sentences"]) for x in queue)
    return {
        "articles": len(queue),
        "sentences": sentences,
        "confirmed": confirmed,
        "remaining": sentences - confirmed,
        "articles_done": sum(1 for x in queue if x["confirmed"] >= x["sentences"]),
    }


def sees_gold_agreement(store: Store, viewer: str) -> bool:
    """Managers see each annotator's agreement with gold; while nobody on the team is a
    manager (a project without a team, as before teams existed), everyone does."""
    roles = team.roles(store)
    return roles.get(viewer) == "manager" or "manager" not in roles.values()


def gold_agreement(
    store: Store, annotators: list[str], labels: tuple[str, ...], n_resamples: int
) -> list[dict[str, Any]]:
    """Per annotator, per label: agreement with gold over the sentences that have gold
    (the same coefficients and intervals as `annotator agreement`)."""
    import numpy as np

    from annotator.agreement.intervals import clustered_label_report
    from annotator.agreement.report_json import label_json

    matrices = gold_matrices.against_gold(store, labels, annotators)
    out = []
    for name in annotators:
        matrix = matrices.get(name)
        if matrix is None:
            continue
        # whole articles resampled, as `agreement` does (audit8 F10)
        units = [int(str(u)) for u in matrix.units]  # sentence ids (gold_matrices)
        clusters = np.asarray(arts.articles_of(store, units), dtype=np.int64)
        report, _why = clustered_label_report(
            matrix,
            clusters,
            n_resamples=n_resamples,
            seed=0,
            shared="gold",
            pairwise=False,
        )
        out.append(
            {
                "annotator": name,
                "sentences": len(matrix.units),
                "labels": [label_json(la) for la in report],
            }
        )
    return out


def changed_note(entry: dict[str, Any]) -> str:
    """What `status` says of an annotator's confirmed sentences changed since (`entry`: one
    of `annotators`): until confirmed again the confirmed labels count, except for a change
    made before drafts were kept (migration 0018), whose changed labels are the answer
    (audit8 F14: the note said the confirmed labels counted for those too)."""
    n, older = entry["changed_not_reconfirmed"], entry.get("changed_before_drafts", 0)
    note = f"{n} confirmed sentence{'s' * (n != 1)} changed and not confirmed again"
    if older == 0:
        return f"{note} (the confirmed labels count until then)"
    if older == n:
        return f"{note} before drafts were kept (the changed labels count)"
    return (
        f"{note} (the confirmed labels count until then, but for {older} changed before "
        "drafts were kept the changed labels count)"
    )
