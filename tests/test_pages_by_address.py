"""Pages saved under their address's name (wget -r, HTTrack: article.php, story.aspx,
page.shtml, index.html?id=3, no suffix) are HTML pages when they open as one (audit6 F20:
a mirror imported nothing from them). Other files of other types are still skipped and
said; a text file is never sniffed."""

from __future__ import annotations

from pathlib import Path

from annotator.ingest.input_files import is_html_page
from tests.consumers import cli_run

BODY = "".join(
    f"<p>The council approved the new budget on Monday, paragraph {i}, after a long debate "
    "about roads and bridges.</p>"
    for i in range(6)
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Budget {n}</title></head><body><article>"
    + BODY
    + "{n}</article></body></html>"
)


def test_a_mirror_folder_imports_its_pages(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    names = ["article.php", "story.aspx", "page.shtml", "index.html?id=3", "noext"]
    for n, name in enumerate(names):
        (mirror / name).write_text(PAGE.format(n=n), encoding="utf-8")
    (mirror / "commented").write_text("<!-- mirrored by HTTrack -->\n" + PAGE.format(n=9))
    (mirror / "feed.json").write_text('{"items": []}')
    (mirror / "notes.csv").write_text("a,b\n1,2\n")
    db = tmp_path / "m.sqlite"
    out = cli_run(db, "import", str(mirror))
    said = " ".join(out.output.split())
    assert out.exit_code == 0, said
    assert "imported 6 articles" in said
    assert "2 other files in the folders skipped" in said and "feed.json" in said


def test_sniffing(tmp_path: Path) -> None:
    def f(name: str, data: bytes) -> Path:
        p = tmp_path / name
        p.write_bytes(data)
        return p

    assert is_html_page(f("a.php", b"\xef\xbb\xbf  \n<!doctype HTML><html>"))
    assert is_html_page(f("b", b"<HTML lang=en>"))
    assert not is_html_page(f("c.txt", b"<!doctype html>"))  # a text file is read as text
    assert not is_html_page(f("d.php", b"<?php echo 1; ?>"))
    assert not is_html_page(f("e", b"<!-- never closed"))
    assert not is_html_page(tmp_path / "missing.php")


def test_a_named_page_without_a_suffix(tmp_path: Path) -> None:
    page = tmp_path / "story"
    page.write_text(PAGE.format(n=1), encoding="utf-8")
    out = cli_run(tmp_path / "n.sqlite", "import", str(page))
    assert out.exit_code == 0 and "imported 1 article" in out.output, out.output
    other = tmp_path / "data.bin"
    other.write_bytes(b"\x89PNG\r\n")
    out = cli_run(tmp_path / "n.sqlite", "import", str(other))
    assert out.exit_code == 1 and "unsupported file type '.bin'" in out.output


XHTML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Budget {n}</title></head><body>'
    "<div>" + BODY + "{n}</div></body></html>"
)


def test_xhtml_pages_with_an_xml_declaration_are_pages(tmp_path: Path) -> None:
    """audit11 F22: XHTML as sites of the 2000s served it opens with `<?xml ...?>`: such
    pages of a mirror (story.shtml, article.php) were skipped as other files, and `.xhtml`
    was not a page's suffix."""
    mirror = tmp_path / "old"
    mirror.mkdir()
    for n, name in enumerate(["story.shtml", "article.php", "page2.xhtml"]):
        (mirror / name).write_text(XHTML.format(n=n), encoding="utf-8")
    db = tmp_path / "x.sqlite"
    out = cli_run(db, "import", str(mirror))
    said = " ".join(out.output.split())
    assert out.exit_code == 0, said
    assert "imported 3 articles" in said and "skipped" not in said, said
    named = cli_run(tmp_path / "y.sqlite", "import", str(mirror / "article.php"))
    assert named.exit_code == 0, named.output
    assert is_html_page(mirror / "story.shtml")
    declared_only = tmp_path / "feed.rss"
    declared_only.write_text('<?xml version="1.0"?><rss><channel></channel></rss>')
    assert not is_html_page(declared_only)  # XML that is not a page stays out
