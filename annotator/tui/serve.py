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
- failed attempts are logged and, past a few a minute from one address, refused with 429;
- SIGTERM (and ctrl+c) stops the server and every app process it started.

Nothing here writes to the database: the app processes save every key as the terminal
screen does, before they show it, so a closed tab or a killed server loses nothing shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import logging
import secrets
import ssl
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from annotator.access import SCREENS, Gate, Holder
from annotator.safetext import printable

log = logging.getLogger("annotator.serve")
_SCREEN = "/{screen:" + "|".join(SCREENS) + "}"

COOKIE = "annotator_token"
COOKIE_MAX_AGE = 14 * 24 * 3600  # the link itself stays valid until rotated or revoked
FAIL_LIMIT = 10  # failed attempts from one address ...
FAIL_WINDOW_S = 60.0  # ... within this many seconds, then 429 until they age out
STOP_GRACE_S = 3.0  # an app process that does not quit when asked is killed after this
RECHECK_S = 2.0  # an open session's token is checked again this often (revoked: closed)
# the browser side of textual-serve, served from the installed package
STATIC = Path(textual_serve.__file__).parent / "static"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class RateLimiter:
    """Failed attempts per client address in a sliding window."""

    def __init__(self, limit: int = FAIL_LIMIT, window_s: float = FAIL_WINDOW_S) -> None:
        self.limit, self.window_s = limit, window_s
        self._fails: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, addr: str) -> deque[float]:
        q = self._fails[addr]
        cutoff = time.monotonic() - self.window_s
        while q and q[0] < cutoff:
            q.popleft()
        return q

    def blocked(self, addr: str) -> bool:
        return len(self._recent(addr)) >= self.limit

    def fail(self, addr: str) -> int:
        q = self._recent(addr)
        q.append(time.monotonic())
        return len(q)


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""  # "" : the address we listen on
    certfile: Path | None = None
    keyfile: Path | None = None

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


class _Session(AppService):
    """textual-serve's app process, started without a shell: the argument list is ours
    (the member's name is data, never shell text)."""

    def __init__(self, argv: Sequence[str], **kwargs: object) -> None:
        super().__init__(" ".join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)

    async def _open_app_process(
        self, width: int = 80, height: int = 24
    ) -> asyncio.subprocess.Process:
        env = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def shutdown(self) -> None:
        """Ask the app to quit; kill it if it does not within STOP_GRACE_S."""
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.stop(), STOP_GRACE_S)
        process = self._process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()


