"""The database path is checked, not created by accident; a read-only database still reads.

Only `import` creates a database (and says so). Every other command opens an existing one
or fails with one line, leaving nothing behind. A database on a read-only mount (a real
one: root ignores file permissions, not a read-only mount) serves status, export,
agreement and guidelines; the annotation screen says it cannot save.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from tests.conftest import ROOT, SAMPLES, SEED_SHORT, RunCli, write

RAW = ROOT / "tests" / "data" / "annotations_raw.jsonl"

# every command but import, with what it needs besides the database
READERS = [
    ("status",),
    ("export", "-o", "OUT"),
    ("export",),
    ("agreement",),
    ("annotate", "--annotator", "alice"),
    ("adjudicate", "--adjudicator", "carol"),
    ("import-labels", str(RAW)),
]


def one_line(result: Result, path: Path | str, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert str(path) in lines[0]
    return lines[0]


def args_for(cmd: tuple[str, ...], tmp_path: Path) -> list[str]:
    return [str(tmp_path / "out.jsonl") if a == "OUT" else a for a in cmd]


@pytest.mark.parametrize("cmd", READERS, ids=lambda c: " ".join(c[:1]) + str(len(c)))
def test_a_mistyped_db_creates_nothing(
    run_cli: RunCli, tmp_path: Path, cmd: tuple[str, ...]
) -> None:
    typo = tmp_path / "projct" / "annotations.sqlite"
    if cmd[0] in ("annotate", "adjudicate"):
        # a subprocess with a timeout: a regression that opened the screen would wait
        proc = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(typo), *cmd],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
        line = proc.stderr.strip()
    else:
        line = one_line(run_cli(*args_for(cmd, tmp_path), db=typo), typo)
    assert line.startswith(f"Error: {typo}: no such database") and "annotator import" in line
    assert not typo.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_guidelines_without_a_database_shows_them_and_creates_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    typo = tmp_path / "typo.sqlite"
    result = run_cli("guidelines", db=typo)
    assert result.exit_code == 0
    assert "news-credibility" in result.output and f"no database at {typo}" in result.output
    assert not typo.exists()


def test_import_creates_it_and_says_so(run_cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "new" / "folder" / "p.sqlite"
    result = run_cli("import", str(SEED_SHORT), db=db)
    assert result.exit_code == 0
    assert f"created database {db}" in result.output
    again = run_cli("import", str(SAMPLES), db=db)
    assert again.exit_code == 0 and "created database" not in again.output
    assert run_cli("status", db=db).exit_code == 0


def test_an_empty_file_is_not_a_database_to_read(run_cli: RunCli, tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.sqlite", b"")
    line = one_line(run_cli("status", db=empty), empty)
    assert "empty" in line
    assert empty.stat().st_size == 0
    assert not Path(f"{empty}-wal").exists()
    # import may make a database in it: an empty file holds nothing to lose
    result = run_cli("import", str(SEED_SHORT), db=empty)
    assert result.exit_code == 0 and f"created database {empty}" in result.output


@pytest.mark.parametrize("cmd", ["import", "status"])
def test_db_under_a_regular_file(run_cli: RunCli, tmp_path: Path, cmd: str) -> None:
    notes = write(tmp_path / "file.txt", "mine\n")
    db = notes / "x.sqlite"
    args = ["import", str(SEED_SHORT)] if cmd == "import" else [cmd]
    line = one_line(run_cli(*args, db=db), db)
    assert f"{notes} is a file, not a folder" in line
    assert notes.read_text() == "mine\n"


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_db_that_is_not_a_regular_file(run_cli: RunCli, tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        db = tmp_path / "adir"
        db.mkdir()
    elif kind == "fifo":
        db = tmp_path / "pipe"
        os.mkfifo(db)
    else:
        db = Path("/dev/null")
    for args in (["status"], ["import", str(SEED_SHORT)]):
        # a subprocess with a timeout: SQLite opening a FIFO would hang, not fail
        proc = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(db), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith(f"Error: {db}: ") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr


@contextlib.contextmanager
def read_only_bind(src: Path, mnt: Path) -> Iterator[Path]:
    """`src` seen through a read-only bind mount at `mnt` (root only; skips elsewhere)."""
    mnt.mkdir()
    if subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot bind-mount here (needs root)")
    try:
        if subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True
        ).returncode:
            pytest.skip("cannot remount read-only here")
        assert not os.access(mnt, os.W_OK)  # really read-only, even for root
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mnt)], check=False)  # busy: detach it anyway


@pytest.fixture
def ro_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable original, the same database on a read-only bind mount of its folder)."""
    src = tmp_path / "src"
    src.mkdir()
    db = src / "p.sqlite"
    from click.testing import CliRunner

    from annotator.cli import cli

    runner = CliRunner()
    for args in (["import", str(SAMPLES)], ["import-labels", str(RAW)]):
        assert runner.invoke(cli, ["--db", str(db), *args]).exit_code == 0
    # every connection closed: no -wal or -shm, as a database copied to read-only media
    assert not Path(f"{db}-shm").exists()
    with read_only_bind(src, tmp_path / "ro") as mnt:
        yield db, mnt / db.name


