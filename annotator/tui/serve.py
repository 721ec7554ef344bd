"""`annotator serve`: the screens in a browser, one link per team member.

Built on textual-serve (Textual's authors' package): its `AppService` runs one app process
per browser session and speaks Textual's web-driver protocol over the process's pipes, and
its static files are the browser side (xterm.js). Its `Server` has no authentication at all
(anyone who reaches the port gets the app under the server's identity), so this module is
the server instead, on the same aiohttp:

- the page and the websocket need a live token (annotator/access.py, hashes in the
  database): from `?token=` on first use, then from an HttpOnly, SameSite=Strict cookie
  (Secure under TLS); the page cleans the URL. Without one: 403, and no process starts;
- the process is started by name, as the token's holder: the browser never says who it is;
- the websocket's Origin must be the served origin (cross-site websocket hijacking), and
  the Host one we serve (DNS rebinding);
- failed attempts are logged and, past a few a minute from one address, refused with 429
  (only failed ones: a valid link always passes, so nobody's guesses lock the team out);
- SIGTERM (and ctrl+c) stops the server and every app process it started.

The pieces: serve_policy.py (options, hosts, origins, the rate limit, headers),
serve_process.py (the app process and the browser's messages to it), serve_page.py (the
page and the static files). Nothing here writes to the database: the app processes save
every key as the terminal screen does, before they show it, so a closed tab or a killed
server loses nothing shown.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from textual_serve.download_manager import DownloadManager

from annotator.access import SCREENS, Gate, Holder
from annotator.safetext import printable
from annotator.tui.serve_page import page, static_file, static_response
from annotator.tui.serve_policy import (
    COOKIE,
    COOKIE_MAX_AGE,
    RateLimiter,
    ServeOptions,
    harden,
    is_loopback,
)
from annotator.tui.serve_process import STOP_GRACE_S, AppProcess, pump, size

__all__ = ["RECHECK_S", "ServeOptions", "Server", "configure_logging", "is_loopback"]

log = logging.getLogger("annotator.serve")
_SCREEN = "/{screen:" + "|".join(SCREENS) + "}"
_FOREIGN_HOST = "not a host this server answers for (public_url names the one to serve)"
RECHECK_S = 1.0  # an open session's token is checked again this often (revoked: closed)


@dataclass
class Server:
    """The aiohttp application. `session_argv(name, screen)` is the command line of one
    member's app process (cli/serve.py builds it: the same database and guidelines)."""

    gate: Gate
    options: ServeOptions
    session_argv: Callable[[str, str], list[str]]
    limiter: RateLimiter = field(default_factory=RateLimiter)
    sessions: set[AppProcess] = field(default_factory=set)
    # each member's open websockets, oldest first (for options.sessions_per_member)
    open_by: dict[str, list[web.WebSocketResponse]] = field(default_factory=dict)
    _closing: set[asyncio.Future[bool]] = field(default_factory=set)
    downloads: DownloadManager = field(default_factory=DownloadManager)

    # --- who is asking ---------------------------------------------------------------------

    def _refuse(self, request: web.Request, why: str, status: int = 403) -> web.Response:
        addr = request.remote or "?"
        n = self.limiter.fail(addr)
        log.warning(
            "refused %s %s from %s: %s (%d in %.0f s)",
            request.method,
            request.path,
            addr,
            why,
            n,
            self.limiter.window_s,
        )
        response = web.Response(status=status, text=f"{status}: {why}\n")
        harden(response)
        return response

    def _check(self, request: web.Request, token: str | None) -> Holder | web.Response:
        addr = request.remote or "?"
        host_ok = self.options.host_ok(request)
        holder = self.gate.holder(token) if host_ok else None
        if holder is not None:
            # a valid link always passes, however many failures came from its address: behind
            # a reverse proxy every client is the proxy's address, and a stranger's guesses
            # must not lock the team out (guessing a long random token is hopeless anyway)
            return holder
        if self.limiter.blocked(addr):
            log.warning("refused %s from %s: too many failed attempts", request.path, addr)
            return web.Response(status=429, text="429: too many failed attempts; wait a minute\n")
        if not host_ok:
            return self._refuse(request, _FOREIGN_HOST)
        if holder is None:
            ended = self.gate.expired_at(token)
            return self._refuse(
                request,
                f"this link expired ({ended[:16].replace('T', ' ')} UTC): ask your project "
                "manager to open it again"
                if ended
                else "no valid link (ask your project manager for yours)"
                if token
                else "no link: open the personal link your project manager gave you",
            )
        return holder

    # --- routes ----------------------------------------------------------------------------

    def _screen(self, request: web.Request, holder: Holder) -> str | web.Response:
        """The screen asked for (the path; none: the role's own), if the role may."""
        allowed = self.gate.rights(holder)
        screen = request.match_info.get("screen") or allowed.default
        if screen not in allowed.screens:
            log.warning(
                "refused %s to %s: not for the role %s",
                request.path,
                printable(holder.name),
                holder.role,
            )
            response = web.Response(status=403, text=f"403: not for the role {holder.role}\n")
            harden(response)
            return response
        return screen

    async def index(self, request: web.Request) -> web.StreamResponse:
        from_query = request.query.get("token")
        token = from_query or request.cookies.get(COOKIE)
        checked = self._check(request, token)
        if isinstance(checked, web.StreamResponse):
            if not from_query and token:
                checked.del_cookie(COOKIE, path="/")
            return checked
        screen = self._screen(request, checked)
        if isinstance(screen, web.Response):
            return screen
        nonce = secrets.token_urlsafe(16)
        page = self._page(request, checked, screen, nonce)
        response = web.Response(text=page, content_type="text/html")
        harden(response, nonce)
        if from_query:
            response.set_cookie(
                COOKIE,
                from_query,
                max_age=COOKIE_MAX_AGE,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=self.options.secure_cookie,
            )
        return response

    def _page(self, request: web.Request, holder: Holder, screen: str, nonce: str) -> str:
        title = f"annotator {screen}: {holder.name} ({holder.role})"
        return page(title, self.options.ws_url(request, screen), nonce)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        origin = (request.headers.get("Origin") or "").lower()
        if origin not in self.options.origins(request):
            return self._refuse(request, f"websocket from a foreign origin {printable(origin)!r}")
        token = request.cookies.get(COOKIE)
        checked = self._check(request, token)
        if isinstance(checked, web.StreamResponse):
            return checked
        holder = checked
        screen = self._screen(request, holder)
        if isinstance(screen, web.Response):
            return screen
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        await ws.prepare(request)
        width = size(request.query.get("width"), 80)
        height = size(request.query.get("height"), 24)
        session = AppProcess(
            self.session_argv(holder.name, screen),
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=ws.close,
            download_manager=self.downloads,
        )
        self.sessions.add(session)
        who = printable(f"{holder.name} ({holder.role}, {screen})")
        self._make_room(holder, ws)
        watch = asyncio.create_task(self._watch(ws, token, holder, who))
        try:
            await session.start(width, height)
            log.info("%s connected from %s (app process %s)", who, request.remote, session.pid)
            await pump(ws, session)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            watch.cancel()
            mine = self.open_by.get(holder.name, [])
            if ws in mine:
                mine.remove(ws)
            if not mine:
                self.open_by.pop(holder.name, None)
            await session.shutdown()
            self.sessions.discard(session)
            log.info("%s: session ended", who)
            if not ws.closed:
                await ws.close()
        return ws

    def _make_room(self, holder: Holder, ws: web.WebSocketResponse) -> None:
        """Count `ws` as one of the member's sessions; past the cap, close their oldest
        (its app quits as on a closed tab, everything shown saved): a member who reloads or
        moves to another machine is never refused, and one link never holds more than
        sessions_per_member app processes."""
        mine = self.open_by.setdefault(holder.name, [])
        mine.append(ws)
        while len(mine) > self.options.sessions_per_member:
            oldest = mine.pop(0)
            log.warning(
                "%s opened a session past %d: their oldest one closed",
                printable(holder.name),
                self.options.sessions_per_member,
            )
            task = asyncio.ensure_future(
                oldest.close(code=4409, message=b"this link was opened in another tab")
            )
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def _watch(
        self, ws: web.WebSocketResponse, token: str | None, holder: Holder, who: str
    ) -> None:
        """A link revoked, rotated or expired, a member removed or given another role: the
        open session ends within RECHECK_S (what it saved stays; the app quits as on a closed
        tab), so revoking a link does not wait for the tab to close."""
        while not ws.closed:
            await asyncio.sleep(RECHECK_S)
            try:
                now = self.gate.holder(token)
            except Exception:  # a locked or vanished database: keep the session, look again
                continue
            if now != holder:
                log.warning("%s: the link was revoked or the role changed; session closed", who)
                await ws.close(code=4403, message=b"link revoked")
                return

    async def download(self, request: web.Request) -> web.StreamResponse:
        """Files an app delivers to the browser (a screenshot from the command palette)."""
        checked = self._check(request, request.cookies.get(COOKIE))
        if isinstance(checked, web.StreamResponse):
            return checked
        try:
            meta = await self.downloads.get_download_metadata(request.match_info["key"])
        except KeyError:
            raise web.HTTPNotFound() from None
        response = web.StreamResponse()
        response.headers["Content-Type"] = meta.mime_type
        response.headers["Content-Disposition"] = "attachment"
        harden(response)
        await response.prepare(request)
        async for chunk in self.downloads.download(meta.delivery_key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def static(self, request: web.Request) -> web.StreamResponse:
        # the browser side of textual-serve (xterm.js, its css and fonts): public files
        if not self.options.host_ok(request):
            return self._refuse(request, _FOREIGN_HOST)
        target = static_file(request.match_info["path"])
        if target is None:
            raise web.HTTPNotFound()
        return static_response(target, request.headers.get("Accept-Encoding", ""))

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(s.shutdown() for s in list(self.sessions)))

    def make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes(
            [
                web.get("/", self.index),
                web.get(_SCREEN, self.index),
                web.get("/ws", self.websocket),
                web.get("/ws" + _SCREEN, self.websocket),
                web.get("/download/{key}", self.download),
                web.get("/static/{path:.+}", self.static),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        # a request aiohttp cannot parse never reaches a handler: its log record is where it
        # is said, and counted with the failed attempts of its address (audit7 F5)
        malformed = _MalformedRequests(self.limiter)
        server_log = logging.getLogger("aiohttp.server")
        server_log.addFilter(malformed)
        # aiohttp logs a request that is not HTTP at all (TLS to a plain port, a scanner's
        # bytes) at DEBUG: without this the filter never saw the commonest kind (audit8 F13)
        level = server_log.level
        server_log.setLevel(logging.DEBUG)

        async def forget(_app: web.Application) -> None:
            server_log.removeFilter(malformed)
            server_log.setLevel(level)

        app.on_cleanup.append(forget)
        return app

    def ssl_context(self) -> ssl.SSLContext | None:
        o = self.options
        if o.certfile is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(o.certfile, o.keyfile)
        return context

    def run(
        self,
        *,
        on_ready: Callable[[str], None] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Serve in the foreground until SIGTERM or ctrl+c; every app process is stopped.
        `on_ready(url)` once listening (never before: a port in use must not be announced
        as served). `ssl_context`: from ssl_context(), made first so that a bad certificate
        is reported as one, not as a failure to listen."""

        def started(_banner: str) -> None:
            # aiohttp "prints" its banner once every site is bound and listening
            if on_ready is not None:
                on_ready(self.options.url)

        # a launcher may have left SIGCHLD ignored (inherited across exec): the kernel would
        # then reap the app processes itself and asyncio, finding them gone, log "Unknown
        # child process pid N, will report returncode 255" for each; we reap our own
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        app = self.make_app()
        # aiohttp turns SIGINT and SIGTERM into a graceful exit (handle_signals=True)
        web.run_app(
            app,
            host=self.options.host,
            port=self.options.port,
            ssl_context=ssl_context,
            print=started,
            handle_signals=True,
            access_log=None,
            shutdown_timeout=STOP_GRACE_S + 1,
        )


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s serve: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


class _MalformedRequests(logging.Filter):
    """A request aiohttp cannot parse (a bad URL, a header with control bytes: a scanner, a
    broken client) is one line of our log, as every refusal is, not a traceback of a dozen
    lines on the manager's console, and it counts as a failed attempt of its address, so a
    scanner is held off by the same limit as a guesser (audit7 F5)."""

    def __init__(self, limiter: RateLimiter) -> None:
        super().__init__()
        self.limiter = limiter

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not type(exc).__module__.startswith("aiohttp.http_exceptions"):
            # aiohttp.server's own debug lines exist only because serving sets the logger
            # to DEBUG (see make_app): they stay as quiet as before
            return record.levelno >= logging.WARNING
        # aiohttp: "Error handling request from %s", request.remote
        addr = str(record.args[0]) if isinstance(record.args, tuple) and record.args else "?"
        n = self.limiter.fail(addr)
        if n > self.limiter.limit + 1:
            return False  # said once at the limit; the rest would only fill the console
        said = str(getattr(exc, "message", "") or exc).strip()
        first = said.splitlines()[0] if said else type(exc).__name__
        log.warning(
            "refused a malformed request from %s: %s (%d in %.0f s%s)",
            printable(addr),
            printable(first),
            n,
            self.limiter.window_s,
            "; more from it are not logged while they go on" if n > self.limiter.limit else "",
        )
        return False
