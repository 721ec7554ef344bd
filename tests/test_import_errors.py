"""Bad input: one clear FILE:LINE line, nothing half-imported, the other files still go in."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEED_SHORT, RunCli, write


def count(db: Path, table: str = "articles") -> int:
    if not db.exists():
        return 0
    return sqlite3.connect(db).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def one_error_line(output: str, path: Path) -> str:
    lines = [ln for ln in output.splitlines() if ln.startswith(str(path))]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n \t\n", "empty file"),
        ("nul.txt", b"first line\nsecond \x00 line\n", ":2: contains NUL bytes"),
        ("binary.txt", bytes(range(256)) * 4, "contains NUL bytes"),
        (
            "latin1.txt",
            "Line one.\nCaf\xe9 au lait.\n".encode("latin-1"),
            ":2: not UTF-8 (byte 0xe9 at column 4)",
        ),
        (
            "front.md",
            b"---\ntitle: x\nno colon here\n---\nBody.\n",
            ":3: front matter is not valid YAML",
        ),
        (
            "open.md",
            b"---\ntitle: x\nauthor: y\n",
            ":1: front matter opened with '---' is never closed",
        ),
        (
            "prose.md",
            b"---\ntitle: x\nBody text.\n",
            ":1: front matter opened with '---' is never closed",
        ),
        ("only_front.md", b"---\ntitle: x\n---\n\n", "no article text"),
        # values a known field cannot be (audit, round 6: stored as Python reprs before)
        (
            "dup.md",
            b"---\ntitle: x\nauthor: a\ntitle: y\n---\nBody.\n",
            ":4: front matter is not valid YAML: duplicate key 'title'",
        ),
        # (refused, with every !!binary value, as the front matter is read: audit10 F9)
        ("bin.md", b"---\ntitle: !!binary aGVsbG8=\n---\nBody.\n", ":2: front matter value "),
        ("map.md", b"---\nurl: u\nauthor: {x: 1}\n---\nBody.\n", ":3: author must be text"),
        ("nested.md", b"---\nauthor: [[a, b]]\n---\nBody.\n", ":2: author must be text"),
        ("yes.md", b"---\ntitle: yes\n---\nBody.\n", ":2: title: write it in quotes"),
        # a traceback, and the rest of a folder not imported, before (audit, round 6)
        (
            "date.md",
            b"---\ntitle: ok\npublished: 2024-13-45\n---\nBody.\n",
            ":3: front matter is not valid YAML: '2024-13-45' is not a valid date",
        ),
        ("feb.md", b"---\npublished: 2024-02-30\n---\nBody.\n", ":2: front matter is not"),
        # refused by YAML's reader as soon as it is made (found by the fuzz test)
        ("ctl.md", b"---\n\x01\n---\nBody.\n", "front matter is not valid YAML: unacceptable"),
        ("data.csv", b"a,b\n1,2\n", "unsupported file type '.csv'"),
    ],
)
def test_bad_files_get_one_clear_line(
    run_cli: RunCli, db_path: Path, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    bad = write(tmp_path / name, data)
    result = run_cli("import", str(bad), str(SEED_SHORT))
    assert result.exit_code == 1
    line = one_error_line(result.output, bad)
    assert reason in line, line
    assert count(db_path) == 1  # the good file went in
    assert "1 failed" in result.output


@pytest.mark.parametrize(
    ("lines", "lineno", "reason"),
    [
        (['{"id": "a", "text": "One."}', '{"id": "b", "text": 5}'], 2, "field 'text'"),
        (['{"id": "a", "text": "One."}', "", '{"id": "b"}'], 3, "missing field 'text'"),
        (['{"id": "a", "text": "One.", "tittle": "x"}'], 1, "unknown field 'tittle'"),
        (
            [
                '{"id": "a", "text": "One."}',
                '{"id": "b", "text": "Two."',
            ],
            2,
            "invalid JSON",
        ),
        (['["not", "an", "object"]'], 1, "must be a JSON object"),
        (['{"id": 7, "text": "Number id."}'], 1, "field 'id'"),
        (
            ['{"id": "a", "text": "One."}', '{"id": "a", "text": "Two."}'],
            2,
            "article id 'a' repeats",
        ),
        (['{"id": "a", "text": "   "}'], 1, "field 'text' is empty"),
    ],
)
def test_jsonl_is_strict_and_all_or_nothing(
    run_cli: RunCli, db_path: Path, tmp_path: Path, lines: list[str], lineno: int, reason: str
) -> None:
    bad = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    result = run_cli("import", str(bad))
    assert result.exit_code == 1
    line = one_error_line(result.output, bad)
    assert line.startswith(f"{bad}:{lineno}: "), line
    assert reason in line, line
    assert count(db_path) == 0  # the valid lines before the bad one were not kept


def test_jsonl_imports_metadata_and_meta(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    recs = [
        {
            "id": "r1",
            "title": "A title",
            "outlet": "Example News",
            "author": "A. Writer",
            "published": "2024-10-24",
            "url": "https://example.org/1",
            "text": "First sentence. Second one.",
            "meta": {"lang": "en"},
        },
        {"id": "r2", "outlet": "Example News", "text": "Only one sentence here."},
    ]
    src = write(tmp_path / "ok.jsonl", "\n".join(json.dumps(r) for r in recs) + "\n")
    result = run_cli("import", str(src))
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT a.title, o.name, a.author, a.published, a.url, a.meta, "
        "a.source_line FROM articles a JOIN outlets o ON o.id = a.outlet_id "
        "WHERE external_id = 'r1'"
    ).fetchone()
    # meta is stored as the one JSON form of stored data (store/jsontext.py): compare values
    meta = json.loads(row[5])
    # too short to tell its language (the record's own meta is not read for it): no
    # readability, and meta says why
    assert meta.pop("readability_unavailable").startswith("the language was not detected")
    assert (*row[:5], meta, row[6]) == (
        "A title",
        "Example News",
        "A. Writer",
        "2024-10-24",
        "https://example.org/1",
        {"lang": "en"},
        1,
    )
    assert count(db_path, "outlets") == 1
    assert count(db_path, "sentences") == 3


def test_front_matter_metadata(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    src = write(
        tmp_path / "fm.md",
        '---\ntitle: "Quoted: title"\noutlet: Daily Example\n'
        "author: Jo Bloggs\npublished: 2024-10-24\nurl: https://example.org/x\n"
        "section: world\n---\n\nThe body starts here. It has two sentences.\n",
    )
    assert run_cli("import", str(src)).exit_code == 0
    row = (
        sqlite3.connect(db_path)
        .execute("SELECT external_id, title, author, published, url, meta FROM articles")
        .fetchone()
    )
    meta = json.loads(row[5])
    assert meta.pop("readability_unavailable").startswith("the language was not detected")
    assert (*row[:5], meta) == (
        "fm",
        "Quoted: title",
        "Jo Bloggs",
        "2024-10-24",
        "https://example.org/x",
        {"section": "world"},
    )


def test_front_matter_as_people_write_it_still_goes_in(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # numbers, several authors, nested values are fine; only the checks above refuse (and
    # anchors and aliases, which front matter never needs: tests/test_front_matter_hostile.py)
    src = write(
        tmp_path / "ok.md",
        "---\nid: 7\ntitle: 1984\nauthor: [Jo Bloggs, Al Smith]\n"
        "extra:\n  desk: politics\n---\n\nBody here.\n",
    )
    result = run_cli("import", str(src))
    assert result.exit_code == 0, result.output
    row = sqlite3.connect(db_path).execute("SELECT external_id, title, author, meta FROM articles")
    ext, title, author, meta = row.fetchone()
    assert (ext, title, author) == ("7", "1984", "Jo Bloggs, Al Smith")
    assert json.loads(meta)["extra"] == {"desk": "politics"}


def test_bom_and_crlf_are_normalised(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    body = "Headline Here\r\n\r\nThe first sentence. The second sentence.\r\nA third line.\r\n"
    src = write(tmp_path / "crlf.txt", b"\xef\xbb\xbf" + body.encode())
    assert run_cli("import", str(src)).exit_code == 0
    conn = sqlite3.connect(db_path)
    text, enc = conn.execute("SELECT text, encoding FROM articles").fetchone()
    assert "\r" not in text and "\ufeff" not in text
    assert enc == "utf-8-sig"
    sents = [r[0] for r in conn.execute("SELECT text FROM sentences ORDER BY position")]
    assert sents == [
        "Headline Here",
        "The first sentence.",
        "The second sentence.",
        "A third line.",
    ]


def test_utf16_with_bom_is_decoded_and_said(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    src = write(tmp_path / "u16.txt", "Sentence one. Sentence two.\n".encode("utf-16"))
    result = run_cli("import", str(src))
    assert result.exit_code == 0
    assert "decoded as UTF-16" in result.output


def test_an_encoding_for_a_mixed_folder_leaves_its_utf8_files_as_they_are(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit11 F13: --encoding cp1252 turned the folder's UTF-8 files into mojibake
    ("annoncÃ©"), silently; an unknown encoding was said once per file."""
    folder = tmp_path / "mixed"
    write(folder / "legacy.txt", "Caf\xe9 owners said prices rose.\n".encode("cp1252"))
    write(folder / "modern.txt", "Le gouvernement a annoncé mardi une réforme.\n")
    write(folder / "plain.txt", "The mayor said on Monday the budget passed.\n")
    result = run_cli("import", str(folder), "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert (
        f"{folder / 'modern.txt'}: 1 article, 1 segment (valid UTF-8: read as UTF-8, not as cp1252)"
        in result.output
    )
    assert (
        f"{folder / 'legacy.txt'}: 1 article, 1 segment (decoded as cp1252 (--encoding))"
        in result.output
    )
    conn = sqlite3.connect(db_path)
    texts = {r[0]: r[1] for r in conn.execute("SELECT external_id, text FROM articles")}
    conn.close()
    assert texts["modern"].startswith("Le gouvernement a annoncé mardi une réforme.")
    assert texts["legacy"].startswith("Café owners")
    unknown = run_cli("import", str(folder), "--encoding", "foo")
    assert unknown.exit_code == 2
    assert "unknown encoding 'foo'" in unknown.output
    assert unknown.output.count("foo") == 1, unknown.output


