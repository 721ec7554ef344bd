"""Languages told by their script without the model (ingest/language_scripts.py): where the
shortcut answers, the model answers the same (corpus, generated texts of each script mixed
with other letters, real sentences), and a text it answers for loads neither py3langid nor
numpy."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.ingest import language
from annotator.ingest.language_scripts import _ONE_LANGUAGE, KANA_SHARE, by_script
from tests.conftest import ROOT, SHARED

CORPUS = SHARED / "news_corpus"

REAL = {
    "ko": "장관은 노조와의 협상이 다음 주에도 계속될 것이라고 말했다. "
    "관계자들은 합의 가능성이 높다고 밝혔다.",
    "th": "รัฐมนตรีกล่าวว่าการเจรจากับสหภาพแรงงานจะดำเนินต่อไปในสัปดาห์หน้า เจ้าหน้าที่กล่าวว่าเป็นไปได้",
    "ja": "大臣は、労働組合との交渉は来週も続くと述べた。当局者は、合意の可能性が高いと述べた。"
    "組合側は、賃上げの要求を取り下げるつもりはないと話している。",
    "ka": "მინისტრმა განაცხადა, რომ პროფკავშირებთან მოლაპარაკებები მომავალ კვირასაც გაგრძელდება.",
    "hy": "Նախարարը հայտարարել է, որ արհմիությունների հետ "
    "բանակցությունները կշարունակվեն հաջորդ շաբաթ։",
    "ta": "தொழிற்சங்கங்களுடனான பேச்சுவார்த்தை அடுத்த வாரமும் தொடரும் என்று அமைச்சர் கூறினார்.",
}
EN = [
    "the",
    "minister",
    "said",
    "officials",
    "would",
    "meet",
    "on",
    "Monday",
    "with",
    "Reuters",
    "and",
    "BBC",
    "reporters",
]
RU = ["министр", "заявил", "что", "переговоры", "продолжатся", "на", "следующей", "неделе"]
HAN = [(0x4E00, 0x9FA5)]
KANA = [(0x3041, 0x3096), (0x30A1, 0x30FA)]


def model(text: str) -> str:
    return str(language._identifier().classify(text)[0])


def letters(text: str) -> str:
    return "".join(language._WORD.findall(text[: language.SAMPLE].lower()))


def chars(rng: random.Random, ranges: list[tuple[int, int]], n: int) -> str:
    out = []
    for _ in range(n):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def generated() -> list[str]:
    """Texts of each script with up to a tenth of English, Russian or Han letters among
    them, and Japanese-like mixes of kana and Han with a little English."""
    rng = random.Random(13)
    out = []
    for _lang, cls in _ONE_LANGUAGE:
        lo, hi = ord(cls[0]), ord(cls[2])
        for _ in range(25):
            k = rng.randint(40, 1200)
            main = chars(rng, [(lo, hi)], k)
            other = int(k * rng.uniform(0, 0.12))
            filler = rng.choice(
                [
                    " ".join(rng.choice(EN) for _ in range(other // 5 + 1)),
                    " ".join(rng.choice(RU) for _ in range(other // 6 + 1)),
                    chars(rng, HAN, other),
                ]
            )
            words = [main[i : i + rng.randint(2, 8)] for i in range(0, len(main), 5)]
            at = rng.randint(0, len(words))
            out.append(" ".join(words[:at]) + " " + filler + " " + " ".join(words[at:]))
    for _ in range(300):
        k = rng.randint(40, 1200)
        kana = int(k * rng.uniform(KANA_SHARE - 0.05, 0.9))
        mixed = list(chars(rng, KANA, kana) + chars(rng, HAN, k - kana))
        rng.shuffle(mixed)
        text = "".join(mixed)
        other = int(k * rng.uniform(0, 0.12))
        if other:
            text += " " + " ".join(rng.choice(EN) for _ in range(other // 5 + 1))
        out.append(text)
    return out


def corpus() -> list[str]:
    out: list[str] = []
    if CORPUS.is_dir():
        for folder in ("txt", "md", "crude"):
            out += [p.read_text(encoding="utf-8") for p in sorted((CORPUS / folder).iterdir())]
    return out


def test_where_the_script_answers_the_model_says_the_same() -> None:
    answered: dict[str, int] = {}
    for text in [*REAL.values(), *generated(), *corpus()]:
        lang = by_script(letters(text))
        if lang is not None:
            answered[lang] = answered.get(lang, 0) + 1
            assert lang == model(text[: language.SAMPLE]), text[:80]
    # the shortcut does answer, for every script
    assert sorted(answered) == sorted({lang for lang, _ in _ONE_LANGUAGE} | {"ja"})
    assert min(answered.values()) >= 3 and answered["ja"] > 100


@pytest.mark.parametrize("lang", sorted(REAL))
def test_real_sentences_are_told_by_their_script(lang: str) -> None:
    assert by_script(letters(REAL[lang])) == lang
    assert language.detect(REAL[lang]) == lang


def test_what_the_script_cannot_tell_is_left_to_the_model() -> None:
    zh = "部长表示，与工会的谈判将于下周继续进行。官员们说，这是可能的。" * 2
    assert by_script(letters(zh)) is None  # Han alone: zh, yue, wuu or ja
    some_kana = zh + "ニュース"  # a few kana in Chinese: not Japanese for that
    assert by_script(letters(some_kana)) is None
    korean_and_english = REAL["ko"] + " " + " ".join(EN * 2)  # a fifth of the letters Latin
    assert by_script(letters(korean_and_english)) is None
    for text in (
        "Ο υπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν την επόμενη εβδομάδα.",  # el, grc
        "השר אמר כי השיחות עם האיגודים יימשכו בשבוע הבא לדברי הפקידים.",  # he, hbo
        "Министр заявил, что переговоры с профсоюзами продолжатся на следующей неделе.",
        "Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine.",
        "The minister said the talks would go on next week, officials said.",
    ):
        assert by_script(letters(text)) is None, text


def test_a_text_told_by_its_script_loads_no_model(tmp_path: Path) -> None:
    probe = (
        "import json, sys; from annotator.ingest import language; "
        f"got = [language.detect(t) for t in {list(REAL.values())!r}]; "
        "print(json.dumps([got, 'py3langid' in sys.modules, 'numpy' in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    got, langid, numpy = json.loads(done.stdout)
    assert got == list(REAL)
    assert (langid, numpy) == (False, False)
