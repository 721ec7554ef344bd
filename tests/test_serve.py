"""`annotator serve` and the personal links, over HTTP and the websocket protocol the
browser speaks (tests/served.py); the same in a real browser is tests/test_serve_browser.py.

Every server here is the real `annotator serve` in a subprocess on a free loopback port;
every label is read back from the SQLite file."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from annotator.cli import cli as annotator
from annotator.store import tokens
from annotator.store.database import open_store
from tests.conftest import SEED_LONG, SEED_SHORT, RunCli, write
from tests.served import EVIL_NAME, EVIL_TITLE, Served, cli, connect, link_token, serve


def labels(db: Path, name: str) -> list[tuple[int, list[str]]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT n.sentence_id, n.labels FROM annotations n "
            "JOIN annotators a ON a.id = n.annotator_id WHERE a.name = ? "
            "AND n.confirmed_at IS NOT NULL ORDER BY n.sentence_id",
            [name],
        ).fetchall()
    return [(int(s), json.loads(lab)) for s, lab in rows]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "project.sqlite"
    cli(db, "import", str(SEED_SHORT), str(SEED_LONG))
    # last, so the annotation screen still opens on the seeds: for the status screen
    base = db.parent
    write(base / "evil.jsonl", json.dumps({"id": "evil", "title": EVIL_TITLE, "text": "A. B."}))
    cli(db, "import", str(base / "evil.jsonl"))
    label = {"annotator": EVIL_NAME, "article_id": "evil", "position": 0, "labels": ["QUOTE"]}
    write(base / "evil-labels.jsonl", json.dumps(label) + "\n")
    cli(db, "import-labels", str(base / "evil-labels.jsonl"), "--format", "jsonl")
    for name, role in (("alice", "annotator"), ("bob", "annotator"), ("mia", "manager")):
        cli(db, "team", "add", name, "--role", role)
    cli(db, "team", "link", "bob", "--revoke")  # bob's link exists but is revoked
    return db


@pytest.fixture(scope="module")
def served(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    s = serve(project, tmp_path_factory.mktemp("log") / "serve.log")
    yield s
    s.stop()


# --- links ---------------------------------------------------------------------------------


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
    # after a revocation, `team link` makes a new link (the old one stays dead)
    again = run_cli("team", "link", "alice").output.strip().rsplit("=", 1)[1]
    assert again != a


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


# --- the gate ------------------------------------------------------------------------------


async def _status(url: str, **kwargs: object) -> int:
    async with aiohttp.ClientSession() as s, s.get(url, **kwargs) as r:  # type: ignore[arg-type]
        return r.status


async def _ws_refused(served: Served, token: str | None, origin: str | None = None) -> int:
    with pytest.raises(aiohttp.WSServerHandshakeError) as e:
        client = await connect(served.url, token, origin=origin)
        await client.close()
    return e.value.status


async def test_without_a_valid_link_403_and_no_app_process(served: Served, project: Path) -> None:
    bob = link_token(project, "bob", "--rotate")
    cli(project, "team", "link", "bob", "--revoke")  # another annotator's revoked link
    assert await _status(served.url + "/") == 403
    assert await _status(served.url + "/?token=not-a-token") == 403
    assert await _status(served.url + f"/?token={bob}") == 403
    # a websocket without the cookie, or with a revoked one: refused before any process
    assert await _ws_refused(served, None) == 403
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as s:
        jar.update_cookies({"annotator_token": bob})
        with pytest.raises(aiohttp.WSServerHandshakeError) as e:
            await s.ws_connect(served.url.replace("http", "ws") + "/ws", origin=served.url)
        assert e.value.status == 403
    assert served.children() == []
    log = served.log_text()
    assert "refused GET / from 127.0.0.1" in log and "refused GET /ws" in log
    assert bob not in log  # a failed token is never written to the log


async def test_a_foreign_origin_or_host_is_refused(served: Served, project: Path) -> None:
    alice = link_token(project, "alice")
    assert await _ws_refused(served, alice, origin="http://evil.example") == 403
    assert await _ws_refused(served, alice, origin="null") == 403
    # DNS rebinding: a name that resolves to us but is not ours
    assert await _status(served.url + f"/?token={alice}", headers={"Host": "evil.example"}) == 403
    assert served.children() == []
    assert "foreign origin 'http://evil.example'" in served.log_text()


async def test_keys_are_saved_as_the_token_holder_and_blind_keeps_agreement_closed(
    project: Path, served: Served
) -> None:
    """Two sessions at once in a blind project: alice's keys are saved as hers, in a process
    of her own; the agreement screen is closed to her (not even by answering yes), and
    opens for mia, the manager, after the warning."""
    cli(project, "project", "set", "blind", "true")  # read by each session as it starts
    both_open = asyncio.Barrier(2)
    before = labels(project, "alice")

    async def alice() -> None:
        client = await connect(served.url, link_token(project, "alice"))
        try:
            await client.wait_for("ATTRIB")
            await asyncio.wait_for(both_open.wait(), 30)
            assert len(served.children()) == 2  # one app process per session
            for key in ("q", "\r", "h", "e", "\r"):
                await client.key(key)
            await _until(lambda: len(labels(project, "alice")) >= len(before) + 2)
            mark = len(client.screen)
            await client.key("R")
            await client.wait_for("Not available", since=mark)
            await client.key("y")  # as if a question had been asked: none was
            # the app reads keys in order: once R's second answer shows, y was handled
            await client.key("R")
            await client.wait_for("Not available", since=mark, times=2)
            shown = bytes(client.screen[mark:])
            assert b"ends blind annotation" not in shown and b"Agreement:" not in shown
        finally:
            await client.close()

    async def mia() -> None:
        client = await connect(served.url, link_token(project, "mia"))
        try:
            await client.wait_for("ATTRIB")
            await asyncio.wait_for(both_open.wait(), 30)
            mark = len(client.screen)
            await client.key("R")  # the manager: asked first, then the agreement screen
            await client.wait_for("ends blind annotation", since=mark)
            await client.key("y")
            await client.wait_for("Agreement", since=mark)
        finally:
            await client.close()

    try:
        await asyncio.gather(alice(), mia())
        got = labels(project, "alice")[len(before) :]
        assert [lab for _, lab in got] == [["QUOTE"], ["HEDGED", "EDITORIAL"]]
        assert labels(project, "bob") == [] and labels(project, "mia") == []
        # nor at its own address, page or websocket: 403 and no process
        alice_link = link_token(project, "alice")
        assert await _status(f"{served.url}/agreement?token={alice_link}") == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as e:
            await connect(served.url, alice_link, screen="agreement")
        assert e.value.status == 403
        await _until(lambda: served.children() == [])  # the tabs closed: processes ended
    finally:
        cli(project, "project", "set", "blind", "false")


async def _until(check: object, timeout: float = 15) -> None:
    assert callable(check)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.05)


async def test_failed_attempts_are_rate_limited(project: Path, served: Served) -> None:
    # from an address of its own (all of 127/8 is loopback): the other tests' stays free
    alice = link_token(project, "alice")
    local = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
    async with aiohttp.ClientSession(connector=local) as s:
        for i in range(10):
            async with s.get(served.url + f"/?token=guess{i}") as r:
                assert r.status == 403
        # now even the right link waits: a guesser cannot go on at full speed
        async with s.get(served.url + f"/?token={alice}") as r:
            assert r.status == 429
    assert "refused / from 127.0.0.2: too many failed attempts" in served.log_text()
    assert await _status(served.url + f"/?token={alice}") == 200  # others are not blocked


# --- the process ---------------------------------------------------------------------------


async def test_sigterm_stops_the_server_and_its_sessions(project: Path, tmp_path: Path) -> None:
    served = serve(project, tmp_path / "serve.log")
    mia = link_token(project, "mia")
    client = await connect(served.url, mia)
    try:
        await client.wait_for("ATTRIB")
        (child,) = served.children()
        await client.key("b")
        await client.key("\r")
        await _until(lambda: len(labels(project, "mia")) == 1)
        assert served.stop(signal.SIGTERM) == 0
    finally:
        await client.close()
    assert not Path(f"/proc/{child}").exists() or _zombie(child)
    assert "stopped" in served.log_text()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def test_a_killed_server_loses_nothing_the_link_resumes_and_revoking_ends_it(
    project: Path, tmp_path: Path, served: Served
) -> None:
    cli(project, "team", "add", "kim")
    kim = link_token(project, "kim")
    doomed = serve(project, tmp_path / "serve.log")
    client = await connect(doomed.url, kim)
    try:
        await client.wait_for("ATTRIB")
        for key in ("l", "\r", "u", "\r"):
            await client.key(key)
        await _until(lambda: len(labels(project, "kim")) == 2)
        orphans = doomed.children()
        doomed.stop(signal.SIGKILL)  # no goodbye: the app processes lose their server
    finally:
        await client.close()
    saved = labels(project, "kim")
    assert [lab for _, lab in saved] == [["LOADED"], ["UNVERIFIED"]]
    # reopening the link (on a server started again) resumes after the last confirmed sentence
    client = await connect(served.url, kim)
    try:
        await client.wait_for("ATTRIB")
        for key in ("a", "1", "\r"):
            await client.key(key)
        await _until(lambda: len(labels(project, "kim")) == 3)
        # a link rotated (the old one dead) while its session is open: the session ends
        cli(project, "team", "link", "kim", "--rotate")
        await _until(lambda: client.ws.closed)
    finally:
        await client.close()
    third = labels(project, "kim")[2]
    assert third == (saved[1][0] + 1, ["ATTRIBUTED"])
    assert "kim (annotator, annotate): the link was revoked" in served.log_text()
    await _until(lambda: served.children() == [])  # and its app process ended
    # the killed server's app processes ended by themselves (Textual's web driver would
    # keep them running)
    await _until(lambda: all(_zombie(pid) for pid in orphans))


# --- listening elsewhere -------------------------------------------------------------------


def test_another_host_without_tls_warns(project: Path, served: Served) -> None:
    # the warning comes before listening: a port held by another listener ends the command
    # there, in this process, with the one-line error for that (no server to start and stop)
    with socket.socket() as held:
        held.bind(("0.0.0.0", 0))
        held.listen()
        port = held.getsockname()[1]
        r = CliRunner().invoke(
            annotator, ["--db", str(project), "serve", "--host", "0.0.0.0", "--port", str(port)]
        )
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "warning: serving on 0.0.0.0 without TLS" in r.output
    assert f"cannot listen on 0.0.0.0:{port}" in r.output
    assert "warning" not in served.log_text()  # loopback: no warning


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
async def test_under_tls_no_warning_and_a_secure_cookie(project: Path, tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    served = serve(
        project,
        tmp_path / "serve.log",
        "--host",
        "0.0.0.0",
        "--certfile",
        str(cert),
        "--keyfile",
        str(key),
    )
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        alice = link_token(project, "alice")
        async with aiohttp.ClientSession() as s:
            url = f"https://127.0.0.1:{served.port}/?token={alice}"
            async with s.get(url, ssl=context) as r:
                assert r.status == 200
                cookie = r.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    finally:
        served.stop()
    assert "warning" not in served.log_text()


def test_serve_needs_an_existing_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    r = CliRunner().invoke(annotator, ["--db", str(missing), "serve", "--port", "0"])
    assert r.exit_code == 1 and "Traceback" not in r.output and str(missing) in r.output
    assert not missing.exists()


async def test_each_role_opens_its_own_screens_only(project: Path, served: Served) -> None:
    cli(project, "team", "add", "ada", "--role", "adjudicator")
    alice, mia, ada = (link_token(project, n) for n in ("alice", "mia", "ada"))
    before = set(served.children())  # an earlier test's session may still be ending
    # an annotator may not adjudicate, nor see the status: neither the page nor the
    # websocket; an adjudicator may not see the status either (the manager's)
    for token, screen in ((alice, "adjudicate"), (alice, "status"), (ada, "status")):
        assert await _status(f"{served.url}/{screen}?token={token}") == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as e:
            await connect(served.url, token, screen=screen)
        assert e.value.status == 403
    assert set(served.children()) <= before  # no process started for any of them

    async def opens(token: str, screen: str, shows: str) -> None:
        client = await connect(served.url, token, screen=screen)
        try:
            await client.wait_for(shows)
        finally:
            await client.close()

    # a manager may open the queue at URL/adjudicate (the page and the websocket pass one
    # check: the page is enough); an adjudicator lands on it, a manager on URL/status
    assert await _status(f"{served.url}/adjudicate?token={mia}") == 200
    await asyncio.gather(opens(ada, "", "Adjudication"), manager_status(served, mia))
    log = served.log_text()
    assert "refused /adjudicate to alice: not for the role annotator" in log
    assert "refused /status to alice: not for the role annotator" in log
    assert "refused /status to ada: not for the role adjudicator" in log


async def manager_status(served: Served, token: str) -> None:
    """The manager's status screen, with a hostile annotator name and article title: shown
    as written (never markup: the [@click=app.quit] does not quit), control characters
    never sent raw."""
    client = await connect(served.url, token, screen="status")
    try:
        await client.wait_for("[b]mallory[/b]")  # the annotators' table, read
        mark = len(client.screen)
        await client.key("2")  # the Articles tab
        await client.wait_for("[@click=app.quit]Boom[/] [b]x", since=mark)
        assert b"\x1b]52;" not in client.screen and b"\x1b[2J" not in client.screen
        assert not client.ws.closed  # the app is still there
    finally:
        await client.close()


def test_the_session_process_checks_the_role_itself(run_cli: RunCli) -> None:
    # the server checks first; the app process checks again from the database, so a
    # command line that reached it by another road still opens nothing not the role's
    assert run_cli("import", str(SEED_SHORT)).exit_code == 0
    for name, role in (("alice", "annotator"), ("ada", "adjudicator")):
        assert run_cli("team", "add", name, "--role", role).exit_code == 0
        r = run_cli("serve-session", "--screen", "status", "--", name)
        assert r.exit_code == 1 and "Traceback" not in r.output
        assert f"'{name}' ({role}) may not open the status screen" in r.output
    r = run_cli("serve-session", "--screen", "status", "--", "nobody")
    assert r.exit_code == 1 and "'nobody' is not on the team" in r.output
