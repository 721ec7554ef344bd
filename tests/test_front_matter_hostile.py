"""Front matter that costs more to read than its size says: YAML aliases ("billion laughs",
audit9b F9: 371 bytes became 1.8 GB) and nesting deeper than Python's recursion (audit9b
F10: a RecursionError traceback that stopped the folder's import), and values JSON has no
type for (audit10 F9: !!binary, !!set in meta as Python reprs). Each is refused with
FILE:LINE, that file failed, the other files of the folder imported; `segment` says the
same in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli, write

GOOD = "Good article here. Really it is.\n"


def laughs(levels: int) -> str:
    """Each level's list holds nine aliases of the one before: 9**levels strings once
    expanded. Five levels (59,049) are harmless to build, yet were imported whole."""
    lines = ["a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    before = "a"
    for name in "bcdefghi"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
        before = name
    return "---\ntitle: t\n" + "\n".join(lines) + "\n---\nText here. More text.\n"


def nested(levels: int) -> str:
    """Front matter whose `x` is `levels` lists deep (the front matter itself is one more)."""
    return "---\ntitle: t\nx: " + "[" * levels + "]" * levels + "\n---\nText here. More text.\n"


def _articles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT external_id FROM articles ORDER BY 1")]


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("laughs.md", laughs(5), 3),
        # a merge key needs an alias too: refused the same way
        ("merge.md", "---\nbase: &b {title: T}\nmore:\n  <<: *b\n---\nText. More text.\n", 2),
        ("anchor.md", "---\ntitle: &t Title\n---\nText here. More text.\n", 2),
    ],
)
def test_aliases_are_refused_and_the_folder_goes_on(
    run_cli: RunCli, db_path: Path, tmp_path: Path, name: str, text: str, line: int
) -> None:
    folder = tmp_path / "in"
    bad = write(folder / name, text)
    write(folder / "good.txt", GOOD)
    r = run_cli("import", str(folder))
    assert r.exit_code == 1, r.output
    assert f"{bad}:{line}: front matter uses a YAML anchor or alias" in r.output
    assert "imported 1 article" in r.output and "1 failed" in r.output
    assert _articles(db_path) == ["good"]
    seg = run_cli("segment", str(bad))
    assert seg.exit_code == 1 and f"{bad}:{line}: front matter uses a YAML" in seg.output


def test_a_billion_laughs_is_refused_before_it_expands(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # the audit's file: nine levels, 387 million strings; refused in the time it takes to
    # read its first anchor (before, the test would have run out of memory)
    bad = write(tmp_path / "laughs.md", laughs(9))
    assert len(bad.read_bytes()) < 400
    r = run_cli("import", str(bad))
    assert r.exit_code == 1 and f"{bad}:3: front matter uses a YAML anchor" in r.output


@pytest.mark.parametrize("levels", [64, 5000])
def test_deep_nesting_is_refused_and_the_folder_goes_on(
    run_cli: RunCli, db_path: Path, tmp_path: Path, levels: int
) -> None:
    folder = tmp_path / "in"
    bad = write(folder / "deep.md", nested(levels))
    write(folder / "good.txt", GOOD)
    r = run_cli("import", str(folder))
    assert r.exit_code == 1, r.output
    assert f"{bad}:3: nested more than 64 levels deep" in r.output
    assert _articles(db_path) == ["good"]
    seg = run_cli("segment", str(bad))
    assert seg.exit_code == 1 and f"{bad}:3: nested more than 64 levels deep" in seg.output


def test_nesting_as_deep_as_json_lines_allows_goes_in(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    f = write(tmp_path / "ok.md", nested(63))  # 64 levels with the front matter's own
    r = run_cli("import", str(f))
    assert r.exit_code == 0, r.output
    assert _articles(db_path) == ["ok"]


def test_not_a_number_in_front_matter_stays_json(run_cli: RunCli, tmp_path: Path) -> None:
    """audit10 F7: YAML's .nan and .inf went into `meta` as floats, every export wrote NaN
    and Infinity (no JSON reader takes them), and import-labels refused our own export."""
    md = tmp_path / "a.md"
    md.write_text(
        "---\ntitle: T\nscore: .nan\nweight: -.inf\n---\n\nThe mayor said the bridge would "
        "reopen on Friday.\n",
        encoding="utf-8",
    )
    assert run_cli("import", str(md)).exit_code == 0
    label = {"article_id": "a", "position": 0, "annotator": "x", "labels": ["NONE"]}
    (tmp_path / "l.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    assert run_cli("import-labels", str(tmp_path / "l.jsonl")).exit_code == 0
    out = tmp_path / "out.jsonl"
    assert run_cli("export", "--view", "raw", "-o", str(out)).exit_code == 0
    side = (tmp_path / "out.articles.jsonl").read_text(encoding="utf-8")
    meta = json.loads(side.splitlines()[0], parse_constant=lambda c: pytest.fail(c))["meta"]
    assert (meta["score"], meta["weight"]) == ("nan", "-inf")
    r = run_cli("import-labels", str(out))
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    ("value", "line", "said"),
    [
        ("x: !!binary aGVsbG8=", 3, "!!binary: binary data"),
        ("tags: !!set {a, b}", 3, "!!set: a set"),
        ("o: !!omap [a: 1, b: 2]", 3, "!!omap: an ordered map"),
        ("p: !!pairs [a: 1, a: 2]", 3, "!!pairs: a list of pairs"),
        # inside a list, and written out in full
        ("l:\n  - 1\n  - !<tag:yaml.org,2002:set> {a}", 5, "!!set: a set"),
    ],
)
def test_values_json_cannot_hold_are_refused_and_the_folder_goes_on(
    run_cli: RunCli, db_path: Path, tmp_path: Path, value: str, line: int, said: str
) -> None:
    """audit10 F9: `!!binary` and `!!set` reached meta as "b'hello'" and "{'a', 'b'}"."""
    folder = tmp_path / "in"
    bad = write(folder / "tagged.md", f"---\ntitle: t\n{value}\n---\nText here. More text.\n")
    write(folder / "good.txt", GOOD)
    r = run_cli("import", str(folder))
    assert r.exit_code == 1, r.output
    assert f"{bad}:{line}: front matter value tagged {said}" in r.output
    assert "imported 1 article" in r.output and "1 failed" in r.output
    assert _articles(db_path) == ["good"]
    seg = run_cli("segment", str(bad))
    assert seg.exit_code == 1 and f"{bad}:{line}: front matter value tagged" in seg.output


def test_tags_json_can_hold_still_go_in(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    f = write(
        tmp_path / "ok.md",
        "---\ntitle: t\ncode: !!str 0012\nn: !!int 7\ntags: !!seq [a, b]\n"
        "m: !!map {k: v}\n---\nText here. More text.\n",
    )
    r = run_cli("import", str(f))
    assert r.exit_code == 0, r.output
    with sqlite3.connect(db_path) as conn:
        meta = json.loads(conn.execute("SELECT meta FROM articles").fetchone()[0])
    mine = {k: meta[k] for k in ("code", "n", "tags", "m")}
    assert mine == {"code": "0012", "n": 7, "tags": ["a", "b"], "m": {"k": "v"}}


@pytest.mark.parametrize(
    ("front", "line", "reason"),
    [
        # audit11 F18: a lone surrogate escape, in a known field or in meta, in a key too
        ('title: "\\ud800"', 2, "front matter holds a lone surrogate (U+D800), which is not text"),
        ('foo: "x\\udc80y"', 2, "front matter holds a lone surrogate (U+DC80), which is not text"),
        ('"\\udfff": x', 2, "front matter holds a lone surrogate (U+DFFF), which is not text"),
        # audit11 F20: a hex (or octal, binary) integer too long for JSON, and the decimal one
        ("foo: 0x" + "f" * 5000, 2, "an integer of more than 4,300 digits is too long to read"),
        ("author: -0x" + "f" * 5000, 2, "an integer of more than 4,300 digits is too long to read"),
        ("url: " + "9" * 5000, 2, "is not a valid number (Exceeds the limit"),
        # audit11 F21: keys that differ only in case are one key written twice
        ("title: Budget\nTitle: Other", 3, "front matter key 'Title' repeats 'title'"),
    ],
)
def test_values_no_writer_takes_are_refused_by_line_and_the_folder_goes_on(
    run_cli: RunCli, db_path: Path, tmp_path: Path, front: str, line: int, reason: str
) -> None:
    bad = write(tmp_path / "f" / "a.md", f"---\n{front}\n---\n\n{GOOD}")
    write(tmp_path / "f" / "b.txt", GOOD)
    result = run_cli("import", str(tmp_path / "f"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    said = [x for x in result.output.splitlines() if x.startswith(f"{bad}:")]
    assert len(said) == 1 and said[0].startswith(f"{bad}:{line}: "), result.output
    assert reason in said[0] and len(said[0]) < 300, said
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT external_id FROM articles")] == ["b"]
    conn.close()
    seg = run_cli("segment", str(bad))
    assert seg.exit_code != 0 and "Traceback" not in seg.output, seg.output


def test_numbers_are_read_as_yaml_1_2_reads_them(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit11 F21: YAML 1.1's safe loader made `zip: 01234` the octal 668, `ratio: 1:30` the
    base-60 90 and `1_000` 1000, silently; YAML 1.2 (and every reader of these files but
    PyYAML) keeps them as written."""
    front = (
        "zip: 01234\nsection: 08\nratio: 1:30\nversion: 1_000\nn: 42\nneg: -7\nh: 0x1F\n"
        "f: 1.5\ne: 1e3\nd: 2024-10-24\nyes_no: 'no'"
    )
    src = write(tmp_path / "y.md", f"---\n{front}\n---\n\n{GOOD}")
    result = run_cli("import", str(src))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path)
    (meta,) = conn.execute("SELECT meta FROM articles").fetchone()
    conn.close()
    expected = {
        "zip": "01234",
        "section": "08",
        "ratio": "1:30",
        "version": "1_000",
        "n": 42,
        "neg": -7,
        "h": 31,
        "f": 1.5,
        "e": 1000.0,
        "d": "2024-10-24",
        "yes_no": "no",
    }
    got = json.loads(meta)
    assert {k: got.get(k) for k in expected} == expected
