"""The `annotator` command group: options shared by every command, and error handling.

User mistakes (a bad file, a bad schema, a database that is not ours) end as one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import getpass
import importlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotator import __version__
from annotator.cli.output import inert, say, say_line
from annotator.store.database import Store, StoreError, open_store, resolve_path

if TYPE_CHECKING:
    from annotator.guidelines import Guidelines

# Each command's module, imported when the command runs (or when --help lists them all):
# importing every command at start-up cost `annotator import one.txt` pydantic, the label
# schema, the TUI's session and the exporters, about half its time. A module registers its
# commands on `cli` when imported; tests/test_cli_help.py checks this table is complete.
COMMAND_MODULES = {
    "adjudicate": "adjudicate",
    "agreement": "agreement",
    "annotate": "annotate",
    "assign": "assign",
    "dump-schema": "database_cmd",
    "export": "export",
    "guidelines": "guidelines_cmd",
    "import-labels": "import_labels",
    "merge": "merge",
    "suggestions": "suggestions",
    "import-suggestions": "suggestions",
    "review": "review",
    "import": "importing",
    "segment": "segment",
    "serve": "serve",
    "serve-session": "serve",
    "status": "status",
    "team": "team",
    "project": "team",
}


def annotator_name(given: str | None) -> str:
    """The name a command works as (--annotator, else default_annotator), checked as a team
    member's name is: one line, no control characters (audit7 F2: a name with a line break
    opened the annotation screen, and was written, where `team add` refuses it)."""
    from annotator.models.team import TeamError, check_name

    try:
        return check_name(given or default_annotator())
    except TeamError as e:
        raise click.ClickException(str(e)) from None


def need_terminal(command: str) -> None:
    """Refuse a screen where there is no terminal to read keys from (annotator/tui/tty.py):
    at once, in one line, before anything is written."""
    from annotator.tui.tty import terminal_problem

    problem = terminal_problem()
    if problem:
        raise click.ClickException(
            f"{command} needs a terminal ({problem}): run it in one; over ssh, `ssh -t`"
        )


def default_annotator() -> str:
    """$ANNOTATOR_USER, else the login name. Here, not with `annotate`, so that the commands
    that need a name (status, agreement, review) do not import the annotation session."""
    name = os.environ.get("ANNOTATOR_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


@cache
def user_errors() -> tuple[type[Exception], ...]:
    """The exceptions that are a user's mistake (one line, no traceback). Imported when an
    error is met, not at start-up: some of their modules are heavy (the schema's pydantic)."""
    from annotator.export.target import OutputError
    from annotator.ingest.readability import ReadabilityUnavailable
    from annotator.ingest.reading import InputError
    from annotator.models.schema_errors import SchemaError

    return (StoreError, SchemaError, InputError, ReadabilityUnavailable, OutputError)


class AnnotatorGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"annotator.cli.{module}")
        return super().get_command(ctx, cmd_name)

    # every error message passes through `inert`: it may name a hostile file or value
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as e:
            raise inert(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            raise inert(e) from None
        except Exception as e:
            if isinstance(e, user_errors()):
                raise inert(click.ClickException(str(e))) from None
            raise


@dataclass
class Project:
    """What every command needs: where the database is and which guidelines to use."""

    db: str | None
    guidelines_dir: Path | None
    drop_labels: bool = False  # adopt guidelines that leave out labels in use

    @property
    def db_path(self) -> Path:
        return resolve_path(self.db)

    # Only `import` creates the database (create=True); every other command opens an
    # existing one, so a mistyped --db is an error and not a new empty database.
    def store(self, *, create: bool = False) -> Store:
        if self.guidelines_dir is not None:
            # every command given the folder, before anything is opened, made or adopted
            check_cues(self.guidelines_dir)
        store = open_store(self.db, create=create)
        said: list[str] = []

        def once(message: str) -> None:
            # a long command (an import, a refresh) meets the annotators' keys at batch
            # after batch: one note says it waits, not one per batch (audit F17: 22 times)
            if not said:
                said.append(message)
                say(f"note: {message}", err=True)

        store.on_wait = once
        return store

    def open(self, *, create: bool = False) -> tuple[Store, Guidelines]:
        store = self.store(create=create)
        return store, self.adopt(store)

    def adopt_new(self, store: Store) -> None:
        """Store the guidelines of a project this command just made: the bundled ones from
        their digest, without loading the label schema (audit11 F9), unless --guidelines
        names a folder or the bundled labels.toml was edited."""
        from annotator.store.bundled_schema import store_bundled

        if self.guidelines_dir is None:
            try:
                stored = store_bundled(store)
            except BaseException:
                store.close()  # as adopt() closes it
                raise
            if stored:
                say(created_database(store), err=True)
                return
        self.adopt(store)

    def adopt(self, store: Store) -> Guidelines:
        """The guidelines to work with (stored in the database when new or changed)."""
        from annotator.store.schemas import use_guidelines

        try:
            g, message = use_guidelines(store, self.guidelines_dir, drop_labels=self.drop_labels)
        except BaseException:
            store.close()
            raise
        if store.created:
            say(created_database(store), err=True)
        if message:
            say(f"note: {message}", err=True)
        if store.created or message:
            say_missing_sections(g)
        return g


def check_cues(folder: Path) -> None:
    """Refuse a guidelines folder whose cues.toml is broken or names a label its schema
    lacks: only `import` and `suggestions refresh` read the lexicon, and `status` and the
    rest took such a folder (audit12 F7)."""
    from annotator.guidelines import load_guidelines
    from annotator.suggest.lexicon import load_cues

    load_cues(folder, frozenset(load_guidelines(folder).schema.label_names))


def say_missing_sections(g: Guidelines) -> None:
    """Labels adopted without a section in the Markdown: the annotation screen's `?` then
    has nothing for them, which nobody was told until an annotator pressed it (audit12 F17)."""
    missing = [name for name in g.schema.label_names if g.section(name) is None]
    if missing:
        where = (
            f"{g.source}/{g.schema.info.guidelines}" if g.source != "database" else "the guidelines"
        )
        say(
            f"warning: {where} has no section for {', '.join(missing)}: the annotation "
            "screen's `?` shows nothing for "
            + ("it" if len(missing) == 1 else "them")
            + " (a section's heading starts with the label's name, as `## NAME`)",
            err=True,
        )


@click.group(cls=AnnotatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH",
    envvar="ANNOTATOR_DB",
    show_envvar=True,
    help="Database file [default: db/annotations.sqlite under the current directory].",
)
@click.option(
    "--guidelines",
    "guidelines_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Guidelines folder (labels.toml + Markdown) to adopt for this database; "
    "without it the database's stored guidelines are used (the bundled "
    "defaults the first time).",
)
@click.option(
    "--drop-labels",
    is_flag=True,
    help="Adopt --guidelines even if they leave out labels that annotations or gold use "
    "(refused without it: exports and agreement would no longer count them).",
)
@click.version_option(__version__, prog_name="annotator")
@click.pass_context
def cli(ctx: click.Context, db: str | None, guidelines_dir: Path | None, drop_labels: bool) -> None:
    """Annotate news articles sentence by sentence for attribution, hedging, opinion and
    other credibility cues; measure agreement; export datasets.

    \b
    Example:
      annotator import samples/
      annotator annotate --annotator alice
      annotator agreement
    """
    if drop_labels and guidelines_dir is None:
        # it only loosens the adoption of a folder: alone it did nothing, silently (audit12 F17)
        raise click.UsageError("--drop-labels goes with --guidelines DIR (the guidelines to adopt)")
    ctx.obj = Project(db, guidelines_dir, drop_labels)


def project(ctx: click.Context) -> Project:
    obj = ctx.find_object(Project)
    assert obj is not None
    return obj


def err(message: str) -> None:
    say_line(message, err=True)


def created_database(store: Store) -> str:
    """What a command that made the database says; also the folders it made for it (audit11
    F16: a typo in --db's folder part made a new folder tree without a word)."""
    if store.made_folder is None:
        return f"created database {store.path}"
    return f"created database {store.path}, and the folder {store.made_folder} for it"
