"""Importing a library without the optional modules it would load for features we never use.

Some libraries import a heavy module whenever it is installed (trafilatura imports
py3langid, and with it numpy, for a target-language filter; sqlite-utils imports pandas and
numpy for insert helpers), and treat it as optional: an ImportError makes them go without.
A None in sys.modules makes that import raise ImportError; the entries are removed at once,
so a later import of those modules (ours, or the user's) loads them as usual."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_without(name: str, *optional: str) -> ModuleType:
    """The module `name`, imported with the `optional` modules left out when they are not
    loaded yet (when they are, or `name` is, it is simply imported)."""
    if name in sys.modules:
        return sys.modules[name]
    blocked = [m for m in optional if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # type: ignore[assignment]
    try:
        return importlib.import_module(name)
    finally:
        for m in blocked:
            del sys.modules[m]