@dataclass
class Server:
    """The aiohttp application. `session_argv(name, screen)` is the command line of one
    member's app process (cli/serve.py builds it: the same database and guidelines)."""

    gate: Gate
    options: ServeOptions
    session_argv: Callable[[str, str], list[str]]
    limiter: RateLimiter = field(default_factory=RateLimiter)
    sessions: set[_Session] = field(default_factory=set)
    downloads: DownloadManager = field(default_factory=DownloadManager)

    # --- who is asking ---------------------------------------------------------------------

    def _allowed_hosts(self) -> set[str] | None:
        """Host headers we answer (None: any, when listening on a wildcard address
        without a public URL, where we cannot know the name the browser uses)."""
        o = self.options
        hosts: set[str] = set()
        if o.public_url:
            hosts.add(urlsplit(o.public_url).netloc.lower())
        if is_loopback(o.host):
            hosts |= {f"127.0.0.1:{o.port}", f"localhost:{o.port}", f"[::1]:{o.port}"}
        elif o.host not in ("0.0.0.0", "::", ""):
            host = f"[{o.host}]" if ":" in o.host else o.host
            hosts.add(f"{host}:{o.port}".lower())
        elif not o.public_url:
            return None
        if o.port in (80, 443):
            hosts |= {h.rsplit(":", 1)[0] for h in hosts if h.endswith(f":{o.port}")}
        return hosts

    def _host_ok(self, request: web.Request) -> bool:
        allowed = self._allowed_hosts()
        return allowed is None or (request.host or "").lower() in allowed

    def _origins(self, request: web.Request) -> set[str]:
        scheme = "https" if self.options.tls else "http"
        origins = {f"{scheme}://{(request.host or '').lower()}"}
        if self.options.public_url:
            p = urlsplit(self.options.public_url)
            origins.add(f"{p.scheme}://{p.netloc}".lower())
        return origins

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
        self._harden(response)
        return response

    def _check(self, request: web.Request, token: str | None) -> Holder | web.Response:
        addr = request.remote or "?"
        if self.limiter.blocked(addr):
            log.warning("refused %s from %s: too many failed attempts", request.path, addr)
            return web.Response(status=429, text="429: too many failed attempts; wait a minute\n")
        if not self._host_ok(request):
            return self._refuse(request, "not a host this server answers for")
        holder = self.gate.holder(token)
        if holder is None:
            return self._refuse(
                request,
                "no valid link (ask your project manager for yours)"
                if token
                else "no link: open the personal link your project manager gave you",
            )
        return holder

    def _harden(self, response: web.StreamResponse, nonce: str = "") -> None:
        script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'"
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"

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
            self._harden(response)
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
        self._harden(response, nonce)
        if from_query:
            response.set_cookie(
                COOKIE,
                from_query,
                max_age=COOKIE_MAX_AGE,
                path="/",
                httponly=True,
                samesite="Strict",
                secure=self.options.tls or self.options.public_url.startswith("https:"),
            )
        return response

    def _ws_url(self, request: web.Request, screen: str) -> str:
        # textual.js appends "?width=..&height=..": the screen goes in the path
        if self.options.public_url:
            p = urlsplit(self.options.public_url)
            scheme = "wss" if p.scheme == "https" else "ws"
            return f"{scheme}://{p.netloc}{p.path.rstrip('/')}/ws/{screen}"
        return f"{'wss' if self.options.tls else 'ws'}://{request.host}/ws/{screen}"

    def _page(self, request: web.Request, holder: Holder, screen: str, nonce: str) -> str:
        title = html.escape(printable(f"annotator {screen}: {holder.name} ({holder.role})"))
        ws = html.escape(self._ws_url(request, screen))
        return _PAGE.format(title=title, ws=ws, nonce=nonce)

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        origin = (request.headers.get("Origin") or "").lower()
        if origin not in self._origins(request):
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
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        session = _Session(
            self.session_argv(holder.name, screen),
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=ws.close,
            download_manager=self.downloads,
        )
        self.sessions.add(session)
        who = printable(f"{holder.name} ({holder.role}, {screen})")
        watch = asyncio.create_task(self._watch(ws, token, holder, who))
        try:
            await session.start(width, height)
            log.info("%s connected from %s (app process %s)", who, request.remote, session.pid)
            await self._pump(ws, session)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            watch.cancel()
            await session.shutdown()
            self.sessions.discard(session)
            log.info("%s: session ended", who)
            if not ws.closed:
                await ws.close()
        return ws

    async def _watch(
        self, ws: web.WebSocketResponse, token: str | None, holder: Holder, who: str
    ) -> None:
        """A link revoked or rotated, a member removed or given another role: the open
        session ends within RECHECK_S (what it saved stays; the app quits as on a closed
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

    async def _pump(self, ws: web.WebSocketResponse, session: _Session) -> None:
        """The browser's messages, as textual-serve's server reads them; anything else is
        ignored (a message cannot name another user or another command)."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8", "surrogatepass"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(
                    _int(data.get("width"), 80), _int(data.get("height"), 24)
                )
            elif kind == "ping":
                await ws.send_json(["pong", data if isinstance(data, str) else ""])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

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
        self._harden(response)
        await response.prepare(request)
        async for chunk in self.downloads.download(meta.delivery_key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def static(self, request: web.Request) -> web.StreamResponse:
        # the browser side of textual-serve (xterm.js, its css and fonts): public files
        if not self._host_ok(request):
            return self._refuse(request, "not a host this server answers for")
        rel = Path(request.match_info["path"])
        target = (STATIC / rel).resolve()
        if STATIC.resolve() not in target.parents or not target.is_file():
            raise web.HTTPNotFound()
        response = web.FileResponse(target)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

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
        return app

    def ssl_context(self) -> ssl.SSLContext | None:
        o = self.options
        if o.certfile is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(o.certfile, o.keyfile)
        return context

    def run(self, *, on_ready: Callable[[str], None] | None = None) -> None:
        """Serve in the foreground until SIGTERM or ctrl+c; every app process is stopped."""

        async def started(app: web.Application) -> None:
            if on_ready is not None:
                on_ready(self.options.url)

        app = self.make_app()
        app.on_startup.append(started)
        # aiohttp turns SIGINT and SIGTERM into a graceful exit (handle_signals=True)
        web.run_app(
            app,
            host=self.options.host,
            port=self.options.port,
            ssl_context=self.ssl_context(),
            print=None,
            handle_signals=True,
            access_log=None,
            shutdown_timeout=STOP_GRACE_S + 1,
        )


def _int(value: object, default: int) -> int:
    try:
        n = int(str(value))
    except ValueError:
        return default
    return n if 1 <= n <= 1000 else default


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s serve: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


# textual-serve's page, less its web font (no network: the browser uses a local monospace)
# and its ping URL; the inline script removes the token from the address bar.
_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="static/css/xterm.css">
<script src="static/js/textual.js"></script>
<script nonce="{nonce}">
  history.replaceState(null, "", location.pathname);
</script>
<style>
  body {{ background: #0c181f; margin: 0; }}
  .textual-terminal {{ width: 100vw; height: 100vh; }}
  .closed-dialog {{ display: none; }}
  body.-closed .closed-dialog {{
    display: flex; position: absolute; inset: 0; z-index: 10; align-items: center;
    justify-content: center; background: #0c181fe0; color: #fff;
    font-family: menlo, monospace; font-size: 16px; text-align: center;
  }}
  #start {{ display: none; }}
</style>
</head>
<body>
<div class="closed-dialog"><div>Session ended. Everything shown as saved is saved.<br>
Reload the page to go on where you were.</div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{ws}"
  data-font-size="16"></div>
<button id="start" type="button"></button>
</body>
</html>
"""
