"""What the CLI prints, made safe for a terminal: every command prints through here.

Article text, titles, file names, annotator names and guidelines come from outside and may
hold ESC sequences (an OSC 52 clipboard write, CSI 2J), C1 controls (U+009B is a CSI on many
terminals) or bidi overrides (U+202E). Human-facing text always shows them as visible
placeholders (annotator/safetext.py, the sanitiser the TUI uses). Data-bearing formats (json,
jsonl, csv) are left byte-exact when stdout is a pipe or a file, so exports round-trip; when
stdout is a terminal, JSON gets `\\u001b` escapes (still valid JSON, the same value) and other
formats get the placeholders. Styling the tool adds itself (rich tables) is not data and stays.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from typing import Any, Literal, TextIO, cast

import click

from annotator.safetext import json_for_terminal, printable, printable_lines


def moving(bar: Any) -> Callable[[int], None]:
    """A progress callback for a click progress bar, given how many are done so far (as the
    store's importers and the exporters report it), not how many more."""
    return lambda n: bar.update(n - bar.pos)


def say(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print human-facing text: controls become visible placeholders, line breaks stay."""
    click.echo(printable_lines(_encodable(message)), err=err, nl=nl)


def say_line(message: str, *, err: bool = False) -> None:
    """Print one line about one thing (a file, an error): a line break inside it (from a
    file name, say) shows as a space, so the line stays one line."""
    click.echo(printable(_encodable(message)), err=err)


def _encodable(message: str) -> str:
    """A file name that is not UTF-8 (its bytes kept by Python as lone surrogates, which no
    stream can write) is shown with its bytes escaped."""
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


class _TerminalData(io.TextIOBase):
    """A text stream that rewrites each write for a terminal. It has no `buffer`, so writers
    that would splice bytes straight into stdout take their text path through it."""

    def __init__(self, target: TextIO, translate: Callable[[str], str]) -> None:
        super().__init__()
        self._target = target
        self._translate = translate

    def write(self, s: str) -> int:
        self._target.write(self._translate(s))
        return len(s)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return True


@contextlib.contextmanager
def data_stdout(kind: Literal["json", "text"]) -> Iterator[TextIO]:
    """Standard output for a data-bearing format, for the duration of the block (code that
    writes to `sys.stdout` meanwhile goes through it too).

    A pipe or a file gets the exact bytes. A terminal gets `kind` "json" with its active
    characters as \\u escapes, "text" (csv, segment lines) with placeholders; line breaks and
    tabs stay in both."""
    out = sys.stdout
    if not out.isatty():
        yield out
        return
    guard = cast(
        TextIO, _TerminalData(out, json_for_terminal if kind == "json" else printable_lines)
    )
    with contextlib.redirect_stdout(guard):
        yield guard
    guard.flush()


def inert(e: click.ClickException) -> click.ClickException:
    """The same error with its message safe for a terminal and on one line (it often names a
    file or a value the user gave, which may hold control characters or line breaks)."""
    # click declares `message` Final, but it is only ever read after construction; rebuilding
    # the exception would lose UsageError's context.
    e.message = printable(_encodable(e.message))  # type: ignore[misc]
    return e
