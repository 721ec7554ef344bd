"""Who `annotator serve` answers, and how: the listening options, the hosts and origins it
accepts, the limit on failed attempts, the cookie, and the headers every response carries.
The server (serve.py) applies these to each request; nothing here holds a connection."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

COOKIE = "annotator_token"
COOKIE_MAX_AGE = 14 * 24 * 3600  # the link itself stays valid until rotated or revoked
FAIL_LIMIT = 10  # failed attempts from one address ...
FAIL_WINDOW_S = 60.0  # ... within this many seconds, then 429 until they age out


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
    # live sessions one member may hold: a new one past this closes their oldest (a leaked
    # or scripted link cannot start app processes without end; a reload still works)
    sessions_per_member: int = 3

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    @property
    def secure_cookie(self) -> bool:
        return self.tls or self.public_url.startswith("https:")

    def allowed_hosts(self) -> set[str] | None:
        """Host headers we answer (None: listening on a wildcard address without a public
        URL, where we cannot list the names browsers use: see wildcard_host_ok)."""
        hosts: set[str] = set()
        if self.public_url:
            hosts.add(urlsplit(self.public_url).netloc.lower())
        if is_loopback(self.host):
            hosts |= {f"127.0.0.1:{self.port}", f"localhost:{self.port}", f"[::1]:{self.port}"}
        elif self.host not in ("0.0.0.0", "::", ""):
            host = f"[{self.host}]" if ":" in self.host else self.host
            hosts.add(f"{host}:{self.port}".lower())
        elif not self.public_url:
            return None
        if self.port in (80, 443):
            hosts |= {h.rsplit(":", 1)[0] for h in hosts if h.endswith(f":{self.port}")}
        return hosts

    def host_ok(self, request: web.Request) -> bool:
        """The Host header is one we serve (a rebinding attacker's name is not)."""
        allowed = self.allowed_hosts()
        host = (request.host or "").lower()
        if allowed is None:
            return self.wildcard_host_ok(host)
        return host in allowed

    def wildcard_host_ok(self, host: str) -> bool:
        """On 0.0.0.0 / :: without a public URL: an IP address (any of ours; an address
        cannot be rebound, DNS rebinding needs a name), localhost, or this machine's name,
        on our port. Any other name is refused: set public_url to serve under it."""
        try:
            parts = urlsplit(f"//{host}")
            port = parts.port
        except ValueError:
            return False
        name = parts.hostname or ""
        if port != self.port and not (port is None and self.port in (80, 443)):
            return False
        if name in ("localhost", socket.gethostname().lower()):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def origins(self, request: web.Request) -> set[str]:
        """The Origins a websocket may come from: the page we served, nobody else's."""
        scheme = "https" if self.tls else "http"
        origins = {f"{scheme}://{(request.host or '').lower()}"}
        if self.public_url:
            p = urlsplit(self.public_url)
            origins.add(f"{p.scheme}://{p.netloc}".lower())
        return origins

    def ws_url(self, request: web.Request, screen: str) -> str:
        """Where the page opens its websocket. textual.js appends "?width=..&height=..":
        the screen goes in the path."""
        if self.public_url:
            p = urlsplit(self.public_url)
            scheme = "wss" if p.scheme == "https" else "ws"
            return f"{scheme}://{p.netloc}{p.path.rstrip('/')}/ws/{screen}"
        return f"{'wss' if self.tls else 'ws'}://{request.host}/ws/{screen}"


def harden(response: web.StreamResponse, nonce: str = "") -> None:
    """The headers every answer carries: scripts only ours (the page's one inline script by
    its nonce), no framing, no referrer (the first URL holds the token), no caching."""
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
