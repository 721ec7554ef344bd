"""The first import into a new database (every user's first command) must not load pandas
or numpy (audit6 F10): sqlite-utils, which runs the migrations, imports both whenever they
are installed, and the status-counts migration counted an empty events table with numpy.
Both made the first import 0.75 s and 141 MB instead of about 0.45 s and 70 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store.database import open_store
from tests.conftest import ROOT, write

HEAVY = ("pandas", "numpy")


def _loaded(code: str) -> list[str]:
    probe = (
        code + f"\nimport json, sys; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_first_import_into_a_new_database_loads_neither(tmp_path: Path) -> None:
    pytest.importorskip("pandas", reason="pandas installed is what made sqlite-utils load it")
    db, art = tmp_path / "new.sqlite", write(tmp_path / "a.txt", "The council met. It voted.\n")
    code = (
        "import sys; from annotator.cli import main; "
        f"sys.argv = ['annotator', '--db', {str(db)!r}, 'import', '-q', {str(art)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _loaded(code) == []
    store = open_store(db)
    assert store.scalar("SELECT count(*) FROM articles") == 1
    store.close()


def test_blocking_them_does_not_stop_a_later_import(tmp_path: Path) -> None:
    """The block lasts only while sqlite-utils is imported: numpy and pandas load after."""
    pytest.importorskip("pandas", reason="needs pandas")
    code = (
        "import pathlib; from annotator.store.database import open_store; "
        f"open_store(pathlib.Path({str(tmp_path / 'n.sqlite')!r})).close(); "
        "import numpy, pandas"
    )
    assert _loaded(code) == ["pandas", "numpy"]
