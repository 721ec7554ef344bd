"""A record naming an existing article but no sentence of it says so, with FILE:LINE, in
`import-suggestions` and `import-labels` (they share the matcher): audit F16.6, where wrong
offsets were reported as "no text and no article offsets to match on"."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import SEED_LONG, RunCli, write

LONG = SEED_LONG.stem


def _span(db: Path, position: int) -> tuple[int, int, int]:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            'SELECT s.start, s."end", (SELECT count(*) FROM sentences x WHERE '
            "x.article_id = a.id) FROM sentences s JOIN articles a ON a.id = s.article_id "
            "WHERE a.external_id = ? AND s.position = ?",
            [LONG, position],
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])
    finally:
        conn.close()


def test_wrong_offsets_and_position_say_so(
    imported_db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    start, end, count = _span(imported_db, 0)
    sug = {"label": "QUOTE", "score": 0.9, "source": "m"}
    f = write(
        tmp_path / "p.jsonl",
        "".join(
            json.dumps(o) + "\n"
            for o in (
                {"article": LONG, "start": start, "end": end, **sug},  # matches
                {"article": LONG, "start": start, "end": end - 1, **sug},  # one short
                {"article": LONG, "position": count, **sug},  # past the last
            )
        ),
    )
    result = run_cli("import-suggestions", str(f))
    assert result.exit_code == 0, result.output
    assert (
        f"{f}:2: not matched: offsets {start}-{end - 1} match no sentence of article "
        f"'{LONG}' (the sentence at {start} spans {start}-{end})"
    ) in result.output
    assert (
        f"{f}:3: not matched: article '{LONG}' has no sentence at position {count} "
        f"(positions 0-{count - 1})"
    ) in result.output
    assert "no text and no article offsets" not in result.output
    assert "imported 1 suggestion;" in result.output
    strict = run_cli("import-suggestions", "--strict", str(f))
    assert strict.exit_code != 0
    assert f"{f}:2: offsets {start}-{end - 1} match no sentence" in strict.output


def test_import_labels_says_the_same(imported_db: Path, run_cli: RunCli, tmp_path: Path) -> None:
    start, end, _count = _span(imported_db, 3)
    line = {
        "article_id": LONG,
        "start": start + 1,
        "end": end,
        "annotator": "a",
        "labels": ["NONE"],
    }
    f = write(tmp_path / "l.jsonl", json.dumps(line) + "\n")
    result = run_cli("import-labels", str(f))
    assert f"{f}:1:" in result.output
    assert f"offsets {start + 1}-{end} match no sentence of article '{LONG}'" in result.output
    assert f"(the sentence at {start + 1} spans {start}-{end})" in result.output
