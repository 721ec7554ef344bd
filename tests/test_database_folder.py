"""A --db whose folders do not exist yet: they are made, and said (audit11 F16: a typo in
the folder part of --db made a new folder tree, and a new project in it, without a word)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import SEED_SHORT, RunCli


def test_the_folders_made_for_a_new_database_are_named(tmp_path: Path, run_cli: RunCli) -> None:
    db = tmp_path / "projets" / "2026" / "new.sqlite"
    result = run_cli("import", "-q", str(SEED_SHORT), db=db)
    assert result.exit_code == 0, result.output
    assert f"created database {db}, and the folder {tmp_path / 'projets'} for it" in result.output
    # the team commands make a database too, and say the same
    other = tmp_path / "projets" / "team" / "t.sqlite"
    team = run_cli("team", "add", "alice", db=other)
    assert team.exit_code == 0, team.output
    assert f"created database {other}, and the folder {other.parent} for it" in team.output
    # a database in a folder that was there: as before
    plain = tmp_path / "plain.sqlite"
    again = run_cli("import", "-q", str(SEED_SHORT), db=plain)
    assert f"created database {plain}\n" in again.output, again.output


def test_a_database_name_that_is_not_utf8_opens_for_every_command(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """audit11 F19: `import` made and filled `db\\xff.sqlite` (a Latin-1 name), then every
    other command failed with a traceback: the read-only URI was built from the str path."""
    db = tmp_path / os.fsdecode(b"projet_\xe9t\xe9.sqlite")
    assert run_cli("import", "-q", str(SEED_SHORT), db=db).exit_code == 0
    for args in (("status",), ("export", "--format", "jsonl", "--view", "raw", "-o", "-")):
        result = run_cli(*args, db=db)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
    assert "articles   1" in run_cli("status", db=db).output
