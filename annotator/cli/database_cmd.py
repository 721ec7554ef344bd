"""`annotator dump-schema`: the SQL schema of the database."""

from __future__ import annotations

import click

from annotator.cli.main import cli
from annotator.store.introspect import schema_sql


@cli.command("dump-schema")
def dump_schema_cmd() -> None:
    """Print the SQL schema of a freshly migrated annotator database (what db/schema.sql
    holds), for people who read the file with sqlite3, sqlite-utils or Datasette.

    \b
    Example:
      annotator dump-schema > db/schema.sql
    """
    click.echo(schema_sql(), nl=False)
