"""A site mirror (`wget -r`, HTTrack) names pages by their address: many `.../index.html`
in dated folders, `article.php?id=3` beside `article.php?id=4`. By name alone they all
were `index` or `article`, so one page per name was imported (audit9b F14). Pages of one
import that share a name at different places take their path in the folder given; a name
that is unique keeps being the id, so the same folder imported again changes nothing, for
a project made before too; text files (which can say an id in front matter) keep theirs."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.store import import_workers
from tests.conftest import SHARED, RunCli, write

HTML = SHARED / "news_corpus" / "html"
PAGES = {
    "news.example/2024/01/story/index.html": "dw.com-elephants.html",
    "news.example/2024/02/story/index.html": "tribune242.com-gunned.html",
    "news.example/article.php?id=3": "xinhuanet.com.c_1125597921.html",
    "news.example/article.php?id=4": "world.kbs.co.kr-Temperatures.html",
}
IDS = [
    "news.example/2024/01/story/index",
    "news.example/2024/02/story/index",
    "news.example/article.php?id=3",
    "news.example/article.php?id=4",
]


def mirror(folder: Path) -> Path:
    for name, page in PAGES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HTML / page, folder / name)
    return folder


def ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT external_id FROM articles ORDER BY 1")]


@pytest.mark.parametrize("workers", [False, True])
def test_a_mirror_imports_whole_and_again_changes_nothing(
    run_cli: RunCli,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: bool,
) -> None:
    if workers:  # parsed in worker processes: the same ids
        monkeypatch.setattr(import_workers, "PARALLEL_BYTES", 1)
    site = mirror(tmp_path / "site")
    r = run_cli("import", str(site))
    assert r.exit_code == 0, r.output
    assert "imported 4 articles" in r.output
    assert ids(db_path) == IDS
    again = run_cli("import", str(site))
    assert again.exit_code == 0, again.output
    assert "imported 0 articles" in again.output and "4 already imported, unchanged" in again.output
    assert ids(db_path) == IDS


def test_a_project_imported_before_keeps_its_ids(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # what the old rule stored: one page per name, under the name
    site = mirror(tmp_path / "site")
    first = site / "news.example/2024/01/story/index.html"
    php = site / "news.example/article.php?id=3"
    assert run_cli("import", str(first), str(php)).exit_code == 0
    assert ids(db_path) == ["article", "index"]
    # the whole mirror now: those two are found by their text (unchanged, their ids kept),
    # the pages the old rule refused go in under their paths
    r = run_cli("import", str(site))
    assert r.exit_code == 0, r.output
    assert "imported 2 articles" in r.output and "2 already imported, unchanged" in r.output
    assert ids(db_path) == [
        "article",
        "index",
        "news.example/2024/02/story/index",
        "news.example/article.php?id=4",
    ]
    again = run_cli("import", str(site))
    assert again.exit_code == 0 and "imported 0 articles" in again.output, again.output


def test_unique_names_and_one_page_in_two_forms_keep_the_name(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    write(folder / "a" / "alpha.txt", "The mayor spoke on Monday. She said it went well.\n")
    write(folder / "b" / "beta.md", "The council met on Tuesday. It voted for the plan.\n")
    # a page beside its extraction, one place under two extensions: one id, as before
    write(folder / "c" / "page.txt", "Officials said the bridge opens in May. It is late.\n")
    write(folder / "c" / "page.md", "# Bridge\n\nOfficials said the bridge opens in June.\n")
    r = run_cli("import", str(folder))
    assert r.exit_code == 1, r.output
    assert f"{folder / 'c' / 'page.txt'}: article id 'page' is already in the database" in r.output
    assert ids(db_path) == ["alpha", "beta", "page"]


def test_one_page_in_several_forms_in_sibling_folders_stays_one_article(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # a folder of pages beside folders of their extractions (audit5 F7), under one name
    corpus = SHARED / "news_corpus"
    name = "dw.com-elephants"
    folder = tmp_path / "corpus"
    for form, source in (
        ("html", corpus / "html" / f"{name}.html"),
        ("txt", corpus / "txt" / f"{name}.txt"),
        ("md", corpus / "md" / f"{name}--md.md"),
    ):
        (folder / form).mkdir(parents=True)
        suffix = {"html": ".html", "txt": ".txt", "md": ".md"}[form]
        shutil.copyfile(source, folder / form / f"{name}{suffix}")
    r = run_cli("import", "--verbose", str(folder))
    assert ids(db_path) == [name]  # never four copies of one story
    assert r.output.count(f"article id '{name}' is already in the database") == 2, r.output


def test_the_refusal_of_a_page_gives_advice_a_page_can_follow(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    site = mirror(tmp_path / "site")
    jan, feb = site / "news.example/2024/01/story", site / "news.example/2024/02/story"
    assert run_cli("import", str(jan)).exit_code == 0
    r = run_cli("import", str(feb))
    assert r.exit_code == 1
    assert (
        f"{feb / 'index.html'}: article id 'index' is already in the database with different "
        "text; a page's id is its file name: rename the file, or import it in one run with "
        "the other pages of that name"
    ) in r.output
    assert "front matter" not in r.output  # a page has none
    # the advice works: both folders in one run
    both = run_cli("import", str(site / "news.example/2024"))
    assert both.exit_code == 0, both.output
    assert ids(db_path) == ["02/story/index", "index"]
