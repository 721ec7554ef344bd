"""Team roles and project settings: their names, defaults and validation (no SQL).

The store keeps settings as text rows of `settings`; what a value may be is decided here so
that the CLI, the store and later the screens agree on one list.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from annotator.models.errors import StoreError

ROLES = ("annotator", "adjudicator", "manager")
DEFAULT_ROLE = "annotator"


class TeamError(StoreError):
    """A team or settings request that cannot be done; the message is one line for the user."""


def check_name(name: str) -> str:
    """The member's name, stripped; empty or whitespace-only names are refused."""
    stripped = name.strip()
    if not stripped:
        raise TeamError("the name is empty: give the member's name (e.g. alice)")
    # a name is one line: a line break or other control character would split or hide it
    # in every listing (the sanitiser shows it, but the name is still wrong)
    if any(unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS for c in stripped):
        raise TeamError(f"{stripped!r}: a name has no line breaks or control characters")
    if len(stripped) > MAX_NAME:
        # audit9b F16: a 100,000-character name was taken (and printed back whole); one of
        # 300 made a file name doccano's per-annotator export could not write
        raise TeamError(f"{stripped[:40]!r}...: a name has at most {MAX_NAME} characters")
    return stripped


MAX_NAME = 100  # an e-mail address fits; so does the longest of people's names


# the bidirectional overrides and isolates: a name holding one shows its letters reversed
# or moves the text after it ("bidi\u202eevil" reads as "bidilive")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_role(role: str) -> str:
    r = role.strip().lower()
    if r not in ROLES:
        raise TeamError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return r


@dataclass(frozen=True)
class Setting:
    key: str
    choices: tuple[str, ...] | None  # None: free text, checked by `check`
    default: str
    help: str


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}

SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "blind",
            ("true", "false"),
            "false",
            "true: annotators see only their own labels, and seeing others' is recorded",
        ),
        Setting(
            "team",
            ("open", "closed"),
            "open",
            "closed: only team members may annotate; open: anyone may, as today",
        ),
        Setting(
            "public_url",
            None,
            "",
            "the http(s) address the project is served at (empty: none)",
        ),
        Setting(
            "suggestions",
            ("on", "off"),
            "off",
            "on: the annotation screen may offer suggested labels",
        ),
        Setting(
            "suggestions_split",
            ("none", "article", "annotator"),
            "none",
            "with suggestions on, who sees them: everyone everywhere (none); on a seeded half "
            "of the articles (article); on a seeded half of each annotator's articles "
            "(annotator), to measure anchoring (agreement --by suggestions)",
        ),
        Setting(
            "suggestions_seed",
            None,
            "0",
            "the seed of suggestions_split (a whole number)",
        ),
    )
}


def settings_help() -> str:
    """One line per setting, for `project set --help` and `project show --help`."""
    lines = []
    for s in SETTINGS.values():
        values = "/".join(s.choices) if s.choices else ("N" if s.key.endswith("_seed") else "URL")
        lines.append(f"{s.key} ({values}, default {s.default or 'empty'}): {s.help}")
    return "\n".join(lines)


def check_setting(key: str, value: str) -> tuple[str, str]:
    """(key, value) normalised, or a TeamError in one line."""
    k = key.strip().lower()
    s = SETTINGS.get(k)
    if s is None:
        raise TeamError(f"unknown setting {key!r}: use one of {', '.join(SETTINGS)}")
    v = value.strip()
    if k == "suggestions_seed":
        if not v.isascii() or not v.isdigit() or len(v) > 18:
            raise TeamError(f"{k}: {value!r} is not a whole number (0 to 10^18)")
        return k, str(int(v))
    if s.choices is not None:
        low = v.lower()
        # blind takes the usual spellings of a boolean; the others their two words
        if s.choices == ("true", "false"):
            if low in _TRUE:
                return k, "true"
            if low in _FALSE:
                return k, "false"
        elif s.choices == ("on", "off") and low in _TRUE | _FALSE:
            return k, "on" if low in _TRUE else "off"
        elif low in s.choices:
            return k, low
        raise TeamError(f"{k}: {value!r} is not one of {', '.join(s.choices)}")
    if v:
        if any(c.isspace() or ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in v):
            raise TeamError(f"{k}: a URL has no spaces or control characters")
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TeamError(f"{k}: {value!r} is not an http(s) URL (e.g. https://host/path)")
        if parts.query or parts.fragment or "?" in v or "#" in v:
            # a personal link is public_url + "/?token=...": after a query or inside a
            # fragment the token never reaches the server (audit7 F26)
            raise TeamError(
                f"{k}: {value!r} has a ?query or #fragment: give the address the proxy "
                "serves, e.g. https://host/path"
            )
        # audit10 F8: browsers send no credentials and no default port in Host or Origin,
        # so such an address made every page and websocket 403
        if parts.username is not None or parts.password is not None:
            raise TeamError(f"{k}: {value!r} holds a user name or password: leave them out")
        try:
            port = parts.port
        except ValueError:
            raise TeamError(f"{k}: {value!r} has a port out of range") from None
        if port == {"http": 80, "https": 443}[parts.scheme]:
            raise TeamError(
                f"{k}: {value!r} names the default port {port}: leave it out "
                f"({parts.scheme}://{parts.hostname}{parts.path})"
            )
    return k, v
