"""Personal access tokens for `annotator serve` (table `access_tokens`, migration 0013).

A token is HMAC-SHA256(key, nonce), base64url: the key lives in a file beside the database
(`PATH.link-key`, mode 0600, made on first use), the nonce in the row, and only the token's
SHA-256 in the database. So the database alone gives nobody's link (an annotator who can
read the shared file cannot serve themselves as someone else), while the manager who holds
the key file can print a link again (`annotator team link NAME`). Rotating draws a new
nonce; revoking stamps `revoked_at`; taking someone off the team revokes their link too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from annotator.models.team import TeamError, check_name
from annotator.store.database import Store, now

KEY_SUFFIX = ".link-key"
_KEY_BYTES = 32


@dataclass(frozen=True)
class Holder:
    """Who a valid token belongs to: the name and the team role, read at every check, so a
    role changed with `annotator team role` holds from the next page load on."""

    name: str
    role: str


def key_path(store: Store) -> Path:
    return store.path.with_name(store.path.name + KEY_SUFFIX)


def _read_key(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise TeamError(f"{path}: cannot read the link key ({e})") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != _KEY_BYTES:
        raise TeamError(f"{path}: not a link key (64 hex digits expected); move it away")
    return key


def _key(store: Store, *, create: bool) -> bytes | None:
    path = key_path(store)
    key = _read_key(path)
    if key is not None or not create:
        return key
    fresh = secrets.token_bytes(_KEY_BYTES)
    try:
        # O_EXCL: never replace a key someone else just made (their links would all break)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError as e:
        raise TeamError(f"{path}: cannot write the link key ({e})") from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(fresh.hex() + "\n")
    return fresh


def _token(key: bytes, nonce: str) -> str:
    digest = hmac.new(key, nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def _member_id(store: Store, name: str) -> int:
    row = store.one(
        "SELECT t.annotator_id FROM team_members t JOIN annotators a ON a.id = t.annotator_id "
        "WHERE a.name = ?",
        [name],
    )
    if row is None:
        raise TeamError(f"{name!r} is not on the team: add them with `annotator team add NAME`")
    return int(row[0])


def link_token(
    store: Store,
    name: str,
    *,
    rotate: bool = False,
    reissue_revoked: bool = False,
    expires_at: str | None = None,
) -> str:
    """The member's token: the current one again, or (first time, or `rotate`) a new one
    that replaces it. A revoked link is not silently replaced: asking to see it again must
    not hand access back, so that takes `rotate` (or `reissue_revoked`: `team add` putting
    a removed member back). `expires_at` (a time as `now()` writes it): the link works until
    then, the one shown again included; an expired link is shown again only with a new end
    (or `rotate`)."""
    name = check_name(name)
    aid = _member_id(store, name)
    row = store.one(
        "SELECT nonce, revoked_at, expires_at FROM access_tokens WHERE annotator_id = ?", [aid]
    )
    if row is not None and row[1] is not None and not (rotate or reissue_revoked):
        raise TeamError(
            f"{name}'s link was revoked ({row[1]}); "
            f"`annotator team link {name} --rotate` gives {name} a new one"
        )
    if row is not None and row[2] is not None and row[2] <= now() and not (rotate or expires_at):
        raise TeamError(
            f"{name}'s link expired ({row[2]}); `annotator team link {name} --expires 7d` "
            f"opens it again for a week, `--rotate` gives {name} a new one"
        )
    if row is not None and row[1] is None and not rotate:
        key = _key(store, create=False)
        if key is None:
            raise TeamError(
                f"{key_path(store)} is missing, so {name}'s link cannot be shown again: "
                f"`annotator team link {name} --rotate` makes a new one"
            )
        token = _token(key, str(row[0]))
        if token_hash(token) != _stored_hash(store, aid):
            raise TeamError(
                f"{key_path(store)} is not the key {name}'s link was made with: "
                f"`annotator team link {name} --rotate` makes a new one"
            )
        if expires_at is not None:
            with store.write() as conn:
                conn.execute(
                    "UPDATE access_tokens SET expires_at = ? WHERE annotator_id = ?",
                    [expires_at, aid],
                )
        return token
    key = _key(store, create=True)
    assert key is not None
    nonce = secrets.token_hex(16)
    token = _token(key, nonce)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO access_tokens (annotator_id, nonce, token_hash, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (annotator_id) DO UPDATE SET "
            "nonce = excluded.nonce, token_hash = excluded.token_hash, "
            "created_at = excluded.created_at, revoked_at = NULL, "
            "expires_at = excluded.expires_at",
            [aid, nonce, token_hash(token), now(), expires_at],
        )
    return token


def expiry(store: Store, name: str) -> str | None:
    """When `name`'s link stops working (None: not before it is revoked or rotated)."""
    row = store.one(
        "SELECT k.expires_at FROM access_tokens k JOIN annotators a ON a.id = k.annotator_id "
        "WHERE a.name = ?",
        [check_name(name)],
    )
    return None if row is None or row[0] is None else str(row[0])


def _stored_hash(store: Store, aid: int) -> str | None:
    row = store.one("SELECT token_hash FROM access_tokens WHERE annotator_id = ?", [aid])
    return str(row[0]) if row else None


def revoke(store: Store, name: str) -> bool:
    """End `name`'s link (True if there was a live one). Works for someone already off the
    team too."""
    name = check_name(name)
    with store.write() as conn:
        cur = conn.execute(
            "UPDATE access_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND annotator_id = "
            "(SELECT id FROM annotators WHERE name = ?)",
            [now(), name],
        )
        return cur.rowcount > 0


def expired_at(store: Store, token: str) -> str | None:
    """When `token`'s link expired, if it is a link that did (and was not revoked since):
    its holder is told why the door is shut, not "no valid link"."""
    if not token or len(token) > 256:
        return None
    row = store.one(
        "SELECT expires_at FROM access_tokens WHERE token_hash = ? AND revoked_at IS NULL "
        "AND expires_at <= ?",
        [token_hash(token), now()],
    )
    return None if row is None else str(row[0])


def holder(store: Store, token: str) -> Holder | None:
    """Who holds `token`, if it is live and they are still on the team; else None. The
    lookup is by hash through a unique index: its time does not depend on how much of a
    guess is right."""
    if not token or len(token) > 256:
        return None
    row = store.one(
        "SELECT a.name, t.role FROM access_tokens k "
        "JOIN team_members t ON t.annotator_id = k.annotator_id "
        "JOIN annotators a ON a.id = k.annotator_id "
        "WHERE k.token_hash = ? AND k.revoked_at IS NULL "
        "AND (k.expires_at IS NULL OR k.expires_at > ?)",
        [token_hash(token), now()],
    )
    return Holder(str(row[0]), str(row[1])) if row else None
