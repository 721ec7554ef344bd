"""Sentence ends of scripts other than Latin and Han/Kana (audit6 F1): the issue asks for
segments "at least at sentence-final punctuation of its script". A 32-sentence Hindi
article was three segments of ~1,000 characters, cut mid-sentence by the length limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.ingest.sentences import split_sentences
from tests.consumers import cli_run

CASES = {
    "hi": [
        "नगर परिषद ने मंगलवार को मतदान किया।",
        "अधिकारियों ने कहा कि योजना अच्छी है।",
        "क्या यह ज़रूरी है?",
    ],
    "bn": ["নগর পরিষদ মঙ্গলবার ভোট দিয়েছে।", "কর্মকর্তারা বলেছেন পরিকল্পনাটি ভালো।"],
    "ur": ["یہ منصوبہ اچھا ہے۔", "کیا یہ ضروری ہے؟", "حکام نے کہا۔"],
    "ar": ["هل هذا ضروري؟", "قال المسؤولون إن الخطة جيدة."],
    "am": ["ይህ ጥሩ ነው።", "ሌላ ዓረፍተ ነገር፧", "ሦስተኛ።"],
    "hy": ["Սա լավ է։", "Մեկ այլ նախադասություն։"],
    "my": ["ဒါကောင်းတယ်။", "နောက်တစ်ခု။"],
    "km": ["នេះល្អ។", "ប្រយោគមួយទៀត។"],
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_each_script_splits_at_its_own_full_stop(lang: str) -> None:
    sentences = CASES[lang]
    text = " ".join(sentences)
    assert [text[s:e] for s, e in split_sentences(text)] == sentences


def test_no_space_after_the_mark_is_still_a_boundary_and_runs_stay_together() -> None:
    text = "पहला वाक्य।।दूसरा वाक्य॥ “तीसरा।” चौथा"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["पहला वाक्य।।", "दूसरा वाक्य॥", "“तीसरा।”", "चौथा"]


def test_latin_text_is_not_touched() -> None:
    text = "Mr. Smith arrived at 5 p.m. on Monday. He left at noon."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Mr. Smith arrived at 5 p.m. on Monday.", "He left at noon."]


def test_a_long_hindi_article_imports_a_segment_per_sentence(tmp_path: Path) -> None:
    sentences = [
        f"नगर परिषद ने मंगलवार को बस नेटवर्क के विस्तार के लिए प्रस्ताव संख्या {i} पर मतदान किया।"
        for i in range(32)
    ]
    text = " ".join(sentences[:16]) + "\n\n" + " ".join(sentences[16:])
    src = tmp_path / "hi.jsonl"
    src.write_text(json.dumps({"id": "hi1", "text": text}, ensure_ascii=False) + "\n")
    db = tmp_path / "h.sqlite"
    out = cli_run(db, "import", str(src))
    assert out.exit_code == 0, out.output
    assert "split at । ॥ and . ! ?" in out.output
    seg = cli_run(db, "export", "--all-sentences", "-o", str(tmp_path / "x.jsonl"))
    assert seg.exit_code == 0, seg.output
    rows = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text().splitlines()]
    assert [r["text"] for r in rows] == sentences
