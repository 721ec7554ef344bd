"""NUL characters, empty ids and `segment`'s words, alike for every kind of input
(audit11 F16)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli, write

BODY = "The council voted on Tuesday to approve the new budget, officials said. " * 6


def _page(text: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Budget</title>"
        f"</head><body><article><h1>Budget vote</h1><p>{text}</p><p>{BODY}</p></article>"
        "</body></html>"
    )


def test_a_nul_is_refused_in_html_as_in_text(run_cli: RunCli, tmp_path: Path) -> None:
    """The HTML parser dropped a page's NUL bytes and the page went in, while a .txt with
    one was refused as binary; with --encoding latin-1 a .txt took them too."""
    html = write(tmp_path / "nul.html", _page("The mayor\x00 spoke.").encode())
    txt = write(tmp_path / "nul.txt", ("The mayor\x00 spoke. " + BODY).encode())
    for args in ([str(html)], [str(txt)], ["--encoding", "latin-1", str(txt)]):
        r = run_cli("import", *args)
        assert r.exit_code == 1, (args, r.output)
        assert ":1: contains NUL" in r.output, (args, r.output)
    # a UTF-16 page (its zero bytes are no NULs) is read as before
    utf16 = write(
        tmp_path / "u16.html", b"\xff\xfe" + _page("The mayor spoke.").encode("utf-16-le")
    )
    r = run_cli("import", str(utf16))
    assert r.exit_code == 0, r.output
    assert "imported 1 article" in r.output


def test_front_matter_empty_id_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    """`id: ""` fell back to the file name without a word (JSON Lines refuses an empty id)."""
    empty = write(tmp_path / "y7.md", f'---\nid: ""\n---\n\n{BODY}\n')
    r = run_cli("import", str(empty))
    assert r.exit_code == 1
    assert "y7.md:2: front matter 'id' is empty" in r.output


def test_a_nul_in_a_title_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    """A YAML `"Budget\\0 vote"` title kept its NUL, and so did a JSON Lines title."""
    nul = write(tmp_path / "nm.md", f'---\nauthor: Ann\ntitle: "Budget\\0 vote"\n---\n\n{BODY}\n')
    r = run_cli("import", str(nul))
    assert r.exit_code == 1
    assert "nm.md:3: front matter 'title' contains a NUL character" in r.output
    line = '{"id": "a1", "title": "Bud\\u0000get", "text": "' + BODY + '"}\n'
    r = run_cli("import", str(write(tmp_path / "t.jsonl", line)))
    assert r.exit_code == 1
    assert "t.jsonl:1: field 'title' contains NUL characters" in r.output


def test_segment_does_not_say_nothing_imported(run_cli: RunCli, tmp_path: Path) -> None:
    """`segment` imports nothing anyway: "; nothing imported" said nothing about the page."""
    page = write(tmp_path / "nav.html", "<html><body><nav>Home</nav></body></html>")
    r = run_cli("segment", str(page))
    assert r.exit_code == 1
    assert "no article text in this HTML page" in r.output
    assert "nothing imported" not in r.output and "import would refuse it" in r.output
