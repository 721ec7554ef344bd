"""Attacks on `annotator export -o`: an export never destroys what it did not make.

Each case asserts the exit code, a one-line message naming the path (no traceback), and
that the target is exactly as it was. Root-only cases (a tmpfs of 64 KiB for a full disk,
/dev/full as a target) skip cleanly when they cannot run.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import ROOT, RunCli, write

ALL = "--all-sentences"  # the sample database has no annotations: export every sentence


def refused(result: Result, path: Path | str, *, code: int = 1) -> str:
    """The one line an export refused with; it names `path`."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    assert str(path) in errors[0], errors[0]
    return errors[0]


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a digest of its bytes (folders as 'dir')."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            conn.execute("SELECT count(*) FROM sentences").fetchone()[0],
        )
    finally:
        conn.close()


# --- the database is never a target ---------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "hf"])
@pytest.mark.parametrize("force", [False, True])
def test_never_the_database_nor_its_siblings(
    run_cli: RunCli, imported_db: Path, suffix: str, fmt: str, force: bool
) -> None:
    # a reader holds the database open, so its -wal and -shm exist as they do in use
    holder = sqlite3.connect(imported_db)
    holder.execute("SELECT count(*) FROM sentences").fetchone()
    try:
        target = Path(f"{imported_db}{suffix}")
        before = {s: os.stat(f"{imported_db}{s}") for s in ("", "-wal", "-shm")}
        args = ["export", "--format", fmt, ALL, "-o", str(target)]
        if force and fmt != "hf":
            args.append("--force")
        line = refused(run_cli(*args), target)
        assert "database" in line
        for s, st in before.items():  # the very same files, not replaced
            now = os.stat(f"{imported_db}{s}")
            assert (now.st_ino, now.st_size) == (st.st_ino, st.st_size), s
        assert not Path(f"{imported_db}-journal").exists()
    finally:
        holder.close()
    assert counts(imported_db) == (2, 98)


@pytest.mark.parametrize("how", ["symlink", "hardlink", "relative"])
def test_never_the_database_by_another_name(
    run_cli: RunCli, imported_db: Path, tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if how == "symlink":
        target = tmp_path / "link.jsonl"
        target.symlink_to(imported_db)
    elif how == "hardlink":
        target = tmp_path / "hard.jsonl"
        os.link(imported_db, target)
    else:
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path)
        target = Path("sub") / ".." / imported_db.name
    digest = hashlib.sha256(imported_db.read_bytes()).hexdigest()
    refused(run_cli("export", ALL, "--force", "-o", str(target)), target)
    assert hashlib.sha256(imported_db.read_bytes()).hexdigest() == digest
    assert counts(imported_db) == (2, 98)


