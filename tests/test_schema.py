"""The label schema: the shipped one is valid; bad ones are refused naming the key."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.guidelines import default_guidelines_dir, load_guidelines
from annotator.keys import NAVIGATION_KEYS
from annotator.schema import SchemaError, parse_schema
from tests.conftest import ROOT, SEED_SHORT, RunCli

DEFAULT_TOML = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")


def test_default_schema_and_guidelines() -> None:
    g = load_guidelines()
    s = g.schema
    assert [lab.key for lab in s.labels] == list("aqhuelbn")
    assert s.info.empty_label == "NONE" and s.label("NONE").exclusive
    assert s.sentence_field("source_type").label == "ATTRIBUTED"
    for name in [
        *s.label_names,
        *(f.name for f in s.sentence_fields + s.article_fields + s.outlet_fields),
    ]:
        assert g.section(name), f"guidelines.md has no section for {name}"
    assert {f.level for f in s.article_fields} == {"nominal", "ordinal"}
    assert default_guidelines_dir() == ROOT / "guidelines"


def test_the_schema_hash_follows_content_not_formatting() -> None:
    a = parse_schema(DEFAULT_TOML)
    b = parse_schema("# a comment\n" + DEFAULT_TOML.replace(" = ", "="))
    c = parse_schema(DEFAULT_TOML.replace('key = "u"', 'key = "v"'))
    assert a.hash == b.hash != c.hash


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'key = "h"',
            'key = "j"',
            "labels.toml:33: labels[3] (HEDGED).key: key 'j' is the annotation screen's key for "
            "'next sentence'",
        ),
        (
            'key = "h"',
            'key = "a"',
            "labels.toml:33: labels[3] (HEDGED).key: key 'a' is already the key of ATTRIBUTED",
        ),
        (
            'key = "h"',
            'key = "hh"',
            "labels.toml:33: labels[3] (HEDGED).key: String should have at most 1 character",
        ),
        ('key = "h"', 'key = "7"', "labels.toml:33: labels[3] (HEDGED).key: key '7' is a digit"),
        ('name = "LOADED"', 'name = "loaded"', "must be UPPER_SNAKE_CASE"),
        (
            'label = "ATTRIBUTED"',
            'label = "SOURCED"',
            "labels.toml:78: sentence_fields[1] (source_type).label: no label 'SOURCED'",
        ),
        (
            '{ key = "4", value = "vague"',
            '{ key = "q", value = "vague"',
            "key 'q' is already the key of label QUOTE",
        ),
        ('empty_label = "NONE"', 'empty_label = "QUOTE"', "label QUOTE must be exclusive = true"),
        (
            '{ value = 2, title = "Low" }',
            '{ value = "low", title = "Low" }',
            "ordinal values must be whole numbers",
        ),
        ('color = "#5fafff"', 'color = "blue"', "colour 'blue' must be #rgb or #rrggbb"),
        (
            'title = "Attributed"',
            'title = "Attributed"\nshortcut = "x"',
            "labels.toml:21: labels[1] (ATTRIBUTED).shortcut: unknown key",
        ),
        # audit9b F15: a field named like an export's column took that column's place
        (
            'name = "genre"',
            'name = "title"',
            "labels.toml:90: article_fields[1] (title).name: "
            "'title' is a column the exports already have",
        ),
        (
            'name = "source_type"',
            'name = "text"',
            "labels.toml:76: sentence_fields[1] (text).name: "
            "'text' is a column the exports already have",
        ),
    ],
)
def test_bad_schemas_name_the_key_and_problem(old: str, new: str, message: str) -> None:
    assert old in DEFAULT_TOML
    with pytest.raises(SchemaError) as exc:
        parse_schema(DEFAULT_TOML.replace(old, new, 1), "labels.toml")
    assert message in str(exc.value), str(exc.value)
    assert "\n" not in str(exc.value)


def test_toml_syntax_error_names_the_line() -> None:
    with pytest.raises(SchemaError, match=r"^labels.toml:3: "):
        parse_schema('[schema]\nname = "x"\nversion = \n', "labels.toml")


def test_every_navigation_key_is_refused_as_a_label_key() -> None:
    for key in NAVIGATION_KEYS:
        if len(key) != 1:
            continue
        bad = DEFAULT_TOML.replace('key = "l"', f'key = "{key}"' if key != '"' else "")
        with pytest.raises(SchemaError, match="annotation screen's key"):
            parse_schema(bad)


def custom_guidelines(tmp_path: Path) -> Path:
    folder = tmp_path / "myguide"
    shutil.copytree(ROOT / "guidelines", folder)
    toml = (folder / "labels.toml").read_text(encoding="utf-8")
    toml = toml.replace('name = "news-credibility"', 'name = "my-project"')
    toml = toml.replace('name = "LOADED"\nkey = "l"', 'name = "SENSATIONAL"\nkey = "s"')
    (folder / "labels.toml").write_text(toml, encoding="utf-8")
    md = (folder / "guidelines.md").read_text(encoding="utf-8")
    (folder / "guidelines.md").write_text(
        md.replace("## LOADED", "## SENSATIONAL"), encoding="utf-8"
    )
    return folder


def test_guidelines_command_and_custom_folder(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    assert run_cli("import", str(SEED_SHORT)).exit_code == 0  # guidelines are kept in a database
    out = run_cli("guidelines").output
    assert "news-credibility 1.0.0" in out
    assert "  a  ATTRIBUTED" in out and "  n  NONE" in out
    assert "Source type (after a, nominal)" in out
    assert "credibility" in out and "ordinal" in out
    section = run_cli("guidelines", "--label", "HEDGED").output
    assert section.startswith("## HEDGED")
    folder = custom_guidelines(tmp_path)
    result = run_cli("--guidelines", str(folder), "guidelines")
    assert result.exit_code == 0
    assert "my-project" in result.output and "  s  SENSATIONAL" in result.output
    assert "label schema changed" in result.output
    # the database keeps the project's schema for the next command, without --guidelines
    assert "  s  SENSATIONAL" in run_cli("guidelines").output
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM schemas").fetchone()[0] == 2
    assert (
        conn.execute("SELECT name FROM schema_labels WHERE key = 's'").fetchone()[0]
        == "SENSATIONAL"
    )


def test_bad_guidelines_folder_is_a_clear_error(run_cli: RunCli, tmp_path: Path) -> None:
    folder = custom_guidelines(tmp_path)
    (folder / "labels.toml").write_text(
        (folder / "labels.toml").read_text().replace('key = "s"', 'key = "g"')
    )
    assert run_cli("import", str(SEED_SHORT)).exit_code == 0
    result = run_cli("--guidelines", str(folder), "status")
    assert result.exit_code == 1
    assert "labels.toml:54: labels[6] (SENSATIONAL).key: key 'g'" in result.output
    assert "Traceback" not in result.output
