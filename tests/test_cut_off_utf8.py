"""A UTF-8 file cut off inside its last character (an interrupted download, `head -c`) is
refused as cut off (audit6 F17): the old advice, another encoding, imported it as mojibake
without a word. A bad byte elsewhere keeps the encoding advice."""

from __future__ import annotations

import json
from pathlib import Path

from tests.consumers import cli_run


def _import(tmp_path: Path, *files: Path) -> str:
    out = cli_run(tmp_path / "d.sqlite", "import", *map(str, files))
    assert out.exit_code == 1
    return " ".join(out.output.split())


def test_a_text_file_cut_inside_its_last_character(tmp_path: Path) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_bytes("Title\n\n“It’s a waste,” one said. The end: café".encode()[:-1])
    said = _import(tmp_path, cut)
    assert f"{cut}:3: the file ends inside a UTF-8 character (column" in said
    assert "--encoding" not in said


def test_a_bad_byte_in_the_middle_keeps_the_encoding_advice(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Bad \xc3 middle of a line.\nMore text.\n")
    said = _import(tmp_path, bad)
    assert f"{bad}:1: not UTF-8 (byte 0xc3 at column 5)" in said and "--encoding" in said


def test_a_json_lines_file_cut_inside_its_last_character(tmp_path: Path) -> None:
    cut = tmp_path / "cut.jsonl"
    whole = json.dumps({"id": "a", "text": "The council met. It voted."}) + "\n"
    whole += json.dumps({"id": "b", "text": "Le café est fermé."}, ensure_ascii=False)
    cut.write_bytes(whole.encode()[: whole.encode().index("é".encode()) + 1])
    said = _import(tmp_path, cut)
    assert f"{cut}:2: the file ends inside a UTF-8 character" in said
