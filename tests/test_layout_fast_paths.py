"""Every shortcut the layout pass takes gives the answer of the plain regex it spares: on
every line of the news corpus and on lines made to sit on each shortcut's edge. The whole
pass is pinned by tests/test_layout_fingerprint.py; these pin each shortcut on its own, so
they hold when the furniture rules change (they compare with the same patterns)."""

from __future__ import annotations

import random
import re

import pytest

from annotator.ingest import bylines, dates, page_repeats, word_counts
from annotator.ingest import furniture as fx
from annotator.ingest import inline_html as ih
from annotator.ingest import layout_inline as li
from annotator.ingest import layout_kinds as lk
from annotator.ingest import source_lines as sl
from annotator.ingest.alternation import Alternation
from annotator.ingest.layout import layout
from annotator.ingest.layout_assembly import Assembler
from annotator.ingest.layout_lines import Line, forget, is_furniture
from annotator.ingest.reference_links import REF_LINK
from annotator.ingest.source_lines import source_lines
from tests.conftest import SHARED

CORPUS = SHARED / "news_corpus"

EDGES = [
    "",
    "The minister ~~resigned~~ was sacked. About ~~ 5 km ~~ away. A ~~x~~. ~~~~",
    "plain prose with nothing to reduce.",
    "a [link](https://x.org/a) and <https://t.co/x pic.twitter.com/y> and **bold**",
    "[![alt](img.jpg)](https://x.org/story) caption",
    "![alt](img.jpg)",
    "brackets [not a link] (nor this) < nor this >",
    "5 * 3 and a*b",
    "(Matt Stone/Boston Herald)",
    "(Matt Stone/Boston Herald)\n",
    "(Photo by AP)",
    "Caption text. (Photo: AFP) trailing",
    "San Francisco To Begin Universal Basic Income Program For Artists - October 10, 2020",
    "San Francisco To Begin Universal Basic Income Program For Artists – October 10, 2020",
    "San Francisco To Begin Universal Basic Income Program For Artists October 10, 2020",
    "Advertisement",
    "* [Six Sixers takeaways after six games](/sixers-takeaways)",
    "AVOIDING CONTACT: [The rules on self-isolation](https://x.org/r)",
    "[Gavin's Choice](https://x.org/g) - October 10, 2020",
    "Six Sixers takeaways after six games",
    "THEATLANTIC.COM COPYRIGHT (C) 2020 BY THE ATLANTIC MONTHLY GROUP.",
    "FREEDOM OF SPEECH IS OUR CORE VALUE AT KAIETEUR NEWS.",
    "points[<sup>1</sup>](#fn-1) than <u>any</u> &amp; [ref link][ref] [^2] x<br/>y",
    "[^1]: The note. \\&amp; &nbsp;&#8217;&#x2019; &foo; [1][2] <b class='x'>b</b>",
]


def corpus_lines() -> list[str]:
    if not CORPUS.is_dir():
        return []
    out: list[str] = []
    for folder in ("txt", "md", "crude"):
        for p in sorted((CORPUS / folder).iterdir()):
            out += p.read_text(encoding="utf-8").splitlines()
    return out


LINES = EDGES + corpus_lines()


def reference_found(text: str, start: int, end: int) -> list[re.Match[str]]:
    """iter_links without its shortcuts: every pattern run, then the same resolution
    (code spans, first to start wins, emphasis outside the rest)."""
    found = list(li.FOOTNOTE.finditer(text, start, end))
    found += li.MD_LINK.finditer(text, start, end)
    found += REF_LINK.finditer(text, start, end)
    found += ih.STRUCK_TILDES.finditer(text, start, end)
    found += li.AUTOLINK.finditer(text, start, end)
    found += ih.HTML_LINK.finditer(text, start, end)
    found += ih.html_tags(text, start, end)
    found += li.LINKED_IMAGE.finditer(text, start, end)
    found += li.ESCAPE.finditer(text, start, end)
    found += ih.ENTITY.finditer(text, start, end)
    code = li.code_spans(text, start, end)
    found = [m for m in found if not any(a < x < b for a, b in code for x in m.span())]
    found.sort(key=lambda m: m.start())
    out: list[re.Match[str]] = []
    last = start
    for m in found:
        if m.start() >= last:
            out.append(m)
            last = m.end()
    out += li.emphasis(text, start, end, [m.span() for m in out] + code)
    return sorted(out, key=lambda m: m.start())


