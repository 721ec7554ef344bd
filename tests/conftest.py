"""Shared fixtures: real database files in tmp_path, the real CLI through click's runner."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import cli

# This machine sets PYTHONDONTWRITEBYTECODE=1. Then every Python process a test starts (the
# CLI in a subprocess, the screens on a pty, served sessions, the benchmarks' smoke runs:
# hundreds a run) compiled our modules from source, 0.2-0.35 CPU s each, and pytest rewrote
# and compiled every test module again on every run (half of collection's 18 CPU s). The
# bytecode is kept beside the sources, as an installed package has it (__pycache__/ is in
# .gitignore, and hatchling leaves what git ignores out of the wheel).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED_SHORT = SAMPLES / "000_60cc46f11ca30d04.txt"
SEED_LONG = SAMPLES / "004_2bd55176b4b53eb1.txt"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # a developer's own settings must not leak into tests
    for var in ("ANNOTATOR_DB", "ANNOTATOR_USER", "ANNOTATOR_SYNC"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(db_path: Path) -> RunCli:
    """Invoke `annotator --db <tmp db> ARGS...` in-process; returns click's Result."""

    def run(*args: str, db: Path | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            cli, ["--db", str(db or db_path), *map(str, args)], input=input, catch_exceptions=False
        )

    return run


@pytest.fixture
def imported_db(run_cli: RunCli, db_path: Path) -> Path:
    """A database holding the two sample articles."""
    result = run_cli("import", str(SAMPLES))
    assert result.exit_code == 0, result.output
    return db_path


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def guidelines_copy(folder: Path, *, leave_out: str | None = None) -> Path:
    """A copy of the bundled guidelines in `folder` (without the file `leave_out`), to edit."""
    from annotator.guidelines import default_guidelines_dir

    folder.mkdir(parents=True, exist_ok=True)
    for f in default_guidelines_dir().iterdir():
        if f.name != leave_out:
            write(folder / f.name, f.read_text(encoding="utf-8"))
    return folder


def signals_only_lexicon(folder: Path) -> Path:
    """The bundled guidelines in `folder`, with a cue lexicon that hedges nothing but
    "signal*" (its other cues kept): a project's own lexicon, told apart from the bundled one
    by the cue of every HEDGED suggestion."""
    guidelines_copy(folder)
    text = (folder / "cues.toml").read_text(encoding="utf-8")
    write(
        folder / "cues.toml",
        text.split('[[cues]]\nname = "hedges"')[0]
        + '[[cues]]\nname = "signals"\nlabel = "HEDGED"\nscore = 0.6\nphrases = ["signal*"]\n',
    )
    return folder


def quote_renamed(folder: Path) -> Path:
    """The schema (and guidelines text) in `folder` with QUOTE renamed CITATION: a custom
    schema the bundled lexicon's QUOTE rules do not fit."""
    toml = (folder / "labels.toml").read_text(encoding="utf-8")
    write(folder / "labels.toml", toml.replace('name = "QUOTE"', 'name = "CITATION"'))
    md = (folder / "guidelines.md").read_text(encoding="utf-8")
    write(folder / "guidelines.md", md.replace("## QUOTE", "## CITATION"))
    return folder


def env_without_network() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ANNOTATOR_DB", None)
    return env
