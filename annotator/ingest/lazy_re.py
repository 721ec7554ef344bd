"""Patterns compiled the first time they are used, for the shapes of text most articles
never have (code fences, HTML tables, subtitles, broken words, post headers): compiling them
at import would be paid by every one-file import, for nothing."""

from __future__ import annotations

import re
from functools import cache


@cache
def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled, once."""
    return re.compile(pattern, flags)
