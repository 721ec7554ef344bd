"""HTML pages that are not UTF-8 (audit11 F2): trafilatura decoded them by a guess, which
read a windows-1252 French page as a Central European code page ("à" came in as "ą"),
silently, and `--encoding` was ignored for HTML. A page is now decoded by its byte order
mark, `--encoding`, UTF-8 or the charset it declares, and refused by name otherwise."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, RunCli, write

# the paragraphs open differently: a figure is placed by the first words of its neighbours
BODY = "".join(
    f"<p>{n} fois, le conseil général a voté mardi à Zürich le budget, déjà contesté, a "
    "déclaré un porte-parole à la presse. Il a ajouté que la ville était prête à le défendre "
    f"{i} fois.</p>\n"
    for i, n in enumerate(("Une", "Deux", "Trois", "Quatre"))
)


def page(head: str = "", body: str = BODY) -> str:
    return (
        f"<!doctype html><html><head>{head}<title>Le budget voté à Zürich</title></head>"
        f"<body><article><h1>Le budget voté à Zürich</h1>\n{body}</article></body></html>"
    )


def stored(db: Path) -> tuple[str, str, str]:
    conn = sqlite3.connect(db)
    title, encoding, text = conn.execute("SELECT title, encoding, text FROM articles").fetchone()
    return title, encoding, text


def count(db: Path) -> int:
    if not db.exists():
        return 0
    return sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]


def test_a_page_not_in_utf8_declaring_no_charset_is_refused_and_read_with_encoding(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    fr = write(tmp_path / "fr_nocharset.html", page().encode("cp1252"))
    result = run_cli("import", str(fr))
    assert result.exit_code == 1, result.output
    assert f"{fr}: not UTF-8 and no charset declared: use --encoding (byte 0xe9 on line 1" in (
        result.output
    )
    assert count(db_path) == 0
    seg = run_cli("segment", str(fr))
    assert seg.exit_code == 1 and "no charset declared: use --encoding" in seg.output
    # --encoding applies to the page, and the import says so on its line
    result = run_cli("import", "--encoding", "cp1252", str(fr))
    assert result.exit_code == 0, result.output
    assert f"{fr}: 1 article" in result.output and "decoded as cp1252 (--encoding)" in result.output
    title, encoding, text = stored(db_path)
    assert title == "Le budget voté à Zürich"
    assert "mardi à Zürich" in text and "déjà contesté" in text and "ą" not in text
    assert encoding == "html (cp1252)"


def test_a_page_declaring_utf8_wrongly_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    liar = write(tmp_path / "liar.html", page('<meta charset="utf-8">').encode("latin-1"))
    result = run_cli("import", str(liar))
    assert result.exit_code == 1, result.output
    assert f"{liar}: not UTF-8 though it declares charset utf-8: use --encoding" in result.output
    unknown = write(tmp_path / "odd.html", page('<meta charset="x-klingon">').encode("latin-1"))
    escapes = write(
        tmp_path / "esc.html", page('<meta charset="unicode_escape">').encode("latin-1")
    )
    result = run_cli("import", str(unknown), str(escapes))
    assert result.exit_code == 1, result.output
    assert f"{unknown}: not UTF-8, and the charset it declares (x-klingon) is not one" in (
        result.output
    )
    assert f"{escapes}: not UTF-8, and the charset it declares (unicode_escape)" in result.output


def test_a_page_declaring_its_charset_is_read_as_a_browser_reads_it(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    # "ISO-8859-1" is windows-1252 for browsers: curly quotes are in 0x93 and 0x94
    quoted = BODY.replace("déjà contesté", "\u201cdéjà contesté\u201d")
    head = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    fr = write(tmp_path / "fr.html", page(head, quoted).encode("cp1252"))
    # a figure between two paragraphs: placed by matching the paragraphs around it in a
    # second parse of the page, which must read the same UTF-8 as trafilatura did
    figure = (
        '<figure><img src="https://example.org/maire.jpg"><figcaption>Le maire à Zürich, '
        "mardi, devant le conseil général réuni en séance.</figcaption></figure>\n"
    )
    paras = quoted.split("\n")
    with_figure = "\n".join([*paras[:2], figure, *paras[2:]])
    fig = write(
        tmp_path / "fig.html", page('<meta charset="windows-1252">', with_figure).encode("cp1252")
    )
    result = run_cli("import", str(fr), str(fig))
    assert result.exit_code == 0, result.output
    assert "decoded as" not in result.output  # what the page declares is not news
    conn = sqlite3.connect(db_path)
    rows = dict(conn.execute("SELECT external_id, text FROM articles"))
    assert "\u201cdéjà contesté\u201d" in rows["fr"] and "mardi à Zürich" in rows["fr"]
    assert "ą" not in rows["fr"] + rows["fig"]
    media = [t for (t,) in conn.execute("SELECT text FROM sentences WHERE kind = 'media'")]
    assert media == ["Le maire à Zürich, mardi, devant le conseil général réuni en séance."]
    encodings = {e for (e,) in conn.execute("SELECT encoding FROM articles")}
    assert encodings == {"html (cp1252)"}


def test_a_utf16_page_is_decoded_and_said(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    wide = write(tmp_path / "wide.html", page('<meta charset="utf-16">').encode("utf-16"))
    result = run_cli("import", str(wide))
    assert result.exit_code == 0, result.output
    assert f"{wide}: 1 article" in result.output
    assert "decoded as UTF-16 (byte order mark)" in result.output
    title, encoding, text = stored(db_path)
    assert title == "Le budget voté à Zürich" and "déjà contesté" in text
    assert encoding == "html (utf-16)"


def test_encoding_reaches_the_pages_extracted_ahead(tmp_path: Path) -> None:
    # a command-line import of a few small pages extracts them in a forked child
    # (ingest/html_ahead.py): it decodes them with the import's --encoding too
    fr = write(tmp_path / "fr.html", page().encode("cp1252"))
    utf8 = write(tmp_path / "utf8.html", page().replace("Zürich", "Genève").encode())
    db = tmp_path / "ahead.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "annotator", "--db", str(db), "import"]
    out = subprocess.run(
        [*cmd, "--encoding", "cp1252", str(fr)], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "decoded as cp1252 (--encoding)" in out.stdout
    out = subprocess.run([*cmd, str(utf8)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    # the import's --encoding on a page that is valid UTF-8 beyond ASCII: read as UTF-8,
    # as a text file of the same folder is (audit11 F13), and said
    again = write(tmp_path / "again.html", page().replace("Zürich", "Lyon").encode())
    out = subprocess.run(
        [*cmd, "--encoding", "cp1252", str(again)], env=env, capture_output=True, text=True
    )
    assert "valid UTF-8: read as UTF-8, not as cp1252" in out.stdout, out.stdout
    titles = {t for (t,) in sqlite3.connect(db).execute("SELECT title FROM articles")}
    assert titles == {"Le budget voté à Zürich", "Le budget voté à Genève", "Le budget voté à Lyon"}


def test_a_utf8_page_declaring_no_charset_keeps_its_figure(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    # the second parse of the page (captions, figures) read a page that declares nothing as
    # latin-1: the figure's neighbours ("à Zürich") matched no line, and the figure was lost
    figure = (
        '<figure><img src="https://example.org/maire.jpg"><figcaption>Le maire à Zürich, '
        "mardi, devant le conseil général réuni en séance.</figcaption></figure>\n"
    )
    paras = BODY.split("\n")
    fig = write(tmp_path / "fig.html", page("", "\n".join([*paras[:2], figure, *paras[2:]])))
    result = run_cli("import", str(fig))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path)
    kinds = [(k, t) for k, t in conn.execute("SELECT kind, text FROM sentences ORDER BY id")]
    caption = ("media", "Le maire à Zürich, mardi, devant le conseil général réuni en séance.")
    assert caption in kinds
    assert kinds[kinds.index(caption) - 1][1].endswith("le défendre 1 fois.")
