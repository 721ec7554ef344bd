"""The guidelines folder is a boundary: labels.toml and the Markdown file it names are read
from inside it only, and every bad folder is one line naming the file, never a traceback
or a hang. Attack tests first, then a bounded, derandomised fuzz over folders."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.guidelines import MAX_FILE_BYTES, load_guidelines
from annotator.keys import character_problem
from annotator.schema import SchemaError, parse_schema
from tests.conftest import ROOT, RunCli, write

DEFAULT_TOML = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
DEFAULT_MD = (ROOT / "guidelines" / "guidelines.md").read_text(encoding="utf-8")
SECRET = "TOP-SECRET-OUTSIDE-THE-FOLDER"


def toml_naming(name: str) -> str:
    return DEFAULT_TOML.replace('guidelines = "guidelines.md"', f"guidelines = {_toml_str(name)}")


def _toml_str(s: str) -> str:
    # a TOML basic string can hold anything as \uXXXX escapes
    return '"' + "".join(c if c.isalnum() or c in "./_-~ " else f"\\u{ord(c):04x}" for c in s) + '"'


# every file opened while a test listens: "no read outside the folder" is checked on what
# was opened, not only on what came back (audit hooks cannot be removed: one, switched)
_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_audit)


@contextmanager
def opened_files() -> Iterator[list[str]]:
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


@contextmanager
def no_hang(seconds: int = 10) -> Iterator[None]:
    """Fail (instead of waiting for ever) if reading blocks, e.g. on a FIFO."""

    def boom(signum: int, frame: object) -> None:
        raise AssertionError(f"loading the guidelines blocked for {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """A guidelines folder beside a secret it must never read, with every kind of trap."""
    write(tmp_path / "outside" / "secret.md", f"# {SECRET}\n")
    folder = tmp_path / "project" / "guidelines"
    write(folder / "guidelines.md", DEFAULT_MD)
    write(folder / "sub" / "inner.md", DEFAULT_MD)
    write(folder / "binary.md", bytes(range(256)) * 4)
    write(folder / "latin1.md", "# caf\xe9\n".encode("latin-1"))
    write(folder / "nul.md", "# ATTRIBUTED\n\x00\x00\n")
    (folder / "a_folder.md").mkdir()
    os.mkfifo(folder / "fifo.md")
    (folder / "link_out.md").symlink_to(tmp_path / "outside" / "secret.md")
    (folder / "link_in.md").symlink_to("guidelines.md")
    (folder / "dir_link").symlink_to(tmp_path / "outside")
    (folder / "loop.md").symlink_to("loop.md")
    write(folder / "labels.toml", DEFAULT_TOML)
    return folder


def load_error(folder: Path) -> str:
    with no_hang(), pytest.raises(SchemaError) as e:
        load_guidelines(folder)
    message = str(e.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../outside/secret.md", "leads outside the guidelines folder"),
        ("../../../../../../../../etc/passwd", "leads outside the guidelines folder"),
        ("sub/../../../outside/secret.md", "leads outside the guidelines folder"),
        ("/etc/passwd", "is an absolute path"),
        ("~/secret.md", "is an absolute path"),
        ("link_out.md", "leads outside the guidelines folder"),
        ("dir_link/secret.md", "leads outside the guidelines folder"),
        (".", "leads outside the guidelines folder"),
        ("", "is empty"),
        ("a\x00b.md", "holds a NUL character"),
        ("fifo.md", "is a FIFO (named pipe), not a regular file"),
        ("a_folder.md", "is a folder, not a regular file"),
        ("binary.md", "line 2: not UTF-8 text"),
        ("latin1.md", "line 1: not UTF-8 text"),
        ("nul.md", "line 2: a NUL byte; this is not a text file"),
        ("loop.md", "cannot be read (Too many levels of symbolic links)"),
        ("missing.md", "no such file in"),
    ],
)
def test_the_markdown_file_must_be_a_text_file_inside_the_folder(
    layout: Path, name: str, reason: str
) -> None:
    write(layout / "labels.toml", toml_naming(name))
    with opened_files() as opened:
        message = load_error(layout)
    assert all(p.startswith(os.path.realpath(layout) + os.sep) for p in opened), opened
    assert message.startswith(f"{layout / 'labels.toml'}: schema.guidelines = ")
    assert reason in message
    assert SECRET not in message


@pytest.mark.parametrize(
    "name", ["guidelines.md", "sub/inner.md", "sub/../guidelines.md", "link_in.md"]
)
def test_names_that_stay_inside_are_read(layout: Path, name: str) -> None:
    write(layout / "labels.toml", toml_naming(name))
    assert load_guidelines(layout).markdown == DEFAULT_MD


def test_a_device_in_place_of_a_file_is_refused_without_reading_it(layout: Path) -> None:
    (layout / "zero.md").symlink_to("/dev/zero")  # outside, and a device: refused either way
    write(layout / "labels.toml", toml_naming("zero.md"))
    assert "leads outside" in load_error(layout)


@pytest.mark.parametrize("kind", ["fifo", "folder", "symlink_out", "binary"])
def test_labels_toml_itself_is_checked(layout: Path, tmp_path: Path, kind: str) -> None:
    toml = layout / "labels.toml"
    toml.unlink()
    if kind == "fifo":
        os.mkfifo(toml)
    elif kind == "folder":
        toml.mkdir()
    elif kind == "symlink_out":
        write(tmp_path / "outside" / "labels.toml", DEFAULT_TOML)
        toml.symlink_to(tmp_path / "outside" / "labels.toml")
    else:
        toml.write_bytes(b"\xff\xfe[schema]\n")
    message = load_error(layout)
    assert message.startswith(str(toml))
    assert {
        "fifo": "is a FIFO",
        "folder": "is a folder",
        "symlink_out": "leads outside",
        "binary": "not UTF-8",
    }[kind] in message


def test_a_huge_guidelines_file_is_refused(layout: Path) -> None:
    with open(layout / "guidelines.md", "ab") as fh:
        fh.truncate(MAX_FILE_BYTES + 10)  # sparse: costs no disk
    assert "too big for a guidelines file" in load_error(layout)


@pytest.mark.parametrize(
    "toml",
    [
        "a = " + "[" * 10_000 + "]" * 10_000,
        "a = " + "{b = " * 10_000 + "1" + "}" * 10_000,
        DEFAULT_TOML + "\n[x]\n" + ".".join(["y"] * 2_000) + " = 1\n",
    ],
    ids=["arrays", "inline-tables", "dotted-keys"],
)
def test_deeply_nested_toml_is_one_line(toml: str) -> None:
    with pytest.raises(SchemaError) as e:
        parse_schema(toml, "deep.toml")
    assert str(e.value).startswith("deep.toml") and "\n" not in str(e.value)


@pytest.mark.parametrize(
    "key", ["\x1b", "\u202e", "\x9b", "\x7f", "\u200b", "\u00a0", "\u2028", "\u0301", "\x00"]
)
def test_label_keys_must_be_printable_characters(key: str) -> None:
    toml = DEFAULT_TOML.replace('key = "h"', f'key = "\\u{ord(key):04x}"', 1)
    with pytest.raises(SchemaError) as e:
        parse_schema(toml, "labels.toml")
    message = str(e.value)
    assert message.startswith("labels.toml:33: labels[3] (HEDGED).key: ") and "\n" not in message
    # the key is named escaped, never raw
    assert key not in message


def test_source_type_keys_must_be_printable_characters() -> None:
    toml = DEFAULT_TOML.replace(
        '{ key = "4", value = "vague"', '{ key = "\\u001b", value = "vague"'
    )
    with pytest.raises(
        SchemaError,
        match=r"sentence_fields\[1\] \(source_type\)\.values\[4\] \(vague\)\.key: "
        r"key '\\x1b' is a ",
    ):
        parse_schema(toml, "labels.toml")


def test_printable_keys_are_accepted() -> None:
    for key in "xyzé!%ß":
        assert character_problem(key) is None
    assert character_problem("ab") == "must be a single character"


def test_cli_refuses_an_escaping_folder_in_one_line_and_stores_nothing(
    run_cli: RunCli, layout: Path, db_path: Path
) -> None:
    write(layout / "labels.toml", toml_naming("../../outside/secret.md"))
    result = run_cli("--guidelines", str(layout), "guidelines")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "schema.guidelines" in lines[0]
    assert SECRET not in result.output
    if db_path.exists():
        with sqlite3.connect(db_path) as conn:
            stored = conn.execute("SELECT group_concat(guidelines_md) FROM schemas").fetchone()[0]
        assert SECRET not in (stored or "")


# --- fuzz ----------------------------------------------------------------------------------

NAMES = st.one_of(
    st.sampled_from(
        [
            "guidelines.md",
            "sub/inner.md",
            "link_in.md",
            "link_out.md",
            "dir_link/secret.md",
            "../outside/secret.md",
            "../../outside/secret.md",
            "/etc/passwd",
            "fifo.md",
            "a_folder.md",
            "binary.md",
            "latin1.md",
            "nul.md",
            "loop.md",
            "sub",
            "sub/..",
            "..",
            "",
        ]
    ),
    st.lists(
        st.sampled_from(["..", ".", "sub", "outside", "secret.md", "guidelines.md"]), max_size=6
    ).map("/".join),
    st.text(max_size=20),
)
KEYS = st.one_of(st.characters(), st.text(max_size=3))
TOML_NOISE = st.one_of(
    st.just(""),
    st.text(max_size=200),
    st.sampled_from(
        ["[", "]]", "key = ", '"\\u001b"', "{a = {b = ", "[[labels]]\n", "\x00", "\ufeff"]
    ),
)


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=NAMES,
    key=KEYS,
    noise=TOML_NOISE,
    where=st.sampled_from(["end", "start", "replace"]),
    markdown=st.one_of(st.none(), st.binary(max_size=300), st.text(max_size=300)),
)
def test_fuzz_guidelines_folders(
    layout: Path, name: str, key: str, noise: str, where: str, markdown: bytes | str | None
) -> None:
    toml = toml_naming(name).replace('key = "h"', f"key = {_toml_str(key)}", 1)
    if where == "end":
        toml += "\n" + noise
    elif where == "start":
        toml = noise + "\n" + toml
    else:
        toml = toml.replace('version = "1.0.0"', noise, 1)
    write(layout / "labels.toml", toml)
    md = layout / "guidelines.md"
    md.unlink()
    write(md, DEFAULT_MD if markdown is None else markdown)
    root = os.path.realpath(layout) + os.sep
    with no_hang(), opened_files() as opened:
        try:
            g = load_guidelines(layout)
        except SchemaError as e:
            message = str(e)
            assert "\n" not in message and SECRET not in message
            assert message.startswith(str(layout / "labels.toml"))
            g = None
    outside = [p for p in opened if not p.startswith(root)]
    assert not outside, f"opened outside the guidelines folder: {outside}"
    if g is None:
        return
    # loaded: it came from inside the folder, and its keys are printable characters
    assert SECRET not in g.markdown
    real = os.path.realpath(layout / g.schema.info.guidelines)
    assert real.startswith(os.path.realpath(layout) + os.sep)
    assert all(character_problem(lab.key) is None for lab in g.schema.labels)
    assert re.fullmatch(r"\S", g.schema.labels[2].key)


def bundled_copy(folder: Path) -> Path:
    """A copy of the bundled guidelines folder, to edit."""
    folder.mkdir()
    for f in (ROOT / "guidelines").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def hf_card_of(run_cli: RunCli, tmp_path: Path, folder: Path) -> str:
    """The hf dataset card of a one-article project under `folder`'s guidelines."""
    art = write(tmp_path / "a.txt", "The minister said the talks went well. Officials agreed.\n")
    assert run_cli("--guidelines", str(folder), "import", str(art)).exit_code == 0
    line = '{"article_id": "a", "position": 0, "annotator": "x", "labels": ["HEDGED"]}\n'
    assert run_cli("import-labels", str(write(tmp_path / "l.jsonl", line))).exit_code == 0
    assert run_cli("export", "--format", "hf", "-o", str(tmp_path / "hf")).exit_code == 0
    return (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "where", "code"),
    [
        # audit12 F8: TOML's \u escapes let a control character into titles and descriptions,
        # then into the Label Studio config (not XML) and raw into the dataset card
        ('title = "Named person"', 'title = "Named \\u001b[2Jperson"', "title", "001B"),
        ('title = "Attributed"', 'title = "Attri\\u009bbuted"', "title", "009B"),
        ('title = "Genre"', 'title = "Genre \\u202e"', "title", "202E"),
    ],
)
def test_control_characters_in_schema_text_are_refused(
    tmp_path: Path, run_cli: RunCli, old: str, new: str, where: str, code: str
) -> None:
    folder = bundled_copy(tmp_path / "g")
    toml = folder / "labels.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    toml.write_text(text.replace(old, new), encoding="utf-8")
    r = run_cli("--guidelines", str(folder), "guidelines")
    assert r.exit_code == 1, r.output
    line = r.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line, line
    assert f"{where}: a control character (U+{code}) is not text" in line, line
    assert "\x1b" not in r.output and "\u202e" not in r.output


