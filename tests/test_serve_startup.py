"""`annotator serve` starting: the warning off loopback without TLS, what it says when it
cannot start (a port in use, a bad certificate, no database) and "serving" only once it
listens; under TLS, the Secure cookie and the Hosts answered on 0.0.0.0. The rest of the
server: tests/test_serve.py."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from annotator.cli import cli as annotator
from tests.conftest import SEED_SHORT
from tests.served import cli, link_token, serve


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve-start") / "project.sqlite"
    cli(db, "import", str(SEED_SHORT))
    cli(db, "team", "add", "alice")
    return db


def test_another_host_without_tls_warns(project: Path) -> None:
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
    assert "serving" not in r.output.replace("serving on", "")  # never announced as served


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
    # the key given as the certificate: said to be a certificate problem, not a listening one
    bad = CliRunner().invoke(
        annotator, ["--db", str(project), "serve", "--port", "0", "--certfile", str(key)]
    )
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert f"{key}: not a certificate and private key TLS can use" in bad.output
    assert "cannot listen" not in bad.output and "serving" not in bad.output
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
            # on 0.0.0.0 without a public URL: an address or this machine's name is
            # answered, another name (DNS rebinding) is not
            for host, status in (
                (f"evil.example:{served.port}", 403),
                (f"{socket.gethostname()}:{served.port}", 200),
                (f"[::1]:{served.port}", 200),
                ("127.0.0.1:1", 403),
            ):
                async with s.get(url, ssl=context, headers={"Host": host}) as r:
                    assert r.status == status, host
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    finally:
        served.stop()
    assert "warning" not in served.log_text()
    assert f"at https://0.0.0.0:{served.port} (ctrl+c stops)" in served.log_text()


def test_serve_needs_an_existing_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    r = CliRunner().invoke(annotator, ["--db", str(missing), "serve", "--port", "0"])
    assert r.exit_code == 1 and "Traceback" not in r.output and str(missing) in r.output
    assert not missing.exists()
