"""Files refused for the same reason are said three times, then named in one line (audit5
F7: a folder of pages beside a folder of their .txt extractions gave 41 lines saying the
same thing); --verbose says each. The exit code and the summary are unchanged."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli, write

TAKEN = "is already in the database with different text"


def pairs(tmp_path: Path, n: int, name: str = "story") -> tuple[Path, Path]:
    first, second = tmp_path / "txt", tmp_path / "md"
    for i in range(n):
        write(first / f"{name}{i}.txt", f"The minister said item {i} was approved on Monday.\n")
        write(second / f"{name}{i}.md", f"# Story {i}\n\nOfficials said the vote {i} was close.\n")
    return first, second


def test_the_same_refusal_past_three_files_is_one_line(tmp_path: Path, run_cli: RunCli) -> None:
    first, second = pairs(tmp_path, 8)
    assert run_cli("import", str(first)).exit_code == 0
    result = run_cli("import", str(second))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    full = [line for line in lines if TAKEN in line and not line.startswith("...")]
    assert [line.split(":")[0] for line in full] == [str(second / f"story{i}.md") for i in range(3)]
    (grouped,) = [line for line in lines if line.startswith("... and")]
    assert grouped.startswith(
        "... and 5 more files refused the same way (article id ... is already in the database "
        "with different text; give this version another id (front matter or JSON 'id') to "
        "import it): "
    )
    named = ", ".join(str(second / f"story{i}.md") for i in range(3, 8))
    assert f"): {named}; a file's article id is its name without the extension" in grouped
    assert grouped.endswith("(--verbose says each)")
    assert "imported 0 articles (0 segments) from 0 of 8 files; 8 failed" in result.output


def test_verbose_says_every_refused_file(tmp_path: Path, run_cli: RunCli) -> None:
    first, second = pairs(tmp_path, 5)
    assert run_cli("import", str(first)).exit_code == 0
    result = run_cli("import", "--verbose", str(second))
    assert result.exit_code == 1
    assert sum(TAKEN in line for line in result.output.splitlines()) == 5
    assert "refused the same way" not in result.output


def test_different_reasons_are_not_grouped(tmp_path: Path, run_cli: RunCli) -> None:
    first, second = pairs(tmp_path, 4)
    for i in range(4):
        write(second / f"empty{i}.txt", "")
    assert run_cli("import", str(first)).exit_code == 0
    result = run_cli("import", str(second))
    assert result.exit_code == 1
    grouped = [line for line in result.output.splitlines() if line.startswith("... and")]
    assert len(grouped) == 2
    assert any(
        line.startswith("... and 1 more file refused the same way (empty file)") for line in grouped
    )
    assert not any("page.html and page.txt" in line for line in grouped if "empty file" in line)


def test_names_in_the_grouped_line_are_sanitised(tmp_path: Path, run_cli: RunCli) -> None:
    # such a name is no article id (audit9b F6): the five are refused for it, alike
    _, second = pairs(tmp_path, 5, name="bad\x1b]52;c;aGk=\x07")
    result = run_cli("import", str(second))
    assert result.exit_code == 1
    (grouped,) = [line for line in result.output.splitlines() if line.startswith("... and")]
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "... and 2 more files refused the same way (article id ..., from the file's name" in (
        grouped
    )
    assert "bad␛]52;c;aGk=␇3.md" in grouped