def reference_visible(s: str) -> str:
    return li.render(s, 0, len(s), reference_found(s, 0, len(s)))


def reference_links(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.re.pattern) for m in reference_found(text, start, end)]


def test_visible_text_and_links_are_those_of_every_pattern_run() -> None:
    for line in LINES:
        assert li.visible(line) == reference_visible(line), line
        text = f"xx {line} yy"
        got = [(m.start(), m.end(), m.re.pattern) for m in li.iter_links(text, 3, 3 + len(line))]
        assert got == reference_links(text, 3, 3 + len(line)), line


def test_line_predicates_answer_as_their_patterns() -> None:
    teaser = re.compile(lk._TEASER_LINK.pattern, re.IGNORECASE)
    for line in LINES:
        s = line.strip()
        if len(s) <= 160:
            # the word-gated rules answer as their patterns too ("opyright", "core value")
            assert fx.is_furniture(line) == bool(
                fx.FURNITURE.match(s)
                or fx.TEASER_DATE.match(s)
                or (not s.endswith((".", "!", "?")) and len(fx.GLUED_WORDS.findall(s)) >= 3)
                or fx.SITE_COPYRIGHT.match(s)
                or fx.HOUSE_NOTICE.match(s)
                or (s.startswith("[") and s.endswith("]") and fx.bracketed_promotion(s))
            ), line
        assert lk.paren_credit(line) == bool(lk._PAREN_CREDIT.match(line)), line
        m = teaser.fullmatch(line.strip())
        plain = (
            m is not None
            and not fx.ends_sentence(m.group(1))
            and word_counts.words(m.group(1)) >= 1
        )
        assert lk.link_only(line) == plain, line


def test_remembered_answers_are_forgotten_after_each_article() -> None:
    forget()
    is_furniture("Advertisement")
    assert is_furniture.cache_info().currsize == 1  # type: ignore[attr-defined]
    layout("Advertisement\n\nA sentence here. Another one there.\n")
    assert is_furniture.cache_info().currsize == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "*Photo: AFP*\n**Read more**\n__x__\n_y_\n",
        "![a caption that runs\nover two lines](https://x.org/i.jpg)\nNext line.",
        "  padded line  \n\t\ttabbed\t\n\u00a0nbsp\u00a0\n",
    ],
)
def test_source_lines_are_trimmed_spans_of_the_source(text: str) -> None:
    for ln in source_lines(text, 0):
        assert ln.start <= ln.end
        piece = text[ln.start : ln.end]
        assert piece == piece.strip() or ln.start == ln.end


def test_a_repeat_is_found_whatever_its_case_and_spacing() -> None:
    # repeats are looked for only among lines opening as a repeated line does (case-folded)
    text = (
        "By Jane Doe\n\nThe first paragraph ends here and says enough.\n\n"
        "BY   jane DOE\n\nThe second paragraph ends here.\n\n bY Jane\tDoe\n\nThe third.\n"
    )
    lay = layout(text)
    assert lay.removed_furniture == 2
    assert lay.byline == "By Jane Doe"
    kept = [lay.text[s.start : s.end] for s in lay.segments]
    assert kept == [
        "By Jane Doe",
        "The first paragraph ends here and says enough.",
        "The second paragraph ends here.",
        "The third.",
    ]


# -- the many-alternative patterns (alternation.py): the same answer as the plain pattern --

HOSTILE = [
    "",
    " ",
    "\n",
    "Advertisement\n",
    "advertisement\nand more",
    "ADVERTISEMENT",
    "ſubscribe now",  # long s: matches "s" under IGNORECASE
    "ſign up for our newsletter today",
    "İn case you missed it",  # dotted capital I
    "ın case you mıssed ıt",  # dotless i
    "Mar\u212aed as read",  # Kelvin sign
    "Accept all coo\u212aies",
    "We use coo\u212aies to improve your experience",
    "MORE SPORTS",
    "More sports",  # (?-i:MORE ...) is case-sensitive
    "more SPORTS",
    "The competition which is for teams in the...",
    "The competition which is for teams in the…",
    "The competition which is for teams in the...\n",
    "The competition which is for teams in the...\n\n",
    "The competition which is for teams in the... ",
    "Kaieteur News – A teaser that stops here… MORE\n",
    "The competition which is for teams in th...",
    "x" * 150 + " the...",
    "Kaieteur News – A teaser that stops here... more",
    "Please contact us by phone",
    "“Please contact us by phone,” he said",
    "To reach the editor, write to editor@example.com.",
    "send us your letters by e-mail at news@example.com",
    "Photo: AFP",
    "(Photo by AP)",
    "Photos: Donavan McIntosh/Tribune Staff",
    "Jonathan Nackstrand/AFP via Getty Images",
    "AP Pool photo",
    "新华社记者 才扬 摄",
    "拍照留念 摄",
    "Courtesy of the family",
    "courtesy",
    "Reuters/Pool",
    "Reutersx",
    "Bloomberg",
    "bloomberg news said",
    "© 2024 The Times",
    "à lire aussi",
    "À LIRE AUSSI",
    "Lire aussi",
    "12 comments",
    "10:45 pm",
    "3 minutes ago",
    "+1 555 123 4567",
    "(555) 123-4567",
    "Tags: politics, senate",
    "Editor’s picks",
    "Editor's Picks",
    "\u00a0Advertisement",
    "\tsubscribe",
]


