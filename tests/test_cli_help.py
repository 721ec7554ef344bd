"""Every command explains itself (--help with an example) and is in the README."""

from __future__ import annotations

import click
from click.testing import CliRunner

from annotator.cli.main import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example_and_is_documented() -> None:
    runner = CliRunner()
    commands = cli.list_commands(click.Context(cli))
    assert set(commands) >= {
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
    for name in commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"{name} --help has no example"
        assert f"annotator {name}" in result.output, f"{name}: the example does not run it"
        assert f"`annotator {name}" in README, f"{name} is not documented in the README"


def test_readme_starts_with_the_two_commands() -> None:
    head = README.split("\n## ")[0]
    assert head.index("make demo") < head.index("make test") < 400


def test_usage_errors_are_one_line_not_tracebacks(tmp_path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.sqlite"), "export", "--format", "hf"])
    assert result.exit_code == 2 and "give it with -o PATH" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_lazy_command_table_names_every_command_where_it_is_defined() -> None:
    # commands are imported when they run: a command missing from COMMAND_MODULES would
    # vanish from the CLI, one listed under the wrong module would not be found
    import importlib
    import pkgutil

    import annotator.cli
    from annotator.cli.main import COMMAND_MODULES

    for mod in pkgutil.iter_modules(annotator.cli.__path__):
        importlib.import_module(f"annotator.cli.{mod.name}")
    assert set(cli.commands) == set(COMMAND_MODULES)
    for name, module in COMMAND_MODULES.items():
        callback = cli.commands[name].callback
        assert callback is not None and callback.__module__ in (
            f"annotator.cli.{module}",
            "click.decorators",  # a group without a body of its own
        ), name
        if not isinstance(cli.commands[name], click.Group):
            assert callback.__module__ == f"annotator.cli.{module}", name


def test_importing_one_file_loads_neither_pydantic_nor_the_screen(tmp_path) -> None:
    # start-up: `annotator import one.txt` into an existing database needs no label schema
    # (pydantic), no TUI, no exporter, no language model
    import subprocess
    import sys

    db = tmp_path / "p.sqlite"
    art = tmp_path / "a.txt"
    art.write_text("The minister said the talks went well. Officials agreed.\n", encoding="utf-8")
    probe = (
        "import sys; from annotator.cli import main; sys.argv = ['annotator', '--db', "
        f"{str(db)!r}, 'import', {str(art)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'textual', 'annotator.schema', 'annotator.session', "
        "'annotator.export.formats', 'py3langid', 'trafilatura') if m in sys.modules))"
    )
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert "created database" in first.stderr, first.stderr
    art = art.with_name("b.txt")
    art.write_text("Another article. It says another thing.\n", encoding="utf-8")
    probe = probe.replace("a.txt", "b.txt")
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert "imported 1 article" in again.stdout + again.stderr, again.stderr
    assert again.stdout.strip().splitlines()[-1] == "[]", again.stdout


def test_status_does_not_load_the_annotation_session(imported_db) -> None:
    # `status` on a million sentences must answer within a second, start-up included: the
    # annotation session (and the schema, pydantic, textual it pulls in) cost it 0.25 s when
    # status took the annotator's default name from the annotate command's module
    import subprocess
    import sys

    probe = (
        "import sys; from annotator.cli import main; sys.argv = ['annotator', '--db', "
        f"{str(imported_db)!r}, 'status', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('textual', 'annotator.session', 'annotator.tui') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-500:] + done.stderr
