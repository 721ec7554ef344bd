"""The team (table `team_members`, migration 0007) and the project settings (rows of
`settings`). Roles and settings are validated in annotator/models/team.py."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.models.team import (
    DEFAULT_ROLE,
    SETTINGS,
    TeamError,
    check_name,
    check_role,
    check_setting,
)
from annotator.store.database import Store, now


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    added_at: str


def add(store: Store, name: str, role: str = DEFAULT_ROLE) -> Member:
    """Put `name` on the team (making the annotator if they never wrote anything)."""
    name, role = check_name(name), check_role(role)
    with store.write() as conn:
        row = conn.execute("SELECT id FROM annotators WHERE name = ?", [name]).fetchone()
        at = now()
        if row is None:
            aid = conn.execute(
                "INSERT INTO annotators (name, created_at) VALUES (?, ?)", [name, at]
            ).lastrowid
        else:
            aid = int(row[0])
            if conn.execute("SELECT 1 FROM team_members WHERE annotator_id = ?", [aid]).fetchone():
                raise TeamError(
                    f"{name!r} is already on the team; change the role with `annotator team "
                    "role NAME ROLE`"
                )
        conn.execute(
            "INSERT INTO team_members (annotator_id, role, added_at, updated_at) "
            "VALUES (?, ?, ?, ?)",
            [aid, role, at, at],
        )
        conn.execute("DELETE FROM team_removals WHERE annotator_id = ?", [aid])
    return Member(name, role, at)


def remove(store: Store, name: str) -> None:
    """Take `name` off the team. Their annotator row and everything they did stay."""
    name = check_name(name)
    with store.write() as conn:
        cur = conn.execute(
            "DELETE FROM team_members WHERE annotator_id = "
            "(SELECT id FROM annotators WHERE name = ?)",
            [name],
        )
        if cur.rowcount == 0:
            raise TeamError(f"{name!r} is not on the team (see `annotator team list`)")
        # when: a merge of an older copy must not put them back (store/merge_team.py)
        conn.execute(
            "INSERT INTO team_removals (annotator_id, removed_at) "
            "SELECT id, ? FROM annotators WHERE name = ? "
            "ON CONFLICT (annotator_id) DO UPDATE SET removed_at = excluded.removed_at",
            [now(), name],
        )


def set_role(store: Store, name: str, role: str) -> None:
    name, role = check_name(name), check_role(role)
    with store.write() as conn:
        cur = conn.execute(
            "UPDATE team_members SET role = ?, updated_at = ? WHERE annotator_id = "
            "(SELECT id FROM annotators WHERE name = ?)",
            [role, now(), name],
        )
        if cur.rowcount == 0:
            raise TeamError(f"{name!r} is not on the team: add them with `annotator team add NAME`")


def members(store: Store) -> list[Member]:
    return [
        Member(str(n), str(r), str(at))
        for n, r, at in store.all(
            "SELECT a.name, t.role, t.added_at FROM team_members t "
            "JOIN annotators a ON a.id = t.annotator_id ORDER BY a.name"
        )
    ]


def roles(store: Store) -> dict[str, str]:
    """annotator name -> team role, for members only."""
    return {m.name: m.role for m in members(store)}


def role_of(store: Store, name: str) -> str | None:
    row = store.one(
        "SELECT t.role FROM team_members t JOIN annotators a ON a.id = t.annotator_id "
        "WHERE a.name = ?",
        [name],
    )
    return str(row[0]) if row else None


# --- settings --------------------------------------------------------------------------------


def settings(store: Store) -> dict[str, str]:
    """Every project setting, the stored value or its default."""
    stored: dict[str, str] = dict(
        store.all(
            f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(SETTINGS))})",
            list(SETTINGS),
        )
    )
    return {k: str(stored.get(k, s.default)) for k, s in SETTINGS.items()}


def setting(store: Store, key: str) -> str:
    return settings(store)[key]


def set_setting(store: Store, key: str, value: str) -> tuple[str, str]:
    key, value = check_setting(key, value)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
    return key, value


def may_annotate(store: Store, name: str) -> bool:
    """In a closed team only members annotate; in an open one, anyone."""
    return setting(store, "team") == "open" or role_of(store, name) is not None