def _variants(line: str) -> list[str]:
    out = [line, line.upper(), line.lower(), line.swapcase()]
    out.append(line.replace("s", "ſ").replace("i", "ı").replace("k", "\u212a"))
    out.append(line.replace("I", "İ"))
    if len(line) > 1:
        out += [line[1:], line[:-1]]
    return out


def test_furniture_and_credit_answer_as_their_plain_patterns() -> None:
    furniture, credit = Alternation(fx.FURNITURE, 0), Alternation(fx.CREDIT, 0)
    lines = set(HOSTILE + EDGES + corpus_lines())
    # every line as it is, and the short ones (furniture is judged up to 160 characters)
    # in other cases and with the characters that match ASCII ones
    for v in lines | {v for line in lines if len(line) <= 200 for v in _variants(line)}:
        assert furniture(v) == bool(fx.FURNITURE.match(v)), v
        assert credit(v) == bool(fx.CREDIT.search(v)), v
    # the fast path is taken (a pattern it cannot read would fall back, correct but slow)
    assert furniture.fast and credit.fast, (
        "FURNITURE must stay one ^(?:...)$ group of alternatives and CREDIT one (?:...) "
        "group: another shape is matched by the plain pattern, correct but 5x slower"
    )


def test_the_twins_are_all_the_non_ascii_characters_that_match_ascii() -> None:
    """fold() maps exactly the characters the engine matches with an ASCII one."""
    from annotator.ingest.alternation import fold
    from annotator.ingest.regex_tree import TWINS

    ascii_class = re.compile("[\x00-\x7f]", re.IGNORECASE)
    found = {
        c
        for c in range(0x80, 0x110000)
        if not 0xD800 <= c < 0xE000 and ascii_class.fullmatch(chr(c))
    }
    assert found == set(TWINS)
    for c, a in TWINS.items():
        assert re.fullmatch(a, chr(c), re.IGNORECASE) and fold(chr(c)) == a
    # and no other character folds to one holding an ASCII character
    assert all(
        chr(c).lower().isascii() is False or c in TWINS
        for c in range(0x80, 0x110000)
        if not 0xD800 <= c < 0xE000
    )


def test_guards_without_case_are_matched_by_themselves_only() -> None:
    """A guard literal outside ASCII (摄, 记者, …) is matched under IGNORECASE by itself alone,
    so looking for it in the folded line is exact."""
    chars = set()
    for rx in (fx.FURNITURE, fx.CREDIT):
        alt = Alternation(rx, 0)
        alt("x")  # worked out on first use
        chars |= {c for g, e, _a in alt.loose for lit in g + e for c in lit if not c.isascii()}
    assert chars  # the test looks at something
    cls = re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]", re.IGNORECASE)
    hits = {chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and cls.fullmatch(chr(c))}
    assert hits == chars


