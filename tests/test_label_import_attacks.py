"""`annotator import-labels` attacked, in every format it reads.

A malformed file is one `FILE:LINE: reason` (or `FILE: reason`) line, a non-zero exit and
nothing imported: not an event, not an annotator. No input raises a traceback.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.cli import cli
from tests.conftest import ROOT, SAMPLES

EXPORTS = ROOT / "tests" / "data" / "export"
BASES = {
    "jsonl": EXPORTS / "jsonl_raw.jsonl",
    "prodigy": EXPORTS / "prodigy_raw.jsonl",
    "doccano": EXPORTS / "doccano_majority.jsonl",
    "label-studio": EXPORTS / "label-studio_gold.json",
}
SUFFIX = {"jsonl": ".jsonl", "prodigy": ".jsonl", "doccano": ".jsonl", "label-studio": ".json"}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("labels") / "template.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    return db


def fresh(template: Path, folder: Path) -> Path:
    db = folder / "db.sqlite"
    shutil.copyfile(template, db)
    return db


def counts(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db)
    try:
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        people = conn.execute("SELECT count(*) FROM annotators").fetchone()[0]
        return int(events), int(people)
    finally:
        conn.close()


def run(db: Path, path: Path, fmt: str, *extra: str) -> Any:
    # our doccano export names no annotator: the user says whose labels they are
    who = ["--annotator", "dana"] if fmt == "doccano" and not extra else []
    return CliRunner().invoke(
        cli, ["--db", str(db), "import-labels", str(path), "--format", fmt, *who, *extra]
    )


def base_records(fmt: str) -> list[dict[str, Any]]:
    text = BASES[fmt].read_text(encoding="utf-8")
    if fmt == "label-studio":
        tasks: list[dict[str, Any]] = json.loads(text)
        return tasks
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def render(fmt: str, records: list[Any], raw_line: str | None = None) -> str:
    """A file of `records`, with `raw_line` (text that is not a record) spliced in second."""
    parts = [json.dumps(r) for r in records]
    if raw_line is not None:
        parts.insert(1, raw_line)
    if fmt == "label-studio":
        return "[\n" + ",\n".join(parts) + "\n]\n"
    return "\n".join(parts) + "\n"


# (format, what to do to the second record, expected reason). The first record matches a
# real sentence: it must not be imported either.
def _set(path: str, value: Any) -> Any:
    def change(rec: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = rec
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _both(value: Any) -> Any:
    def change(rec: dict[str, Any]) -> None:
        rec["annotations"][0]["created_username"] = value
        rec["annotations"][0]["completed_by"] = value

    return change


def _stamp(value: Any) -> Any:
    """Prodigy's `_timestamp`, read when the task's meta has no exact time."""

    def change(rec: dict[str, Any]) -> None:
        rec["meta"].pop("confirmed_at", None)
        rec["_timestamp"] = value

    return change


KILLERS: list[tuple[str, str, Any, str]] = [
    ("jsonl", "position 10**30", _set("position", 10**30), "position 1000000000000000000"),
    ("jsonl", "start 10**30", _set("start", 10**30), "out of range"),
    ("jsonl", "negative end", _set("end", -1), "end -1 is out of range"),
    ("jsonl", "labels 5", _set("labels", 5), "labels must be a list"),
    ("jsonl", "empty annotator", _set("annotator", ""), "name is missing or empty"),
    ("jsonl", "blank annotator", _set("annotator", "   "), "name is missing or empty"),
    ("jsonl", "comment 5", _set("comment", 5), "comment must be a string"),
    ("jsonl", "article_id 7", _set("article_id", 7), "article_id must be a string"),
    ("prodigy", "accept 5", _set("accept", 5), "labels must be a list"),
    ("prodigy", "meta 's'", _set("meta", "s"), "meta must be an object"),
    ("prodigy", "meta.position 10**30", _set("meta.position", 10**30), "out of range"),
    ("prodigy", "empty _annotator_id", _set("_annotator_id", "annotator-"), "missing or empty"),
    ("doccano", "label 5", _set("label", 5), "labels must be a list"),
    ("doccano", "position 10**30", _set("position", 10**30), "out of range"),
    ("label-studio", "choices 5", _set("annotations.0.result.0.value.choices", 5), "choices"),
    (
        "label-studio",
        "choices 'QUOTE'",
        _set("annotations.0.result.0.value.choices", "QUOTE"),
        "choices",
    ),
    ("label-studio", "result ['r']", _set("annotations.0.result", ["r"]), "result.0"),
    ("label-studio", "annotations 's'", _set("annotations", "s"), "annotations"),
    ("label-studio", "no user at all", _both(None), "completed_by"),
    ("label-studio", "empty user id", _both(""), "completed_by"),
    ("label-studio", "data.start 10**30", _set("data.start", 10**30), "data.start"),
    ("label-studio", "completed_by []", _set("annotations.0.completed_by", []), "completed_by"),
    # audit9b F18: a misspelt key was ignored: `updatedAt` let an old record replace newer
    # work, `comments` lost the comment
    ("jsonl", "updatedAt", _set("updatedAt", "2020-01-01T00:00:00Z"), "did you mean 'updated_at'"),
    (
        "jsonl",
        "comments",
        _set("comments", "why"),
        "unknown key 'comments': did you mean 'comment'",
    ),
    ("jsonl", "Labels", _set("Labels", ["NONE"]), "unknown key 'Labels': did you mean 'labels'?"),
    # audit10 F6: other tools' names for a time, and a sentence field beside `labels`
    ("jsonl", "updated", _set("updated", "2020-01-01T00:00:00Z"), "did you mean 'updated_at'?"),
    ("jsonl", "created_at", _set("created_at", "2020-01-01"), "did you mean 'confirmed_at'?"),
    ("jsonl", "timestamp", _set("timestamp", "2020-01-01"), "did you mean 'updated_at'?"),
    ("jsonl", "source_type", _set("source_type", "named_person"), "'fields.source_type'?"),
    # audit9b F5: an exclusive label with others was stored as both
    ("jsonl", "NONE and HEDGED", _set("labels", ["NONE", "HEDGED"]), "NONE is exclusive: it "),
    ("prodigy", "NONE and QUOTE", _set("accept", ["QUOTE", "NONE"]), "cannot go with QUOTE"),
    ("doccano", "NONE and LOADED", _set("label", ["NONE", "LOADED"]), "NONE is exclusive"),
    # audit9b F4: any text was stored as a time, and the hf export then failed to load
    ("jsonl", "confirmed_at 'yesterday'", _set("confirmed_at", "yesterday"), "not an ISO 8601"),
    ("jsonl", "month 13", _set("updated_at", "2026-13-45T99:00:00Z"), "not an ISO 8601 time"),
    ("jsonl", "updated_at '1'", _set("updated_at", "1"), "updated_at '1' is not an ISO 8601"),
    ("jsonl", "year 2999", _set("updated_at", "2999-01-01T00:00:00Z"), "is in the future"),
    ("jsonl", "year 1", _set("confirmed_at", "0001-01-01T00:00:00Z"), "is before 1970"),
    ("prodigy", "meta.confirmed_at", _set("meta.confirmed_at", "soon"), "not an ISO 8601"),
    ("prodigy", "_timestamp text", _stamp("noon"), "_timestamp 'noon' is not"),
    ("label-studio", "created_at", _set("annotations.0.created_at", "x"), "created_at 'x'"),
    ("label-studio", "updated_at", _set("annotations.0.updated_at", "3000-01-01"), "future"),
]

RAW_KILLERS: list[tuple[str, str, str]] = [
    (
        "5000-digit integer",
        '{"annotator": "z", "labels": [], "start": ' + "9" * 5000 + "}",
        "too long",
    ),
    (
        "10,000-deep nesting",
        '{"annotator": "z", "labels": ' + "[" * 10_000 + "]" * 10_000 + "}",
        "nested more than",
    ),
    ("lone surrogate in annotator", '{"annotator": "\\ud800", "labels": []}', "surrogate"),
    (
        "lone surrogate in comment",
        '{"annotator": "z", "labels": [], "comment": "\\udc00"}',
        "surrogate",
    ),
    ("duplicate key", '{"annotator": "z", "annotator": "y", "labels": []}', "duplicate key"),
    ("NaN", '{"annotator": "z", "labels": [], "start": NaN}', "NaN"),
    ("1e999999", '{"annotator": "z", "labels": [], "start": 1e999999}', "out of range"),
]


def assert_refused(result: Any, path: Path, line: int | None, reason: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in result.output, result.output
    assert reason in result.output, result.output
    assert "nothing was imported" in result.output


@pytest.mark.parametrize(("fmt", "name", "change", "reason"), KILLERS, ids=[k[1] for k in KILLERS])
def test_known_killers_per_format(
    template_db: Path, tmp_path: Path, fmt: str, name: str, change: Any, reason: str
) -> None:
    db = fresh(template_db, tmp_path)
    records = base_records(fmt)[:3]
    change(records[1])
    f = tmp_path / f"bad{SUFFIX[fmt]}"
    f.write_text(render(fmt, records), encoding="utf-8")
    before = counts(db)
    assert_refused(run(db, f, fmt), f, 2, reason)
    assert counts(db) == before


@pytest.mark.parametrize(("name", "line", "reason"), RAW_KILLERS, ids=[k[0] for k in RAW_KILLERS])
@pytest.mark.parametrize("fmt", list(BASES))
def test_json_killers_in_every_format(
    template_db: Path, tmp_path: Path, fmt: str, name: str, line: str, reason: str
) -> None:
    db = fresh(template_db, tmp_path)
    f = tmp_path / f"bad{SUFFIX[fmt]}"
    f.write_text(render(fmt, base_records(fmt)[:2], raw_line=line), encoding="utf-8")
    before = counts(db)
    # a Label Studio file is one JSON document: its error names the file (and task or line)
    result = run(db, f, fmt)
    assert_refused(result, f, None if fmt == "label-studio" else 2, reason)
    assert counts(db) == before


def test_doccano_empty_user_without_annotator_option(template_db: Path, tmp_path: Path) -> None:
    db = fresh(template_db, tmp_path)
    records = base_records("doccano")[:2]
    for r in records:
        r["user"] = "dana"
    records[1]["user"] = ""
    f = tmp_path / "d.jsonl"
    f.write_text(render("doccano", records), encoding="utf-8")
    assert_refused(run(db, f, "doccano", "--strict"), f, 2, "give --annotator NAME")
    assert counts(db) == (0, 0)


def test_label_studio_choices_as_a_string_is_not_split(template_db: Path, tmp_path: Path) -> None:
    # "QUOTE" read as a list would be the labels Q, U, O, T, E
    db = fresh(template_db, tmp_path)
    tasks = base_records("label-studio")[:1]
    tasks[0]["annotations"][0]["result"][0]["value"]["choices"] = "QUOTE"
    f = tmp_path / "ls.json"
    f.write_text(json.dumps(tasks), encoding="utf-8")
    result = run(db, f, "label-studio")
    assert_refused(result, f, 1, "choices: Input should be a valid list")


def test_a_good_file_still_imports(template_db: Path, tmp_path: Path) -> None:
    for fmt in BASES:
        db = fresh(template_db, tmp_path)
        f = tmp_path / f"good{SUFFIX[fmt]}"
        f.write_text(render(fmt, base_records(fmt)), encoding="utf-8")
        result = run(db, f, fmt)
        assert result.exit_code == 0, (fmt, result.output)
        assert counts(db)[0] > 0
        os.unlink(db)


def test_a_fifo_is_refused(template_db: Path, tmp_path: Path) -> None:
    db = fresh(template_db, tmp_path)
    fifo = tmp_path / "labels.jsonl"
    os.mkfifo(fifo)
    assert_refused(run(db, fifo, "jsonl"), fifo, None, "a FIFO (named pipe)")


def test_a_bad_sidecar_imports_nothing(template_db: Path, tmp_path: Path) -> None:
    db = fresh(template_db, tmp_path)
    f = tmp_path / "raw.jsonl"
    f.write_text(render("jsonl", base_records("jsonl")[:2]), encoding="utf-8")
    side = tmp_path / "raw.articles.jsonl"
    side.write_text('{"id": "x", "annotations": {"": {}}}\n', encoding="utf-8")
    before = counts(db)
    assert_refused(run(db, f, "jsonl"), side, 1, "missing or empty")
    assert counts(db) == before


# --- generated input ----------------------------------------------------------------------

_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["QUOTE", "NONE", "ATTRIBUTED", "named_person", "alice", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a record a value can be replaced."""
    out = []
    items = (
        obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    )
    for k, v in items:
        out.append((*prefix, k))
        out.extend(_paths(v, (*prefix, k)))
    return out


