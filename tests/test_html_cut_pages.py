"""An HTML page the parser stops reading part-way (audit11 F1): libxml2 stops at elements
nested over 256 deep and at a text over 10 MB, and trafilatura extracted what came before
as if it were the whole article. Such a page is refused by name with the reason, whatever
the length of the text before the place where the parser stopped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import RunCli, write

BEFORE = "".join(
    f"<p>Paragraph {i} before the deep part says the council voted on Tuesday to approve "
    f"budget number {i}.</p>\n"
    for i in range(8)
)
AFTER = "".join(
    f"<p>Paragraph {i} after the deep part reports that the mayor resigned over scandal "
    f"number {i}.</p>\n"
    for i in range(8)
)


def page(middle: str) -> str:
    return (
        "<!doctype html><html><head><title>Deep tail</title></head><body><article>"
        f"<h1>Deep tail</h1>\n{BEFORE}<aside>{middle}</aside>\n{AFTER}</article></body></html>"
    )


def nested(depth: int) -> str:
    return "<div>" * depth + "<span>x</span>" + "</div>" * depth


def test_a_page_cut_by_the_parsers_depth_limit_after_a_whole_article_is_refused(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    deep = write(tmp_path / "deeptail.html", page(nested(300)))
    result = run_cli("import", str(deep))
    assert result.exit_code == 1, result.output
    assert (
        f"{deep}: this HTML page cannot be read: its elements are nested more than 256 deep "
        "(line 10), where the HTML parser stops and the rest would be lost; nothing imported"
    ) in result.output
    assert "Traceback" not in result.output
    assert not db_path.exists() or sqlite3.connect(db_path).execute(
        "SELECT count(*) FROM articles"
    ).fetchone() == (0,)
    seg = run_cli("segment", str(deep))
    assert seg.exit_code == 1 and "nested more than 256 deep" in seg.output


def test_a_page_nested_under_the_limit_comes_in_whole(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    ok = write(tmp_path / "deep200.html", page(nested(200)))
    result = run_cli("import", str(ok))
    assert result.exit_code == 0, result.output
    texts = [t for (t,) in sqlite3.connect(db_path).execute("SELECT text FROM sentences")]
    assert sum("after the deep part" in t for t in texts) == 8
    assert sum("before the deep part" in t for t in texts) == 8


def test_a_page_cut_by_the_parsers_text_limit_after_a_whole_article_is_refused(
    run_cli: RunCli, tmp_path: Path
) -> None:
    big = write(tmp_path / "bigpre.html", page("<pre>" + "x" * 10_500_000 + "</pre>"))
    result = run_cli("import", str(big))
    assert result.exit_code == 1, result.output
    assert (
        f"{big}: this HTML page cannot be read: a text or attribute near line 10 is over the "
        "HTML parser's limit of 10,000,000 bytes, where it stops and the rest would be lost"
    ) in result.output
