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


def test_segment_does_not_say_nothing_imported(run_cli: RunCli, tmp_path: Path) -> None:
    """`segment` imports nothing anyway: "; nothing imported" said nothing about the page."""
    page = write(tmp_path / "nav.html", "<html><body><nav>Home</nav></body></html>")
    r = run_cli("segment", str(page))
    assert r.exit_code == 1
    assert "no article text in this HTML page" in r.output
    assert "nothing imported" not in r.output and "import would refuse it" in r.output
