"""import-suggestions refuses a source or version that would make the origin an accepted
suggestion records, `suggestion:SOURCE@VERSION`, split two ways (audit F16.7)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.models.suggestions import origin_of
from tests.conftest import SEED_LONG, RunCli, write

LONG = SEED_LONG.stem
GOOD = {"article": LONG, "position": 1, "label": "QUOTE", "score": 0.5, "source": "roberta"}


@pytest.mark.parametrize(
    "change, said",
    [
        ({"source": "a@b"}, "source 'a@b' may not contain '@'"),
        ({"version": "@evil"}, "version '@evil' may not contain '@'"),
        ({"source": "x:y"}, "source 'x:y' may not contain ':'"),
        ({"source": "x:@y"}, "source 'x:@y' may not contain ':' or '@'"),
    ],
)
def test_a_separator_in_a_name_is_refused(
    imported_db: Path, run_cli: RunCli, tmp_path: Path, change: dict[str, str], said: str
) -> None:
    f = write(tmp_path / "p.jsonl", json.dumps(GOOD) + "\n" + json.dumps(GOOD | change) + "\n")
    result = run_cli("import-suggestions", str(f))
    assert result.exit_code != 0
    assert f"{f}:2: {said}" in result.output and "nothing was imported" in result.output
    conn = sqlite3.connect(imported_db)
    try:
        n = conn.execute("SELECT count(*) FROM suggestions WHERE source = 'roberta'").fetchone()
        assert n == (0,)  # not even the good first line
    finally:
        conn.close()


def test_what_is_allowed_still_splits_one_way(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    line = GOOD | {"source": "roberta-babe v2", "version": "2024-06:rc1"}
    f = write(tmp_path / "p.jsonl", json.dumps(line) + "\n")
    result = run_cli("import-suggestions", str(f))
    assert result.exit_code == 0, result.output
    origin = origin_of("roberta-babe v2", "2024-06:rc1")
    source, version = origin.removeprefix("suggestion:").split("@")
    assert (source, version) == ("roberta-babe v2", "2024-06:rc1")
