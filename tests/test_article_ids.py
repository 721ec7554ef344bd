"""An article id is one line without control characters (audit7 F9): it is what people
type (`--article`, `assign --articles @FILE`) and what every export keys its records by."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, write


@pytest.mark.parametrize("ident", ["z\x1b[31m", "has space\tand tab", "two\nlines", "bidi\u202e"])
def test_an_id_with_a_control_character_is_refused_by_line(
    run_cli: RunCli, db_path: Path, tmp_path: Path, ident: str
) -> None:
    f = write(
        tmp_path / "a.jsonl",
        json.dumps({"id": "fine", "text": "He said it."})
        + "\n"
        + json.dumps({"id": ident, "text": "She said so."})
        + "\n",
    )
    other = write(tmp_path / "b.txt", "A file after it still goes in. It does.\n")
    r = run_cli("import", str(f), str(other))
    assert r.exit_code == 1, r.output
    assert f"{f}:2: article id " in r.output and "control characters" in r.output
    assert "\x1b" not in r.output and "\u202e" not in r.output
    assert "imported 1 article" in r.output  # the other file; nothing of this one


def test_a_front_matter_id_is_checked_too(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    f = write(tmp_path / "p.md", '---\nid: "a\\eb"\ntitle: T\n---\nHe said it. She agreed.\n')
    r = run_cli("import", str(f))
    assert r.exit_code == 1 and "control characters" in r.output, r.output
