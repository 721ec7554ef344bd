"""A folder given to `import` that holds the project's database (audit11 F16): the database
and its -wal/-shm were listed among the folder's "other files", and a database named like
an article file (`--db corpus/corpus.txt`) was read as one and failed the import."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED_LONG, SEED_SHORT, RunCli


def _corpus(folder: Path) -> None:
    folder.mkdir()
    for seed in (SEED_SHORT, SEED_LONG):
        (folder / seed.name).write_bytes(seed.read_bytes())


def test_the_database_in_the_folder_is_not_an_input(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "corpus"
    _corpus(folder)
    (folder / "notes.csv").write_text("a,b\n")
    db = folder / "project.sqlite"
    first = run_cli("import", str(folder), db=db)
    assert first.exit_code == 0, first.output
    again = run_cli("import", str(folder), db=db)
    assert again.exit_code == 0, again.output
    assert "1 other file in the folders skipped" in again.output, again.output
    assert "project.sqlite" not in again.output.replace(str(db), ""), again.output
    named = run_cli("import", f"{db}-wal", db=db)
    assert named.exit_code == 1
    assert f"{db}-wal: the project's database (--db): not articles" in named.output


def test_a_database_named_like_an_article_file_is_left_out(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "corpus"
    _corpus(folder)
    db = folder / "corpus.txt"
    result = run_cli("import", str(folder), db=db)
    assert result.exit_code == 0, result.output
    assert "imported 2 articles" in result.output and "from 2 of 2 files" in result.output
    assert "NUL" not in result.output and "skipped" not in result.output, result.output