@pytest.mark.parametrize(
    ("pattern", "flags", "lines"),
    [
        # classes holding "|", "]" and escapes; escaped "|"; scoped flags; a nullable
        # alternative; a lookahead first; a backreference (not read: tried on every line)
        (
            r"^(?:[]|x]y|a\|b|(?-i:UP)per|(?:maybe )?|(?=q)qu+x|(\w)\1z|[^a-c]+d|\d{2,}e|"
            r".*tail|(?:foo|bar)baz|\s+lead)$",
            re.IGNORECASE,
            [
                "]y",
                "|y",
                "xy",
                "a|b",
                "A|B",
                "UPper",
                "upper",
                "",
                "maybe ",
                "quux",
                "QUUX",
                "aaz",
                "abz",
                "xxd",
                "ad",
                "12e",
                "1e",
                "any tail",
                "TAIL",
                "foobaz",
                "BARBAZ",
                "  lead",
                "lead",
                "ſtail",
                "\n",
                "maybe \n",
            ],
        ),
        (
            r"(?:\bword\b|[0-9]{3}-x|(?i:kelvin)|^start|end$|mid\w+dle|(?:a|bb)c)",
            0,
            [
                "a word here",
                "swordfish",
                "123-x",
                "KELVIN",
                "\u212aelvin",
                "start here",
                "the start",
                "the end",
                "end\n",
                "midxxdle",
                "ac",
                "bbc",
                "bc",
                "",
            ],
        ),
    ],
)
def test_an_alternation_answers_as_its_pattern_on_hard_constructs(
    pattern: str, flags: int, lines: list[str]
) -> None:
    rx = re.compile(pattern, flags)
    alt = Alternation(rx, 0)
    anchored = pattern.startswith("^")
    for line in lines:
        for v in _variants(line):
            plain = rx.match(v) if anchored else rx.search(v)
            assert alt(v) == bool(plain), (pattern, v)
    assert alt.fast


@pytest.mark.parametrize("pattern", [r"^a|b$", r"(?:a)(?:b)", r"^(?:a|b)c$", r"(?:[ab)"])
def test_a_pattern_of_another_shape_is_matched_plainly(pattern: str) -> None:
    try:
        rx = re.compile(pattern)
    except re.error:
        return
    alt = Alternation(rx, 0)
    anchored = pattern.startswith("^(?:") and pattern.endswith(")$")
    for v in ["a", "b", "ab", "bc", "ac", "x", "xb"]:
        plain = rx.match(v) if anchored else rx.search(v)
        assert alt(v) == bool(plain), (pattern, v)


STARS = [
    "*",
    "**",
    "***",
    "****",
    "*****x",
    "a **b** c*",
    "x*",
    "(*a*)",
    "“**q**”",
    "5 * 3",
    "a*b",
    "**33%**of",
    "** spaced **",
    "\\*not\\*",
    "*\n*x*",
    "[*Lifeline*](https://x.org)",
]


def test_emphasis_markers_are_runs_inside_the_range_everywhere() -> None:
    for line in STARS + [ln for ln in LINES if "*" in ln or "_" in ln]:
        text = f"x*{line}*y"
        for a, b in ((0, len(text)), (2, 2 + len(line)), (1, len(text) - 1)):
            for m in li.emphasis(text, a, b):
                assert a <= m.start() < m.end() <= b, (text, a, b)
                assert set(m.group()) <= {"*", "_"}, (text, a, b)
        assert li.visible(line) == reference_visible(line), line


def test_word_bounds_and_media_lines_answer_as_the_plain_counts() -> None:
    rng = random.Random(7)
    alphabet = "ab1_ -’'.,/\t\u00e9中"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(60))) for _ in range(3000)]
    for line in made + LINES:
        n = word_counts.words(line)
        for k in (1, 4, 5, 12, 16, 20, 30):
            assert word_counts.at_most_words(line, k) == (n <= k), (line, k)
        assert fx.looks_like_heading(line) == _plain_heading(line), line
        assert fx.is_media_only(line) == bool(fx.MEDIA_ONLY.match(line.strip())), line


def _plain_heading(line: str) -> bool:
    s = line.strip().rstrip("”\"’'»)」』）")
    if not s or len(s) > 320 or s[0].islower() or s[-1] in ".!;,。！？；，．" or s.endswith(":"):
        return False
    if fx._SENTENCE_OPENING.match(s) and word_counts.words(s) >= 8:
        return False  # "He reiterated that ...": a sentence that lost its stop
    if fx._REPORTED_THAT.search(s) and word_counts.words(s) >= 10:
        return False  # "... said backstage that ...": reported speech, a sentence
    return 1 <= word_counts.words(s) <= 20


def test_the_first_lines_go_to_the_plain_pattern_then_the_fast_path_takes_over() -> None:
    alt = Alternation(fx.FURNITURE, 3)
    for i, line in enumerate(["Advertisement", "A sentence.", "Read more: x", "Subscribe now"]):
        assert alt(line) == bool(fx.FURNITURE.match(line))
        assert alt.built == (i == 3)
    assert alt.fast


