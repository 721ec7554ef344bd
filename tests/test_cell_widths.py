"""Spacing combining marks (Unicode Mc: Hindi's, Bengali's, Tamil's vowel signs) take the
cell the terminal draws them in (audit6 F2): rich counted them as 0, so a wrapped Hindi line
ran ~20% past the right edge and at 80x24 the annotator never saw part of the sentence.

The oracle is the C library's wcwidth, which tmux, xterm and VTE draw with; and a real
terminal: the annotation screen in tmux at 80x24."""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

import annotator.tui.text  # noqa: F401  (applies count_spacing_marks, as the app does)
from tests.conftest import ROOT

SAMPLES = {
    "hi": "अधिकारियों ने कहा कि योजना पर पाँच वर्षों में लगभग दो सौ करोड़ रुपये खर्च होंगे।",
    "bn": "কর্মকর্তারা বলেছেন পরিকল্পনাটিতে পাঁচ বছরে ব্যয় করা ভালো ছিল।",
    "ta": "அதிகாரிகள் கூறுகையில் திட்டம் நல்லது என்றனர்.",
    "my": "အစိုးရက မြို့တော်မှာ ဘတ်စ်ကား ကွန်ရက်ကို တိုးချဲ့မယ်လို့ ပြောပါတယ်။",
    "latin": "Café crème, naïve résumé — “quoted” text.",
    "combining accents (Mn)": "e\u0301 a\u0300 o\u0308",
    "cjk": "市议会周一通过了新的预算。",
}


def _libc() -> ctypes.CDLL:
    name = ctypes.util.find_library("c")
    if name is None:
        pytest.skip("no C library to ask")
    libc = ctypes.CDLL(name)
    if not libc.setlocale(0, b"C.UTF-8"):  # LC_CTYPE
        pytest.skip("no C.UTF-8 locale")
    return libc


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_rich_measures_as_the_terminal_draws(name: str) -> None:
    text = SAMPLES[name]
    libc = _libc()
    libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]
    assert cell_len(text) == libc.wcswidth(text, len(text))


def test_every_spacing_mark_is_one_cell_and_nonspacing_ones_stay_zero() -> None:
    import unicodedata

    libc = _libc()
    for cp in range(0x0900, 0x1100):  # Indic, Sinhala, Thai, Lao, Tibetan, Myanmar
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat == "Mc":
            assert cell_len(ch) == 1 == libc.wcwidth(cp), hex(cp)
        elif cat == "Mn":
            assert cell_len(ch) == 0, hex(cp)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (a real terminal)")
def test_a_hindi_sentence_is_all_on_screen_at_80x24(tmp_path: Path) -> None:
    sentence = (
        "अधिकारियों ने कहा कि योजना पर पाँच वर्षों में लगभग दो सौ करोड़ रुपये खर्च होंगे और इसकी "
        "निगरानी एक स्वतंत्र समिति करेगी जिसमें नागरिकों के प्रतिनिधि भी शामिल होंगे।"
    )
    src = tmp_path / "hi.txt"
    src.write_text(f"शीर्षक\n\n{sentence}\n", encoding="utf-8")
    db = tmp_path / "h.sqlite"
    cli = [sys.executable, "-m", "annotator", "--db", str(db)]
    subprocess.run([*cli, "import", "-q", str(src)], check=True, cwd=ROOT, capture_output=True)
    session = f"cw{time.monotonic_ns()}"
    command = " ".join([*cli, "annotate", "--annotator", "t"])
    subprocess.run(
        ["tmux", "new", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True, cwd=ROOT
    )
    try:
        screen = ""
        for _ in range(100):  # the screen is up when the sentence's first words are
            time.sleep(0.1)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if "अधिकारियों" in screen:
                break
        time.sleep(0.3)
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    words = " ".join(
        line.lstrip("▌▶· ").strip() for line in screen.splitlines() if line.strip()
    ).split()
    # every word of the sentence is on screen, whole and in order
    at = 0
    for w in sentence.split():
        assert w in words[at:], (w, screen)
        at = words.index(w, at) + 1
