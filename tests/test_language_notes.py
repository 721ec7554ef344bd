"""What the import says about languages: which article of a JSON Lines file is in which
language (audit4 F2), and a note that says what the splitter does for Cantonese and Wu
(audit4 F8: it said "split at . ! ?" for Chinese script)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.ingest import language
from tests.conftest import RunCli, write

# the audit's short.jsonl, less the items the model itself reads as English
ITEMS = [
    (
        "de1",
        "Was die Jugend am Wochenende will: the weekend in Berlin, "
        "the party an der Spree und viel Techno.",
    ),
    (
        "de2",
        "Die Regierung warnt vor Fake News im Netz, die online am "
        "Wochenende massenhaft geteilt wurden.",
    ),
    (
        "en1",
        "The minister said the meeting had been a success and that "
        "more talks would follow next week.",
    ),
    (
        "fr1",
        "Le ministre a dénoncé les fake news diffusées online "
        "pendant le weekend, selon le journal.",
    ),
    (
        "de3",
        "Der Minister sagte, das Treffen sei ein Erfolg gewesen, und "
        "kündigte weitere Gespräche für die kommende Woche an.",
    ),
]
YUE = (
    "佢哋話今日會落雨，所以我哋唔去行山喇。你食咗飯未呀？"
    "我哋喺度等緊你。呢個係香港嘅新聞，警方話已經拘捕咗三個人。"
)
WUU = "侬好，今朝天气老好个。阿拉一道去白相好伐？上海人讲闲话老有意思个。侬晓得伐，伊拉已经走脱了。"


def _jsonl(path: Path, items: list[tuple[str, str]]) -> Path:
    return write(path, "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in items))


def test_jsonl_language_notes_name_each_article_once(run_cli: RunCli, tmp_path: Path) -> None:
    r = run_cli("import", str(_jsonl(tmp_path / "short.jsonl", ITEMS)))
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.output.splitlines() if ln.startswith(str(tmp_path / "short.jsonl")))
    assert (
        "language de (de1 line 1, de2 line 2, de3 line 5), fr (fr1 line 4): the splitter's" in line
    )
    assert line.count("the splitter's rules are made for English") == 1
    assert "en1" not in line


def test_many_articles_in_one_language_are_counted_past_five(
    run_cli: RunCli, tmp_path: Path
) -> None:
    items = [(f"d{i}", f"{ITEMS[4][1]} Nummer {i}.") for i in range(8)]
    r = run_cli("import", str(_jsonl(tmp_path / "many.jsonl", items)))
    assert r.exit_code == 0, r.output
    assert (
        "language de (d0 line 1, d1 line 2, d2 line 3, d3 line 4, d4 line 5 and 3 more): "
        in r.output
    )


def test_a_text_file_s_note_is_as_before(run_cli: RunCli, tmp_path: Path) -> None:
    r = run_cli("import", str(write(tmp_path / "de.txt", ITEMS[4][1] + "\n")))
    assert r.exit_code == 0, r.output
    assert "de.txt: 1 article, 1 segment (language de: the splitter's rules" in r.output


@pytest.mark.parametrize(("text", "code"), [(YUE, "yue"), (WUU, "wuu")])
def test_cantonese_and_wu_are_said_to_split_at_chinese_punctuation(
    run_cli: RunCli, tmp_path: Path, text: str, code: str
) -> None:
    assert language.detect(text) == code
    r = run_cli("segment", str(write(tmp_path / f"{code}.txt", text + "\n")))
    assert r.exit_code == 0, r.output
    assert f"# language {code}: split at 。！？ and . ! ?" in r.output
    assert "split at . ! ? with English abbreviations" not in r.output
    body = [ln for ln in r.output.splitlines() if not ln.startswith("#") and ln.strip()]
    assert len(body) == 4  # at 。 and ？


def test_every_detected_code_is_a_known_one_and_the_cjk_set_is_in_it() -> None:
    assert language.CJK_LANGUAGES <= language.LANGUAGES
    assert {"zh", "ja", "yue", "wuu"} <= language.CJK_LANGUAGES


def test_text_with_no_language_is_said_so() -> None:
    # zxx is the model's class for text with no language in it (a line of image links)
    image = "http://images.newrepublic.com/19778e55502509c1f5dd616d8a4e09c9d8d226cb.png?w=315&q=60"
    assert language.detect(image) == "zxx"
    note = language.support_note("zxx")
    assert note is not None and note.startswith("language zxx (no linguistic content")