def test_repeatable_furniture_answers_as_its_plain_tests() -> None:
    for line in LINES + HOSTILE + ["By Jane Doe.", "By Jane Doe", "Short line.", "- item."]:
        s = line.strip()
        plain = bool(
            s
            and len(s) <= 160
            and not fx.LIST_ITEM.match(s)
            and (bylines.is_byline(s) or (_words_any_script(s) <= 12 and not fx.ends_sentence(s)))
        )
        assert page_repeats.repeatable_furniture(line) == plain, line


def _words_any_script(s: str) -> int:
    """Words, two Han or kana characters counting as one (Chinese and Japanese have no
    spaces between words)."""
    ranges = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
    unspaced = sum(1 for ch in s if any(a <= ord(ch) <= b for a, b in ranges))
    return word_counts.words(s) + unspaced // 2


# -- the lines of a source (source_lines.source_lines) and copying them --


def reference_source_lines(text: str, start: int) -> list[Line]:
    """source_lines as it was written before it cut the text with str.split (one line at a
    time, a Line for every blank line)."""
    lines = []
    pos = start
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        # trimmed as str.strip() trims (the same isspace() characters), without a loop
        raw = text[pos:end]
        body = raw.lstrip()
        while body and (body[0] in sl.INVISIBLE_OPENING or body[0].isspace()):
            body = body[1:]  # and the invisible characters opening it
        s = pos + len(raw) - len(body)
        e = s + len(body.rstrip())
        if e > s and text[s] == ">":
            s = li.blockquote_end(text, s, e)
        # emphasis around the whole line ("*Photo: AFP*", "**Read more**") is markup: an
        # emphasis pair from the line's first character to its last
        if e - s > 2 and text[s] in "*_":
            pairs: list[tuple[int, int]] = []
            li.emphasis(text, s, e, pairs=pairs)
            if (s, e) in pairs:
                w = 2 if text.startswith(text[s] * 2, s) and text.endswith(text[s] * 2, s, e) else 1
                if e - s > 2 * w:
                    s, e = s + w, e - w
        if e > s and text[s] == "#" and e - s <= 6 and not text[s:e].strip("#"):
            e = s  # an empty heading ("##" over a link): syntax, it ends a paragraph
        elif text.startswith("![", s) and "](" not in text[s:e]:
            # an image whose alt text runs over lines: one line, up to its "](url)"
            close = text.find("](", e, e + 1000)
            stop = text.find("\n", close) if close >= 0 else -1
            stop = n if close >= 0 and stop < 0 else stop
            if (
                close >= 0
                and text[s:stop].rstrip().endswith(")")
                and text.count("\n", e, close) <= 3
            ):
                e = stop
                while e > s and text[e - 1].isspace():
                    e -= 1
                nl = stop if stop < n else -1
        elif text.find("[", s, e) >= 0 and sl._opens_link(text[s:e]):
            # a link whose text runs over lines (html2text breaks a teaser's link text,
            # even across blank lines): one line, up to its "](url)"
            close = text.find("](", e, e + 1000)
            stop = text.find("\n", close) if close >= 0 else -1
            stop = n if close >= 0 and stop < 0 else stop
            if (
                close >= 0
                and text.count("\n", e, close) <= 3
                and "[" not in text[e:close]
                and "]" not in text[e:close]
            ):
                e = stop
                while e > s and text[e - 1].isspace():
                    e -= 1
                nl = stop if stop < n else -1
        # (read in the source: emphasis and tags pair within the paragraph)
        seen = li.render(text, s, e, li.iter_links(text, s, e)) if e > s else ""
        lines.append(Line(s, e, seen))
        if nl < 0:
            break
        pos = nl + 1
    return lines


