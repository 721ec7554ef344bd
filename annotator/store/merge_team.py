"""The team side of a merge (store/merge.py): team members and assignments this database
lacks, and what each annotator was shown on the copy (with or without suggestions). Each
runs inside the merge's one write transaction, after the articles and annotators are mapped.
"""

from __future__ import annotations

import sqlite3

from annotator.models.merge import MergeReport
from annotator.store.merge_copy import OtherCopy

Maps = dict[str, dict[int, int]]
"""The other copy's ids to this database's, per kind ("annotator", "article", ...)."""


def members(conn: sqlite3.Connection, other: OtherCopy, report: MergeReport) -> None:
    """Add the copy's team members this database lacks; a role that differs keeps this
    database's, and the summary says so."""
    here = {
        str(r[0]): str(r[1])
        for r in conn.execute(
            "SELECT a.name, m.role FROM team_members m JOIN annotators a ON a.id = m.annotator_id"
        )
    }
    ids = {str(r[1]): int(r[0]) for r in conn.execute("SELECT id, name FROM annotators")}
    removed = {
        int(r[0]): str(r[1])
        for r in conn.execute("SELECT annotator_id, removed_at FROM team_removals")
    }
    for name, role, added, updated in other.members:
        if name in here:
            if here[name] != role:
                report.roles_differ.append(f"{name}: {here[name]} here, {role} there")
            continue
        gone = removed.get(ids[name])
        if gone is not None and gone > max(str(added), str(updated or "")):
            # taken off the team here after the copy's membership: the later change wins
            report.members_kept_off.append(name)
            continue
        conn.execute(
            "INSERT INTO team_members (annotator_id, role, added_at, updated_at) "
            "VALUES (?, ?, ?, ?)",
            [ids[name], role, added, updated],
        )
        report.members_added.append(name)


def assignments(
    conn: sqlite3.Connection, other: OtherCopy, maps: Maps, report: MergeReport
) -> None:
    """Add the copy's assignments this database lacks, each at the end of its annotator's
    queue here."""
    have = {
        (int(r[0]), int(r[1]))
        for r in conn.execute("SELECT article_id, annotator_id FROM assignments")
    }
    last = {
        int(r[0]): int(r[1])
        for r in conn.execute(
            "SELECT annotator_id, max(position) FROM assignments GROUP BY annotator_id"
        )
    }
    for a in other.assignments:
        article = maps["article"].get(int(a["article_id"]))
        annotator = maps["annotator"][int(a["annotator_id"])]
        if article is None or (article, annotator) in have:
            continue
        position = last.get(annotator, -1) + 1
        last[annotator] = position
        have.add((article, annotator))
        cols = [c for c in a if c not in ("article_id", "annotator_id", "position")]
        conn.execute(
            f"INSERT INTO assignments (article_id, annotator_id, position, {', '.join(cols)}) "
            f"VALUES (?, ?, ?, {', '.join('?' * len(cols))})",
            [article, annotator, position, *(a[c] for c in cols)],
        )
        report.assignments_added += 1


def conditions(conn: sqlite3.Connection, other: OtherCopy, maps: Maps, report: MergeReport) -> None:
    """What each annotator was shown on the copy (with or without suggestions): an
    article first shown there keeps that condition here; where both databases recorded
    one, the earlier showing stays, as on one file (the first showing is the one)."""
    # one read of this database's conditions (one row per annotator and article)
    here = {
        (int(r[0]), int(r[1])): str(r[2])
        for r in conn.execute("SELECT annotator_id, article_id, at FROM suggestion_conditions")
    }
    for annotator_id, article_id, shown, at in other.conditions:
        article = maps["article"].get(article_id)
        if article is None:
            continue
        annotator = maps["annotator"][annotator_id]
        known = here.get((annotator, article))
        if known is not None and known <= at:
            continue
        here[(annotator, article)] = at  # as the row written below now says
        conn.execute(
            "INSERT OR REPLACE INTO suggestion_conditions "
            "(annotator_id, article_id, shown, at) "
            "VALUES (?, ?, ?, ?)",
            [annotator, article, shown, at],
        )
        report.conditions_added += 1
