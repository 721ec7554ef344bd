"""The agreement tables a person reads: they fit 80 columns, say why a figure has no
interval, never show a bound no coefficient can take, and flag a small sample."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from annotator.tui.tables import with_ci
from tests.conftest import RunCli

TEAM = Path(__file__).parent.parent / "demo" / "team-labels.jsonl"


def _team(run_cli: RunCli, imported_db: Path) -> None:
    assert run_cli("import-labels", str(TEAM), "--format", "jsonl").exit_code == 0


def test_by_article_fits_80_columns(run_cli: RunCli, imported_db: Path) -> None:
    _team(run_cli, imported_db)
    out = run_cli("agreement", "--by", "article").output
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "│ UNVERIFIED  │ -0.045 │ 0.555 │" in out  # labels down, articles across
    assert "#2 004_2bd55176b4b53eb1: Biden Admin" in out


def test_reasons_for_missing_intervals_and_a_small_sample(
    run_cli: RunCli, imported_db: Path
) -> None:
    _team(run_cli, imported_db)
    out = run_cli("agreement", "--bootstrap", "200").output
    assert "1.000 †" in out  # genre: a value, no interval
    # genre's units are articles: two of them give no interval (audit7 F22), said once
    flat = " ".join(out.split())
    assert "† no interval for genre, " in flat and "no interval: 2 article" not in flat
    assert "2 article(s) with two annotators' values, and an interval needs at least 10" in flat
    assert "small sample: 98 sentences in 2 article(s)" in out.replace("\n", " ")


def test_an_impossible_bound_is_clamped_and_marked() -> None:
    console = Console(width=80, file=None, highlight=False)
    shown = with_ci({"value": 0.2, "ci95": [-3.69, 1.0], "reason": None})
    with console.capture() as cap:
        console.print(shown)
    assert cap.get().strip() == "0.200 [-1.00, 1.00]*"
