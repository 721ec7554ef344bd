"""`annotator import` attacked: inputs a scraper really produces, and generated ones.

Every bad file must end as one `FILE:LINE: reason` line, import nothing, and leave the
other files of the command to import; no input may raise a traceback.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import cli
from tests.conftest import ROOT, SEED_SHORT, RunCli, write

GOOD_LINE = '{"id": "ok-1", "text": "A first article. It has two sentences."}'


def count(db: Path, table: str = "articles") -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def record(**fields: object) -> str:
    return json.dumps({"id": "k", "text": "Killer text. Two sentences.", **fields})


# Each of these raised a traceback, or was stored as something that is not valid JSON, or
# was silently last-wins. The good first line must not be imported either.
KILLERS = {
    "5000-digit integer": '{"id": "k", "text": "T. U.", "meta": {"n": ' + "9" * 5000 + "}}",
    "10,000-deep nesting": '{"id": "k", "text": "T. U.", "meta": {"n": '
    + "[" * 10_000
    + "]" * 10_000
    + "}}",
    "lone surrogate in text": '{"id": "k", "text": "Bad \\ud800 text. More."}',
    "lone surrogate in title": '{"id": "k", "text": "T. U.", "title": "x\\udfff"}',
    "lone surrogate in id": '{"id": "\\ud800", "text": "T. U."}',
    "lone surrogate in meta key": '{"id": "k", "text": "T. U.", "meta": {"\\ud800": 1}}',
    "lone surrogate in meta list": '{"id": "k", "text": "T. U.", "meta": {"a": ["\\udc00"]}}',
    "duplicate key": '{"id": "k", "text": "T. U.", "id": "other"}',
    "duplicate meta key": '{"id": "k", "text": "T. U.", "meta": {"a": 1, "a": 2}}',
    "NaN": '{"id": "k", "text": "T. U.", "meta": {"n": NaN}}',
    "Infinity": '{"id": "k", "text": "T. U.", "meta": {"n": Infinity}}',
    "-Infinity": '{"id": "k", "text": "T. U.", "meta": {"n": -Infinity}}',
    "1e999999": '{"id": "k", "text": "T. U.", "meta": {"n": 1e999999}}',
    "empty id": '{"id": "", "text": "T. U."}',
}
REASONS = {
    "5000-digit integer": "number too long",
    "10,000-deep nesting": "nested more than",
    "duplicate key": "duplicate key 'id'",
    "duplicate meta key": "duplicate key 'a'",
    "NaN": "NaN is not a JSON number",
    "Infinity": "Infinity is not a JSON number",
    "-Infinity": "-Infinity is not a JSON number",
    "1e999999": "out of range",
    "empty id": "field 'id'",
}


@pytest.mark.parametrize("name", list(KILLERS))
def test_known_killers_are_one_line_and_import_nothing(
    run_cli: RunCli, db_path: Path, tmp_path: Path, name: str
) -> None:
    bad = write(tmp_path / "bad.jsonl", GOOD_LINE + "\n" + KILLERS[name] + "\n")
    result = run_cli("import", str(bad), str(SEED_SHORT))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith(f"{bad}:")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"{bad}:2: ")
    assert REASONS.get(name, "surrogate") in errors[0]
    # nothing from the bad file (not even its good first line); the other file went in
    conn = sqlite3.connect(db_path)
    ids = {r[0] for r in conn.execute("SELECT external_id FROM articles")}
    assert ids == {SEED_SHORT.stem}
    assert f"failed, nothing imported from them: {bad}" in result.output


def test_a_deep_but_reasonable_meta_is_kept(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    # the depth limit leaves room for any real record
    meta = {"a": [[{"b": [1, 2.5, "x\U0001f600"]}]]}
    f = write(tmp_path / "ok.jsonl", record(meta=meta) + "\n")
    assert run_cli("import", str(f)).exit_code == 0
    stored = json.loads(sqlite3.connect(db_path).execute("SELECT meta FROM articles").fetchone()[0])
    # the record's text is too short to tell its language: no readability, and meta says why
    assert stored.pop("readability_unavailable").startswith("the language was not detected")
    assert stored == meta


def test_bad_files_in_a_folder_do_not_stop_the_good_ones(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "scraped"
    # sorted first, so a stop at the first error would lose every later file
    write(folder / "a_bad.jsonl", GOOD_LINE + "\n" + KILLERS["NaN"] + "\n")
    write(folder / "b_good.txt", "The second file. It is fine.\n")
    write(folder / "c" / "d_bad.jsonl", KILLERS["lone surrogate in text"] + "\n")
    write(folder / "c" / "e_good.md", "---\ntitle: Fine\n---\nA third file. Also fine.\n")
    os.mkfifo(folder / "f_pipe.jsonl")
    (folder / "g_loop.txt").symlink_to(folder / "g_loop.txt")  # unreadable: ELOOP
    write(folder / "h_good.jsonl", '{"id": "h", "text": "The last file. Fine too."}\n')
    result = run_cli("import", str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    ids = {r[0] for r in sqlite3.connect(db_path).execute("SELECT external_id FROM articles")}
    assert ids == {"b_good", "e_good", "h"}
    out = result.output
    assert f"{folder / 'a_bad.jsonl'}:2: NaN" in out
    assert f"{folder / 'c' / 'd_bad.jsonl'}:1: lone surrogate" in out
    assert f"{folder / 'f_pipe.jsonl'}: a FIFO (named pipe), not a regular file: refused" in out
    assert f"{folder / 'g_loop.txt'}: cannot read" in out
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("imported 3 articles") and "from 3 of 7 files" in summary
    assert "4 failed, nothing imported from them: " in summary
    assert str(folder / "a_bad.jsonl") in summary


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_an_unreadable_subfolder_is_reported(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "scraped"
    write(folder / "a.txt", "A readable article. Two sentences.\n")
    locked = folder / "locked"
    write(locked / "b.txt", "Never read. Sadly.\n")
    locked.chmod(0)
    try:
        result = run_cli("import", str(folder))
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    assert f"{locked}: cannot read folder" in result.output
    assert count(db_path) == 1


def test_a_fifo_is_refused_by_name_without_opening_it(tmp_path: Path) -> None:
    # in a subprocess with a timeout: opening the FIFO would block forever, with no writer
    fifo = tmp_path / "articles.jsonl"
    os.mkfifo(fifo)
    db = tmp_path / "t.sqlite"
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", str(fifo), str(SEED_SHORT)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"{fifo}: a FIFO (named pipe), not a regular file: refused" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert count(db) == 1


def test_a_device_is_refused(run_cli: RunCli, db_path: Path) -> None:
    result = run_cli("import", "/dev/null", str(SEED_SHORT))
    assert result.exit_code == 1
    assert "/dev/null: a character device, not a regular file: refused" in result.output
    assert count(db_path) == 1


def test_a_file_name_that_is_not_utf8(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # a Latin-1 name out of an old zip
    write(tmp_path / name, "An article with an odd name. It imports.\n")
    result = run_cli("import", str(tmp_path))
    assert result.exit_code == 0, result.output
    stored = sqlite3.connect(db_path).execute("SELECT external_id FROM articles").fetchone()[0]
    assert stored == "caf\ufffd"


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_a_codec_that_yields_lone_surrogates(
    run_cli: RunCli, db_path: Path, tmp_path: Path, suffix: str
) -> None:
    # --encoding unicode_escape turns the six characters \ud800 into a lone surrogate
    text = "Line one.\nHello \\ud800 there. Bye.\n"
    if suffix == ".jsonl":
        text = '{"id": "a", "text": "Fine. Text."}\n{"id": "b", "text": "\\ud800 x."}\n'
    bad = write(tmp_path / f"esc{suffix}", text)
    result = run_cli("import", "--encoding", "unicode_escape", str(bad), str(SEED_SHORT))
    assert result.exit_code == 1
    assert f"{bad}:2: lone surrogate U+D800" in result.output
    assert count(db_path) == 1


# --- generated input ----------------------------------------------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_prose = st.lists(
    st.sampled_from(
        [
            "The minister said it was fine.",
            "Officials denied it.",
            "[a link](http://example.com) here.",
            "# Heading",
            "By Jane Doe",
            "\u202e\x1b[2J\x9b",
            "",
            "\r\n",
            "   ",
        ]
    )
    | st.text(max_size=40),
    max_size=6,
).map(" ".join)
_field = st.sampled_from(
    ["id", "text", "title", "outlet", "author", "published", "url", "meta", "tittle"]
)
_records = st.dictionaries(_field, _json_values | _prose, max_size=8) | st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=12), "text": _prose},
    optional={"title": st.text(max_size=20), "meta": _json_values},
)
_raw_lines = st.sampled_from(
    [*KILLERS.values(), "", "[1, 2]", "{", '"just a string"', "\x00", "\ufeff{}"]
)
_lines = st.one_of(_records.map(lambda r: json.dumps(r)), _raw_lines)
_jsonl_files = st.lists(_lines, max_size=5).map(lambda ls: "\n".join(ls).encode("utf-8"))
_text_files = st.one_of(
    _prose.map(lambda t: t.encode("utf-8")),
    st.tuples(st.dictionaries(_field, st.text(max_size=20), max_size=3), _prose).map(
        lambda fm: (
            "---\n" + "".join(f"{k}: {v}\n" for k, v in fm[0].items()) + "---\n" + fm[1]
        ).encode("utf-8", "surrogatepass")
    ),
    st.binary(max_size=64),
)
_files = st.one_of(
    st.tuples(st.just(".jsonl"), _jsonl_files),
    st.tuples(st.sampled_from([".txt", ".md"]), _text_files),
)


class _Tally:
    """Tracebacks and partial imports seen over every generated example."""

    def __init__(self) -> None:
        self.tracebacks: list[str] = []
        self.partial: list[str] = []


def _fuzz_import(files: list[tuple[str, bytes]], folder: Path, db: Path, tally: _Tally) -> None:
    for old in folder.iterdir():
        old.unlink()
    paths = []
    for i, (suffix, data) in enumerate(files):
        p = folder / f"f{i}{suffix}"
        p.write_bytes(data)
        paths.append(p)
    result = CliRunner().invoke(cli, ["--db", str(db), "import", *map(str, paths)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tally.tracebacks.append(f"{type(result.exception).__name__}: {result.exception}")
        return
    if not db.exists():
        # nothing came in: the database this first import created was removed with it
        assert "removed: nothing is in it" in result.output, result.output
        return
    # a file that failed (the summary names up to five) added nothing: no row has its path
    summary = result.output.strip().splitlines()[-1]
    named = summary.split("nothing imported from them: ", 1)[1] if result.exit_code else ""
    conn = sqlite3.connect(db)
    try:
        for p in paths:
            failed = str(p) in named.split(", ")
            rows = conn.execute("SELECT count(*) FROM articles WHERE source_path = ?", [str(p)])
            n = rows.fetchone()[0]
            if failed and n:
                tally.partial.append(f"{p.name}: {n} article(s) from a failed file")
    finally:
        conn.close()


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_files, min_size=1, max_size=3))
def test_fuzz_import_no_traceback_no_partial_import(files: list[tuple[str, bytes]]) -> None:
    tally = _Tally()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        # a fresh database per example: source paths repeat between examples
        _fuzz_import(files, folder, Path(tmp) / "fuzz.sqlite", tally)
    assert tally.tracebacks == []
    assert tally.partial == []
