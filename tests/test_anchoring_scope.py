"""`agreement --by suggestions` is the whole project's report: a scope it does not apply is
refused, never printed over as if applied (audit15a F8)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli


def test_a_scope_the_anchoring_report_does_not_apply_is_refused(
    imported_db: Path, run_cli: RunCli
) -> None:
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    for extra, named in (
        (["--label", "HEDGED"], "--label is"),
        (["--annotators", "alice,bob"], "--annotators is"),
        (["--article", "x"], "--article is"),
        (["--blind-only", "--calibration"], "--calibration, --blind-only are"),
    ):
        result = run_cli("agreement", "--by", "suggestions", *extra)
        assert result.exit_code == 2, (extra, result.output)
        said = " ".join(result.output.split())
        assert f"--by suggestions reports the whole project: {named} not applied" in said, said
        assert "Traceback" not in result.output
    # unscoped: the report
    result = run_cli("agreement", "--by", "suggestions", "--bootstrap", "0")
    assert result.exit_code == 0 and "split:" in result.output, result.output