def test_descriptions_keep_their_line_breaks_and_tabs() -> None:
    toml = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
    first = toml.index('description = "')
    edited = toml[:first] + 'description = "One line.\\n\\tAnother, indented.",\n#' + toml[first:]
    edited = edited.replace(",\n#description", "\n#description", 1)
    schema = parse_schema(edited)
    assert "\n\tAnother" in schema.labels[0].description


def test_two_values_of_the_sentence_fields_on_one_key_are_refused() -> None:
    """audit12 F14: the screen picks a value by its key whatever field it is in, so a second
    value on a key (in one field, or in a second field) could never be chosen."""
    toml = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
    one_field = toml.replace(
        '{ key = "2", value = "named_organisation"', '{ key = "1", value = "named_organisation"', 1
    )
    assert one_field != toml
    with pytest.raises(
        SchemaError, match=r"key '1' is already the key of source_type 'named_person'"
    ):
        parse_schema(one_field)
    second = toml + (
        '\n[[sentence_fields]]\nname = "certainty"\ntitle = "Certainty"\nlabel = "HEDGED"\n'
        'level = "nominal"\nvalues = [ { key = "1", value = "low", title = "Low" }, '
        '{ key = "2", value = "high", title = "High" } ]\n'
    )
    with pytest.raises(
        SchemaError,
        match=r"sentence_fields\[2\] \(certainty\)\.values\[1\] \(low\)\.key: key '1' is already",
    ):
        parse_schema(second)
    # keys of their own: accepted
    parse_schema(
        second.replace('key = "1", value = "low"', 'key = "7", value = "low"').replace(
            'key = "2", value = "high"', 'key = "8", value = "high"'
        )
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('name = "news-credibility"', 'name = "fr\\nlicense: mit"'),
        ('version = "1.0.0"', 'version = "1.0.0\\n# x"'),
        ('title = "Attributed"', 'title = "Attri\\nbuted"'),
    ],
)
def test_names_versions_and_titles_are_one_line(old: str, new: str) -> None:
    """audit12 F18: a newline in the schema's name made `status` print a line of the
    schema's making, and the dataset card a heading; a description may have line breaks."""
    toml = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
    assert toml.count(old) == 1
    with pytest.raises(SchemaError, match=r"a control character \(U\+000A\) is not text"):
        parse_schema(toml.replace(old, new))