def _mutated(fmt: str, data: st.DataObject) -> str:
    records = copy.deepcopy(base_records(fmt)[: data.draw(st.integers(1, 4), label="n")])
    for _ in range(data.draw(st.integers(0, 3), label="mutations")):
        rec = data.draw(st.sampled_from(records), label="record")
        paths = _paths(rec)
        if not paths:
            continue
        where = data.draw(st.sampled_from(paths), label="where")
        node: Any = rec
        for k in where[:-1]:
            node = node[k]
        if data.draw(st.booleans(), label="delete") and isinstance(node, dict):
            del node[where[-1]]
        else:
            node[where[-1]] = data.draw(_values, label="value")
    raw = data.draw(
        st.none() | st.sampled_from([line for _, line, _ in RAW_KILLERS] + ["{", "[]", "7"]),
        label="raw line",
    )
    return render(fmt, records, raw_line=raw)


@pytest.mark.parametrize("fmt", list(BASES))
@settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzz_import_labels_no_traceback_no_partial_import(
    template_db: Path, fmt: str, data: st.DataObject
) -> None:
    text = _mutated(fmt, data)
    with tempfile.TemporaryDirectory() as tmp:
        db = fresh(template_db, Path(tmp))
        f = Path(tmp) / f"labels{SUFFIX[fmt]}"
        f.write_text(text, encoding="utf-8")
        before = counts(db)
        result = run(db, f, fmt)
        traceback = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not traceback, f"{type(result.exception).__name__}: {result.exception}"
        if result.exit_code != 0:
            assert counts(db) == before, f"partial import: {result.output}"
            assert f"{f}" in result.output and "nothing was imported" in result.output
