"""`annotator serve` over HTTP and the websocket protocol the browser speaks (tests/served.py);
the same in a real browser is tests/test_serve_browser.py, the links themselves
tests/test_serve_links.py, starting and its errors tests/test_serve_startup.py.

Every server here is the real `annotator serve` in a subprocess on a free loopback port;
every label is read back from the SQLite file."""

from __future__ import annotations

import asyncio
import gzip
import json
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import SEED_LONG, SEED_SHORT, RunCli, write
from tests.served import (
    EVIL_TITLE,
    Served,
    cli,
    connect,
    evil_annotator,
    link_token,
    serve,
)


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
    evil_annotator(db, base)
    for name, role in (("alice", "annotator"), ("bob", "annotator"), ("mia", "manager")):
        cli(db, "team", "add", name, "--role", role)
    cli(db, "team", "link", "bob", "--revoke")  # bob's link exists but is revoked
    return db


@pytest.fixture(scope="module")
def served(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    # one session per link (the default is 3): the cap costs two app processes to test
    s = serve(project, tmp_path_factory.mktemp("log") / "serve.log", "--sessions-per-member", "1")
    yield s
    s.stop()


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


def test_a_malformed_request_is_one_line_of_the_log(served: Served) -> None:
    """audit7 F5: a request aiohttp cannot parse printed a dozen lines of traceback on the
    manager's console; anyone who can reach the port could fill it so."""
    import socket

    for raw in (
        b"GET /?token=\x1b[2Jzz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://x\x1b.com\r\n\r\n",
    ):
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
            conn.sendall(raw)
            assert b" 400 " in conn.recv(4096).split(b"\r\n")[0]
    deadline = time.monotonic() + 10
    while served.log_text().count("refused a malformed request") < 2:
        assert time.monotonic() < deadline, served.log_text()
        time.sleep(0.05)
    log = served.log_text()
    assert "Traceback" not in log and "Error handling request" not in log
    assert "\x1b" not in log
    assert "refused a malformed request from 127.0.0.1: " in log


def test_malformed_requests_count_towards_the_limit_of_their_address(
    project: Path, tmp_path: Path
) -> None:
    """audit7 F5: they were not counted, so a scanner could send them without end; now they
    are failed attempts like a wrong link, and past the limit the address waits."""
    import socket

    from annotator.tui.serve_policy import FAIL_LIMIT

    own = serve(project, tmp_path / "serve.log")
    try:
        # a bad URL, and (audit8 F13) bytes that are not HTTP at all, as TLS to a plain port
        # or a scanner sends, which aiohttp logs at DEBUG only
        for i in range(FAIL_LIMIT + 5):
            with socket.create_connection(("127.0.0.1", own.port), timeout=10) as conn:
                conn.sendall(
                    b"GET /?x=\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    if i % 2
                    else b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 \r\n\r\n"
                )
                assert b" 400 " in conn.recv(4096).split(b"\r\n")[0]
        deadline = time.monotonic() + 10
        while f"({FAIL_LIMIT + 1} in 60 s; more from it" not in own.log_text():
            assert time.monotonic() < deadline, own.log_text()
            time.sleep(0.05)
        log = own.log_text()
        assert log.count("refused a malformed request") == FAIL_LIMIT + 1  # then quiet
        assert "Received HTTPS traffic on an HTTP port" in log, log
        assert asyncio.run(_status(own.url + "/")) == 429  # even without a bad link of its own
        alice = link_token(project, "alice")
        assert asyncio.run(_status(own.url + f"/?token={alice}")) == 200  # a valid link passes
    finally:
        own.stop()


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
    jar = aiohttp.CookieJar(unsafe=True)  # keeps cookies for an IP address
    async with aiohttp.ClientSession(connector=local, cookie_jar=jar) as s:
        for i in range(10):
            async with s.get(served.url + f"/?token=guess{i}") as r:
                assert r.status == 403
        # the guesser waits; a valid link from the same address (a reverse proxy's, where
        # every client shares it) still passes, as its page, cookie and websocket
        async with s.get(served.url + "/?token=guess10") as r:
            assert r.status == 429
        async with s.get(served.url + "/", headers={"Cookie": "annotator_token=bad"}) as r:
            assert r.status == 429
        async with s.get(served.url + f"/?token={alice}") as r:
            assert r.status == 200
        async with s.get(served.url + "/") as r:  # the cookie just set
            assert r.status == 200
        async with s.ws_connect(
            served.url.replace("http", "ws", 1) + "/ws", origin=served.url
        ) as ws:
            assert not ws.closed
        async with s.get(served.url + "/?token=guess11") as r:
            assert r.status == 429  # and passing did not reset the guesser's count
    assert "refused / from 127.0.0.2: too many failed attempts" in served.log_text()
    assert "warning" not in served.log_text()  # loopback: no warning of plain HTTP
    assert await _status(served.url + f"/?token={alice}") == 200  # others are not blocked


async def test_a_link_holds_at_most_its_sessions_the_newest_wins(
    project: Path, served: Served
) -> None:
    """One link opened again (a reload, another machine, or a script with a leaked link):
    past the cap the member's oldest session closes, so one link never holds more app
    processes than that and the member is never refused."""
    alice = link_token(project, "alice")
    first = await connect(served.url, alice)
    try:
        await first.wait_for("ATTRIB")
        second = await connect(served.url, alice)
        try:
            await second.wait_for("ATTRIB")
            await _until(lambda: first.ws.closed)
            assert first.ws.close_code == 4409
            await _until(lambda: len(served.children()) == 1)
            assert not second.ws.closed
        finally:
            await second.close()
    finally:
        await first.close()
    assert "alice opened a session past 1: their oldest one closed" in served.log_text()
    await _until(lambda: served.children() == [])


# --- the process ---------------------------------------------------------------------------


async def test_sigterm_stops_the_server_and_its_sessions(project: Path, tmp_path: Path) -> None:
    # started with SIGCHLD ignored: the server still reaps its own app processes (else
    # asyncio logs "Unknown child process pid N, will report returncode 255")
    served = serve(project, tmp_path / "serve.log", sigchld_ignored=True)
    try:
        mia = link_token(project, "mia")
        for _ in range(3):  # a tab closed: its process is ours to reap (a race: a few times)
            first = await connect(served.url, mia)
            try:
                await first.wait_for("ATTRIB")
            finally:
                await first.close()
        await _until(lambda: served.log_text().count("session ended") == 3)
        assert "Unknown child process" not in served.log_text()
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
    finally:
        served.stop()  # a failure above must not leave the server running (no-op if stopped)
    assert not Path(f"/proc/{child}").exists() or _zombie(child)
    assert "stopped" in served.log_text()
    assert "Unknown child process" not in served.log_text()


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
    try:
        client = await connect(doomed.url, kim)
    except BaseException:
        doomed.stop(signal.SIGKILL)
        raise
    try:
        await client.wait_for("ATTRIB")
        for key in ("l", "\r", "u", "\r"):
            await client.key(key)
        await _until(lambda: len(labels(project, "kim")) == 2)
        orphans = doomed.children()
        doomed.stop(signal.SIGKILL)  # no goodbye: the app processes lose their server
    finally:
        doomed.stop(signal.SIGKILL)  # (no-op once stopped) a failure must not leave it running
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


async def test_an_expired_link_is_told_it_expired(project: Path, tmp_path: Path) -> None:
    """`team link --expires` (audit14 F7): past its end the link is refused like any other,
    and its holder is told why ("no valid link" sent them to look for another link). A
    server of its own: the module's has counted other tests' refusals (429 after ten)."""
    served = serve(project, tmp_path / "serve.log")
    try:
        await _expired(served, project)
    finally:
        served.stop()


async def _expired(served: Served, project: Path) -> None:
    cli(project, "team", "add", "cleo")
    said = cli(project, "team", "link", "cleo", "--expires", "1d")
    (line,) = [x for x in said.splitlines() if "token=" in x]  # (the note: on stderr)
    cleo = line.rsplit("token=", 1)[1]
    assert await _status(served.url + f"/?token={cleo}") == 200
    conn = sqlite3.connect(project)
    with conn:
        conn.execute(
            "UPDATE access_tokens SET expires_at = '2020-01-02T03:04:00.000Z' WHERE annotator_id "
            "= (SELECT id FROM annotators WHERE name = 'cleo')"
        )
    conn.close()
    async with aiohttp.ClientSession() as s, s.get(served.url + f"/?token={cleo}") as r:
        assert r.status == 403
        assert "this link expired (2020-01-02 03:04 UTC)" in await r.text()
    assert cleo not in served.log_text()


async def test_the_browser_side_is_sent_packed_and_kept(served: Served) -> None:
    """audit15d F3: textual.js (514 KB) was sent as it is, without a cache lifetime: 23 s of
    a blank page on a 200 kbit/s link before the first screen. Packed when the browser
    takes gzip (the same bytes once unpacked), as it is when it does not."""
    from annotator.tui.serve_page import STATIC

    whole = (STATIC / "js" / "textual.js").read_bytes()
    url = served.url + "/static/js/textual.js"
    async with aiohttp.ClientSession(auto_decompress=False) as s:
        async with s.get(url, headers={"Accept-Encoding": "gzip, br"}) as r:
            assert r.status == 200 and r.headers["Content-Encoding"] == "gzip"
            assert "max-age" in r.headers["Cache-Control"]
            body = await r.read()
        assert len(body) < len(whole) // 3 and gzip.decompress(body) == whole
        async with s.get(url, headers={"Accept-Encoding": "identity"}) as r:
            assert r.status == 200 and "Content-Encoding" not in r.headers
            assert await r.read() == whole


async def test_keys_typed_before_the_first_screen_are_dropped(
    project: Path, served: Served
) -> None:
    """audit15d F8: keys pressed on the blank page while the app starts (2-4 s) were queued
    and applied to sentences nobody had seen: `q Enter h Enter` confirmed two of them."""
    cli(project, "team", "add", "carol")
    client = await connect(served.url, link_token(project, "carol"))
    try:
        for key in ("q", "\r", "h", "\r"):  # at once: the app is still starting
            await client.key(key)
        await client.wait_for("ATTRIB")
        mark = len(client.screen)
        await client.key("e")  # a key on the screen: applied, and the blind ones were not
        await client.wait_for("EDITORIAL", since=mark)
        await client.key("\r")
        await _until(lambda: labels(project, "carol") != [])
        assert [lab for _, lab in labels(project, "carol")] == [["EDITORIAL"]]
    finally:
        await client.close()
