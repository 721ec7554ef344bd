"""HTML pages extracted ahead in a forked child (ingest/html_ahead.py, audit5 F5): what the
parent takes is exactly what it would have extracted itself, and whenever the child cannot
answer for the bytes the parent read, the parent extracts them itself.

Each case runs in a fresh interpreter (the child is forked only where trafilatura is not
loaded yet and only one thread runs, which pytest's process cannot promise)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED, write

HTML = SHARED / "news_corpus" / "html"
# small pages of several languages and layouts, under html_ahead.MAX_BYTES together
PAGES = [
    "xinhuanet.com.c_1125597921.html",
    "tribune242.com-gunned.html",
    "dw.com-elephants.html",
    "world.kbs.co.kr-Temperatures.html",
    "jamaica.gleaner.com-victims.html",
    "newsday.co.tt-forex.html",
    "salon.com.emissions.html",
    "politico.com.retirement.html",
]

needs_corpus = pytest.mark.skipif(not HTML.is_dir(), reason="../shared/news_corpus is absent")
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks ahead on Linux only")

PROBE = """
import json, sys
from dataclasses import asdict
from pathlib import Path
from annotator.ingest import html, html_ahead

paths = [Path(p) for p in json.loads(sys.argv[1])]
read = [Path(p) for p in json.loads(sys.argv[2])] or paths  # what the parent reads
started = html_ahead.start(paths)
def run(extract):
    out = []
    for p in read:
        try:
            out.append(asdict(extract(Path(p).read_bytes())))
        except html.NoText as e:
            out.append("no text: " + str(e))
    return out
ahead = run(html.extract)
loaded_here = "trafilatura" in sys.modules
html_ahead.stop()
here = run(html._extract)
print(json.dumps({"started": started, "loaded_here": loaded_here, "same": ahead == here,
                  "ahead": ahead}))
"""


def probe(paths: list[Path], read: list[Path] | None = None) -> dict[str, object]:
    """Start the child on `paths`, then extract `read` (default: the same) in the parent
    through html.extract, then again in-process only, and compare."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            json.dumps(list(map(str, paths))),
            json.dumps(list(map(str, read or []))),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@needs_corpus
def test_pages_extracted_ahead_are_exactly_what_the_parent_would_extract() -> None:
    result = probe([HTML / name for name in PAGES])
    assert result["started"] is True
    assert result["loaded_here"] is False  # the child extracted them: trafilatura never loaded
    assert result["same"] is True


def test_a_page_without_text_is_refused_with_the_same_words(tmp_path: Path) -> None:
    empty = write(tmp_path / "p.html", "<html><body><p>x</p></body></html>")
    result = probe([empty])
    assert result["started"] is True and result["loaded_here"] is False
    assert result["same"] is True
    assert result["ahead"] == [
        "no text: no article text in this HTML page (only 1 character: fewer than 250 "
        "characters, a caption or a teaser at most); nothing imported"
    ]


@needs_corpus
def test_bytes_the_child_did_not_extract_are_extracted_here() -> None:
    """The child answers for the bytes it read; the parent reads other bytes (a file
    changed in between, another file): it extracts those itself. The child's answers for
    the pages the parent does not read are left unused."""
    result = probe([HTML / PAGES[2], HTML / PAGES[3]], [HTML / PAGES[1], HTML / PAGES[3]])
    assert result["started"] is True
    assert result["same"] is True
    assert result["loaded_here"] is True  # PAGES[1] was not the child's: extracted here
    got = json.dumps(result["ahead"])
    assert "Tribune" in got and "KBS" in got


def starts(paths: list[Path]) -> bool:
    probe = (
        "import json, sys; from pathlib import Path; from annotator.ingest import html_ahead; "
        "print(json.dumps(html_ahead.start([Path(p) for p in json.loads(sys.argv[1])])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(list(map(str, paths)))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    started: bool = json.loads(done.stdout)
    return started


def test_no_fork_for_a_folder_a_fifo_or_too_many_pages(tmp_path: Path) -> None:
    from annotator.ingest import html_ahead

    page = write(tmp_path / "a.html", "<html><body><p>x</p></body></html>")
    assert starts([page]) is True
    fifo = tmp_path / "f.html"
    os.mkfifo(fifo)
    assert starts([tmp_path]) is False  # a folder: the import counts its pages
    assert starts([page, fifo]) is False  # never opened: it would wait for a writer
    many = [write(tmp_path / f"p{i}.html", page.read_text()) for i in range(9)]
    assert len(many) > html_ahead.MAX_PAGES
    assert starts(many) is False
    assert starts([write(tmp_path / "a.txt", "Text.\n")]) is False  # no page


@needs_corpus
def test_the_import_command_stores_the_same_from_pages_extracted_ahead(tmp_path: Path) -> None:
    """Through `annotator import`: pages taken from the child (a one-command import of a few
    pages) and the same pages imported where the child cannot start (trafilatura loaded
    first) give the same rows."""
    import sqlite3

    pages = [str(HTML / name) for name in PAGES[:4]]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    forced_here = (
        "import sys, trafilatura; from annotator.cli import main; sys.argv[0] = 'annotator';"
        " sys.exit(main())"
    )
    rows = []
    for i, how in enumerate((["-m", "annotator"], ["-c", forced_here])):
        db = tmp_path / f"{i}.sqlite"
        done = subprocess.run(
            [sys.executable, *how, "--db", str(db), "import", *pages],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        conn = sqlite3.connect(db)
        rows.append(
            (
                conn.execute(
                    "SELECT external_id, title, author, published, url, text, original, "
                    "language, extracted FROM articles ORDER BY external_id"
                ).fetchall(),
                conn.execute('SELECT article_id, start, "end", kind FROM sentences').fetchall(),
            )
        )
        conn.close()
    assert rows[0] == rows[1]
    assert len(rows[0][0]) == 4
