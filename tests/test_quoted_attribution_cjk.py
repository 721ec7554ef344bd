"""A Japanese quotation closed after its full stop and followed by the quotative particle と is
one sentence with it (audit11 F4: 「これは必要なことだ。」 and と彼は付け加えた。 were two
segments, the second a fragment no annotator can judge). Chinese: a quote that opens its
sentence and is followed by nothing but a short clause of saying (“这是必要的。”他补充说。) is one
sentence too, as `“Why?” Smith asked.` is in English; a quote followed by more than that still
ends where it closes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli, write

JA_BODY = ["政府は火曜日、新しい年金改革を発表した。", "「これは必要なことだ。」と彼は付け加えた。"]
JA = "Title ja\n\n" + "".join(JA_BODY) + "\n"


def _body(run_cli: RunCli, path: Path) -> list[str]:
    r = run_cli("segment", str(path))
    assert r.exit_code == 0, r.output
    rows = [ln.split(None, 3) for ln in r.output.splitlines() if ln and not ln.startswith("#")]
    return [row[3] for row in rows if row[1] == "body"]


def test_a_japanese_quote_keeps_its_quotative_clause(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    f = write(tmp_path / "ja2.txt", JA)
    assert _body(run_cli, f) == JA_BODY
    r = run_cli("import", str(f))
    assert r.exit_code == 0, r.output
    with sqlite3.connect(db_path) as con:
        stored = [t for (t,) in con.execute("SELECT text FROM sentences WHERE kind = 'body'")]
    assert stored == JA_BODY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # inside a sentence, and with the colloquial って; a quote followed by a new
        # sentence still ends there
        (
            "彼は「行く。」と言った。「行くぞ！」って叫んだ。「はい。」彼は頷いた。",
            ["彼は「行く。」と言った。", "「行くぞ！」って叫んだ。", "「はい。」", "彼は頷いた。"],
        ),
        (
            "部长表示，这项措施将从一月份开始实施。“这是必要的。”他补充说。工会呼吁罢工。",
            [
                "部长表示，这项措施将从一月份开始实施。",
                "“这是必要的。”他补充说。",
                "工会呼吁罢工。",
            ],
        ),
        # more than a clause of saying after the quote: two sentences, as before
        (
            "“这是必要的。”他说，“我们会继续。”工会呼吁在十二月五日举行罢工。",
            ["“这是必要的。”", "他说，“我们会继续。”", "工会呼吁在十二月五日举行罢工。"],
        ),
        # the quote does not open the sentence: what follows reports something else
        ("他说：“这是必要的。”记者问道。", ["他说：“这是必要的。”", "记者问道。"]),
    ],
)
def test_what_follows_a_closed_quote(
    run_cli: RunCli, tmp_path: Path, text: str, expected: list[str]
) -> None:
    assert _body(run_cli, write(tmp_path / "q.txt", f"Title\n\n{text}\n")) == expected