def test_the_dataset_card_does_not_describe_another_schema_as_the_bundled_one(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = bundled_copy(tmp_path / "g")
    toml = folder / "labels.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('name = "news-credibility"', 'name = "framing"'),
        encoding="utf-8",
    )
    card = hf_card_of(run_cli, tmp_path, folder)
    assert "attribution, hedging, opinion" not in card
    assert "with the 8 labels below" in card


def test_a_byte_order_mark_at_the_start_of_labels_toml_is_no_part_of_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """audit12 F17: Notepad saves a BOM; TOML then said "labels.toml:1: Invalid statement"."""
    folder = bundled_copy(tmp_path / "g")
    toml = folder / "labels.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + toml.read_bytes())
    r = run_cli("--guidelines", str(folder), "guidelines")
    assert r.exit_code == 0, r.output
    assert load_guidelines(folder).schema.hash == load_guidelines(ROOT / "guidelines").schema.hash


@pytest.mark.parametrize("name", ["ID", "TEXT", "SOURCE_TYPE"])
def test_a_label_named_like_an_export_column_is_refused(name: str) -> None:
    """audit12 F17: labels ID and TEXT gave csv the columns `id` and `ID`, `text` and `TEXT`
    (one column to SQL, DuckDB and spreadsheets); SOURCE_TYPE is the bundled field's."""
    toml = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
    with pytest.raises(SchemaError, match="is a column the exports already have"):
        parse_schema(toml.replace('name = "LOADED"', f'name = "{name}"', 1))


