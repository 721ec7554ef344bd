"""Readability is decided per sentence too (audit11 F3): in an article detected as English, a
sentence mostly in another script than Latin (a Chinese quote, a Russian one) had a Flesch
reading ease of 121.22 (one "word" of one syllable) and counted in the article's figures. Such a
sentence now has its words counted and null scores, as every sentence of an article not in
English has, and the article's words, syllables and scores leave it out; its `meta` says so.
The same in the database, the records and the exports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import RunCli, write

ZH_1 = "部长表示，这项措施将从一月份开始实施。"
ZH_2 = "工会呼吁在十二月五日举行罢工。"
RU = "Президент заявил, что реформа будет продолжена в следующем году."
# the audit's mixed.txt, and a Russian sentence with a Latin name in it
MIXED = (
    "Title mixed\n\nThe ministry said on Tuesday that the reform would go ahead. "
    f"{ZH_1}Officials in Beijing declined to comment further. {ZH_2}"
    f"The unions called for a strike on December 5. {RU} "
    "The word perestroika (перестройка) was used by the minister again.\n"
)
OTHER_SCRIPT = (ZH_1, ZH_2, RU)


def _import(run_cli: RunCli, tmp_path: Path) -> None:
    r = run_cli("import", str(write(tmp_path / "mixed.txt", MIXED)))
    assert r.exit_code == 0, r.output


def test_a_sentence_in_another_script_is_not_scored(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    _import(run_cli, tmp_path)
    with sqlite3.connect(db_path) as con:
        rows = con.execute(
            "SELECT kind, text, words, syllables, flesch_reading_ease, flesch_kincaid_grade "
            "FROM sentences ORDER BY position"
        ).fetchall()
        art = con.execute(
            "SELECT language, words, syllables, flesch_reading_ease, flesch_kincaid_grade, meta "
            "FROM articles"
        ).fetchone()
    by_text = {r[1]: r for r in rows}
    assert set(OTHER_SCRIPT) <= set(by_text)
    for text in OTHER_SCRIPT:
        _kind, _text, words, syllables, ease, grade = by_text[text]
        assert (words, syllables, ease, grade) == (len(text.split()), 0, None, None), text
    # a Latin-script sentence with a word in Cyrillic is scored
    scored = [r for r in rows if r[1] not in OTHER_SCRIPT]
    assert all(r[4] is not None and r[5] is not None for r in scored)
    assert any("перестройка" in r[1] for r in scored)
    # the article's figures are the scored body sentences' alone
    body = [r for r in scored if r[0] == "body"]
    words = sum(r[2] for r in body)
    syllables = sum(r[3] for r in body)
    lang, a_words, a_syllables, ease, grade, meta = art
    assert lang == "en"
    assert (a_words, a_syllables) == (words, syllables)
    expected = round(206.835 - 1.015 * words / len(body) - 84.6 * syllables / words, 2)
    assert ease == expected
    assert json.loads(meta)["readability_unscored"].startswith("3 sentence(s) mostly in another")


def test_the_exports_carry_the_null_scores(run_cli: RunCli, db_path: Path, tmp_path: Path) -> None:
    _import(run_cli, tmp_path)
    out = tmp_path / "x.jsonl"
    r = run_cli("export", "--all-sentences", "-o", str(out))
    assert r.exit_code == 0, r.output
    records = {rec["text"]: rec for rec in map(json.loads, out.read_text().splitlines())}
    for text in OTHER_SCRIPT:
        rec = records[text]
        assert (rec["flesch_reading_ease"], rec["flesch_kincaid_grade"]) == (None, None)
        assert rec["words"] == len(text.split())
    (art,) = map(json.loads, (tmp_path / "x.articles.jsonl").read_text().splitlines())
    assert "readability_unscored" in art["meta"]
    with sqlite3.connect(db_path) as con:
        (ease,) = con.execute("SELECT flesch_reading_ease FROM articles").fetchone()
    assert art["flesch_reading_ease"] == ease


def test_an_english_article_in_latin_script_has_no_such_note(
    run_cli: RunCli, db_path: Path, tmp_path: Path
) -> None:
    text = "Title\n\nThe café in Zürich reopened on Monday. Its owner, José Müller, was glad.\n"
    assert run_cli("import", str(write(tmp_path / "en.txt", text))).exit_code == 0
    with sqlite3.connect(db_path) as con:
        (meta,) = con.execute("SELECT meta FROM articles").fetchone()
        nulls = con.execute(
            "SELECT count(*) FROM sentences WHERE flesch_reading_ease IS NULL"
        ).fetchone()[0]
    assert "readability_unscored" not in (json.loads(meta) if meta else {})
    assert nulls == 0