def test_explicit_encoding(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    src = write(tmp_path / "cp.txt", "Caf\xe9 owners said prices rose.\n".encode("cp1252"))
    result = run_cli("import", str(src), "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert "decoded as cp1252" in result.output
    assert (
        sqlite3.connect(db_path).execute("SELECT text FROM sentences").fetchone()[0]
        == "Café owners said prices rose."
    )


def test_same_id_different_text_is_refused(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    a = write(tmp_path / "one" / "story.txt", "The first version. It has text.\n")
    b = write(tmp_path / "two" / "story.txt", "A later version. It differs.\n")
    assert run_cli("import", str(a)).exit_code == 0
    result = run_cli("import", str(b))
    assert result.exit_code == 1
    assert "already in the database with different text" in one_error_line(result.output, b)
    assert count(db_path) == 1


def test_the_same_file_after_the_cleaning_rules_changed_is_unchanged(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """Found by the second audit: after an upgrade whose cleaning differs (markdown escapes
    now undone), importing the very same .md file again was refused as "already in the
    database with different text; give this version another id", which would have made a
    duplicate. The same bytes are the same article: unchanged, its segments kept."""
    src = write(tmp_path / "esc.md", "Title\n\nHe said \\[the minister\\] was there. Next one.\n")
    assert run_cli("import", str(src)).exit_code == 0
    conn = sqlite3.connect(db_path)
    with conn:  # as an older release cleaned it: the escapes kept
        conn.execute(
            "UPDATE articles SET text = replace(text, '[the', '\\[the'), text_sha256 = 'older'"
        )
    conn.close()
    result = run_cli("import", str(src))
    assert result.exit_code == 0, result.output
    assert "1 already imported, unchanged" in result.output
    assert count(db_path) == 1
    # other bytes under the same id are still refused
    write(src, "Title\n\nAnother text altogether. It differs.\n")
    result = run_cli("import", str(src))
    assert result.exit_code == 1 and "different text" in one_error_line(result.output, src)


def test_missing_path_and_empty_folder(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("import", str(tmp_path / "nope.txt"), str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert "nope.txt: no such file or folder" in result.output
    assert "no .txt, .md, .markdown, .jsonl, .html, .htm, .xhtml files" in result.output


def test_folders_are_walked(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "a.txt", "Alpha said one thing. Then another.\n")
    write(tmp_path / "corpus" / "sub" / "b.md", "# Beta\n\nBeta reported this.\n")
    write(tmp_path / "corpus" / ".hidden" / "c.txt", "Hidden.\n")
    write(tmp_path / "corpus" / "notes.csv", "x\n")
    result = run_cli("import", str(tmp_path / "corpus"))
    assert result.exit_code == 0, result.output
    assert count(db_path) == 2


def test_a_control_character_in_a_json_string_is_said_once(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    # json's message ends in "at" already: the line said "Invalid control character at at
    # column 25" (audit4)
    bad = write(tmp_path / "tab.jsonl", '{"id": "a", "text": "One\ttab."}\n')
    result = run_cli("import", str(bad))
    line = one_error_line(result.output, bad)
    assert line == f"{bad}:1: invalid JSON: Invalid control character at column 25", line
    assert count(db_path) == 0


def test_files_of_other_types_in_a_folder_are_said_skipped(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    write(tmp_path / "corpus" / "a.txt", "Alpha said one thing.\n")
    write(tmp_path / "corpus" / "notes.csv", "x\n")
    write(tmp_path / "corpus" / "sub" / "scan.pdf", "%PDF\n")
    result = run_cli("import", str(tmp_path / "corpus"))
    assert result.exit_code == 0, result.output
    assert "a.txt: 1 article, 1 segment\n" in result.output  # one, not "1 segments"
    assert "imported 1 article (1 segment) from 1 of 1 file;" in result.output
    assert "2 other files in the folders skipped" in result.output
    assert "notes.csv, scan.pdf" in result.output


def test_a_first_import_that_brings_nothing_leaves_no_database(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    """audit9b F16: a first import whose every file failed left an empty database, and the
    next command found an empty project instead of "no such database"."""
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9 au lait. Second sentence.\n")
    r = run_cli("import", str(bad))
    assert r.exit_code == 1 and "which this import created, removed: nothing is in it" in r.output
    assert not db_path.exists() and not list(db_path.parent.glob(db_path.name + "-*"))
    assert "no such database" in run_cli("status").output
    # a database that was there before is never removed, even when nothing came in
    good = tmp_path / "good.txt"
    good.write_text("A sentence here. Another one.\n", encoding="utf-8")
    assert run_cli("import", str(good)).exit_code == 0
    r = run_cli("import", str(bad))
    assert r.exit_code == 1 and "removed" not in r.output and db_path.exists()
