"""Every command explains itself (--help with an example) and is in the README."""

from __future__ import annotations

from click.testing import CliRunner

from annotator.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    runner = CliRunner()
    assert set(cli.commands) >= {
        "import",
        "segment",
        "annotate",
        "status",
        "guidelines",
        "agreement",
        "adjudicate",
        "export",
        "import-labels",
        "dump-schema",
    }
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"{name} --help has no example"
        assert f"annotator {name}" in result.output, f"{name}: the example does not run it"
        assert f"`annotator {name}" in README, f"{name} is not documented in the README"


def test_readme_starts_with_the_two_commands() -> None:
    head = README.split("\n## ")[0]
    assert head.index("make demo") < head.index("make test") < 400


def test_usage_errors_are_one_line_not_tracebacks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.sqlite"), "export", "--format", "hf"])
    assert result.exit_code == 2 and "give it with -o PATH" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