def test_a_read_only_folder_with_a_live_wal(run_cli: RunCli, tmp_path: Path) -> None:
    """Copied while in use: with its -wal and -shm the commits in the WAL are read; with the
    -wal alone SQLite cannot read them there, and says so in one line."""
    src = tmp_path / "src"
    assert run_cli("import", str(SAMPLES), db=src / "live.sqlite").exit_code == 0
    conn = sqlite3.connect(src / "live.sqlite")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE articles SET title = 'only in the WAL'")
    conn.commit()
    for name in ("full", "walonly"):
        for s in ("", "-wal", "-shm"):
            if not (name == "walonly" and s == "-shm"):
                shutil.copy(f"{src}/live.sqlite{s}", f"{src}/{name}.sqlite{s}")
    conn.close()
    with read_only_bind(src, tmp_path / "ro") as mnt:
        result = run_cli("export", "--all-sentences", "-o", "-", db=mnt / "full.sqlite")
        assert result.exit_code == 0, result.output
        assert '"title":"only in the WAL"' in result.stdout
        line = one_line(run_cli("status", db=mnt / "walonly.sqlite"), mnt / "walonly.sqlite")
        assert "walonly.sqlite-wal holding commits" in line


def test_read_only_database_serves_the_reading_commands(
    run_cli: RunCli, ro_mount: tuple[Path, Path], tmp_path: Path
) -> None:
    original, ro = ro_mount
    status = run_cli("status", "--format", "json", db=ro)
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert data["articles"] == 2 and len(data["annotators"]) == 2
    # the export is the one the writable original gives
    assert run_cli("export", "--view", "raw", "-o", str(tmp_path / "a.jsonl"), db=ro).exit_code == 0
    assert (
        run_cli("export", "--view", "raw", "-o", str(tmp_path / "b.jsonl"), db=original).exit_code
        == 0
    )
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert (tmp_path / "a.jsonl").stat().st_size > 0
    for args in (
        ["export", "--view", "raw", "--jobs", "2", "-o", str(tmp_path / "c.jsonl")],
        ["export", "--format", "hf", "-o", str(tmp_path / "hf")],
        ["agreement", "--format", "json"],
        ["guidelines"],
    ):
        result = run_cli(*args, db=ro)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    # with another guidelines folder: used for the command, not stored (nothing can be)
    folder = shutil.copytree(ROOT / "guidelines", tmp_path / "g")
    md = next(folder.glob("*.md"))
    md.write_text(md.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    result = run_cli("--guidelines", str(folder), "guidelines", db=ro)
    assert result.exit_code == 0 and "read-only" in result.output
    # writes: one line that says nothing was saved
    new = write(tmp_path / "new.txt", "A new article.\n\nIt has two sentences, said the author.\n")
    result = run_cli("import", str(new), db=ro)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "read-only" in result.output and "NOT saved" in result.output
    assert sorted(p.name for p in ro.parent.iterdir()) == ["p.sqlite"]


def test_read_only_database_from_python(ro_mount: tuple[Path, Path]) -> None:
    _original, ro = ro_mount
    store = open_store(ro, create=False)
    try:
        assert store.read_only
        g, _ = use_guidelines(store)
        session = AnnotationSession(store, g, "newcomer")  # a name not in the database
        assert session.annotator_id == 0
        from annotator.store.database import WriteFailed

        with pytest.raises(WriteFailed, match="read-only"):
            session.toggle("QUOTE")
    finally:
        store.close()


async def test_the_annotation_screen_says_it_cannot_save(ro_mount: tuple[Path, Path]) -> None:
    from annotator.tui.app import create_app

    _original, ro = ro_mount
    store = open_store(ro, create=False)
    g, _ = use_guidelines(store)
    app = create_app(AnnotationSession(store, g, "alice"))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            progress = str(app.screen.query_one("#progress").render())
            assert "READ-ONLY" in progress and "nothing is saved" in progress
            await pilot.press("q")
            await pilot.pause()
            progress = str(app.screen.query_one("#progress").render())
            assert "NOT SAVED" in progress and "read-only" in progress
    finally:
        store.close()
    conn = sqlite3.connect(f"file:{ro}?immutable=1", uri=True)
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    assert events == sqlite3.connect(_original).execute("SELECT count(*) FROM events").fetchone()[0]


def test_read_only_from_a_subprocess(ro_mount: tuple[Path, Path]) -> None:
    """The real command line, as a user runs it on a read-only share."""
    _original, ro = ro_mount
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(ro), "status", "--no-articles"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "articles   2" in proc.stdout
