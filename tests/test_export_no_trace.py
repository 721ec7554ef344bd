"""A refused export leaves no trace (audit10 F9): not the folders it made for its output on
the way to the refusal, not the files it wrote before a later file was refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("args", "out", "why"),
    [
        (["--format", "hf", "--view", "gold"], "newx/a/b", "no sentence has gold yet"),
        (["--format", "spacy-jsonl", "--view", "raw"], "newx/a/b.jsonl", "--view raw"),
    ],
)
def test_a_refused_export_leaves_no_folder_it_made(
    run_cli: RunCli, imported_db: Path, tmp_path: Path, args: list[str], out: str, why: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "kept").mkdir()  # a folder that was there stays, even empty
    target = work / out
    r = run_cli("export", *args, "-o", str(target))
    assert r.exit_code == 1 and why in r.output and "Traceback" not in r.output, r.output
    assert listing(work) == ["kept"]
    # the same with part of the way already there: only what the export made goes
    (work / "newx").mkdir()
    r = run_cli("export", *args, "-o", str(target))
    assert r.exit_code == 1, r.output
    assert listing(work) == ["kept", "newx"]


def test_label_studio_refused_for_its_config_writes_no_tasks(
    run_cli: RunCli, imported_db: Path, tmp_path: Path
) -> None:
    """The tasks and the sidecar were renamed into place before the config file beside them
    was checked and refused: the refusal left them written."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "t.config.xml").write_text("mine\n")
    r = run_cli("export", "--format", "label-studio", "--all-sentences", "-o", str(work / "t.json"))
    assert r.exit_code == 1 and "t.config.xml" in r.output, r.output
    assert "not an annotator export" in r.output
    assert listing(work) == ["t.config.xml"]
    assert (work / "t.config.xml").read_text() == "mine\n"
    # the accounts file likewise
    (work / "t.config.xml").unlink()
    (work / "t.users.json").write_text("mine\n")
    r = run_cli("export", "--format", "label-studio", "--all-sentences", "-o", str(work / "t.json"))
    assert r.exit_code == 1 and "t.users.json" in r.output, r.output
    assert listing(work) == ["t.users.json"]
    # once it may, all four are written together
    (work / "t.users.json").unlink()
    r = run_cli("export", "--format", "label-studio", "--all-sentences", "-o", str(work / "t.json"))
    assert r.exit_code == 0, r.output
    assert listing(work) == ["t.articles.jsonl", "t.config.xml", "t.json", "t.users.json"]
