"""`pip install .` gives a working `annotator` that runs from any directory.

Builds the real wheel, installs it (without dependencies: they come from the test's own
environment through a .pth file, so the test needs no network and stays fast) into a new
venv, and runs the installed console script from an unrelated directory.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_SHORT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_imports_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("annotator-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "annotator/_guidelines/labels.toml" in names
    assert "annotator/_guidelines/guidelines.md" in names
    assert not any(n.startswith(("tests/", "samples/", "benchmarks/")) for n in names)
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Dist: textual" in meta and "Requires-Dist: textstat" in meta

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    (Path(site.stdout.strip()) / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SEED_SHORT, elsewhere / "story.txt")
    exe = venv / "bin" / "annotator"
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import annotator, annotator.guidelines as g; "
            "print(annotator.__file__); print(g.default_guidelines_dir())",
        ],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(venv) in where.splitlines()[0], "imported the source tree, not the wheel"
    assert where.splitlines()[1].endswith("annotator/_guidelines")
    run = subprocess.run(
        [str(exe), "import", "story.txt"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "imported 1 article" in run.stdout
    db = elsewhere / "db" / "annotations.sqlite"
    assert sqlite3.connect(db).execute("SELECT count(*) FROM sentences").fetchone()[0] == 12
    out = subprocess.run(
        [str(exe), "guidelines"], cwd=elsewhere, capture_output=True, text=True, check=True
    ).stdout
    assert "ATTRIBUTED" in out
