"""The personal links `annotator serve` checks (`team add` prints one, `team link` prints it
again, rotates, revokes): random, stored only as hashes, a key file the owner's alone, the
project's public URL; mistakes are one line. The server itself: tests/test_serve.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store import tokens
from annotator.store.database import now, open_store
from tests.conftest import RunCli


def test_team_add_prints_a_link_that_team_link_prints_again(run_cli: RunCli, db_path: Path) -> None:
    added = run_cli("team", "add", "alice").output
    assert "added alice as annotator" in added
    (line,) = [x for x in added.splitlines() if x.startswith("link: ")]
    link = line.removeprefix("link: ")
    assert link.startswith("http://127.0.0.1:8000/?token=")
    token = link.rsplit("=", 1)[1]
    assert len(token) >= 43  # 256 bits
    assert run_cli("team", "link", "alice").output.strip() == link
    # only a hash is stored: the token's text is nowhere in the database file
    assert token.encode() not in db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or token.encode() not in wal.read_bytes()
    key = db_path.with_name(db_path.name + ".link-key")
    assert key.stat().st_mode & 0o077 == 0  # the key file is the owner's alone


def test_rotate_replaces_the_link_and_the_old_one_stops(run_cli: RunCli, db_path: Path) -> None:
    run_cli("team", "add", "alice")
    old = run_cli("team", "link", "alice").output.strip().rsplit("=", 1)[1]
    new = run_cli("team", "link", "alice", "--rotate").output.strip().rsplit("=", 1)[1]
    assert new != old
    store = open_store(db_path, create=False)
    try:
        assert tokens.holder(store, old) is None
        holder = tokens.holder(store, new)
        assert holder is not None and (holder.name, holder.role) == ("alice", "annotator")
        assert tokens.holder(store, new[:-1] + ("A" if new[-1] != "A" else "B")) is None
    finally:
        store.close()


def test_revoke_and_remove_end_the_link(run_cli: RunCli, db_path: Path) -> None:
    run_cli("team", "add", "alice")
    run_cli("team", "add", "bob", "--role", "manager")
    a = run_cli("team", "link", "alice").output.strip().rsplit("=", 1)[1]
    b = run_cli("team", "link", "bob").output.strip().rsplit("=", 1)[1]
    assert "revoked alice's link" in run_cli("team", "link", "alice", "--revoke").output
    assert "no longer works" in run_cli("team", "remove", "bob").output
    store = open_store(db_path, create=False)
    try:
        assert tokens.holder(store, a) is None
        assert tokens.holder(store, b) is None
    finally:
        store.close()
    # after a revocation, printing the link again does not hand access back: a one-liner
    # names --rotate, which makes a new link (the old one stays dead)
    r = run_cli("team", "link", "alice")
    assert r.exit_code == 1 and "alice's link was revoked" in r.output and "--rotate" in r.output
    assert "token=" not in r.output and "Traceback" not in r.output
    again = run_cli("team", "link", "alice", "--rotate").output.strip().rsplit("=", 1)[1]
    assert again != a
    # putting a removed member back on the team gives them a new link, as adding does
    readded = run_cli("team", "add", "bob", "--role", "manager").output
    assert "link: " in readded and readded.strip().rsplit("=", 1)[1] != b


def test_the_link_uses_the_public_url(run_cli: RunCli) -> None:
    run_cli("project", "set", "public_url", "https://annotate.example.org/team/")
    assert "https://annotate.example.org/team/?token=" in run_cli("team", "add", "alice").output
    out = run_cli("team", "link", "alice", "--public-url", "http://10.0.0.5:9000").output
    assert out.startswith("http://10.0.0.5:9000/?token=")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("team", "link", "nobody"), "'nobody' is not on the team"),
        (("team", "link", "alice", "--public-url", "ftp://x"), "is not an http(s) URL"),
        (("team", "link", "alice", "--rotate", "--revoke"), "give one"),
    ],
)
def test_link_mistakes_are_one_line(run_cli: RunCli, args: tuple[str, ...], says: str) -> None:
    run_cli("team", "add", "alice")
    r = run_cli(*args)
    assert r.exit_code != 0 and says in r.output and "Traceback" not in r.output


def test_a_lost_key_file_says_how_to_make_a_new_link(run_cli: RunCli, db_path: Path) -> None:
    run_cli("team", "add", "alice")
    db_path.with_name(db_path.name + ".link-key").unlink()
    r = run_cli("team", "link", "alice")
    assert r.exit_code == 1 and "--rotate" in r.output and "Traceback" not in r.output
    assert "?token=" in run_cli("team", "link", "alice", "--rotate").output


def _token(output: str) -> str:
    (line,) = [x for x in output.splitlines() if x.startswith("http")]
    return line.rsplit("=", 1)[1]


def test_a_link_can_end_at_a_time(run_cli: RunCli, db_path: Path) -> None:
    """audit14 F7: links never expired; a contractor's week had to end by --revoke."""
    run_cli("team", "add", "alice")
    r = run_cli("team", "link", "alice", "--expires", "7d")
    assert r.exit_code == 0, r.output
    token = _token(r.output)
    assert "note: the link works until " in r.output and " UTC" in r.output
    store = open_store(db_path, create=False)
    try:
        assert tokens.holder(store, token) is not None
        ends = tokens.expiry(store, "alice")
        assert ends is not None and ends > now()
        # the time passes (set here rather than waited for)
        with store.write() as conn:
            conn.execute("UPDATE access_tokens SET expires_at = '2020-01-01T00:00:00.000Z'")
        assert tokens.holder(store, token) is None
    finally:
        store.close()
    # shown again only with a new end (the same link) or --rotate (a new one)
    r = run_cli("team", "link", "alice")
    assert r.exit_code == 1 and "alice's link expired" in r.output, r.output
    assert "token=" not in r.output
    r = run_cli("team", "link", "alice", "--expires", "2099-01-01")
    assert r.exit_code == 0 and _token(r.output) == token, r.output
    assert "until 2099-01-01 00:00 UTC" in r.output
    store = open_store(db_path, create=False)
    try:
        assert tokens.holder(store, token) is not None
    finally:
        store.close()
    # a rotated link has no end unless given one
    new = _token(run_cli("team", "link", "alice", "--rotate").output)
    store = open_store(db_path, create=False)
    try:
        assert tokens.expiry(store, "alice") is None and tokens.holder(store, new) is not None
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--expires", "soon"], "neither a duration"),
        (["--expires", "2001-01-01"], "has passed"),
        (["--expires", "0d"], "must be in the future"),
        (["--revoke", "--expires", "7d"], "--revoke ends the link now"),
    ],
)
def test_a_wrong_expiry_is_one_line(
    run_cli: RunCli, db_path: Path, args: list[str], says: str
) -> None:
    run_cli("team", "add", "alice")
    r = run_cli("team", "link", "alice", *args)
    assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output, r.output
