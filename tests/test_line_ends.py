"""Line ends other than LF and CRLF (audit6 F4): a bare CR (old Mac), a form feed
(pdftotext's page break), a vertical tab (Word), NEL, the information separators, U+2028
and U+2029 (CMS JSON) break lines as LF does; the segments are those of the LF text, and
every character maps back to the source as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.ingest.layout import Layout, layout
from annotator.ingest.line_ends import with_line_feeds
from tests.consumers import cli_run

LINES = [
    "Council expands bus network",
    "",
    "The city council voted on Tuesday to expand the bus network, officials said. "
    "According to the mayor, the plan will cost about $40 million.",
    "",
    "Critics argued that the money could be better spent on road repairs.",
]
ENDS = ["\r", "\f", "\v", "\x85", "\x1c", "\x1d", "\x1e", "\u2028", "\u2029", "\r\n"]


def assert_visible_maps_back(lay: Layout, source: str) -> None:
    """Every character of every segment that is not a space maps to itself in the source."""
    for seg in lay.segments:
        for i in range(seg.start, seg.end):
            c = lay.text[i]
            if not c.isspace():
                assert source[lay.offset_map.to_original(i)] == c, (i, c)


def _segments(text: str) -> list[tuple[str, str]]:
    lay = layout(text)
    return [(s.kind, lay.text[s.start : s.end]) for s in lay.segments]


@pytest.mark.parametrize("end", ENDS, ids=[repr(e) for e in ENDS])
def test_each_line_end_breaks_lines_as_lf_does(end: str) -> None:
    text = end.join(LINES) + end
    assert _segments(text) == _segments("\n".join(LINES) + "\n")
    assert_visible_maps_back(layout(text), text)


def test_same_length_and_untouched_without_them() -> None:
    plain = "\n".join(LINES)
    assert with_line_feeds(plain) is plain
    mixed = "a\r\nb\rc\fd\u2028e"
    out = with_line_feeds(mixed)
    assert len(out) == len(mixed) and out == "a\r\nb\nc\nd\ne"
    assert with_line_feeds("keep\fthis\nbut\fnot this", 10) == "keep\fthis\nbut\nnot this"


def test_a_json_lines_record_with_line_separators(tmp_path: Path) -> None:
    src = tmp_path / "cms.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "\u2028".join(LINES)}) + "\n")
    db = tmp_path / "l.sqlite"
    assert cli_run(db, "import", "-q", str(src)).exit_code == 0
    out = tmp_path / "x.jsonl"
    assert cli_run(db, "export", "--all-sentences", "-o", str(out)).exit_code == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert (rows[0]["kind"], rows[0]["text"]) == ("title", "Council expands bus network")
    assert all("\u2028" not in r["text"] for r in rows)
