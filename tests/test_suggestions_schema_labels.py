"""Suggestions of a label the project's schema lacks (audit12 F12): a custom schema without
BOILERPLATE still got the importer's BOILERPLATE suggestions, shown as chips, and `B` (or
`y` on a byline) ended the annotation screen with KeyError: 'BOILERPLATE'."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from annotator.session import AnnotationSession
from annotator.store.database import open_store
from annotator.store.schemas import use_guidelines
from annotator.suggesting import accept_boilerplate, accept_current, furniture
from tests.conftest import ROOT, SEED_LONG, RunCli

LONG = SEED_LONG.stem


def without_boilerplate(tmp_path: Path) -> Path:
    folder = shutil.copytree(ROOT / "guidelines", tmp_path / "no-boilerplate")
    toml = folder / "labels.toml"
    blocks = re.split(r"(?=^\[\[labels\]\]$)", toml.read_text(encoding="utf-8"), flags=re.M)
    kept = [b for b in blocks if 'name = "BOILERPLATE"' not in b]
    assert len(kept) == len(blocks) - 1
    toml.write_text("".join(kept), encoding="utf-8")
    return folder


def _importer_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute("SELECT count(*) FROM suggestions WHERE source = 'importer'").fetchone()[0]
        )
    finally:
        conn.close()


def test_a_schema_without_boilerplate_gets_no_importer_suggestions(
    tmp_path: Path, run_cli: RunCli, db_path: Path
) -> None:
    folder = without_boilerplate(tmp_path)
    r = run_cli("--guidelines", str(folder), "import", str(SEED_LONG))
    assert r.exit_code == 0, r.output
    assert _importer_rows(db_path) == 0


def test_stored_suggestions_of_a_label_the_schema_lost_are_not_offered(
    tmp_path: Path, run_cli: RunCli, db_path: Path
) -> None:
    assert run_cli("import", str(SEED_LONG)).exit_code == 0
    assert _importer_rows(db_path) > 0  # the bundled schema has BOILERPLATE
    assert run_cli("project", "set", "suggestions", "on").exit_code == 0
    # BOILERPLATE in no answer yet: adopted without a word
    assert run_cli("--guidelines", str(without_boilerplate(tmp_path)), "guidelines").exit_code == 0
    with open_store(db_path) as store:
        g, _ = use_guidelines(store)
        assert "BOILERPLATE" not in g.schema.label_names
        s = AnnotationSession(store, g, "alice", article=LONG)
        assert s.suggesting
        assert furniture(s) == []
        assert all(x.label != "BOILERPLATE" for sugs in s.suggested.values() for x in sugs)
        assert accept_boilerplate(s).message == "no furniture left to accept in this article"
        byline = next(i for i, x in enumerate(s.sentences) if x.kind == "byline")
        s.move_to(byline)
        assert accept_current(s).message == "no suggestion to accept on this sentence"
    # and the next refresh takes the stored ones away
    assert run_cli("suggestions", "refresh").exit_code == 0
    assert _importer_rows(db_path) == 0