def test_markup_in_a_description_is_shown_in_the_dataset_card_not_run(
    tmp_path: Path, run_cli: RunCli
) -> None:
    folder = bundled_copy(tmp_path / "g")
    toml = folder / "labels.toml"
    text = toml.read_text(encoding="utf-8")
    old = 'description = "The content is credited'
    toml.write_text(
        text.replace(old, 'description = "<script>alert(1)</script> The content is credited'),
        encoding="utf-8",
    )
    card = hf_card_of(run_cli, tmp_path, folder)
    assert "<script>" not in card and "&lt;script&gt;alert(1)&lt;/script&gt;" in card


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # audit12 F20: the csv gold view's note column, the articles file's first column, and
        # an outlet field's `outlet_NAME` column were free names for fields
        ('name = "source_type"', 'name = "gold_note"'),
        ('name = "genre"', 'name = "article_id"'),
        ('name = "genre"', 'name = "outlet_corrections_policy"'),
    ],
)
def test_fields_named_like_the_columns_the_csv_writes_are_refused(old: str, new: str) -> None:
    toml = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
    assert toml.count(old) == 1
    with pytest.raises(SchemaError, match="is a column the exports already have"):
        parse_schema(toml.replace(old, new))


def test_a_stored_schema_the_new_rules_refuse_still_opens(
    tmp_path: Path, run_cli: RunCli, db_path: Path
) -> None:
    """Schemas stored before this round's rules (audit12 F8, F14, F17, F20) keep opening:
    the rules hold for guidelines being adopted, not for the database's own schema."""
    art = write(tmp_path / "a.txt", "The minister said the talks went well. Officials agreed.\n")
    assert run_cli("import", str(art)).exit_code == 0
    toml = (ROOT / "guidelines" / "labels.toml").read_text(encoding="utf-8")
    old_rules = (
        toml.replace('name = "LOADED"', 'name = "ID"', 1)
        .replace(
            '{ key = "2", value = "named_organisation"',
            '{ key = "1", value = "named_organisation"',
            1,
        )
        .replace('title = "Genre"', 'title = "Genre \\u001b[2J"', 1)
        .replace('name = "genre"', 'name = "article_id"', 1)
    )
    with pytest.raises(SchemaError):
        parse_schema(old_rules)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE schemas SET labels_toml = ? WHERE hash = "
            "(SELECT value FROM settings WHERE key = 'schema_hash')",
            [old_rules],
        )
    conn.close()
    for args in (("status",), ("guidelines",), ("agreement", "--bootstrap", "0")):
        r = run_cli(*args)
        assert r.exit_code == 0, (args, r.output)
