"""The `annotator` command group: options shared by every command, and error handling.

User mistakes (a bad file, a bad schema, a database that is not ours) end as one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from annotator import __version__
from annotator.cli.output import inert, say, say_line
from annotator.export.target import OutputError
from annotator.guidelines import Guidelines
from annotator.ingest.readability import ReadabilityUnavailable
from annotator.ingest.reading import InputError
from annotator.schema import SchemaError
from annotator.store.database import Store, StoreError, open_store, resolve_path
from annotator.store.schemas import use_guidelines

USER_ERRORS = (StoreError, SchemaError, InputError, ReadabilityUnavailable, OutputError)


class AnnotatorGroup(click.Group):
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
        except USER_ERRORS as e:
            raise inert(click.ClickException(str(e))) from None
        except click.ClickException as e:
            raise inert(e) from None


@dataclass
class Project:
    """What every command needs: where the database is and which guidelines to use."""

    db: str | None
    guidelines_dir: Path | None

    @property
    def db_path(self) -> Path:
        return resolve_path(self.db)

    # Only `import` creates the database (create=True); every other command opens an
    # existing one, so a mistyped --db is an error and not a new empty database.
    def store(self, *, create: bool = False) -> Store:
        store = open_store(self.db, create=create)
        store.on_wait = lambda message: say(f"note: {message}", err=True)
        return store

    def open(self, *, create: bool = False) -> tuple[Store, Guidelines]:
        store = self.store(create=create)
        try:
            g, message = use_guidelines(store, self.guidelines_dir)
        except BaseException:
            store.close()
            raise
        if store.created:
            say(f"created database {store.path}", err=True)
        if message:
            say(f"note: {message}", err=True)
        return store, g


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
@click.version_option(__version__, prog_name="annotator")
@click.pass_context
def cli(ctx: click.Context, db: str | None, guidelines_dir: Path | None) -> None:
    """Annotate news articles sentence by sentence for attribution, hedging, opinion and
    other credibility cues; measure agreement; export datasets.

    \b
    Example:
      annotator import samples/
      annotator annotate --annotator alice
      annotator agreement
    """
    ctx.obj = Project(db, guidelines_dir)


def project(ctx: click.Context) -> Project:
    obj = ctx.find_object(Project)
    assert obj is not None
    return obj


def err(message: str) -> None:
    say_line(message, err=True)
