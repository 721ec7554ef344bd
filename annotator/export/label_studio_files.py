"""What importing into Label Studio needs besides the tasks: the labelling config and the
accounts to create (README: "Label Studio"), written beside an export's file."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.export.atomic import Staging
from annotator.export.label_studio import labelling_config, users
from annotator.schema import LabelSchema
from annotator.store import exporting
from annotator.store.database import Store


def label_studio_people(store: Store) -> list[str]:
    """Every annotator and adjudicator: the Label Studio accounts the export credits."""
    people = [a["annotator"] for a in exporting.annotator_summary(store)]
    return people + [n for n in exporting.adjudicators(store) if n not in people]


def write_label_studio_extras(
    store: Store, schema: LabelSchema, view: str, extras: list[tuple[Path, Path]], files: Staging
) -> None:
    (_config, config_real), (_accounts, accounts_real) = extras
    people = label_studio_people(store)
    methods = {"gold": ["unanimous"], "majority": ["majority"]}.get(view, [])
    files.text(config_real).write(labelling_config(schema))
    files.text(accounts_real).write(
        json.dumps(users(people, view, methods), ensure_ascii=False, indent=1) + "\n"
    )
