"""An article id is one line without control characters (audit7 F9): it is what people
type (`--article`, `assign --articles @FILE`) and what every export keys its records by."""

from __future__ import annotations

import json
import sqlite3
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


HTML_PAGE = (
    "<!doctype html><html><head><title>Bridge opens</title></head><body><article>"
    + "".join(
        f"<p>Officials said on day {i} that the new bridge over the river would open in May, "
        f"{i} years after work began and a year later than first planned.</p>"
        for i in range(2, 7)
    )
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("evil\x1b]52;c;SGVsbG8=\x07name.txt", "U+001B"),  # OSC 52: writes the clipboard
        ("bidi\u202ename.md", "U+202E"),
        ("tab\there.html", "U+0009"),
    ],
)
def test_an_id_from_a_file_name_follows_the_same_rule(
    run_cli: RunCli, db_path: Path, tmp_path: Path, name: str, char: str
) -> None:
    # audit9b F6: the id taken from the name kept ESC and BEL, and every export's keys
    # with it, while the same id in JSON Lines or front matter was refused
    folder = tmp_path / "in"
    text = HTML_PAGE if name.endswith(".html") else "Hostile file name text. Second sentence.\n"
    bad = write(folder / name, text)
    write(folder / "good.txt", "A good file. It goes in.\n")
    r = run_cli("import", str(folder))
    assert r.exit_code == 1, r.output
    (line,) = [ln for ln in r.output.splitlines() if "from the file's name" in ln]
    assert f"holds {char}: an id has no line breaks" in line and "rename the file" in line
    # the advice a page can follow: it has no front matter
    assert ("front matter" in line) == (not name.endswith(".html"))
    assert "\x1b" not in r.output and "\x07" not in r.output and "\u202e" not in r.output
    assert "imported 1 article" in r.output
    rows = sqlite3.connect(db_path).execute("SELECT external_id FROM articles").fetchall()
    assert rows == [("good",)]
    assert bad.exists()
