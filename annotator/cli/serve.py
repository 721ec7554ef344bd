"""`annotator serve`: the screens in a browser, one personal link per team member
(`annotator team link NAME`). The server is annotator/tui/serve.py; each browser session
runs `annotator serve-session NAME` (hidden), the app process for that member, started by
the server after it checked the member's token."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotator.access import SCREENS, Gate, rights
from annotator.cli.main import cli, project
from annotator.cli.output import say
from annotator.models.errors import DatabaseBusy
from annotator.session import AnnotationSession, SessionError
from annotator.store import team

if TYPE_CHECKING:
    from annotator.tui.app import AnnotatorApp


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use (behind a reverse proxy) [default: the project's "
    "public_url setting, else http://HOST:PORT].",
)
@click.option(
    "--certfile", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TLS."
)
@click.option(
    "--keyfile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TLS private key (if not in the certificate file).",
)
@click.option(
    "--sessions-per-member",
    type=click.IntRange(1, 100),
    default=3,
    show_default=True,
    metavar="N",
    help="Open sessions one link may hold; one more closes that member's oldest.",
)
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    host: str,
    port: int,
    public_url: str | None,
    certfile: Path | None,
    keyfile: Path | None,
    sessions_per_member: int,
) -> None:
    """Serve the project to browsers: each team member opens their personal link
    (`annotator team link NAME`) and gets the screen of their role, as themselves:
    annotators the annotation screen (the agreement screen only where the project is not
    blind), adjudicators the adjudication queue, managers the annotation screen with the
    agreement screen; those who may also open URL/adjudicate and URL/agreement, and managers
    URL/status (what `annotator status` reports). Without a valid link: 403, and nothing
    starts. Runs in the foreground; ctrl+c or SIGTERM stops it and every session
    (everything shown as saved is saved).

    \b
    Example:
      annotator serve
      annotator serve --host 0.0.0.0 --certfile cert.pem --keyfile key.pem
    """
    import ssl  # here: every command imports this module, few serve

    from annotator.models.team import check_setting
    from annotator.tui.serve import ServeOptions, Server, configure_logging, is_loopback

    if keyfile is not None and certfile is None:
        raise click.UsageError("--keyfile needs --certfile")
    store, _ = project(ctx).open()  # adopts --guidelines, so every session reads the same
    try:
        url = public_url if public_url is not None else team.setting(store, "public_url")
        if url:
            _, url = check_setting("public_url", url)
        db_path = store.path.resolve()
    finally:
        store.close()
    options = ServeOptions(host, port, url, certfile, keyfile, sessions_per_member)
    if not is_loopback(host) and certfile is None:
        say(
            f"warning: serving on {host} without TLS: links, cookies and labels cross the "
            "network readable by anyone on the way; give --certfile/--keyfile, or keep "
            "--host 127.0.0.1 behind a TLS reverse proxy (see README)",
            err=True,
        )
    argv0 = [sys.executable, "-m", "annotator", "--db", str(db_path), "serve-session"]
    server = Server(
        Gate(db_path), options, lambda name, screen: [*argv0, "--screen", screen, "--", name]
    )
    try:
        tls = server.ssl_context()
    except (ssl.SSLError, OSError) as e:
        server.gate.close()
        files = f"{certfile}" + (f" with {keyfile}" if keyfile is not None else "")
        raise click.ClickException(
            f"{files}: not a certificate and private key TLS can use "
            f"({getattr(e, 'reason', None) or e.strerror or e})"
        ) from None
    configure_logging()
    try:
        server.run(
            on_ready=lambda u: say(f"serving {db_path} at {u} (ctrl+c stops)", err=True),
            ssl_context=tls,
        )
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    finally:
        server.gate.close()
    say("stopped", err=True)


@cli.command("serve-session", hidden=True)
@click.argument("name")
@click.option("--screen", type=click.Choice(SCREENS), help="[default: the role's own]")
@click.pass_context
def serve_session_cmd(ctx: click.Context, name: str, screen: str | None) -> None:
    """One browser session's app process, started by `annotator serve` after it checked
    NAME's token: SCREEN if NAME's role may open it (as the database says now), else an
    error. Not for people: `annotator annotate` is the terminal's way.

    \b
    Example:
      annotator serve-session --screen annotate -- alice   # what the server runs
    """
    store, g = project(ctx).open()
    try:
        role = team.role_of(store, name)
        if role is None:
            raise click.ClickException(f"{name!r} is not on the team")
        allowed = rights(role, blind=team.setting(store, "blind") == "true")
        screen = screen or allowed.default
        if screen not in allowed.screens:
            raise click.ClickException(f"{name!r} ({role}) may not open the {screen} screen")
        if screen == "adjudicate":
            from annotator.adjudication import AdjudicationSession
            from annotator.tui.adjudicate_app import create_adjudicate_app

            _run_served(create_adjudicate_app(AdjudicationSession(store, g, name)))
            return
        if screen == "agreement":
            from annotator.tui.agreement_app import create_agreement_app

            _run_served(create_agreement_app(store.path, g))
            return
        if screen == "status":
            from annotator.tui.status_app import create_status_app

            _run_served(create_status_app(store.path, g, name))
            return
        try:
            session = AnnotationSession(store, g, name)
        except SessionError as e:
            raise click.ClickException(str(e)) from None
        except DatabaseBusy:
            raise click.ClickException(
                f"{store.path}: the database was locked for too long; reload the page"
            ) from None
        from annotator.tui.app import create_app

        def agreement_now() -> bool:
            # the role and the setting as they are when R is pressed, not at the start
            now = team.role_of(store, name)
            return now is not None and rights(now, blind=session.blind_now()).agreement

        _run_served(create_app(session, agreement_allowed=agreement_now))
    finally:
        store.close()


ORPHAN_GRACE_S = 3.0


def _run_served(app: AnnotatorApp) -> None:
    """Run the app until it quits, or until the server that started it is gone: Textual's
    web driver does not end the app when its input closes, so a killed server would leave
    its app processes behind. Every key is committed before it is shown, so ending here
    loses nothing."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        # the app may be stopping already (call_from_thread then raises): exit regardless
        with contextlib.suppress(Exception):
            app.call_from_thread(app.exit)
        time.sleep(ORPHAN_GRACE_S)
        os._exit(0)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()
    app.run()
