"""The README's "A project, step by step" runs as written: every command of its block, in a
fresh folder holding the project's samples/ and demo/ (links), through the real CLI; the
three screens marked "(screen)" are skipped. Then what the walkthrough promises is checked:
the team, the queues, the rebalance, the dataset. And `make demo-team` runs twice (the
second time changes nothing)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import cli
from tests.conftest import ROOT


def walkthrough() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A project, step by step", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    assert block is not None, "the section has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def run_line(line: str) -> list[Result]:
    """One README line: `A && B`, each `[VAR=value ...] annotator ARGS  # comment`."""
    results = []
    for part in line.split("&&"):
        words = shlex.split(part, comments=True)
        env = {}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            key, _, value = words.pop(0).partition("=")
            env[key] = value
        assert words[0] == "annotator", line
        r = CliRunner().invoke(cli, words[1:], env=env, catch_exceptions=False)
        assert r.exit_code == 0, f"{line}\n{r.output}"
        results.append(r)
    return results


def test_the_readme_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    for folder in ("samples", "demo"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    monkeypatch.chdir(tmp_path)
    lines = walkthrough()
    assert lines[0].startswith("annotator team add") and "export" in lines[-1]
    outputs: dict[str, str] = {}
    for line in lines:
        if "(screen)" in line:
            assert any(f" {s}" in line for s in ("annotate", "adjudicate", "review"))  # screens
            continue
        outputs[line] = "".join(r.output for r in run_line(line))
    db = tmp_path / "db" / "annotations.sqlite"
    conn = sqlite3.connect(db)
    # three annotators, each article assigned, the calibration article to all of them
    per_article = dict(
        conn.execute(
            "SELECT a.external_id, count(*) FROM assignments s "
            "JOIN articles a ON a.id = s.article_id GROUP BY 1"
        ).fetchall()
    )
    assert sorted(per_article.values()) == [2, 3]
    # bob had begun both articles (his imported labels): the rebalance moved nothing of his
    rebalance = next(out for line, out in outputs.items() if "--rebalance" in line)
    assert "bob keeps 2 begun articles" in rebalance
    status = next(out for line, out in outputs.items() if "status --as dana" in line)
    assert "adjudicator dana" in status and "carol:" in status
    assert (tmp_path / "dataset" / "README.md").is_file()
    data = json.loads(run_line("annotator status --format json")[0].output)
    assert {a["annotator"] for a in data["annotators"]} == {"alice", "bob", "carol"}
    assert data["team"] == "closed"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_team_twice(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / ".runtime").exists():
        pytest.skip("make demo-team runs from .venv (make setup)")
    db = tmp_path / "team.sqlite"
    # -o: the venv is taken as it is. A worktree whose pyproject.toml is newer than the
    # stamp (a fresh checkout) made `make` reinstall the editable package from the
    # worktree into a venv it shares, repointing every other checkout's `annotator`
    command = [
        "make",
        "-s",
        "-o",
        ".venv/.runtime",
        "demo-team",
        f"TEAM_DB={db}",
        "TEAM_SHOW=status --format json",
    ]

    def run() -> dict:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=os.environ
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return json.loads(done.stdout[done.stdout.index("{\n") :])

    first = run()
    people = {a["annotator"]: a for a in first["annotators"]}
    assert set(people) == {"alice", "bob", "carol"}  # a team of three
    assert [p["name"] for p in first["staff"]] == ["dana"]
    calibration = [a for a in first["assigned_articles"] if a["calibration"]]
    assert len(calibration) == 1 and calibration[0]["assigned"] == ["alice", "bob", "carol"]
    assert people["carol"]["assigned"]["remaining"] > 0  # her calibration is still to do
    assert people["alice"]["assigned"]["remaining"] == 0
    before = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()
    again = run()
    assert again["assigned_articles"] == first["assigned_articles"]
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone() == before
