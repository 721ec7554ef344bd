"""What `annotator serve` sends the browser besides the websocket: the page (textual-serve's,
less its web font and ping URL) and textual-serve's browser side (xterm.js), its static
files, served from the installed package."""

from __future__ import annotations

import functools
import gzip
import html
from pathlib import Path

import textual_serve
from aiohttp import web

from annotator.safetext import printable

STATIC = Path(textual_serve.__file__).parent / "static"


def page(title: str, ws_url: str, nonce: str) -> str:
    """The page of one screen; `title` is data (a member's name), escaped here."""
    return _PAGE.format(title=html.escape(printable(title)), ws=html.escape(ws_url), nonce=nonce)


def static_response(target: Path, accepts: str) -> web.StreamResponse:
    """A static file's response: packed when the browser takes gzip (`accepts`: its
    Accept-Encoding; textual.js is 514 KB as it is, 125 KB packed: 23 s of a blank page on a
    slow link before the first screen, audit15d F3), with a cache lifetime."""
    response: web.StreamResponse
    if "gzip" in accepts and target.suffix in _PACKED:
        response = web.Response(
            body=packed(target),
            content_type=_PACKED[target.suffix],
            headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
        )
    else:
        response = web.FileResponse(target)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # the files change only with the installed textual-serve: a reload need not fetch them
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


# the static files sent packed when the browser takes gzip, and their content types
_PACKED = {".js": "text/javascript", ".css": "text/css"}


@functools.cache
def packed(path: Path) -> bytes:
    """`path`'s bytes, gzip-packed (the files are the installed package's: packed once)."""
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def static_file(rel: str) -> Path | None:
    """The file under STATIC at `rel`, or None (outside it, or not a file)."""
    target = (STATIC / rel).resolve()
    if STATIC.resolve() not in target.parents or not target.is_file():
        return None
    return target


# No network: the browser uses a local monospace. The inline script (allowed by its nonce)
# removes the token from the address bar.
_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="static/css/xterm.css">
<script nonce="{nonce}">
  history.replaceState(null, "", location.pathname);
  // why the session ended, from the close code the server sends (audit15d F4: every end
  // invited a reload, which after a revoked link gave 403 and in a 4th tab closed another)
  (() => {{
    const said = {{
      4403: "Your link no longer opens this project (revoked or expired): ask your " +
        "project manager for a new one.",
      4409: "This link was opened in another tab or window, which goes on: " +
        "this one is closed.",
      1001: "The server stopped. Reload the page when it is back, to go on where you were.",
      1006: "The connection to the server was lost. Reload the page when it is back, to " +
        "go on where you were.",
    }};
    const Base = window.WebSocket;
    window.WebSocket = class extends Base {{
      constructor(...args) {{
        super(...args);
        this.addEventListener("close", (e) => {{
          const text = said[e.code];
          if (text) document.getElementById("closed-why").textContent = text;
        }});
      }}
    }};
  }})();
</script>
<script src="static/js/textual.js"></script>
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
<span id="closed-why">Reload the page to go on where you were.</span></div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{ws}"
  data-font-size="16"></div>
<button id="start" type="button"></button>
</body>
</html>
"""