LINE_EDGES = [
    "",
    "\n",
    "one line",
    "one line\n",
    "\n\n  \n\t\n",
    "a\r\nb\r\n",
    "*Photo: AFP*\n**Read more**\n__x__\n_y_\n* item\n** \n",
    "##\n[link](u)\n###### \n#######\n# Heading\n",
    "![a caption that runs\nover two lines](https://x.org/i.jpg)\nNext line.",
    "![a caption that runs\nover two lines](https://x.org/i.jpg)",
    "![a caption that runs\n\n\n\n\nover too many lines](https://x.org/i.jpg)\nNext.",
    "![never closed\nat all",
    "![ends without url](\n",
    "[Headline that runs\n\n\n](/story/)\nNext line.",
    "[Headline that runs\n](/story/)",
    "[Headline that runs\n](/story/) tail",
    "[Headline [nested\n](/story/)\n",
    "[a] [b\nno close here\n\nat all",
    "text [open\n" + "x" * 1200 + "](/far)",
    "*[Headline that\nruns](/s)*\n",
    "_![alt that\nruns](i.jpg)_\nafter",
    "\\[not a link\nbut escaped\\]\n",
    "  padded line  \n\t\ttabbed\t\n\u00a0nbsp\u00a0\n\u2028sep\u2029\n",
    "> quoted\n> > nested *and marked*\n>\n> \n>50% is text\n>[link over\nlines](/u)\n",
    "> ![alt over\nlines](i.jpg)\n>\t**bold**\n",
    # audit5 F9: ">" before a letter opens a quote; invisible characters opening a line
    ">The minister resigned.\n>“Quoted”\n>>Nested\n>=5 stays\n",
    "\u200bZero width.\n\ufeff\u200d \u202eOverride.\n\u200fRTL mark kept.\n\u200b\u200b\n",
    # each kind of inline markup iter_links finds, alone on a line
    "Prices rose &amp; fell&nbsp;today.\nA note[^1] here.\nSee [the report][1] now.\n",
    "Water<sup>2</sup> and <u>underlined</u>.\n<https://t.co/x>\nAn escaped \\* star.\n",
    "**bold** and *it*\n[text](/u)\n[![alt](i.jpg)](/u)\n",
]


def _line_texts() -> list[str]:
    texts = list(LINE_EDGES)
    if CORPUS.is_dir():
        for folder in ("txt", "md", "crude"):
            texts += [p.read_text(encoding="utf-8") for p in sorted((CORPUS / folder).iterdir())]
    rng = random.Random(3)
    pieces = [t for t in LINE_EDGES if t] + LINES[:4000]
    for _ in range(300):
        texts.append("\n".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))))
    return texts


def test_source_lines_cut_at_once_are_the_lines_cut_one_by_one() -> None:
    for text in _line_texts():
        for start in {0, min(len(text), 3)}:
            got = source_lines(text, start)
            want = reference_source_lines(text, start)
            assert len(got) == len(want), text
            for g, w in zip(got, want, strict=True):
                if w.end <= w.start and not w.visible:
                    assert g.end <= g.start and not g.visible, text  # a blank line
                else:
                    assert (g.start, g.end, g.visible) == (w.start, w.end, w.visible), text


def test_a_plain_line_is_copied_as_the_links_search_would() -> None:
    for text in _line_texts():
        for ln in source_lines(text, 0):
            if ln.plain:
                assert li.iter_links(text, ln.start, ln.end) == [], text[ln.start : ln.end]
            a, b = Assembler(text), Assembler(text)
            assert a.copy_line(ln) == b.copy_inline(ln.start, ln.end)
            assert a.b.build() == b.b.build()


def _plain_byline_line(line: str) -> bool:
    """is_byline_line with its first guard as it was written: any character a digit."""
    s = line.strip()
    if s.endswith(".") and len(s) <= 60 and any(c.isdigit() for c in s):
        bare = bylines._POSTED.sub("", s[:-1].rstrip())
        if dates.DATE_LINE.match(bare) or dates.TIME_LINE.match(bare):
            return True
    if len(s) > 160 or s.endswith((",", ";", ".", "!", "?")):
        return False
    if bylines.is_byline(s) or dates.DATE_LINE.match(s) or dates.TIME_LINE.match(s):
        return True
    if bylines._ACADEMIC_ROLE.match(s):  # (its word-gated pattern, plain)
        return True
    return bool(bylines.BYLINE_EXTRA.match(s)) and word_counts.at_most_words(s, 30)


def test_a_date_line_is_found_whatever_digits_it_is_written_in() -> None:
    made = [
        "October 24, 2024.",
        "Posted: October 24, 2024.",
        "10:45 pm.",
        "١٠:٤٥ pm.",  # Arabic-Indic digits are \d
        "October ²⁴, 2024.",  # superscripts are digits to isdigit(), not to \d
        "Updated on 2024-10-24.",
        "A sentence with 3 words.",
    ]
    for line in made + LINES:
        assert bylines.is_byline_line(line) == _plain_byline_line(line), line
