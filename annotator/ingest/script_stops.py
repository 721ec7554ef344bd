"""Sentence ends of the scripts that have full stops of their own, for the splitter
(ingest/sentences.py): Chinese and Japanese 。！？ with no space after them, the danda, the
Urdu and Ethiopic full stops ..., and the quotation a Chinese or Japanese sentence closes
before saying who said it. Standard library only, patterns compiled at import.
"""

from __future__ import annotations

import re

__all__ = ["CJK_END", "SCRIPT_STOPS", "cjk_split"]

_NON_SPACE = re.compile(r"\S")

# Chinese and Japanese end sentences with full-width marks and no space after them:
# 。！？ (and their runs), with the closing quotes and brackets that follow. Other scripts
# have full stops of their own, which end a sentence wherever they stand (none of them is
# used inside a word or a number): the danda and double danda of Devanagari, Bengali and
# the other Indic scripts (। ॥), the Urdu full stop (۔) and the Arabic question mark (؟),
# Ethiopic (። ፧ ፨), Armenian (։), Myanmar (။) and Khmer (។). Greek's question mark is the
# ASCII ";" once normalised, which is not a boundary in any other language: not here.
SCRIPT_STOPS = "。！？।॥۔؟።፧፨։။។"
# (opens with a class: the engine skips to the next stop at C speed)
CJK_END = re.compile(rf"[{SCRIPT_STOPS}]+[」』”’）》〉】]*")
# A quotation closed after its sentence end, then what says it was said, is one sentence
# (as `“Why?” Smith asked.` is): Japanese marks the quoted clause with the particle と
# (「これは必要なことだ。」と彼は付け加えた。, and the colloquial って); Chinese follows the
# quote with a short clause that ends with a verb of saying and its own full stop
# (“这是必要的。”他补充说。). A Chinese quote followed by anything else (“...。”他说，“...”,
# a new sentence) still ends there: only the attribution alone is a fragment.
_QUOTE_CLOSERS = "」』”’"
_ZH_SAID = re.compile(
    r"[^。！？“”「」\s，,]{1,10}?(?:说|道|问|称|表示|指出|强调|补充|回答|写道|告诉记者)[。！？]"
)


def cjk_split(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` (the splitter's sentences) cut again after each script's sentence end that
    something other than whitespace follows within the span."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for m in CJK_END.finditer(text, s, e):
            nxt = _NON_SPACE.search(text, m.end(), e)
            if nxt is None:
                break
            if text[m.end() - 1] in _QUOTE_CLOSERS and _said(text, s, nxt.start(), e):
                continue  # 「...。」と彼は付け加えた。: the quote is the sentence's
            out.append((s, m.end()))
            s = nxt.start()
        out.append((s, e))
    return out


def _said(text: str, sent: int, pos: int, end: int) -> bool:
    """Does the text at `pos`, after a quotation closed in the sentence that began at
    `sent`, say who said it? (Japanese: whatever the quote's place; Chinese: when the quote
    opens the sentence, else the clause reports something else: 他说：“...。”记者问道。)"""
    if text[pos] == "と" or text.startswith("って", pos):
        return True
    return text[sent] in "“「『‘" and _ZH_SAID.match(text, pos, end) is not None