def test_an_hf_folder_never_holds_the_database(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    before = tree(tmp_path)
    refused(run_cli("export", "--format", "hf", "-o", str(tmp_path)), tmp_path)
    assert tree(tmp_path) == before


def test_the_sidecar_is_checked_too(run_cli: RunCli, imported_db: Path, tmp_path: Path) -> None:
    """`-o test.jsonl` would put its articles file at test.articles.jsonl: if that is the
    database (named so by a user), the export is refused before either is written."""
    db = tmp_path / "p.articles.jsonl"
    assert run_cli("import", str(ROOT / "samples"), db=db).exit_code == 0
    refused(run_cli("export", ALL, "-o", str(tmp_path / "p.jsonl"), db=db), db)
    assert not (tmp_path / "p.jsonl").exists()
    assert counts(db) == (2, 98)


# --- folders, devices, FIFOs, files we did not write ----------------------------------------


def test_a_foreign_folder_is_never_replaced(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "dataset-repo"
    write(repo / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(repo / ".gitattributes", "*.jsonl filter=lfs\n")
    write(repo / "notes.md", "my notes\n")
    before = tree(repo)
    line = refused(run_cli("export", "--format", "hf", "-o", str(repo)), repo)
    assert ".git" in line
    refused(run_cli("export", ALL, "-o", str(repo)), repo)  # a line format: "is a folder"
    assert tree(repo) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "test.sqlite") == [
        "dataset-repo"
    ]  # no temporary left beside it


def test_our_hf_folder_is_replaced_but_not_once_it_holds_a_users_files(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hf"
    assert run_cli("export", "--format", "hf", "-o", str(out)).exit_code == 0
    assert (out / ".annotator-export.json").is_file()
    first = tree(out)
    assert run_cli("export", "--format", "hf", "-o", str(out)).exit_code == 0  # ours: fine
    assert tree(out) == first
    write(out / ".git" / "HEAD", "ref: refs/heads/main\n")  # made a dataset repository
    before = tree(out)
    line = refused(run_cli("export", "--format", "hf", "-o", str(out)), out)
    assert ".git" in line
    assert tree(out) == before
    empty = tmp_path / "empty"
    empty.mkdir()  # an empty folder holds nothing to lose
    assert run_cli("export", "--format", "hf", "-o", str(empty)).exit_code == 0
    assert (empty / "README.md").is_file()


def test_a_forged_manifest_does_not_cover_other_files(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    out = write(tmp_path / "hf" / ".annotator-export.json", '{"tool": "annotator"}').parent
    write(out / "thesis.tex", "years of work\n")
    before = tree(out)
    refused(run_cli("export", "--format", "hf", "-o", str(out)), out)
    assert tree(out) == before


def test_a_file_we_did_not_write_needs_force(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    notes = write(tmp_path / "notes.jsonl", '{"title": "my article", "text": "x"}\n')
    line = refused(run_cli("export", ALL, "-o", str(notes)), notes)
    assert "--force" in line
    assert notes.read_text() == '{"title": "my article", "text": "x"}\n'
    assert not (tmp_path / "notes.articles.jsonl").exists()
    result = run_cli("export", ALL, "--force", "-o", str(notes))
    assert result.exit_code == 0, result.output
    assert notes.read_text().startswith('{"id":"000_60cc46f11ca30d04:0"')


def test_a_sidecar_we_did_not_write_is_refused(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    side = write(tmp_path / "out.articles.jsonl", "someone's file\n")
    refused(run_cli("export", ALL, "-o", str(tmp_path / "out.jsonl")), side)
    assert side.read_text() == "someone's file\n"
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("fmt", "view"),
    [
        ("jsonl", "gold"),
        ("jsonl", "raw"),
        ("jsonl", "majority"),
        ("csv", "gold"),
        ("csv", "raw"),
        ("prodigy", "raw"),
        ("doccano", "majority"),
        ("label-studio", "gold"),
    ],
)
def test_our_previous_export_is_replaced(
    run_cli: RunCli, imported_db: Path, tmp_path: Path, fmt: str, view: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    for _ in range(2):
        result = run_cli("export", "--format", fmt, "--view", view, ALL, "-o", str(out))
        assert result.exit_code == 0, result.output
    # and a different format of ours over it, as a user switching formats would
    other = "csv" if fmt != "csv" else "jsonl"
    result = run_cli("export", "--format", other, ALL, "-o", str(out))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_is_never_replaced(run_cli: RunCli, imported_db: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    before = os.stat(device)
    line = refused(run_cli("export", ALL, "--force", "-o", device), device)
    assert "device" in line
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino
    assert not any(Path("/dev").glob(f".{Path(device).name}.*"))


def test_a_fifo_is_refused_without_opening_it(imported_db: Path, tmp_path: Path) -> None:
    """Opening a FIFO for writing blocks until a reader comes: the check must not open it.
    A subprocess with a timeout, so a hang fails the test instead of stalling the suite."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(imported_db), "export", "-o", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"Error: {fifo}: is a FIFO") and proc.stderr.count("\n") == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("fmt", ["jsonl", "hf"])
@pytest.mark.parametrize("where", [".", "/", ".."])
def test_dot_and_root_are_refused(
    run_cli: RunCli,
    imported_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    where: str,
) -> None:
    work = tmp_path / "work"
    write(work / "keep.txt", "mine\n")
    monkeypatch.chdir(work)
    before = tree(tmp_path)
    refused(run_cli("export", "--format", fmt, "-o", where), where)
    assert tree(tmp_path) == before


def test_a_dangling_symlink_is_refused(run_cli: RunCli, imported_db: Path, tmp_path: Path) -> None:
    """Writing through it would create a file (and folders) wherever it points."""
    link = tmp_path / "out.jsonl"
    link.symlink_to(tmp_path / "elsewhere" / "deep" / "x.jsonl")
    refused(run_cli("export", ALL, "-o", str(link)), link)
    assert not (tmp_path / "elsewhere").exists() and link.is_symlink()


def test_a_file_where_a_folder_must_be(run_cli: RunCli, imported_db: Path, tmp_path: Path) -> None:
    notes = write(tmp_path / "notes.txt", "mine\n")
    refused(run_cli("export", ALL, "-o", str(notes / "out.jsonl")), notes / "out.jsonl")
    refused(run_cli("export", "--format", "hf", "-o", str(notes / "hf")), notes / "hf")
    refused(run_cli("export", "--format", "hf", "-o", str(notes)), notes)
    assert notes.read_text() == "mine\n"


# --- standard output ------------------------------------------------------------------------


def test_dash_is_standard_output(
    run_cli: RunCli, imported_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("export", ALL, "-o", "-")
    assert result.exit_code == 0
    records = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(records) == 98
    assert not (tmp_path / "-").exists()
    result = run_cli("export", "--format", "csv", ALL, "-o", "-")
    assert result.stdout.startswith("id,article_id,")
    refused(run_cli("export", "--format", "hf", "-o", "-"), "standard output", code=2)
    assert not (tmp_path / "-").exists()


def test_standard_output_on_a_full_device(imported_db: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(imported_db), "export", ALL],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: no space left") and proc.stderr.count("\n") == 1


# --- interrupted exports --------------------------------------------------------------------


def test_stale_temporaries_are_cleaned_and_nothing_else(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = [
        write(out / ".data.jsonl.a1B2_c3D.partial", "half an export"),
        write(out / ".data.articles.jsonl.zzzzzzzz.partial", "half a sidecar"),
        write(out / ".export-part.q9w8e7r6.partial", "half of the helper's half"),
        write(out / ".hf.k3j4h5g6.partial" / "data" / "gold.jsonl.partial", "x").parent.parent,
        write(out / ".hf.p0o9i8u7.old" / "README.md", "an old card").parent,
        write(out / ".hf.old-4242" / "README.md", "left by an earlier version").parent,
    ]
    keep = [  # near misses: not our pattern, so not ours to remove
        write(out / ".data.jsonl.notes.partial", "7 letters is not 8"),
        write(out / "data.jsonl.a1B2_c3D.partial", "no leading dot"),
        write(out / ".data.jsonl.a1B2_c3D.partial.bak", "another suffix"),
        write(out / ".other.jsonl.a1B2_c3D.partial", "another export's name"),
        write(out / ".export-part.q9w8e7r6.partial~", "an editor's backup"),
    ]
    target = out / ".data.jsonl.a1B2_c3E.partial"
    (out / "elsewhere.txt").write_text("the link's target\n")
    target.symlink_to(out / "elsewhere.txt")  # a symlink of our pattern: not followed, kept
    keep.append(target)
    live = write(out / ".data.jsonl.l1v3l1v3.partial", "a running export's")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held as a running export holds its temporary
    try:
        result = run_cli("export", ALL, "-o", str(out / "data.jsonl"))
        assert result.exit_code == 0, result.output
        result = run_cli("export", "--format", "hf", "-o", str(out / "hf"))
        assert result.exit_code == 0, result.output
    finally:
        os.close(fd)
    for p in stale:
        assert not os.path.lexists(p), p
    for p in [*keep, live, out / "elsewhere.txt"]:
        assert os.path.lexists(p), p
    assert (out / "elsewhere.txt").read_text() == "the link's target\n"


def _big_db(run_cli: RunCli, db: Path, tmp_path: Path) -> None:
    """Enough sentences that an export takes a moment: 60 articles of 300 sentences."""
    import json

    lines = []
    for i in range(60):
        text = "\n\n".join(
            f"Officials said on day {j} that the report number {i} was probably accurate."
            for j in range(300)
        )
        lines.append(json.dumps({"id": f"big{i}", "title": f"Article {i}", "text": text}))
    src = write(tmp_path / "big.jsonl", "\n".join(lines) + "\n")
    assert run_cli("import", str(src), db=db).exit_code == 0


def test_a_killed_export_is_cleaned_by_the_next(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """SIGKILL in the middle of a real export (its temporaries exist): the target is as it
    was, and the next export to the same place leaves no temporary behind."""
    _big_db(run_cli, db_path, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "data.jsonl"
    assert run_cli("export", ALL, "-o", str(target)).exit_code == 0
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    cmd = [sys.executable, "-m", "annotator", "--db", str(db_path), "export", ALL]
    caught = False
    for _ in range(5):  # the export may finish before we look: try again
        proc = subprocess.Popen(
            [*cmd, "--jobs", "2", "-o", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if any(p.name.endswith(".partial") for p in out.iterdir()):
                proc.send_signal(signal.SIGKILL)
                caught = True
                break
        proc.wait()
        if caught:
            break
    if not caught:
        pytest.skip("every export finished before it could be killed")
    time.sleep(0.2)  # the killed exporter's helper notices its closed pipe and exits
    assert any(p.name.endswith(".partial") for p in out.iterdir())  # what a kill leaves
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert run_cli("export", ALL, "-o", str(target)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["data.articles.jsonl", "data.jsonl"]
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


# --- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (root only; skipped where mounting is not permitted)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        if subprocess.run(["umount", str(mnt)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mnt)], check=False)  # busy: detach it anyway


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "hf"])
def test_a_full_disk_is_one_line_and_nothing_written(
    run_cli: RunCli, imported_db: Path, tiny_disk: Path, fmt: str
) -> None:
    out = tiny_disk / ("hf" if fmt == "hf" else f"data.{fmt}")
    assert run_cli("export", "--format", fmt, "-o", str(out)).exit_code == 0  # small: fits
    before = tree(tiny_disk)
    vfs = os.statvfs(tiny_disk)
    # all but 2 KiB taken: the second export cannot fit
    filler = write(tiny_disk / "filler", b"\0" * max(0, vfs.f_bavail * vfs.f_frsize - 2048))
    line = refused(run_cli("export", "--format", fmt, ALL, "-o", str(out)), out)
    assert line.startswith(f"Error: no space left on {tiny_disk} while writing")
    assert line.endswith("; nothing written")
    filler.unlink()
    assert tree(tiny_disk) == before  # the earlier export as it was, no temporary left


def test_an_articles_csv_from_before_the_language_column_is_still_ours(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    (tmp_path / "out.articles.csv").write_text(
        "article_id,title,outlet,author,published,url,who,genre\na1,,,,,,alice,news\n"
    )
    result = run_cli("export", "--format", "csv", "--view", "raw", ALL, "-o", str(out))
    assert result.exit_code == 0, result.output
    head = (tmp_path / "out.articles.csv").read_text().splitlines()[0]
    assert head.startswith("article_id,title,outlet,author,published,url,language,meta,who")
    # attack: a user's CSV that merely starts alike is not
    (tmp_path / "mine.articles.csv").write_text("article_id,title,outlet,author\n")
    mine = run_cli("export", "--format", "csv", ALL, "-o", str(tmp_path / "mine.csv"))
    assert mine.exit_code == 1 and "not an annotator export" in mine.output


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_folder_made_for_the_output_is_said(
    run_cli: RunCli, imported_db: Path, tmp_path: Path, fmt: str
) -> None:
    """audit9b F16: `-o typo/dir/x.jsonl` made every missing folder without a word."""
    target = tmp_path / "typo" / "dir" / f"x.{fmt}"
    r = run_cli("export", "--format", fmt, "--view", "raw", ALL, "-o", str(target))
    assert r.exit_code == 0, r.output
    assert f"made the folder {tmp_path / 'typo'}, which did not exist" in r.output
    r = run_cli("export", "--format", fmt, "--view", "raw", ALL, "-o", str(target))
    assert r.exit_code == 0 and "made the folder" not in r.output, r.output
